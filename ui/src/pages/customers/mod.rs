//! The customers section: the clientbook listing (`list`) and a customer's profile
//! (`profile`, with its `notes`), read from the core's local copy.

pub mod list;
pub mod notes;
pub mod profile;
