//! Clienteling domain: the types and rules every other crate shares, with no IO.
//!
//! Time is always passed in as a [`Timestamp`]; nothing here reads a clock, a file or the
//! network, so the same rules compile for the wasm UI, the core engine and the mock backend.
//! With the `openapi` feature (which the mock backend enables), the API types also derive
//! `utoipa::ToSchema`: the backend's OpenAPI document describes them from their definitions.

pub mod api;
pub mod assignment;
pub mod attribute;
pub mod barcode;
pub mod cart;
pub mod catalog;
pub mod channel;
pub mod consent;
pub mod consent_audit;
pub mod contact;
pub mod customer_details;
pub mod customer_search;
pub mod error;
pub mod ids;
pub mod image_rules;
pub mod inbox;
pub mod keywords;
pub mod layout;
pub mod masking;
pub mod message;
pub mod note;
pub mod notification;
pub mod opt_in;
pub mod order;
pub mod permission;
pub mod phone;
pub mod picker;
pub mod preview;
pub mod sending;
pub mod task;
pub mod template;
pub mod time;
pub mod unsent;
pub mod view;
pub mod window;

pub use channel::Channel;
pub use consent::{ConsentState, KeywordAction, KeywordOutcome};
pub use error::{ApiError, ErrorCode, FieldError};
pub use ids::{
    CartId, ConversationId, CustomerId, EditId, MessageId, MessageIdError, NoteId, OrderId,
    ProductId, StaffId, StoreId, TaskId, VariantId, WishlistItemId,
};
pub use message::{Direction, MessageKind, MessageStatus};
pub use permission::{Permission, Permissions};
pub use time::{Clock, Timestamp};
pub use window::ServiceWindow;
