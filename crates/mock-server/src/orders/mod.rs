//! What customers bought and wish for (C6, C8), and what to recommend to them (C7): the
//! orders and wishlist items the demo seeds (they reach the feed as `order` and
//! `wishlist_item` changes), and the recommendations computed on request from the
//! store's purchases.

pub mod recommendations;
pub mod routes;
pub mod store;
