//! Assigning a customer to stores and staff (C3) and starring customers (C1): the request
//! and audit types of the API, and the rule both the backend and the core apply to an
//! assignment before it is saved — every store of the company, every staff member known,
//! and each assigned staff member working in one of the chosen stores.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::api::Staff;
use crate::{CustomerId, StaffId, StoreId, Timestamp};

/// The most stores or staff one assignment names: far above any real company's, low
/// enough that a hostile request cannot make the backend check millions of ids.
pub const MAX_ASSIGNED: usize = 500;

/// `PUT /api/v1/customers/{id}/assignment` body: the full new sets (C3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentRequest {
    /// The stores the customer is known to from now on (their staff see the customer).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub store_ids: Vec<StoreId>,
    /// The staff the customer is assigned to, each working in one of `store_ids`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub staff_ids: Vec<StaffId>,
}

impl AssignmentRequest {
    /// What the picker sends: the chosen stores, and those of the chosen staff who work in
    /// one of them (unchecking a store drops its staff), as `company_staff` says.
    pub fn from_choice(
        stores: &BTreeSet<StoreId>,
        staff: &BTreeSet<StaffId>,
        company_staff: &[Staff],
    ) -> AssignmentRequest {
        let eligible = eligible_staff(company_staff, stores);
        AssignmentRequest {
            store_ids: stores.iter().cloned().collect(),
            staff_ids: staff
                .iter()
                .filter(|id| eligible.iter().any(|member| &member.id == *id))
                .cloned()
                .collect(),
        }
    }
}

/// The staff a customer known to `stores` can be assigned to: those working in one of
/// them, in `company_staff`'s order.
pub fn eligible_staff<'a>(
    company_staff: &'a [Staff],
    stores: &BTreeSet<StoreId>,
) -> Vec<&'a Staff> {
    company_staff
        .iter()
        .filter(|member| member.store_ids.iter().any(|store| stores.contains(store)))
        .collect()
}

/// An assignment that passed [`validate`]: sorted, without repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The stores, sorted.
    pub store_ids: Vec<StoreId>,
    /// The staff, sorted.
    pub staff_ids: Vec<StaffId>,
}

/// Why an assignment cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignmentError {
    /// A customer is known to at least one store.
    #[error("Choose at least one store: a customer is known to at least one store")]
    NoStore,
    /// More ids than [`MAX_ASSIGNED`].
    #[error("An assignment names at most {MAX_ASSIGNED} stores and {MAX_ASSIGNED} staff")]
    TooMany,
    /// A store the company does not have.
    #[error("Unknown store {0}")]
    UnknownStore(StoreId),
    /// A staff member the company does not have.
    #[error("Unknown staff member {0}")]
    UnknownStaff(StaffId),
    /// A staff member who works in none of the chosen stores.
    #[error("{name} works in none of the chosen stores")]
    StaffOutsideStores {
        /// Who.
        name: String,
    },
}

/// Checks `request` against the company's `stores` and `staff` (C3): at least one store,
/// every id known, and each staff member in one of the chosen stores. Answers the sets
/// sorted and without repeats.
pub fn validate(
    request: &AssignmentRequest,
    stores: &[StoreId],
    staff: &[Staff],
) -> Result<Assignment, AssignmentError> {
    if request.store_ids.len() > MAX_ASSIGNED || request.staff_ids.len() > MAX_ASSIGNED {
        return Err(AssignmentError::TooMany);
    }
    let store_ids: BTreeSet<&StoreId> = request.store_ids.iter().collect();
    if store_ids.is_empty() {
        return Err(AssignmentError::NoStore);
    }
    if let Some(unknown) = store_ids.iter().find(|id| !stores.contains(**id)) {
        return Err(AssignmentError::UnknownStore((*unknown).clone()));
    }
    let staff_ids: BTreeSet<&StaffId> = request.staff_ids.iter().collect();
    for id in &staff_ids {
        let member = staff
            .iter()
            .find(|member| &&member.id == id)
            .ok_or_else(|| AssignmentError::UnknownStaff((*id).clone()))?;
        if !member
            .store_ids
            .iter()
            .any(|store| store_ids.contains(store))
        {
            return Err(AssignmentError::StaffOutsideStores {
                name: member.name.clone(),
            });
        }
    }
    Ok(Assignment {
        store_ids: store_ids.into_iter().cloned().collect(),
        staff_ids: staff_ids.into_iter().cloned().collect(),
    })
}

