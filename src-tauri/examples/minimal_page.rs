//! The start-up bench's baseline: a Tauri window showing a static page, with the app's
//! window title, logging `first screen shown` once the page has loaded (as the app does
//! once its first screen is in). Run by `cargo xtask bench-startup --minimal-page`.

use tauri::webview::PageLoadEvent;

fn main() {
    let result = tauri::Builder::default()
        .on_page_load(|_, payload| {
            if payload.event() == PageLoadEvent::Finished {
                println!("first screen shown");
            }
        })
        .run(tauri::generate_context!(
            "examples/minimal-page/tauri.conf.json"
        ));
    if let Err(error) = result {
        eprintln!("the minimal page could not start: {error}");
        std::process::exit(1);
    }
}
