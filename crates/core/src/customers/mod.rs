//! Customers: the `customers` table of the local copy (`storage`), written by the sync's
//! applier and read by the conversations' screens.

pub(crate) mod storage;
