//! Identifiers of the domain's nouns: string newtypes so a store id cannot be passed as a
//! customer id by mistake, and the rule for the message ids clients generate.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The identifier as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }
    };
}

id_type!(
    /// A store of the company, e.g. `store-nyc`.
    StoreId
);
id_type!(
    /// A member of staff (associate, manager or admin).
    StaffId
);
id_type!(
    /// A customer of the company.
    CustomerId
);
id_type!(
    /// One customer × store × channel thread.
    ConversationId
);
id_type!(
    /// A message; for outbound messages the client generates it, and it doubles as the
    /// idempotency key of the send.
    MessageId
);
id_type!(
    /// A note on a customer (C9): the client generates it (a UUID), and it doubles as the
    /// idempotency key of the note's creation.
    NoteId
);

id_type!(
    /// A product of the catalog, e.g. `prod-0042`.
    ProductId
);
id_type!(
    /// A variant (size × colour) of a product, e.g. `prod-0042-m-navy`.
    VariantId
);
id_type!(
    /// A customer's order.
    OrderId
);
id_type!(
    /// A remote cart (M9): the client generates it (a UUID), and it doubles as the
    /// idempotency key of the cart's creation.
    CartId
);
id_type!(
    /// An item of a customer's wishlist.
    WishlistItemId
);
id_type!(
    /// A follow-up task (B3); the client that creates it generates it (a UUID), and it
    /// doubles as the idempotency key of the creation.
    TaskId
);
id_type!(
    /// An edit of a customer's details (C13): the client generates it (a UUID) when the
    /// edit is saved, and it is the idempotency key of the `PATCH` that carries it.
    EditId
);

/// Length of a UUID in its hyphenated form, e.g. `0f8fad5b-d9cb-469f-a165-70867728950e`.
pub const UUID_LEN: usize = 36;

/// Why a client-generated message id is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageIdError {
    /// No id at all.
    #[error("the id is empty; send a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e")]
    Empty,
    /// Longer than a UUID.
    #[error("the id has {0} characters; a UUID has {UUID_LEN}")]
    Oversized(usize),
    /// Not a UUID.
    #[error("{0:?} is not a UUID; send one in hyphenated form such as 0f8fad5b-d9cb-469f-a165-70867728950e")]
    NotUuid(String),
}

impl MessageId {
    /// Checks an id a client generated for a message it sends: a UUID in hyphenated form
    /// (any version, hex digits in either case), so ids from different devices never
    /// collide and the idempotency key stays small.
    pub fn check_client_generated(&self) -> Result<(), MessageIdError> {
        check_client_uuid(self.as_str())
    }
}

impl TaskId {
    /// Checks an id a client generated for a task it creates, by the rule of message ids.
    pub fn check_client_generated(&self) -> Result<(), MessageIdError> {
        check_client_uuid(self.as_str())
    }
}

impl NoteId {
    /// Checks an id a client generated for a note (C9): the same rule as for message ids,
    /// a UUID in hyphenated form.
    pub fn check_client_generated(&self) -> Result<(), MessageIdError> {
        check_client_uuid(self.as_str())
    }
}

impl CartId {
    /// Checks an id a client generated for a cart (M9): a UUID in hyphenated form, like
    /// message ids.
    pub fn check_client_generated(&self) -> Result<(), MessageIdError> {
        check_client_uuid(self.as_str())
    }
}

/// Checks a client-generated id: a UUID in hyphenated form (any version, hex digits in
/// either case), so ids from different devices never collide and the idempotency key
/// stays small.
pub fn check_client_uuid(id: &str) -> Result<(), MessageIdError> {
    let length = id.chars().count();
    if id.is_empty() {
        return Err(MessageIdError::Empty);
    }
    if length > UUID_LEN {
        return Err(MessageIdError::Oversized(length));
    }
    let hyphenated = length == UUID_LEN
        && id.char_indices().all(|(at, c)| match at {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    if hyphenated {
        Ok(())
    } else {
        Err(MessageIdError::NotUuid(id.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b1_client_message_ids_are_hyphenated_uuids() {
        for good in [
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "0F8FAD5B-D9CB-469F-A165-70867728950E",
            "00000000-0000-0000-0000-000000000000",
        ] {
            assert_eq!(
                MessageId::from(good).check_client_generated(),
                Ok(()),
                "{good} is a UUID"
            );
        }
        assert_eq!(
            MessageId::from("").check_client_generated(),
            Err(MessageIdError::Empty),
            "an empty id is refused"
        );
        assert_eq!(
            MessageId("7".repeat(10_000)).check_client_generated(),
            Err(MessageIdError::Oversized(10_000)),
            "an oversized id is refused without echoing it"
        );
        for bad in [
            "after-stop",
            "0f8fad5bd9cb469fa16570867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950",
            "0f8fad5bXd9cb-469f-a165-70867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950g",
            "0f8fad5b-d9cb-469f-a165-70867728950é",
        ] {
            assert_eq!(
                MessageId::from(bad).check_client_generated(),
                Err(MessageIdError::NotUuid(bad.to_owned())),
                "{bad} is not a hyphenated UUID"
            );
        }
    }
}
