//! Older history at constant cost (issue "Fast at any size"): a fresh sign-in stores the
//! backend's first-screen snapshot (`snapshot`) and the inbox is usable at once; a
//! background worker then fills in the older history newest first, page by page, each
//! page committed with where the backfill stands, so quitting or losing the network or the
//! token mid-way goes on from there (`backfill`); and while it is not complete, a chat
//! fetches the page it shows from the backend when opened or scrolled (`on_demand`).

pub(crate) mod backfill;
pub(crate) mod on_demand;
pub(crate) mod snapshot;
