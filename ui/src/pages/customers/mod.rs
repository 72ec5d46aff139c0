//! The customers section: the clientbook listing (`list`) and a customer's profile
//! (`profile`), both read from the core's local copy; the star toggle (`star`) and the
//! assignment panel with its audit (`assign`, online).

pub mod assign;
pub mod list;
pub mod profile;
pub mod star;
