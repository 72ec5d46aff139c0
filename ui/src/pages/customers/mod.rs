//! The customers section: the clientbook listing (`list`) and a customer's profile
//! (`profile`, with its `notes`, its `orders` and its `products`: wishlist and
//! recommendations), read from the core's local copy; the star toggle (`star`) and the
//! assignment panel with its audit (`assign`, online); the form creating a customer and
//! editing their details (`customer_form`, C12, C13, online); "Message" starting a
//! conversation (`message`, C2, online).

pub mod assign;
pub mod attributes;
pub mod customer_form;
pub mod filters;
pub mod list;
pub mod message;
pub mod notes;
pub mod orders;
pub mod products;
pub mod profile;
pub mod star;
