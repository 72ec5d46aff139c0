//! Tests of the local copy on a real SQLite file: merging statuses, applying changes,
//! inbox queries and the outbox queue.

use clienteling_domain::api::{
    Change, ChangeData, Conversation, Customer, Message, SendMessageRequest,
};
use clienteling_domain::notification::InboundMessage;
use clienteling_domain::view::AppEvent;
use clienteling_domain::{
    Channel, ConsentState, ConversationId, Direction, MessageKind, MessageStatus, StaffId,
    Timestamp,
};
use sqlx::Row;

use crate::conversations::messages;
use crate::conversations::storage as conversations;
use crate::database::Database;
use crate::outbox::storage::{self as outbox, OutboxAction};
use crate::sync::apply::{apply, ApplyMode};

const NOW: Timestamp = Timestamp(1_750_000_000_000);

async fn database() -> (tempfile::TempDir, Database) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = Database::open(dir.path())
        .await
        .expect("the database opens and migrates");
    (dir, db)
}

fn customer() -> Customer {
    Customer {
        id: "cust-1".into(),
        store_ids: vec!["store-nyc".into()],
        first_name: "Grace".into(),
        last_name: "Hopper".into(),
        phone: Some("+12125550123".into()),
        email: None,
        assigned_staff_ids: vec!["staff-ava".into()],
        updated_at: NOW,
        gender: None,
        birth_date: None,
        signed_up_at: None,
        active: true,
    }
}

fn conversation(id: &str, last_activity_at: Timestamp, unread_count: u32) -> Conversation {
    Conversation {
        id: id.into(),
        store_id: "store-nyc".into(),
        customer_id: "cust-1".into(),
        channel: Channel::Sms,
        consent: ConsentState::OptedIn,
        window_opened_at: None,
        last_activity_at,
        last_message_preview: "Hello".into(),
        last_message_direction: Direction::Inbound,
        unread_count,
        participant_ids: vec![],
    }
}

fn message(id: &str, direction: Direction, status: MessageStatus, at: Timestamp) -> Message {
    Message {
        id: id.into(),
        conversation_id: "conv-1".into(),
        direction,
        kind: MessageKind::Text,
        body: format!("body of {id}"),
        status,
        failure_reason: None,
        author_staff_id: None,
        created_at: at,
        updated_at: at,
    }
}

fn change(seq: i64, data: ChangeData) -> Change {
    Change { seq, data }
}

#[tokio::test]
async fn m10_a_late_status_never_moves_a_message_backwards() {
    let (_dir, db) = database().await;
    let mut conn = db.pool().acquire().await.expect("a connection");
    let out = |status, at| message("m1", Direction::Outbound, status, at);
    messages::merge_from_backend(&mut conn, &out(MessageStatus::Queued, NOW))
        .await
        .expect("stored");
    let delivered =
        messages::merge_from_backend(&mut conn, &out(MessageStatus::Delivered, NOW.plus_ms(2)))
            .await
            .expect("stored");
    assert_eq!(
        delivered.message.status,
        MessageStatus::Delivered,
        "a queued message becomes what the backend says"
    );
    let late = messages::merge_from_backend(&mut conn, &out(MessageStatus::Sent, NOW.plus_ms(1)))
        .await
        .expect("stored");
    assert_eq!(
        late.message.status,
        MessageStatus::Delivered,
        "a late 'sent' does not undo 'delivered'"
    );
    assert_eq!(
        late.message.updated_at,
        NOW.plus_ms(2),
        "the kept status keeps its own time"
    );
    assert!(!late.is_new, "the message was already known");
    let read = messages::merge_from_backend(&mut conn, &out(MessageStatus::Read, NOW.plus_ms(3)))
        .await
        .expect("stored");
    assert_eq!(
        read.message.status,
        MessageStatus::Read,
        "read comes after delivered"
    );
}

