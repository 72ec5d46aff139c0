//! Sending, delivery statuses, inbound messages and read markers against the live backend
//! (M3, M5, M10, M12, B2).

use clienteling_domain::api::Message;
use clienteling_domain::view::AppEvent;
use clienteling_domain::window::WINDOW_MS;
use clienteling_domain::{
    ApiError, Channel, ConsentState, Direction, ErrorCode, MessageId, MessageStatus,
};

use crate::harness::{announces, eventually, signed_in, wait_for_event, whole_history, AVA};

fn reachable(phone: &str) -> bool {
    !phone.ends_with("0000")
}

fn status_event(id: &MessageId, status: MessageStatus) -> impl Fn(&AppEvent) -> bool + '_ {
    move |e| matches!(e, AppEvent::MessageChanged { message } if &message.id == id && message.status == status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m10_b2_a_message_is_queued_at_once_then_delivered_through_the_live_stream() {
    let mut s = signed_in(AVA).await;
    let conversation = s.api.snapshot().await.writable(Channel::Sms, reachable);
    let sent = s
        .core
        .send_message(&conversation.id, "  Your jacket is ready for pick-up  ")
        .await
        .expect("the message is accepted locally");
    assert_eq!(
        sent.status,
        MessageStatus::Queued,
        "send returns at once with a queued message"
    );
    assert_eq!(
        sent.body, "Your jacket is ready for pick-up",
        "the body is trimmed by the domain rule"
    );
    assert_eq!(
        sent.direction,
        Direction::Outbound,
        "an associate's message is outbound"
    );
    assert_eq!(
        sent.author_staff_id.as_ref().map(|a| a.as_str()),
        Some("staff-ava"),
        "Ava wrote it"
    );

    wait_for_event(
        &mut s.events,
        "the live stream reports delivered (M10, B2)",
        status_event(&sent.id, MessageStatus::Delivered),
    )
    .await;

    let chat = s
        .core
        .open_conversation(&conversation.id)
        .await
        .expect("the chat opens");
    let local: Vec<&Message> = chat.messages.iter().filter(|m| m.id == sent.id).collect();
    assert_eq!(local.len(), 1, "the message is stored once");
    assert_eq!(
        local[0].status,
        MessageStatus::Delivered,
        "the local copy shows delivered (M10)"
    );
    assert_eq!(
        chat.messages.last().map(|m| &m.id),
        Some(&sent.id),
        "the new message is the latest of the chat"
    );
    let remote: Vec<Message> = s
        .api
        .messages(&conversation.id)
        .await
        .into_iter()
        .filter(|m| m.id == sent.id)
        .collect();
    assert_eq!(remote.len(), 1, "the backend holds the message once");
    assert_eq!(
        remote[0].status,
        MessageStatus::Delivered,
        "the backend agrees it was delivered"
    );

    let error = s
        .core
        .retry_message(&sent.id)
        .await
        .expect_err("a delivered message is not retried");
    assert_eq!(
        ApiError::from(error).code,
        ErrorCode::InvalidInput,
        "only failed messages can be retried (M10)"
    );
    let error = s
        .core
        .send_message(&conversation.id, " \n ")
        .await
        .expect_err("a blank message");
    assert_eq!(
        ApiError::from(error).code,
        ErrorCode::InvalidInput,
        "a blank body is refused locally"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m10_an_unreachable_number_fails_with_the_reason_and_retry_resends_the_same_id() {
    let mut s = signed_in(AVA).await;
    let conversation = s
        .api
        .snapshot()
        .await
        .writable(Channel::Sms, |phone| !reachable(phone));
    let sent = s
        .core
        .send_message(&conversation.id, "We saved the scarf for you")
        .await
        .expect("accepted locally");
    let failed = wait_for_event(
        &mut s.events,
        "the provider fails the message (M10)",
        status_event(&sent.id, MessageStatus::Failed),
    )
    .await;
    let AppEvent::MessageChanged { message: failed } = failed else {
        unreachable!("matched a message change")
    };
    assert!(
        failed
            .failure_reason
            .as_deref()
            .is_some_and(|r| r.starts_with("Unreachable number")),
        "the failure carries the carrier's reason, got {:?}",
        failed.failure_reason
    );

    let retried = s
        .core
        .retry_message(&sent.id)
        .await
        .expect("a failed message can be retried");
    assert_eq!(
        (retried.id.clone(), retried.status),
        (sent.id.clone(), MessageStatus::Queued),
        "retry requeues the same id"
    );
    assert_eq!(
        retried.failure_reason, None,
        "the old reason is cleared while it is retried"
    );
    wait_for_event(
        &mut s.events,
        "the retry fails again for the unreachable number",
        status_event(&sent.id, MessageStatus::Failed),
    )
    .await;
    let remote = s.api.messages(&conversation.id).await;
    assert_eq!(
        remote.iter().filter(|m| m.id == sent.id).count(),
        1,
        "the retry reused the id: no duplicate at the backend"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m12_inbound_raises_unread_and_opening_marks_it_read_at_the_backend() {
    let mut s = signed_in(AVA).await;
    let snapshot = s.api.snapshot().await;
    let conversation = snapshot.writable(Channel::Sms, reachable);
    let customer_name = snapshot.customers[&conversation.customer_id].full_name();
    let unread_before = conversation.unread_count;

    s.api
        .inject_inbound(&conversation.id, "Do you have the loafers in a 9?")
        .await;
    let announced = wait_for_event(
        &mut s.events,
        "the inbound message is announced (M12)",
        |e| announces(e, &conversation.id),
    )
    .await;
    let AppEvent::InboundMessages { messages } = announced else {
        panic!("the awaited event announces inbound messages");
    };
    assert_eq!(
        messages
            .iter()
            .map(|m| (&m.customer_id, m.customer_name.as_str(), m.body.as_str()))
            .collect::<Vec<_>>(),
        vec![(
            &conversation.customer_id,
            customer_name.as_str(),
            "Do you have the loafers in a 9?"
        )],
        "the notification names the customer and quotes the message"
    );
    let row = eventually("the inbox shows one more unread", || async {
        let page = s
            .core
            .list_inbox(clienteling_domain::inbox::InboxScope::Store)
            .await
            .expect("lists");
        let first = page.items.first().cloned()?;
        (first.conversation.id == conversation.id
            && first.conversation.unread_count == unread_before + 1)
            .then_some((first, page.total_unread))
    })
    .await;
    assert!(row.1 > 0, "the Chat badge counts the unread message (M12)");
    assert_eq!(
        row.0.conversation.last_message_direction,
        Direction::Inbound,
        "the row previews the customer's message"
    );

    let chat = s
        .core
        .open_conversation(&conversation.id)
        .await
        .expect("the chat opens");
    assert_eq!(
        chat.conversation.unread_count, 0,
        "opening reads the conversation here at once"
    );
    assert_eq!(
        s.core.open_conversation_id(),
        Some(conversation.id.clone()),
        "the core remembers the open chat"
    );
    assert_eq!(
        chat.messages.last().map(|m| m.body.as_str()),
        Some("Do you have the loafers in a 9?"),
        "the inbound message is in the chat"
    );
    eventually(
        "the backend agrees the conversation is read (M12)",
        || async { (s.api.conversation(&conversation.id).await.unread_count == 0).then_some(()) },
    )
    .await;
    s.core.close_conversation().await;
    assert_eq!(
        s.core.open_conversation_id(),
        None,
        "closing forgets the open chat"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m12_inbound_into_the_open_conversation_stays_read() {
    let mut s = signed_in(AVA).await;
    let conversation = s.api.snapshot().await.writable(Channel::Sms, reachable);
    s.core
        .open_conversation(&conversation.id)
        .await
        .expect("the chat opens");
    s.api
        .inject_inbound(&conversation.id, "Great, see you at 5")
        .await;
    wait_for_event(
        &mut s.events,
        "the message is still announced; the shell skips the open chat",
        |e| announces(e, &conversation.id),
    )
    .await;
    eventually(
        "the backend is told the open conversation was read (M12)",
        || async { (s.api.conversation(&conversation.id).await.unread_count == 0).then_some(()) },
    )
    .await;
    let page = s
        .core
        .list_inbox(clienteling_domain::inbox::InboxScope::Store)
        .await
        .expect("lists");
    let row = page
        .items
        .iter()
        .find(|i| i.conversation.id == conversation.id)
        .expect("listed");
    assert_eq!(
        row.conversation.unread_count, 0,
        "the open conversation never shows unread here"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m3_an_opted_out_customer_is_refused_locally_with_the_backends_code() {
    let mut s = signed_in(AVA).await;
    let snapshot = s.api.snapshot().await;
    let conversation = snapshot.writable(Channel::Sms, reachable);
    let first_name = snapshot.customers[&conversation.customer_id]
        .first_name
        .clone();
    s.api.inject_inbound(&conversation.id, "Stop.").await;
    wait_for_event(&mut s.events, "the opt-out reaches the local copy (M3)", |e| {
        matches!(e, AppEvent::ConversationChanged { conversation: c } if c.id == conversation.id && c.consent == ConsentState::OptedOut)
    })
    .await;
    let error = s
        .core
        .send_message(&conversation.id, "Last chance for the sale!")
        .await
        .expect_err("opted out");
    let error = ApiError::from(error);
    assert_eq!(
        error.code,
        ErrorCode::OptedOut,
        "the same code the backend uses (M3)"
    );
    assert!(
        error.message.starts_with(&first_name) && error.message.contains("START"),
        "a readable reason: {}",
        error.message
    );
    let chat = s
        .core
        .open_conversation(&conversation.id)
        .await
        .expect("the chat opens");
    assert!(
        chat.messages
            .iter()
            .all(|m| m.body != "Last chance for the sale!"),
        "nothing was stored or queued for the opted-out customer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m5_whatsapp_text_goes_out_in_the_window_and_is_refused_locally_after_24_hours() {
    let mut s = signed_in(AVA).await;
    let conversation = s
        .api
        .snapshot()
        .await
        .writable(Channel::Whatsapp, reachable);
    s.api
        .inject_inbound(&conversation.id, "Is the tote back in stock?")
        .await;
    let opened = wait_for_event(&mut s.events, "the inbound message opens the window (M5)", |e| {
        matches!(e, AppEvent::ConversationChanged { conversation: c }
            if c.id == conversation.id && c.window_opened_at.is_some_and(|t| Some(t) > conversation.window_opened_at))
    })
    .await;
    let AppEvent::ConversationChanged {
        conversation: opened,
    } = opened
    else {
        unreachable!("matched a conversation change")
    };
    let opened_at = opened.window_opened_at.expect("opened");
    s.clock.set(opened_at);
    let sent = s
        .core
        .send_message(&conversation.id, "Yes! Shall I hold one?")
        .await
        .expect("inside the window");
    wait_for_event(
        &mut s.events,
        "WhatsApp reports read (M10)",
        status_event(&sent.id, MessageStatus::Read),
    )
    .await;

    s.clock.set(opened_at.plus_ms(WINDOW_MS));
    let error = s
        .core
        .send_message(&conversation.id, "Still interested?")
        .await
        .expect_err("the window closed");
    assert_eq!(
        ApiError::from(error).code,
        ErrorCode::WindowClosed,
        "refused locally with the backend's code (M5)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m10_a_send_the_backend_refuses_fails_with_the_backends_reason() {
    let mut s = signed_in(AVA).await;
    let now = s.core_now();
    let snapshot = s.api.snapshot().await;
    let conversation = snapshot
        .conversations
        .values()
        .filter(|c| c.channel == Channel::Whatsapp && c.consent.allows_sending())
        .find(|c| {
            c.window_opened_at
                .is_some_and(|t| t.plus_ms(WINDOW_MS) < now)
        })
        .expect("the demo data has a WhatsApp conversation whose window closed")
        .clone();
    // This device's clock lags a day behind: locally the window still looks open, so the
    // message is queued, and the backend refuses it.
    s.clock
        .set(conversation.window_opened_at.expect("opened once"));
    let sent = s
        .core
        .send_message(&conversation.id, "Your order has shipped")
        .await
        .expect("queued locally");
    let failure = wait_for_event(&mut s.events, "the UI hears of the refusal", |e| {
        matches!(e, AppEvent::Failure { .. })
    })
    .await;
    assert!(
        matches!(&failure, AppEvent::Failure { error } if error.code == ErrorCode::WindowClosed),
        "the backend's code reaches the UI: {failure:?}"
    );
    let chat = s
        .core
        .open_conversation(&conversation.id)
        .await
        .expect("the chat opens");
    let failed = chat
        .messages
        .iter()
        .find(|m| m.id == sent.id)
        .expect("the message stays in the chat");
    assert_eq!(
        failed.status,
        MessageStatus::Failed,
        "a refused message is marked failed (M10)"
    );
    assert!(
        failed
            .failure_reason
            .as_deref()
            .is_some_and(|r| r.contains("service window is closed")),
        "it carries the backend's reason, got {:?}",
        failed.failure_reason
    );
}

/// Sends more than fill the core's event channel (1 024 events) on their own: each send
/// emits its message and its conversation.
const SENDS_PAST_CAPACITY: usize = 520;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b2_m10_a_subscriber_that_fell_behind_is_told_so_and_a_reload_shows_the_final_statuses() {
    let s = signed_in(AVA).await;
    let conversation = s.api.snapshot().await.writable(Channel::Sms, reachable);
    s.core
        .open_conversation(&conversation.id)
        .await
        .expect("the chat opens");
    let mut events = s.core.subscribe();
    let mut sent = Vec::new();
    for n in 0..SENDS_PAST_CAPACITY {
        let message = s
            .core
            .send_message(&conversation.id, &format!("Update {n}"))
            .await
            .expect("queued");
        sent.push(message.id);
    }
    // Nobody reads `events` until every status has landed in the local copy, so the
    // channel overflows for sure.
    let last_sent = sent.last().cloned().expect("messages were sent");
    eventually("the latest page is delivered in the local copy", || async {
        let chat = s
            .core
            .open_conversation(&conversation.id)
            .await
            .expect("the chat opens");
        let delivered = chat
            .messages
            .iter()
            .filter(|m| sent.contains(&m.id))
            .all(|m| m.status == MessageStatus::Delivered);
        let newest = chat.messages.iter().any(|m| m.id == last_sent);
        (delivered && newest).then_some(())
    })
    .await;
    eventually("every message is delivered in the local copy", || async {
        let history = whole_history(&s.core, &conversation.id).await;
        let delivered = history
            .iter()
            .filter(|m| sent.contains(&m.id) && m.status == MessageStatus::Delivered)
            .count();
        (delivered == sent.len()).then_some(())
    })
    .await;

    let first = events.recv().await;
    assert!(
        matches!(first, Some(AppEvent::EventsLost { skipped }) if skipped > 0),
        "the subscriber hears it missed events instead of silently skipping them: {first:?}"
    );
    // What the UI does on `EventsLost`: reload the open chat from the local copy (its
    // latest page, and older pages as the associate scrolls up).
    let reloaded = whole_history(&s.core, &conversation.id).await;
    let statuses: Vec<MessageStatus> = reloaded
        .iter()
        .filter(|m| sent.contains(&m.id))
        .map(|m| m.status)
        .collect();
    assert_eq!(
        statuses,
        vec![MessageStatus::Delivered; SENDS_PAST_CAPACITY],
        "the reloaded chat shows every message with its final status"
    );

    let marker = s
        .core
        .send_message(&conversation.id, "One more")
        .await
        .expect("queued");
    wait_for_event(
        &mut events,
        "events flow again after the lag",
        status_event(&marker.id, MessageStatus::Queued),
    )
    .await;
}
