//! Chats at constant cost (M10, issue "Fast at any size"): opening a long conversation
//! reads its latest page only, and the older pages come back in order, with no gap and no
//! duplicate, until the first message.

use std::collections::HashSet;

use clienteling_domain::view::AppEvent;
use clienteling_domain::{Channel, ErrorCode, MessageId};

use crate::harness::{signed_in, wait_for_event, AVA};

/// More than two pages of the core's chat page (80 messages).
const INBOUND: usize = 200;

fn reachable(phone: &str) -> bool {
    !phone.ends_with("0000")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m10_a_long_chat_opens_at_its_latest_page_and_pages_back_to_its_first_message() {
    let mut s = signed_in(AVA).await;
    let conversation = s.api.snapshot().await.writable(Channel::Sms, reachable);
    let mut last = None;
    for n in 0..INBOUND {
        last = Some(
            s.api
                .inject_inbound(&conversation.id, &format!("Question {n}"))
                .await
                .id,
        );
    }
    let last = last.expect("messages were injected");
    wait_for_event(
        &mut s.events,
        "the last injected message is stored",
        |e| matches!(e, AppEvent::MessageChanged { message } if message.id == last),
    )
    .await;
    let total = s.api.messages(&conversation.id).await.len();
    assert!(total >= INBOUND, "the backend holds the injected messages");

    let chat = s
        .core
        .open_conversation(&conversation.id)
        .await
        .expect("the chat opens");
    assert_eq!(
        chat.messages.len(),
        80,
        "opening reads the latest page only, not the {total} messages"
    );
    assert!(chat.has_older, "the chat says older messages exist");
    assert_eq!(
        chat.messages.last().map(|m| &m.id),
        Some(&last),
        "the latest page ends with the newest message"
    );

    let mut pages = vec![chat.messages];
    let mut has_older = chat.has_older;
    while has_older {
        let before = pages
            .last()
            .and_then(|page| page.first())
            .map(|m| m.id.clone())
            .expect("a page is never empty while older messages exist");
        let page = s
            .core
            .list_older_messages(&conversation.id, &before)
            .await
            .expect("the older page is read");
        assert!(
            !page.messages.is_empty(),
            "a page before {before} is not empty when it was said to exist"
        );
        has_older = page.has_older;
        pages.push(page.messages);
        assert!(pages.len() <= total / 80 + 2, "paging ends");
    }
    let history: Vec<_> = pages.into_iter().rev().flatten().collect();
    let ids: HashSet<&MessageId> = history.iter().map(|m| &m.id).collect();
    assert_eq!(
        (history.len(), ids.len()),
        (total, total),
        "the pages hold every message of the conversation once"
    );
    assert!(
        history
            .windows(2)
            .all(|pair| pair[0].created_at <= pair[1].created_at),
        "the pages join oldest first with no message out of order"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m10_older_messages_before_a_message_of_another_conversation_are_not_found() {
    let s = signed_in(AVA).await;
    let snapshot = s.api.snapshot().await;
    let conversation = snapshot.writable(Channel::Sms, reachable);
    let mut theirs = None;
    for other in snapshot
        .conversations
        .keys()
        .filter(|id| **id != conversation.id)
    {
        theirs = s.api.messages(other).await.into_iter().next();
        if theirs.is_some() {
            break;
        }
    }
    let theirs = theirs.expect("the demo data has another conversation with messages");
    let error = s
        .core
        .list_older_messages(&conversation.id, &theirs.id)
        .await
        .expect_err("a message of another conversation is no place in this chat");
    assert_eq!(
        clienteling_domain::ApiError::from(error).code,
        ErrorCode::NotFound,
        "the cursor is answered as an unknown message"
    );
}
