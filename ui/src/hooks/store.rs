//! The app's state handle, shared with every component through a context.

use yew::prelude::*;

use crate::state::AppState;

/// The handle to the app's state: read it, or dispatch actions to it.
pub type AppStore = UseReducerHandle<AppState>;

/// The app's state handle, provided by `App` around every screen.
#[hook]
pub fn use_store() -> AppStore {
    use_context::<AppStore>().expect("App provides the AppStore context to every screen")
}
