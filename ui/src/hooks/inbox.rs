//! `use_inbox_listing`: lists the inbox whenever the store, the scope or the inbox's
//! revision changes (M11).

use clienteling_domain::inbox::InboxScope;
use clienteling_domain::StoreId;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::state::intents::{self, Dispatcher};

/// Lists `scope` of `store` now and again whenever one of the three arguments changes.
#[hook]
pub fn use_inbox_listing(
    dispatch: Dispatcher,
    store: Option<StoreId>,
    scope: InboxScope,
    revision: u32,
) {
    use_effect_with((store, scope, revision), move |(store, scope, _)| {
        if store.is_some() {
            spawn_local(intents::load_inbox(dispatch, *scope));
        }
    });
}
