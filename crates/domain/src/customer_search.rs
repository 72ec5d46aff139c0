//! Search-as-you-type matching of customers (C1).
