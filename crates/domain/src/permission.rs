//! Permissions and what each role is granted (A2): the rule the backend enforces and the UI
//! previews, e.g. masking phone and email for staff without `view_sensitive_data`.
//!
//! The demo roles grant:
//!
//! | permission             | seasonal | associate | manager | admin |
//! |------------------------|:--------:|:---------:|:-------:|:-----:|
//! | `view_customers`       |    ✓     |     ✓     |    ✓    |   ✓   |
//! | `assign_customers`     |          |           |    ✓    |   ✓   |
//! | `access_conversations` |    ✓     |     ✓     |    ✓    |   ✓   |
//! | `view_sensitive_data`  |          |     ✓     |    ✓    |   ✓   |
//! | `edit_customers`       |          |     ✓     |    ✓    |   ✓   |
//! | `assign_tasks`         |          |           |    ✓    |   ✓   |

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::api::Role;

/// One thing a role may allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See customer profiles and the customer listing.
    ViewCustomers,
    /// Assign customers to stores and staff (C3, A3).
    AssignCustomers,
    /// Open conversations and message customers (M14), and put together and share remote
    /// carts with them (M9, C4).
    AccessConversations,
    /// See phone numbers and email addresses unmasked.
    ViewSensitiveData,
    /// Create and edit customers and their attribute values (C12, C13, C15).
    EditCustomers,
    /// Set follow-up tasks for other staff of the store, and change theirs (B3).
    AssignTasks,
}

impl Permission {
    /// Every permission, in a stable order.
    pub const ALL: [Permission; 6] = [
        Permission::ViewCustomers,
        Permission::AssignCustomers,
        Permission::AccessConversations,
        Permission::ViewSensitiveData,
        Permission::EditCustomers,
        Permission::AssignTasks,
    ];

    /// Stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ViewCustomers => "view_customers",
            Permission::AssignCustomers => "assign_customers",
            Permission::AccessConversations => "access_conversations",
            Permission::ViewSensitiveData => "view_sensitive_data",
            Permission::EditCustomers => "edit_customers",
            Permission::AssignTasks => "assign_tasks",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == value)
    }

    /// Human label, as an admin reads it in role settings.
    pub fn label(self) -> &'static str {
        match self {
            Permission::ViewCustomers => "View customer profiles",
            Permission::AssignCustomers => "Assign customers",
            Permission::AccessConversations => "Access conversations",
            Permission::ViewSensitiveData => "View sensitive data",
            Permission::EditCustomers => "Edit customers",
            Permission::AssignTasks => "Assign follow-up tasks",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of permissions; serialized as the list of their names in [`Permission::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Vec<Permission>", into = "Vec<Permission>")]
pub struct Permissions(u8);

impl Permissions {
    /// No permission at all.
    pub const fn none() -> Self {
        Self(0)
    }

    /// Every permission.
    pub fn all() -> Self {
        Permission::ALL.into_iter().collect()
    }

    /// This set with `permission` added.
    #[must_use]
    pub fn with(self, permission: Permission) -> Self {
        Self(self.0 | permission.bit())
    }

    /// This set with `permission` taken away.
    #[must_use]
    pub fn without(self, permission: Permission) -> Self {
        Self(self.0 & !permission.bit())
    }

    /// Whether the set grants `permission`.
    pub fn allows(self, permission: Permission) -> bool {
        self.0 & permission.bit() != 0
    }

    /// Whether the set grants nothing.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The permissions granted, in [`Permission::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.into_iter().filter(move |p| self.allows(*p))
    }
}

impl FromIterator<Permission> for Permissions {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        iter.into_iter().fold(Self::none(), Self::with)
    }
}

impl From<Vec<Permission>> for Permissions {
    fn from(value: Vec<Permission>) -> Self {
        value.into_iter().collect()
    }
}

impl From<Permissions> for Vec<Permission> {
    fn from(value: Permissions) -> Self {
        value.iter().collect()
    }
}

impl Role {
    /// What the role is granted in the demo configuration (see the module's table).
    pub fn permissions(self) -> Permissions {
        match self {
            Role::Seasonal => [Permission::ViewCustomers, Permission::AccessConversations]
                .into_iter()
                .collect(),
            Role::Associate => Permissions::all()
                .without(Permission::AssignCustomers)
                .without(Permission::AssignTasks),
            Role::Manager | Role::Admin => Permissions::all(),
        }
    }

    /// Whether the role is granted `permission`.
    pub fn allows(self, permission: Permission) -> bool {
        self.permissions().allows(permission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a2_permission_names_are_stable_and_parse_back() {
        let names: Vec<&str> = Permission::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "view_customers",
                "assign_customers",
                "access_conversations",
                "view_sensitive_data",
                "edit_customers",
                "assign_tasks"
            ],
            "the API and the database store these names"
        );
        for permission in Permission::ALL {
            assert_eq!(
                Permission::parse(permission.as_str()),
                Some(permission),
                "{permission} parses back"
            );
            assert_eq!(
                serde_json::to_value(permission).expect("serializes"),
                serde_json::json!(permission.as_str()),
                "serde uses the stable name for {permission}"
            );
        }
        assert_eq!(Permission::parse("view"), None, "unknown names are refused");
    }

    #[test]
    fn a2_associates_may_do_everything_but_assign() {
        let associate = Role::Associate.permissions();
        for permission in [
            Permission::ViewCustomers,
            Permission::AccessConversations,
            Permission::ViewSensitiveData,
            Permission::EditCustomers,
        ] {
            assert!(associate.allows(permission), "associates have {permission}");
        }
        for permission in [Permission::AssignCustomers, Permission::AssignTasks] {
            assert!(
                !associate.allows(permission),
                "{permission}: assignment is for managers and admins"
            );
        }
    }

    #[test]
    fn a2_managers_and_admins_have_every_permission() {
        for role in [Role::Manager, Role::Admin] {
            assert_eq!(
                role.permissions(),
                Permissions::all(),
                "{} has every permission",
                role.label()
            );
        }
    }

    #[test]
    fn a2_seasonal_associates_see_customers_but_not_their_sensitive_data() {
        let seasonal = Role::Seasonal.permissions();
        assert_eq!(
            seasonal.iter().collect::<Vec<_>>(),
            [Permission::ViewCustomers, Permission::AccessConversations],
            "seasonal staff may look customers up and message them"
        );
        assert!(
            !Role::Seasonal.allows(Permission::ViewSensitiveData),
            "phone and email stay masked for seasonal staff"
        );
        assert!(
            !Role::Seasonal.allows(Permission::EditCustomers),
            "seasonal staff do not edit customers"
        );
    }

    #[test]
    fn a2_a_permission_set_serializes_as_its_names_in_a_stable_order() {
        let set: Permissions = [Permission::EditCustomers, Permission::ViewCustomers]
            .into_iter()
            .collect();
        let json = serde_json::to_value(set).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!(["view_customers", "edit_customers"]),
            "listed in the order of Permission::ALL, whatever the insertion order"
        );
        let back: Permissions = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, set, "round trip");
        assert!(
            Permissions::none().is_empty(),
            "the empty set grants nothing"
        );
        assert!(
            !Permissions::all()
                .without(Permission::AssignCustomers)
                .allows(Permission::AssignCustomers),
            "without takes a permission away"
        );
    }
}
