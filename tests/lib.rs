//! End-to-end test crate: see the tests in `tests/`.
