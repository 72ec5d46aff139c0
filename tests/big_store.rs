//! End-to-end: signing in to a big store (issue "Fast at any size"). The inbox comes from
//! the backend's first-screen snapshot while the older history is still being filled in,
//! with its progress shown; without the backend the app stays usable and the backfill
//! waits; once the backend is back, the backfill goes on from there and the bar goes.

use std::time::Duration;

use clienteling_e2e::{AppUnderTest, TestBackend, AVA};
use clienteling_mock_server::demo::volume::Volume;
use fantoccini::Locator;

/// A store with far more history than the first screen: many pages of 200 entries.
const HISTORY: Volume = Volume {
    customers: 2_000,
    messages: 100_000,
};
/// How long the whole backfill may take on a slow, shared machine (not a speed check).
const BACKFILL_DEADLINE: Duration = Duration::from_secs(300);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_store_shows_its_inbox_at_once_and_fills_older_history_with_progress() {
    let backend_dir = tempfile::tempdir().expect("a backend folder");
    let mut backend = TestBackend::start_big(backend_dir.path(), HISTORY, 200).await;
    let data_dir = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data_dir.path()).await;
    app.sign_in(AVA).await;
    // Hundreds of pages wait: the backend goes away long before they are through.
    backend.stop().await;

    let progress = app.wait_for("[data-test=history-progress]").await;
    let text = progress.text().await.expect("the progress reads");
    assert!(
        text.starts_with("Loading older messages…") && text.contains('%'),
        "the inbox says older messages are on their way, with how far: {text:?}"
    );
    let counts = app
        .wait_for("[data-test=history-counts]")
        .await
        .text()
        .await
        .expect("the counts read");
    assert!(
        counts.contains(" of ") && counts.contains("customers") && counts.contains("messages"),
        "the bar counts customers and messages from the feed's totals: {counts:?}"
    );
    let rows = app
        .client
        .find_all(Locator::Css("[data-test=inbox-row]"))
        .await
        .expect("the inbox rows are found");
    assert!(
        rows.len() > 20,
        "the inbox is full from the snapshot while the history is not local ({} rows)",
        rows.len()
    );
    app.screenshot(&std::env::temp_dir().join("big-store-backfill.png"))
        .await;

    backend.restart().await;
    let deadline = tokio::time::Instant::now() + BACKFILL_DEADLINE;
    loop {
        let shown = app
            .client
            .find_all(Locator::Css("[data-test=history-progress]"))
            .await
            .expect("the page answers");
        if shown.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the backfill never completed within {BACKFILL_DEADLINE:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    app.quit().await;
    backend.shutdown().await;
}
