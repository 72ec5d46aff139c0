//! Customer attributes (C15) and the profile layout (C2): the configuration served to the
//! app (`GET /config/attributes`, `GET /config/customer-layout`), each customer's values
//! and setting one (`PUT /customers/{id}/attributes`), checked by the domain's rule
//! (`attribute::check_value`) and stamped with who and when by the server. A change is
//! logged as the customer's `customer_attributes` entry in the feed of each of their
//! stores, rendered with all their values when read.

pub mod routes;
pub mod store;