/// One entry of a customer's assignment audit (C3): who changed it, when, from and to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentEntry {
    /// The customer.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer_id: CustomerId,
    /// Who assigned.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub by_staff_id: StaffId,
    /// Their name.
    pub by_name: String,
    /// When, ms since the epoch.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub at: Timestamp,
    /// The stores before.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub from_store_ids: Vec<StoreId>,
    /// The staff before.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub from_staff_ids: Vec<StaffId>,
    /// The stores after.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub to_store_ids: Vec<StoreId>,
    /// The staff after.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub to_staff_ids: Vec<StaffId>,
    /// The names of the staff after, in the order of `to_staff_ids`.
    pub to_staff_names: Vec<String>,
}

impl AssignmentEntry {
    /// What the profile shows: "Assigned to Noah Smith by Mia Chen" (or "Unassigned by
    /// Mia Chen" when no staff remain); the UI adds the date.
    pub fn summary(&self) -> String {
        if self.to_staff_names.is_empty() {
            format!("Unassigned by {}", self.by_name)
        } else {
            format!(
                "Assigned to {} by {}",
                self.to_staff_names.join(", "),
                self.by_name
            )
        }
    }

    /// The profile's line: the summary and the day, "Assigned to Noah Smith by Mia Chen,
    /// 2 Dec" (in UTC).
    pub fn line(&self) -> String {
        format!("{}, {}", self.summary(), day_label(self.at))
    }
}

/// "2 Dec": the day of the month and the month of `at`, in UTC.
pub fn day_label(at: Timestamp) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let days = at.millis().div_euclid(86_400_000) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let name = usize::try_from(month - 1)
        .ok()
        .and_then(|index| MONTHS.get(index))
        .copied()
        .unwrap_or("?");
    format!("{day} {name}")
}

