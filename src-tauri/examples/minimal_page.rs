//! The start-up bench's baseline: a Tauri window showing a static page with one heading,
//! with the app's window title. Its page reports its first frame the way the app's UI
//! reports a screen, through a `report_painted_screen` command that prints `painted page`
//! as the app logs `painted <screen>`, and it draws as the app does on a machine without a
//! GPU (`clienteling_app::rendering`). Built and run by `cargo xtask bench-startup`.

/// Prints `painted <screen>`, the line the start-up bench waits for.
#[tauri::command]
fn report_painted_screen(screen: String) {
    println!("painted {screen}");
}

fn main() {
    // The same drawing choice as the app, so the two are compared alike.
    #[cfg(target_os = "linux")]
    clienteling_app::rendering::draw_directly_without_gpu();
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![report_painted_screen])
        .run(tauri::generate_context!(
            "examples/minimal-page/tauri.conf.json"
        ));
    if let Err(error) = result {
        eprintln!("the minimal page could not start: {error}");
        std::process::exit(1);
    }
}