#[tokio::test]
async fn b2_a_page_merges_in_one_batch_with_repeats_in_order_m10() {
    let (_dir, db) = database().await;
    let mut conn = db.pool().acquire().await.expect("a connection");
    messages::merge_from_backend(
        &mut conn,
        &message("m1", Direction::Outbound, MessageStatus::Delivered, NOW),
    )
    .await
    .expect("stored");
    let page = [
        message(
            "m1",
            Direction::Outbound,
            MessageStatus::Sent,
            NOW.plus_ms(1),
        ),
        message(
            "m2",
            Direction::Outbound,
            MessageStatus::Sent,
            NOW.plus_ms(2),
        ),
        message(
            "m2",
            Direction::Outbound,
            MessageStatus::Delivered,
            NOW.plus_ms(3),
        ),
        message(
            "m2",
            Direction::Outbound,
            MessageStatus::Sent,
            NOW.plus_ms(4),
        ),
    ];
    let merged = messages::merge_page_from_backend(&mut conn, &page)
        .await
        .expect("the page is stored");
    let statuses: Vec<(MessageStatus, bool)> = merged
        .iter()
        .map(|m| (m.message.status, m.is_new))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (MessageStatus::Delivered, false),
            (MessageStatus::Sent, true),
            (MessageStatus::Delivered, false),
            (MessageStatus::Delivered, false),
        ],
        "each entry merges with what came before it, stored or earlier in the page"
    );
    let stored = messages::get(&mut conn, &"m2".into())
        .await
        .expect("readable")
        .expect("m2 is stored");
    assert_eq!(
        stored.status,
        MessageStatus::Delivered,
        "the stored row is the last merge"
    );
    assert_eq!(
        stored.updated_at,
        NOW.plus_ms(3),
        "with the time of the kept status"
    );
}

#[tokio::test]
async fn m10_a_failure_keeps_its_reason_against_late_statuses() {
    let (_dir, db) = database().await;
    let mut conn = db.pool().acquire().await.expect("a connection");
    let mut failed = message("m1", Direction::Outbound, MessageStatus::Failed, NOW);
    failed.failure_reason = Some("Unreachable number".into());
    messages::merge_from_backend(&mut conn, &failed)
        .await
        .expect("stored");
    let late = message(
        "m1",
        Direction::Outbound,
        MessageStatus::Delivered,
        NOW.plus_ms(5),
    );
    let merged = messages::merge_from_backend(&mut conn, &late)
        .await
        .expect("stored");
    assert_eq!(
        merged.message.status,
        MessageStatus::Failed,
        "a failure is final for its attempt"
    );
    assert_eq!(
        merged.message.failure_reason.as_deref(),
        Some("Unreachable number"),
        "the reason stays with the failure"
    );
}

#[tokio::test]
async fn m12_new_inbound_is_announced_only_after_the_first_sync() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    let first = vec![
        change(1, ChangeData::Customer(customer())),
        change(2, ChangeData::Conversation(conversation("conv-1", NOW, 1))),
        change(
            3,
            ChangeData::Message(message(
                "in-1",
                Direction::Inbound,
                MessageStatus::Received,
                NOW,
            )),
        ),
    ];
    let applied = apply(&mut tx, &first, ApplyMode::Snapshot, None, NOW)
        .await
        .expect("applied");
    assert!(applied.events.is_empty(), "the first sync is silent");
    let later = vec![
        change(
            5,
            ChangeData::Conversation(conversation("conv-1", NOW.plus_ms(10), 2)),
        ),
        change(
            4,
            ChangeData::Message(message(
                "in-2",
                Direction::Inbound,
                MessageStatus::Received,
                NOW.plus_ms(10),
            )),
        ),
        change(
            6,
            ChangeData::Message(message(
                "in-1",
                Direction::Inbound,
                MessageStatus::Received,
                NOW,
            )),
        ),
    ];
    let applied = apply(&mut tx, &later, ApplyMode::Follow, None, NOW)
        .await
        .expect("applied");
    let announced: Vec<&AppEvent> = applied
        .events
        .iter()
        .filter(|e| matches!(e, AppEvent::InboundMessages { .. }))
        .collect();
    assert_eq!(
        announced,
        vec![&AppEvent::InboundMessages {
            messages: vec![InboundMessage {
                conversation_id: "conv-1".into(),
                customer_id: "cust-1".into(),
                customer_name: "Grace Hopper".into(),
                body: "body of in-2".into(),
                created_at: NOW.plus_ms(10),
            }],
        }],
        "only the newly seen inbound message is announced, with its customer and time"
    );
    assert!(
        applied.events.iter().any(|e| matches!(e, AppEvent::ConversationChanged { conversation } if conversation.unread_count == 2)),
        "the conversation change carries the new unread count"
    );
    assert!(
        !applied.queued_read_markers,
        "no conversation is open, so nothing is marked read"
    );
}

