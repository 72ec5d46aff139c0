//! A chat's history while the backfill is not complete: the page the chat shows (its latest,
//! or the one before a message when scrolled up) is fetched from the backend and stored,
//! then read from the local copy as always. Without the backend the chat shows what is
//! local.

use std::time::Duration;

use clienteling_domain::api::Message;
use clienteling_domain::view::MessagePage;
use clienteling_domain::{ConversationId, MessageId};

use crate::conversations::messages::{self, CHAT_PAGE};
use crate::engine::session::StoredSession;
use crate::engine::Inner;
use crate::error::CoreError;

/// How long opening or scrolling a chat waits for the backend before showing what is
/// local.
const FETCH_LIMIT: Duration = Duration::from_secs(3);

/// Where in the history a chat's page lies.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place<'a> {
    /// The latest page.
    Latest,
    /// The page before this message.
    Before(&'a MessageId),
}

/// The chat's page at `place`, from the local copy once fetched from the backend when
/// the history is not complete. `Err` only when the local copy fails, or when scrolling
/// up needs the backend and it cannot answer (the chat says so and can try again).
pub(crate) async fn page(
    inner: &Inner,
    stored: &StoredSession,
    id: &ConversationId,
    place: Place<'_>,
) -> Result<MessagePage, CoreError> {
    let fetched = if stored.history.complete {
        None
    } else {
        Some(fetch_and_store(inner, &stored.token, id, place).await)
    };
    let mut page = local_page(inner, id, place).await?;
    match fetched {
        None => {}
        Some(Ok(remote_has_more)) => page.has_older |= remote_has_more,
        Some(Err(error)) => match place {
            Place::Latest => {
                tracing::info!(%error, "showing the local part of a chat's history");
                page.has_older = true;
            }
            Place::Before(_) => return Err(error),
        },
    }
    Ok(page)
}

async fn local_page(
    inner: &Inner,
    id: &ConversationId,
    place: Place<'_>,
) -> Result<MessagePage, CoreError> {
    let mut conn = inner.read().await?;
    match place {
        Place::Latest => messages::latest_page(&mut conn, id, CHAT_PAGE).await,
        Place::Before(before) => messages::page_before(&mut conn, id, before, CHAT_PAGE).await,
    }
}

/// Fetches the page at `place` (one message more, to learn whether older ones exist) and
/// merges it into the local copy; answers whether the backend has older ones.
async fn fetch_and_store(
    inner: &Inner,
    token: &str,
    id: &ConversationId,
    place: Place<'_>,
) -> Result<bool, CoreError> {
    let path = format!("/conversations/{}/messages", id.as_str());
    let mut query = vec![("limit", (CHAT_PAGE + 1).to_string())];
    if let Place::Before(before) = place {
        query.push(("before", before.to_string()));
    }
    let fetched = inner
        .backend
        .get_json::<Vec<Message>>(token, &path, &query, FETCH_LIMIT)
        .await;
    let messages = match fetched {
        Ok(messages) => messages,
        Err(error) if error.is_unauthorized() => {
            inner.end_refused_session_or_log().await;
            return Err(error.into());
        }
        Err(error) => return Err(error.into()),
    };
    let has_more = messages.len() > CHAT_PAGE as usize;
    let mut tx = inner.db.write().await?;
    messages::merge_page_from_backend(&mut tx, &messages).await?;
    tx.commit().await?;
    Ok(has_more)
}
