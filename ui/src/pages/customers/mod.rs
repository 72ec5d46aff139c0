//! The customers section: the clientbook listing (`list`) and a customer's profile
//! (`profile`), both read from the core's local copy.

pub mod attributes;
pub mod filters;
pub mod list;
pub mod profile;
