//! The shop's pages a customer opens from a chat (M7): the product page behind every
//! product link (`/shop/products/{id}`, see `clienteling_domain::catalog::product_link`).

pub mod product_page;
