//! Which customers changed since an open profile read them (their record, star,
//! assignment, attributes, notes, orders, conversations, last contact): a revision per
//! customer that moves when the core reports a change, so the profile reads itself again.

use std::collections::HashMap;

use clienteling_domain::CustomerId;

/// A revision per customer of what their profile shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerRevisions {
    /// Moves for every customer at once (events were lost).
    epoch: u32,
    /// Moves for one customer.
    per_customer: HashMap<CustomerId, u32>,
}

impl CustomerRevisions {
    /// The revision of `customer_id`'s profile.
    pub fn of(&self, customer_id: &CustomerId) -> u32 {
        self.epoch
            .wrapping_add(self.per_customer.get(customer_id).copied().unwrap_or(0))
    }

    /// The core reported a change of these customers.
    pub fn changed(&mut self, customer_ids: Vec<CustomerId>) {
        for customer_id in customer_ids {
            let revision = self.per_customer.entry(customer_id).or_insert(0);
            *revision = revision.wrapping_add(1);
        }
    }

    /// Anything may have changed (events were lost).
    pub fn all_changed(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c2_a_change_moves_the_revision_of_the_customers_it_names_only() {
        let mut revisions = CustomerRevisions::default();
        let ava = CustomerId::from("ava");
        let ben = CustomerId::from("ben");
        let before = (revisions.of(&ava), revisions.of(&ben));
        revisions.changed(vec![ava.clone()]);
        assert_ne!(
            revisions.of(&ava),
            before.0,
            "Ava's open profile reads itself again"
        );
        assert_eq!(
            revisions.of(&ben),
            before.1,
            "Ben's profile is left as it is"
        );
        let ben_before = revisions.of(&ben);
        revisions.all_changed();
        assert_ne!(
            revisions.of(&ben),
            ben_before,
            "lost events refresh every profile"
        );
    }
}