#[tokio::test]
async fn m12_b2_a_catch_up_page_announces_its_inbound_messages_in_one_event() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    let first = vec![
        change(1, ChangeData::Customer(customer())),
        change(2, ChangeData::Conversation(conversation("conv-1", NOW, 0))),
    ];
    apply(&mut tx, &first, ApplyMode::Snapshot, None, NOW)
        .await
        .expect("applied");
    let page: Vec<Change> = (0..5)
        .map(|n| {
            change(
                10 + n,
                ChangeData::Message(message(
                    &format!("in-{n}"),
                    Direction::Inbound,
                    MessageStatus::Received,
                    NOW.plus_ms(n),
                )),
            )
        })
        .collect();
    let applied = apply(&mut tx, &page, ApplyMode::Follow, None, NOW)
        .await
        .expect("applied");
    let batches: Vec<Vec<&str>> = applied
        .events
        .iter()
        .filter_map(|e| match e {
            AppEvent::InboundMessages { messages } => {
                Some(messages.iter().map(|m| m.body.as_str()).collect())
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        batches,
        vec![vec![
            "body of in-0",
            "body of in-1",
            "body of in-2",
            "body of in-3",
            "body of in-4"
        ]],
        "one event carries the page's five messages in feed order, so the shell can summarise them"
    );
    let changed = applied
        .events
        .iter()
        .filter(|e| matches!(e, AppEvent::MessageChanged { .. }))
        .count();
    assert_eq!(changed, 5, "each message still updates the UI");
}

#[tokio::test]
async fn m12_inbound_in_the_open_conversation_stays_read_with_one_read_marker() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    let open = ConversationId::from("conv-1");
    let batch = vec![
        change(1, ChangeData::Customer(customer())),
        change(3, ChangeData::Conversation(conversation("conv-1", NOW, 1))),
        change(
            2,
            ChangeData::Message(message(
                "in-1",
                Direction::Inbound,
                MessageStatus::Received,
                NOW,
            )),
        ),
    ];
    let applied = apply(&mut tx, &batch, ApplyMode::Follow, Some(&open), NOW)
        .await
        .expect("applied");
    assert!(
        applied.queued_read_markers,
        "a new inbound message in the open conversation is marked read"
    );
    let next = vec![change(
        4,
        ChangeData::Message(message(
            "in-2",
            Direction::Inbound,
            MessageStatus::Received,
            NOW,
        )),
    )];
    apply(&mut tx, &next, ApplyMode::Follow, Some(&open), NOW)
        .await
        .expect("applied");
    let stored = conversations::get(&mut tx, &open)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        stored.unread_count, 0,
        "the open conversation stays read locally"
    );
    let markers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'mark_read'")
        .fetch_one(&mut *tx)
        .await
        .expect("counted");
    assert_eq!(
        markers, 1,
        "one waiting read marker covers every message before it is sent"
    );
}

