//! Customers as staff may see them (A2): rendered with phone and email masked unless the
//! viewer's permissions include `view_sensitive_data` (every answer carrying a customer
//! goes through [`as_seen_by`]), found by the server-side search (C1), created and edited
//! (`details`, C12, C13).

pub mod assignment;
pub mod contacts;
pub mod details;
pub mod routes;
pub mod stars;
pub mod store;

use clienteling_domain::api::Customer;
use clienteling_domain::masking::{mask_email, mask_phone};
use clienteling_domain::permission::{Permission, Permissions};
use clienteling_domain::CustomerId;
use sqlx::SqliteConnection;

use crate::directory;

/// `customer` as a viewer granted `viewer` sees them: without `view_sensitive_data` their
/// phone and email are masked ("+1 ••• ••• 0142", "a•••@example.com").
pub fn as_seen_by(mut customer: Customer, viewer: Permissions) -> Customer {
    if !viewer.allows(Permission::ViewSensitiveData) {
        customer.phone = customer.phone.as_deref().map(mask_phone);
        customer.email = customer.email.as_deref().map(mask_email);
    }
    customer
}

/// A customer by id, as a viewer granted `viewer` sees them.
pub async fn customer_seen_by(
    conn: &mut SqliteConnection,
    id: &CustomerId,
    viewer: Permissions,
) -> Result<Option<Customer>, sqlx::Error> {
    Ok(directory::customer(conn, id)
        .await?
        .map(|customer| as_seen_by(customer, viewer)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::api::Role;
    use clienteling_domain::Timestamp;

    fn ada() -> Customer {
        Customer {
            id: "customer-1".into(),
            store_ids: vec!["store-nyc".into()],
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            phone: Some("+12125550142".into()),
            email: Some("ada@example.com".into()),
            assigned_staff_ids: Vec::new(),
            updated_at: Timestamp(0),
            gender: None,
            birth_date: None,
            signed_up_at: None,
            active: true,
        }
    }

    #[test]
    fn a2_without_view_sensitive_data_phone_and_email_are_masked() {
        let seen = as_seen_by(ada(), Role::Seasonal.permissions());
        assert_eq!(
            seen.phone.as_deref(),
            Some("+1 ••• ••• 0142"),
            "the phone keeps its country code and last four digits"
        );
        assert_eq!(
            seen.email.as_deref(),
            Some("a•••@example.com"),
            "the email keeps its first character and domain"
        );
        assert_eq!(
            seen.full_name(),
            "Ada Lovelace",
            "the name is not sensitive"
        );
    }

    #[test]
    fn a2_with_view_sensitive_data_the_customer_is_unchanged() {
        for role in [Role::Associate, Role::Manager, Role::Admin] {
            assert_eq!(
                as_seen_by(ada(), role.permissions()),
                ada(),
                "{} sees the real phone and email",
                role.label()
            );
        }
    }
}
