//! `use_painted_report`: tells the shell once a screen has been drawn for the first time
//! (the start-up bench's signals), after the frame that paints it has been produced.

use std::cell::RefCell;

use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use crate::ipc;

thread_local! {
    /// The screens already reported in this run of the UI.
    static REPORTED: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// Reports `screen` (when there is one) the first time it is in the page: waits for the
/// next animation frame (the one that draws it) and the one after (so that frame has been
/// produced), then calls `report_painted_screen`. Each screen is reported once per run.
#[hook]
pub fn use_painted_report(screen: Option<&'static str>) {
    use_effect_with(screen, |screen| {
        if let Some(screen) = *screen {
            let first = REPORTED.with_borrow_mut(|reported| {
                let first = !reported.contains(&screen);
                if first {
                    reported.push(screen);
                }
                first
            });
            if first {
                spawn_local(async move {
                    next_frame().await;
                    next_frame().await;
                    ipc::report_painted_screen(screen).await;
                });
            }
        }
    });
}

/// Resolves when the browser starts its next animation frame.
async fn next_frame() {
    let frame = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            if window.request_animation_frame(&resolve).is_err() {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        }
    });
    let _ = JsFuture::from(frame).await;
}