#[tokio::test]
async fn m11_a_newer_local_message_keeps_the_conversation_on_top() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    let conv = conversation("conv-1", NOW, 0);
    conversations::upsert_from_backend(&mut tx, &[&conv], None)
        .await
        .expect("stored");
    let me = StaffId::from("staff-ava");
    let local = conversations::record_outbound(&mut tx, &conv, NOW.plus_ms(100), "On my way", &me)
        .await
        .expect("recorded");
    assert_eq!(
        local.participant_ids,
        vec![me],
        "the author joins the participants"
    );
    conversations::upsert_from_backend(
        &mut tx,
        &[&conversation("conv-1", NOW.plus_ms(50), 0)],
        None,
    )
    .await
    .expect("stored");
    let stored = conversations::get(&mut tx, &conv.id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        stored.last_activity_at,
        NOW.plus_ms(100),
        "older backend activity does not hide an unsent message"
    );
    assert_eq!(
        stored.last_message_preview, "On my way",
        "the preview follows the latest activity"
    );
}

/// The conversation ids of a staff member's My Inbox at [`NOW`], newest first.
async fn my_inbox(conn: &mut sqlx::SqliteConnection, staff: &str) -> Vec<String> {
    let staff = StaffId::from(staff);
    let store = "store-nyc".into();
    let query = conversations::InboxQuery {
        store_id: &store,
        mine: Some(&staff),
        active_since: clienteling_domain::inbox::active_since(NOW),
        limit: 200,
    };
    conversations::inbox(conn, &query)
        .await
        .expect("My Inbox reads")
        .into_iter()
        .map(|item| item.conversation.id.0)
        .collect()
}

#[tokio::test]
async fn m11_my_inbox_follows_participation_assignment_and_activity() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    let mut first = conversation("conv-1", NOW.plus_ms(-2_000), 0);
    first.participant_ids = vec!["staff-liam".into()];
    conversations::upsert_from_backend(&mut tx, &[&first], None)
        .await
        .expect("stored");
    conversations::upsert_from_backend(
        &mut tx,
        &[&conversation("conv-2", NOW.plus_ms(-1_000), 0)],
        None,
    )
    .await
    .expect("stored");
    assert_eq!(
        my_inbox(&mut tx, "staff-liam").await,
        ["conv-1"],
        "a participant sees the conversation before its customer is synced"
    );
    assert!(
        my_inbox(&mut tx, "staff-ava").await.is_empty(),
        "nothing is Ava's until the customer assigned to her arrives"
    );

    crate::customers::storage::upsert(&mut tx, &[&customer()])
        .await
        .expect("stored");
    assert_eq!(
        my_inbox(&mut tx, "staff-ava").await,
        ["conv-2", "conv-1"],
        "a customer arriving later brings every conversation to the assigned staff member, newest first"
    );

    let mut reassigned = customer();
    reassigned.assigned_staff_ids = vec!["staff-noah".into(), "staff-liam".into()];
    crate::customers::storage::upsert(&mut tx, &[&reassigned])
        .await
        .expect("stored");
    assert!(
        my_inbox(&mut tx, "staff-ava").await.is_empty(),
        "reassigning the customer takes the conversations out of Ava's inbox"
    );
    assert_eq!(
        my_inbox(&mut tx, "staff-liam").await,
        ["conv-2", "conv-1"],
        "taking part and being assigned lists a conversation once"
    );

    let stored = conversations::get(&mut tx, &"conv-2".into())
        .await
        .expect("read")
        .expect("stored");
    conversations::record_outbound(
        &mut tx,
        &stored,
        NOW.plus_ms(-1_500),
        "On my way",
        &"staff-mia".into(),
    )
    .await
    .expect("recorded");
    assert_eq!(
        my_inbox(&mut tx, "staff-mia").await,
        ["conv-2"],
        "writing in a conversation brings it to the author's inbox"
    );
    conversations::upsert_from_backend(&mut tx, &[&conversation("conv-1", NOW, 0)], None)
        .await
        .expect("stored");
    assert_eq!(
        my_inbox(&mut tx, "staff-noah").await,
        ["conv-1", "conv-2"],
        "newer activity moves a conversation to the top of My Inbox"
    );
    conversations::upsert_from_backend(
        &mut tx,
        &[&conversation("conv-2", NOW.plus_ms(-1_000), 0)],
        None,
    )
    .await
    .expect("stored");
    assert!(
        my_inbox(&mut tx, "staff-mia").await.is_empty(),
        "the backend's participant list replaces the stored one"
    );
}

