//! The catalog the demo seeds (products, variants by size and colour with a GTIN each,
//! prices per currency, stock per store): read by id or searched by staff, and each
//! product's picture served publicly (catalog pictures are no secret, and an `<img>` sends
//! no bearer token).

pub mod image;
pub mod routes;
pub mod store;