/// A customer starred or not by the reader (C1): a change of the feed only its staff
/// member receives, rendered with the current state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerStar {
    /// The customer.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer_id: CustomerId,
    /// Whether the reader has starred them.
    pub starred: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Role;

    fn member(id: &str, name: &str, stores: &[&str]) -> Staff {
        Staff {
            id: id.into(),
            name: name.into(),
            login: format!("{id}@example.com"),
            role: Role::Associate,
            store_ids: stores.iter().map(|s| StoreId::from(*s)).collect(),
        }
    }

    fn company() -> (Vec<StoreId>, Vec<Staff>) {
        (
            vec!["store-nyc".into(), "store-ldn".into()],
            vec![
                member("staff-noah", "Noah Smith", &["store-nyc"]),
                member("staff-olivia", "Olivia Brown", &["store-ldn"]),
            ],
        )
    }

    fn request(stores: &[&str], staff: &[&str]) -> AssignmentRequest {
        AssignmentRequest {
            store_ids: stores.iter().map(|s| StoreId::from(*s)).collect(),
            staff_ids: staff.iter().map(|s| StaffId::from(*s)).collect(),
        }
    }

    #[test]
    fn c3_an_assignment_is_sorted_and_without_repeats() {
        let (stores, staff) = company();
        let assignment = validate(
            &request(
                &["store-nyc", "store-ldn", "store-nyc"],
                &["staff-olivia", "staff-noah", "staff-noah"],
            ),
            &stores,
            &staff,
        )
        .expect("every id is known and each staff member is in a chosen store");
        assert_eq!(
            assignment.store_ids,
            vec![StoreId::from("store-ldn"), StoreId::from("store-nyc")],
            "stores sorted, once each"
        );
        assert_eq!(
            assignment.staff_ids,
            vec![StaffId::from("staff-noah"), StaffId::from("staff-olivia")],
            "staff sorted, once each"
        );
    }

    #[test]
    fn c3_unknown_stores_and_staff_are_refused_by_name() {
        let (stores, staff) = company();
        assert_eq!(
            validate(&request(&["store-paris"], &[]), &stores, &staff),
            Err(AssignmentError::UnknownStore("store-paris".into())),
            "a store of another company is refused"
        );
        assert_eq!(
            validate(&request(&["store-nyc"], &["staff-ghost"]), &stores, &staff),
            Err(AssignmentError::UnknownStaff("staff-ghost".into())),
            "an unknown staff member is refused"
        );
        assert_eq!(
            validate(&request(&[], &[]), &stores, &staff),
            Err(AssignmentError::NoStore),
            "a customer stays known to some store"
        );
    }

    #[test]
    fn c3_staff_outside_the_chosen_stores_are_refused_with_their_name() {
        let (stores, staff) = company();
        let refused = validate(&request(&["store-nyc"], &["staff-olivia"]), &stores, &staff)
            .expect_err("Olivia works in London only");
        assert_eq!(
            refused.to_string(),
            "Olivia Brown works in none of the chosen stores",
            "the message names who does not fit"
        );
    }

    #[test]
    fn c3_the_picker_offers_the_staff_of_the_chosen_stores_and_drops_the_others() {
        let (_, staff) = company();
        let new_york: BTreeSet<StoreId> = [StoreId::from("store-nyc")].into();
        let offered: Vec<&str> = eligible_staff(&staff, &new_york)
            .iter()
            .map(|member| member.name.as_str())
            .collect();
        assert_eq!(
            offered,
            vec!["Noah Smith"],
            "only New York's staff are offered"
        );
        let chosen: BTreeSet<StaffId> =
            [StaffId::from("staff-noah"), StaffId::from("staff-olivia")].into();
        let request = AssignmentRequest::from_choice(&new_york, &chosen, &staff);
        assert_eq!(
            request,
            AssignmentRequest {
                store_ids: vec!["store-nyc".into()],
                staff_ids: vec!["staff-noah".into()],
            },
            "a staff member of an unchecked store is left out of the request"
        );
    }

    #[test]
    fn c3_a_huge_assignment_is_refused_before_any_lookup() {
        let (stores, staff) = company();
        let huge = AssignmentRequest {
            store_ids: vec![StoreId::from("store-nyc"); MAX_ASSIGNED + 1],
            staff_ids: Vec::new(),
        };
        assert_eq!(
            validate(&huge, &stores, &staff),
            Err(AssignmentError::TooMany),
            "hostile sizes are refused at once"
        );
    }

    #[test]
    fn c3_the_audit_line_reads_the_day_and_month_in_utc() {
        assert_eq!(
            day_label(Timestamp(1_796_169_600_000)),
            "2 Dec",
            "2026-12-02T00:00Z is 2 Dec"
        );
        assert_eq!(
            day_label(Timestamp(1_709_164_800_000)),
            "29 Feb",
            "a leap day is found"
        );
        assert_eq!(day_label(Timestamp(0)), "1 Jan", "the epoch is 1 Jan");
    }

    #[test]
    fn c3_the_audit_summary_names_the_assignees_and_who_assigned() {
        let entry = AssignmentEntry {
            customer_id: "customer-1".into(),
            by_staff_id: "staff-mia".into(),
            by_name: "Mia Chen".into(),
            at: Timestamp(0),
            from_store_ids: Vec::new(),
            from_staff_ids: Vec::new(),
            to_store_ids: vec!["store-nyc".into()],
            to_staff_ids: vec!["staff-noah".into()],
            to_staff_names: vec!["Noah Smith".into()],
        };
        assert_eq!(
            entry.summary(),
            "Assigned to Noah Smith by Mia Chen",
            "the profile line reads naturally"
        );
        assert_eq!(
            entry.line(),
            "Assigned to Noah Smith by Mia Chen, 1 Jan",
            "the line adds the day"
        );
        let cleared = AssignmentEntry {
            to_staff_ids: Vec::new(),
            to_staff_names: Vec::new(),
            ..entry
        };
        assert_eq!(
            cleared.summary(),
            "Unassigned by Mia Chen",
            "removing every assignee says so"
        );
    }
}