#[tokio::test]
async fn b2_a_backfill_page_adds_what_is_missing_and_never_overwrites_what_the_live_feed_stored() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    let mut live = conversation("conv-1", NOW.plus_ms(5_000), 3);
    live.last_message_preview = "Newest".into();
    let delivered = message("msg-1", Direction::Outbound, MessageStatus::Delivered, NOW);
    apply(
        &mut tx,
        &[
            change(10, ChangeData::Conversation(live)),
            change(11, ChangeData::Message(delivered)),
        ],
        ApplyMode::Follow,
        None,
        NOW,
    )
    .await
    .expect("the live change applies");
    // Fetched before the live change landed: older states of the same entities.
    let mut stale = conversation("conv-1", NOW, 1);
    stale.last_message_preview = "Older".into();
    let sent = message("msg-1", Direction::Outbound, MessageStatus::Sent, NOW);
    let older = message(
        "msg-0",
        Direction::Inbound,
        MessageStatus::Received,
        NOW.plus_ms(-60_000),
    );
    let page = [
        change(5, ChangeData::Conversation(stale)),
        change(4, ChangeData::Message(sent)),
        change(3, ChangeData::Message(older)),
        change(2, ChangeData::Conversation(conversation("conv-2", NOW, 0))),
    ];
    let applied = apply(&mut tx, &page, ApplyMode::Backfill, None, NOW)
        .await
        .expect("the backfill page applies");
    assert!(
        applied.events.is_empty(),
        "older history raises no events and no notifications"
    );
    let kept = conversations::get(&mut tx, &"conv-1".into())
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (kept.last_message_preview.as_str(), kept.unread_count),
        ("Newest", 3),
        "the live feed's newer row stays"
    );
    assert!(
        conversations::get(&mut tx, &"conv-2".into())
            .await
            .expect("read")
            .is_some(),
        "a conversation only the backfill knows is added"
    );
    let status = messages::get(&mut tx, &"msg-1".into())
        .await
        .expect("read")
        .expect("stored")
        .status;
    assert_eq!(
        status,
        MessageStatus::Delivered,
        "a status never moves back to an older page's"
    );
    assert!(
        messages::get(&mut tx, &"msg-0".into())
            .await
            .expect("read")
            .is_some(),
        "an older message is added"
    );
}

#[tokio::test]
async fn b2_a_conversation_twice_in_one_page_ends_as_its_later_change() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    let mut older = conversation("conv-1", NOW, 1);
    older.last_message_preview = "Is it in stock?".into();
    let mut newer = conversation("conv-1", NOW.plus_ms(1_000), 2);
    newer.last_message_preview = "And in blue?".into();
    let page = [
        change(1, ChangeData::Conversation(older)),
        change(2, ChangeData::Conversation(newer)),
    ];
    apply(&mut tx, &page, ApplyMode::Follow, None, NOW)
        .await
        .expect("the page applies");
    let stored = conversations::get(&mut tx, &"conv-1".into())
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (
            stored.last_activity_at,
            stored.unread_count,
            stored.last_message_preview.as_str()
        ),
        (NOW.plus_ms(1_000), 2, "And in blue?"),
        "the change with the higher sequence number wins within a page"
    );
}

