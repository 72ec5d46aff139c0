//! Identifiers of the domain's nouns: string newtypes so a store id cannot be passed as a
//! customer id by mistake.

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
