//! How WebKitGTK draws on Linux machines without a GPU. There, its accelerated compositing
//! runs on Mesa's software GL (llvmpipe), which the start-up bench measured as most of the
//! cost of a first paint and about 100 MB of the web process: without a render node
//! (`/dev/dri/renderD*`) the app asks WebKit to draw directly instead
//! (`WEBKIT_DISABLE_COMPOSITING_MODE=1`), unless the environment already says what to do.
//! With a GPU nothing changes.

use std::path::Path;

/// WebKitGTK's switch for drawing without accelerated compositing.
const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// Where Linux lists the GPUs' render nodes.
const RENDER_NODES: &str = "/dev/dri";

/// Chooses direct drawing when the machine has no GPU. Call it first thing in `main`,
/// before any thread starts: it sets a variable of the process's environment.
pub fn draw_directly_without_gpu() {
    if std::env::var_os(DISABLE_COMPOSITING).is_none() && !has_render_node(Path::new(RENDER_NODES))
    {
        std::env::set_var(DISABLE_COMPOSITING, "1");
        tracing::info!("no GPU render node: WebKit draws without accelerated compositing");
    }
}

/// Whether `folder` lists a GPU render node (`renderD128`…).
fn has_render_node(folder: &Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_a_render_node_counts_as_a_gpu_and_one_without_does_not() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        assert!(
            !has_render_node(dir.path()),
            "an empty /dev/dri has no GPU to composite on"
        );
        std::fs::write(dir.path().join("card0"), b"").expect("a card node");
        assert!(
            !has_render_node(dir.path()),
            "a display card alone is not a render node"
        );
        std::fs::write(dir.path().join("renderD128"), b"").expect("a render node");
        assert!(
            has_render_node(dir.path()),
            "a render node is a GPU WebKit can composite on"
        );
        assert!(
            !has_render_node(&dir.path().join("missing")),
            "no /dev/dri at all means no GPU"
        );
    }
}
