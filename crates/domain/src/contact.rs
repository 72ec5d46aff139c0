//! Last contact (B7): when staff of a store last messaged a customer, and who, so two
//! associates do not message the same customer on the same day. "Contacted" means an
//! outbound message written by staff (templates and opt-in requests included, they are
//! staff-sent) that did not fail; automated replies and receipts do not count. Whether it
//! was "today" is the device's local day, its UTC offset passed in like the time.

use serde::{Deserialize, Serialize};

use crate::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use crate::{CustomerId, Direction, MessageStatus, StaffId, StoreId, Timestamp};

/// The latest contact of a customer by staff of one store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LastContact {
    /// The store whose staff wrote.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub store_id: StoreId,
    /// When the message was sent, ms since the epoch.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub at: Timestamp,
    /// Who wrote it.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub staff_id: StaffId,
    /// Their display name.
    pub staff_name: String,
}

/// A customer's latest contacts, one per store of the reader's that has contacted them
/// (the change feed's `last_contact` entry and the snapshot's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerContacts {
    /// The customer.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer_id: CustomerId,
    /// Per store, the latest contact.
    pub contacts: Vec<LastContact>,
}

/// Whether a message counts as contacting the customer: outbound, written by a staff
/// member, and not failed.
pub fn counts_as_contact(
    direction: Direction,
    author: Option<&StaffId>,
    status: MessageStatus,
) -> bool {
    direction == Direction::Outbound && author.is_some() && status != MessageStatus::Failed
}

/// The later of two contacts (the local copy's and the backend's): the first on a tie.
pub fn latest(first: Option<LastContact>, second: Option<LastContact>) -> Option<LastContact> {
    match (first, second) {
        (Some(first), Some(second)) => Some(if second.at > first.at { second } else { first }),
        (first, second) => first.or(second),
    }
}

/// The local day (days since the epoch, in local time) `at` falls in, for a device whose
/// local time is UTC plus `utc_offset_minutes`.
fn local_day(at: Timestamp, utc_offset_minutes: i32) -> i64 {
    local_millis(at, utc_offset_minutes).div_euclid(DAY_MS)
}

fn local_millis(at: Timestamp, utc_offset_minutes: i32) -> i64 {
    at.millis()
        .saturating_add(i64::from(utc_offset_minutes) * MINUTE_MS)
}

/// Whether `at` lies in the same local day as `now`.
pub fn is_same_local_day(at: Timestamp, now: Timestamp, utc_offset_minutes: i32) -> bool {
    local_day(at, utc_offset_minutes) == local_day(now, utc_offset_minutes)
}

/// "10:42": the local time of day of `at`.
fn time_of_day(at: Timestamp, utc_offset_minutes: i32) -> String {
    let in_day = local_millis(at, utc_offset_minutes).rem_euclid(DAY_MS);
    format!(
        "{:02}:{:02}",
        in_day / HOUR_MS,
        (in_day % HOUR_MS) / MINUTE_MS
    )
}

/// "today at 10:42", "yesterday at 10:42" or "3 days ago", by the device's local days.
fn when(at: Timestamp, now: Timestamp, utc_offset_minutes: i32) -> String {
    let days = local_day(now, utc_offset_minutes) - local_day(at, utc_offset_minutes);
    match days {
        ..=0 => format!("today at {}", time_of_day(at, utc_offset_minutes)),
        1 => format!("yesterday at {}", time_of_day(at, utc_offset_minutes)),
        days => format!("{days} days ago"),
    }
}

/// What a profile and a chat say about the last contact from the current store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactNotice {
    /// "Last contacted today at 10:42 by Mia Chen" (or "by you"), or "Not contacted from
    /// this store yet".
    pub line: String,
    /// Someone else messaged the customer today: "Mia Chen messaged Ava today at 10:42".
    pub warning: Option<String>,
}

