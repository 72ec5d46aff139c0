//! Build script: compiles the Tauri context with the top-level `capabilities/` folder.

fn main() {
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("../capabilities/**/*.json");
    tauri_build::try_build(attributes).expect("tauri build script failed");
}
