//! End-to-end: a refused token never loses unsent work, and signing out asks before it
//! deletes any (B1).

use clienteling_e2e::{AppUnderTest, TestBackend, AVA};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_asks_to_sign_in_again_and_then_sends_what_waited_b1() {
    let backend = TestBackend::start().await;
    let data = tempfile::tempdir().expect("a data folder for the app");
    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    let conversation = app.open_sms_chat(&backend, AVA).await;

    backend.revoke_all_sessions().await;
    let text = "Written as the session expired";
    app.send_text(text).await;
    let ended = app.wait_for("[data-test=session-ended]").await;
    assert_eq!(
        ended
            .attr("data-unsent")
            .await
            .expect("readable")
            .as_deref(),
        Some("1"),
        "the screen says one message waits"
    );
    let shown = ended.text().await.expect("readable");
    assert!(
        shown.contains("Sign in again as Ava Johnson"),
        "the screen asks Ava to sign in again: {shown:?}"
    );

    app.sign_in(AVA).await;
    app.open_conversation(&conversation).await;
    app.wait_for_message(text, "delivered after signing in again", |m| {
        m.status == "delivered"
    })
    .await;
    let copies = backend
        .messages(AVA, &conversation)
        .await
        .into_iter()
        .filter(|m| m.body == text)
        .count();
    assert_eq!(copies, 1, "the kept message reached the backend once");
    app.quit().await;
    backend.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_with_unsent_messages_asks_first_and_cancel_keeps_them_b1() {
    let folder = tempfile::tempdir().expect("a folder for the backend and the app");
    let mut backend = TestBackend::start_persistent(folder.path()).await;
    let app = AppUnderTest::launch(backend.url(), &folder.path().join("app")).await;
    let conversation = app.open_sms_chat(&backend, AVA).await;
    backend.stop().await;
    app.wait_for("[data-test=connection][data-state=offline]")
        .await;
    app.send_text("Waiting for the network").await;
    app.wait_for_message("Waiting for the network", "queued", |m| {
        m.status == "queued"
    })
    .await;

    let click = |css: &'static str| {
        let app = &app;
        async move {
            app.wait_for(css)
                .await
                .click()
                .await
                .unwrap_or_else(|e| panic!("{css} is clickable: {e}"));
        }
    };
    click("[data-test=sign-out]").await;
    let dialog = app.wait_for("[data-test=sign-out-dialog]").await;
    assert_eq!(
        dialog
            .attr("data-unsent")
            .await
            .expect("readable")
            .as_deref(),
        Some("1"),
        "the confirmation says how many messages would be lost"
    );
    click("[data-test=sign-out-cancel]").await;
    app.wait_for_message("Waiting for the network", "still queued", |m| {
        m.status == "queued"
    })
    .await;

    click("[data-test=sign-out]").await;
    click("[data-test=sign-out-wait]").await;
    app.wait_for("[data-test=sign-out-waiting]").await;
    backend.restart().await;
    app.wait_for("[data-test=demo-user]").await;
    let delivered = backend
        .messages(AVA, &conversation)
        .await
        .into_iter()
        .any(|m| m.body == "Waiting for the network");
    assert!(
        delivered,
        "waiting for the message before signing out sent it first"
    );
    app.quit().await;
    backend.shutdown().await;
}