/// The notice for `contact` (the current store's latest, if any) read by staff member
/// `me` at `now`, `customer_first_name` naming the customer in the warning.
pub fn notice(
    contact: Option<&LastContact>,
    me: &StaffId,
    customer_first_name: &str,
    now: Timestamp,
    utc_offset_minutes: i32,
) -> ContactNotice {
    let Some(contact) = contact else {
        return ContactNotice {
            line: "Not contacted from this store yet".to_owned(),
            warning: None,
        };
    };
    let when = when(contact.at, now, utc_offset_minutes);
    let mine = &contact.staff_id == me;
    let by = if mine { "you" } else { &contact.staff_name };
    let warning = (!mine && is_same_local_day(contact.at, now, utc_offset_minutes)).then(|| {
        format!(
            "{} messaged {} {when}",
            contact.staff_name, customer_first_name
        )
    });
    ContactNotice {
        line: format!("Last contacted {when} by {by}"),
        warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2025-12-01 10:42 UTC.
    const AT: Timestamp = Timestamp(1_764_585_720_000);

    fn by_mia(at: Timestamp) -> LastContact {
        LastContact {
            store_id: "store-nyc".into(),
            at,
            staff_id: "staff-mia".into(),
            staff_name: "Mia Chen".into(),
        }
    }

    #[test]
    fn b7_only_staff_written_outbound_messages_that_did_not_fail_are_contacts() {
        let mia = StaffId::from("staff-mia");
        assert!(
            counts_as_contact(Direction::Outbound, Some(&mia), MessageStatus::Delivered),
            "a delivered message by staff is a contact"
        );
        assert!(
            counts_as_contact(Direction::Outbound, Some(&mia), MessageStatus::Queued),
            "a message on its way counts already"
        );
        assert!(
            !counts_as_contact(Direction::Outbound, Some(&mia), MessageStatus::Failed),
            "a failed message never reached the customer"
        );
        assert!(
            !counts_as_contact(Direction::Automated, None, MessageStatus::Sent),
            "an automated receipt is not a contact"
        );
        assert!(
            !counts_as_contact(Direction::Inbound, None, MessageStatus::Delivered),
            "the customer writing is not a contact"
        );
    }

    #[test]
    fn b7_the_later_of_the_local_and_the_backend_contact_wins() {
        let older = by_mia(AT);
        let newer = by_mia(AT.plus_ms(MINUTE_MS));
        assert_eq!(
            latest(Some(older.clone()), Some(newer.clone())),
            Some(newer.clone()),
            "the newer contact wins from either side"
        );
        assert_eq!(
            latest(Some(newer.clone()), Some(older.clone())),
            Some(newer.clone()),
            "the newer contact wins from either side"
        );
        assert_eq!(
            latest(None, Some(older.clone())),
            Some(older),
            "one known contact is the latest"
        );
        assert_eq!(latest(None, None), None, "no contact on either side");
    }

    #[test]
    fn b7_the_same_day_is_the_devices_local_day() {
        let late_evening_utc = Timestamp(AT.millis() + 12 * HOUR_MS);
        assert!(
            !is_same_local_day(AT, late_evening_utc.plus_ms(2 * HOUR_MS), 0),
            "past midnight UTC is the next UTC day"
        );
        assert!(
            is_same_local_day(AT, late_evening_utc, 0),
            "10:42 and 22:42 UTC are the same UTC day"
        );
        assert!(
            !is_same_local_day(AT, late_evening_utc, 2 * 60),
            "two hours east of UTC, 22:42 UTC is already tomorrow"
        );
        assert!(
            is_same_local_day(AT, AT.plus_ms(15 * HOUR_MS), -5 * 60),
            "in New York, 10:42 UTC and 01:42 UTC the next day are the same local day"
        );
    }

    #[test]
    fn b7_the_notice_says_when_and_by_whom_and_warns_of_someone_elses_contact_today() {
        let me = StaffId::from("staff-leo");
        let today = notice(Some(&by_mia(AT)), &me, "Ava", AT.plus_ms(HOUR_MS), 0);
        assert_eq!(
            today.line, "Last contacted today at 10:42 by Mia Chen",
            "the line names the colleague and the local time"
        );
        assert_eq!(
            today.warning.as_deref(),
            Some("Mia Chen messaged Ava today at 10:42"),
            "a colleague's contact today warns"
        );
        let mine = notice(
            Some(&by_mia(AT)),
            &StaffId::from("staff-mia"),
            "Ava",
            AT.plus_ms(HOUR_MS),
            0,
        );
        assert_eq!(
            mine.line, "Last contacted today at 10:42 by you",
            "my own contact says by you"
        );
        assert_eq!(mine.warning, None, "my own contact does not warn me");
        let yesterday = notice(Some(&by_mia(AT)), &me, "Ava", AT.plus_ms(DAY_MS), 60);
        assert_eq!(
            yesterday.line, "Last contacted yesterday at 11:42 by Mia Chen",
            "the time of day is the device's local time"
        );
        assert_eq!(yesterday.warning, None, "yesterday's contact does not warn");
        let older = notice(Some(&by_mia(AT)), &me, "Ava", AT.plus_ms(5 * DAY_MS), 0);
        assert_eq!(
            older.line, "Last contacted 5 days ago by Mia Chen",
            "older contacts count the days"
        );
        let none = notice(None, &me, "Ava", AT, 0);
        assert_eq!(
            none,
            ContactNotice {
                line: "Not contacted from this store yet".to_owned(),
                warning: None,
            },
            "no contact from this store yet"
        );
    }
}
