//! Keyboard moves through a list of focusable items (inbox rows, quick replies).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Moves the focus `step` items (matching `selector` inside `list`) from the focused one,
/// staying within the list; when none of them has the focus, the first one takes it.
pub fn move_focus(list: &Element, selector: &str, step: i32) {
    let Ok(items) = list.query_selector_all(selector) else {
        return;
    };
    let count = items.length();
    if count == 0 {
        return;
    }
    let active = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element());
    let current = (0..count).find(|&index| {
        items
            .item(index)
            .zip(active.as_ref())
            .is_some_and(|(item, active)| item == **active)
    });
    let next = match current {
        Some(index) => (index as i64 + i64::from(step)).clamp(0, i64::from(count) - 1) as u32,
        None => 0,
    };
    if let Some(item) = items
        .item(next)
        .and_then(|item| item.dyn_into::<HtmlElement>().ok())
    {
        // Focus moves only within the page; a refusal leaves the focus where it was.
        let _ = item.focus();
    }
}
