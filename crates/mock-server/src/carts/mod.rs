//! Remote carts (M9, C4): the API staff put a cart together with and share it by, the pay
//! page the customer opens from the link, and the simulated card processor behind it. A
//! paid cart becomes an order on the customer's profile and a receipt in their
//! conversation, both through the feed.

pub mod card;
pub mod pay_page;
pub mod routes;
pub mod store;
