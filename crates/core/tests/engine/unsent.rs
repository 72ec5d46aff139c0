//! Signing out with unsent work (B1): every kind of row waiting in the outbox — messages,
//! notes, stars, tasks — is counted by kind, and the sign-out is refused with that
//! breakdown until the associate confirms deleting it.

use std::sync::Arc;

use clienteling_core::ManualClock;
use clienteling_domain::task::TaskDraft;
use clienteling_domain::time::HOUR_MS;
use clienteling_domain::unsent::UnsentWork;
use clienteling_domain::{ApiError, Channel, Clock, ErrorCode};

use crate::harness::{open_core, spawn_server, Api, AVA, DEADLINE, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_signing_out_counts_every_kind_of_unsent_work_and_refuses_with_the_breakdown() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let app_dir = dir.path().join("app");
    let clock = Arc::new(ManualClock::starting_now());
    let server = spawn_server(0, None).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let conversation = Api::sign_in(&server.url(), AVA)
        .await
        .snapshot()
        .await
        .writable(Channel::Sms, |phone| !phone.ends_with("0000"));
    let customer = conversation.customer_id.clone();
    core.shutdown().await;
    let url = server.url();
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the mock backend shuts down");

    let offline = open_core(&app_dir, &url, &clock).await;
    for body in ["The coat is in.", "Shall I hold it?"] {
        offline
            .send_message(&conversation.id, body)
            .await
            .expect("a message waits offline");
    }
    offline
        .add_note(&customer, "Prefers calls after 5")
        .await
        .expect("a note waits offline");
    offline
        .star_customer(&customer)
        .await
        .expect("a star waits offline");
    offline
        .create_task(TaskDraft {
            customer_id: customer.clone(),
            conversation_id: None,
            assignee_id: None,
            note: "Call about the coat".into(),
            due_at: clock.now().plus_ms(HOUR_MS),
        })
        .await
        .expect("a task waits offline");

    let unsent = offline.count_unsent_work().await.expect("counts");
    assert_eq!(
        unsent,
        UnsentWork {
            messages: 2,
            notes: 1,
            stars: 1,
            attributes: 0,
            customer_edits: 0,
            tasks: 1,
        },
        "every waiting row is counted by its kind"
    );
    let refusal = ApiError::from(
        offline
            .sign_out(false)
            .await
            .expect_err("signing out would lose the work"),
    );
    assert_eq!(
        refusal,
        ApiError::new(
            ErrorCode::UnsentMessages,
            "2 messages, 1 note, 1 star, 1 task have not been sent yet; signing out deletes them"
        ),
        "the refusal says what would be lost, kind by kind"
    );
    assert!(
        offline.session().await.expect("readable").is_some(),
        "nothing was deleted by the refused sign-out"
    );
    offline
        .sign_out(true)
        .await
        .expect("a confirmed sign-out deletes the work");
    offline.shutdown().await;
}