#[tokio::test]
async fn m11_inbox_and_chat_queries_are_index_backed() {
    let (_dir, db) = database().await;
    let mut conn = db.pool().acquire().await.expect("a connection");
    for mine in [false, true] {
        let plan = explain(
            &mut conn,
            &format!("EXPLAIN QUERY PLAN {}", conversations::inbox_sql(mine)),
        )
        .await;
        let index = if mine {
            "inbox_members_by_activity"
        } else {
            "conversations_by_store_activity"
        };
        assert!(
            plan.contains(index),
            "the inbox (mine={mine}) reads {index}: {plan}"
        );
        assert!(
            !plan.contains("TEMP B-TREE"),
            "the inbox (mine={mine}) needs no sort: {plan}"
        );
    }
    let rows = sqlx::query(
        "EXPLAIN QUERY PLAN SELECT DISTINCT * FROM inbox_members_due WHERE conversation_id = 'c'",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("explained");
    let plan: Vec<String> = rows.iter().map(|row| row.get("detail")).collect();
    assert!(
        !plan.iter().any(|step| step.starts_with("SCAN c")),
        "the My Inbox triggers read one conversation by index, not all of them: {plan:?}"
    );
    let plan = explain(
        &mut conn,
        "EXPLAIN QUERY PLAN SELECT id FROM messages WHERE conversation_id = 'c' ORDER BY created_at",
    )
    .await;
    assert!(
        plan.contains("messages_by_conversation_time"),
        "the chat uses its index: {plan}"
    );
    assert!(
        !plan.contains("TEMP B-TREE"),
        "the chat needs no sort: {plan}"
    );
}

async fn explain(conn: &mut sqlx::SqliteConnection, sql: &str) -> String {
    let rows = sqlx::query(sql)
        .bind(Option::<String>::None)
        .bind("store-nyc")
        .bind(0_i64)
        .bind(200_i64)
        .fetch_all(conn)
        .await
        .expect("explained");
    rows.iter()
        .map(|row| row.get::<String, _>("detail"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Stores a session of `staff_id`, as signing in does.
pub(crate) async fn sign_in_as(conn: &mut sqlx::SqliteConnection, staff_id: &str) {
    let session = clienteling_domain::api::Session {
        token: format!("token-of-{staff_id}"),
        staff: clienteling_domain::api::Staff {
            id: staff_id.into(),
            name: staff_id.into(),
            login: format!("{staff_id}@clienteling.demo"),
            role: clienteling_domain::api::Role::Associate,
            store_ids: vec!["store-nyc".into()],
        },
        stores: vec![],
        expires_at: NOW.plus_ms(1_000),
    };
    crate::engine::session::save(
        conn,
        &session,
        &"store-nyc".into(),
        0,
        0,
        &Default::default(),
    )
    .await
    .expect("the session is stored");
}

async fn queue_text(tx: &mut sqlx::SqliteConnection, conversation: &str, id: &str) {
    let mut queued = message(id, Direction::Outbound, MessageStatus::Queued, NOW);
    queued.conversation_id = conversation.into();
    messages::save(&mut *tx, &queued).await.expect("saved");
    let request = SendMessageRequest {
        id: id.into(),
        body: "hi".into(),
        kind: MessageKind::Text,
        created_at: Some(NOW),
        template_id: None,
    };
    outbox::enqueue_send(tx, &conversation.into(), &request, NOW)
        .await
        .expect("queued");
}

fn sent_id(row: &outbox::OutboxRow) -> &str {
    match &row.action {
        Ok(OutboxAction::SendMessage(request)) => request.id.as_str(),
        other => panic!("a send, not {other:?}"),
    }
}

#[tokio::test]
async fn b1_each_conversation_keeps_its_order_and_a_waiting_head_holds_back_only_its_own() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    sign_in_as(&mut tx, "staff-ava").await;
    queue_text(&mut tx, "conv-1", "m1").await;
    queue_text(&mut tx, "conv-1", "m2").await;
    queue_text(&mut tx, "conv-2", "m3").await;
    let heads = outbox::heads(&mut tx).await.expect("read");
    let ids: Vec<&str> = heads.iter().map(sent_id).collect();
    assert_eq!(
        ids,
        ["m1", "m3"],
        "each conversation offers its oldest row; m2 waits behind m1"
    );
    outbox::record_failure(&mut tx, heads[0].seq, "server error", NOW.plus_ms(5_000))
        .await
        .expect("recorded");
    let heads = outbox::heads(&mut tx).await.expect("read");
    let ids: Vec<&str> = heads.iter().map(sent_id).collect();
    assert_eq!(
        ids,
        ["m3", "m1"],
        "the other conversation is due first while m1 waits for its next attempt"
    );
    assert_eq!(
        heads[1].attempts, 1,
        "the failed attempt is counted on m1's row"
    );
    assert!(
        outbox::has_pending_send(&mut tx, &"m2".into())
            .await
            .expect("read"),
        "m2 is still queued behind m1"
    );
    assert_eq!(
        outbox::unsent_messages(&mut tx).await.expect("read"),
        3,
        "three messages wait to be sent"
    );
}

#[tokio::test]
async fn b1_rows_written_by_another_staff_member_are_never_offered() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    sign_in_as(&mut tx, "staff-ava").await;
    queue_text(&mut tx, "conv-1", "m1").await;
    sign_in_as(&mut tx, "staff-noah").await;
    assert!(
        outbox::heads(&mut tx).await.expect("read").is_empty(),
        "Ava's queue is not sent under Noah's session"
    );
    assert_eq!(
        outbox::unsent_messages(&mut tx).await.expect("read"),
        0,
        "Noah has nothing waiting"
    );
}

#[tokio::test]
async fn b1_a_row_that_cannot_be_read_back_is_offered_with_the_reason() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    sign_in_as(&mut tx, "staff-ava").await;
    queue_text(&mut tx, "conv-1", "m1").await;
    sqlx::query("UPDATE outbox SET payload = '{not json' WHERE message_id = 'm1'")
        .execute(&mut *tx)
        .await
        .expect("corrupted");
    let heads = outbox::heads(&mut tx)
        .await
        .expect("a broken row does not fail the read");
    assert_eq!(heads.len(), 1, "the broken row is still offered");
    assert_eq!(
        heads[0].message_id.as_ref().map(|id| id.as_str()),
        Some("m1"),
        "its message is known, so it can be marked failed"
    );
    assert!(
        heads[0].action.is_err(),
        "the action carries why it cannot be read"
    );
}

#[tokio::test]
async fn b1_rows_keep_their_order_per_subject_and_an_unknown_subject_is_offered_with_the_reason() {
    let (_dir, db) = database().await;
    let mut tx = db.write().await.expect("a transaction");
    sign_in_as(&mut tx, "staff-ava").await;
    queue_text(&mut tx, "conv-1", "m1").await;
    queue_text(&mut tx, "conv-1", "m2").await;
    queue_text(&mut tx, "conv-2", "m3").await;
    let heads = outbox::heads(&mut tx).await.expect("read");
    let subjects: Vec<_> = heads.iter().map(|head| head.subject.clone()).collect();
    assert_eq!(
        subjects,
        vec![
            Ok(outbox::Subject::Conversation("conv-1".into())),
            Ok(outbox::Subject::Conversation("conv-2".into())),
        ],
        "one head per subject, each its oldest row"
    );
    sqlx::query("UPDATE outbox SET subject = 'planet:mars' WHERE message_id = 'm3'")
        .execute(&mut *tx)
        .await
        .expect("corrupted");
    let heads = outbox::heads(&mut tx)
        .await
        .expect("a broken subject does not fail the read");
    let broken = heads
        .iter()
        .find(|head| head.message_id.as_ref().map(|id| id.as_str()) == Some("m3"))
        .expect("the broken row is still offered");
    assert!(
        broken.subject.is_err(),
        "the subject carries why it cannot be read, so the row fails alone"
    );
}
