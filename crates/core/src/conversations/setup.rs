//! The `store_templates`, `store_quick_replies` and `message_templates` tables: each store's
//! messaging setup as last fetched from the backend, read offline (M2, M5, M6), and the
//! template each template message was filled from.

use clienteling_domain::template::{QuickReply, Template};
use clienteling_domain::{MessageId, StoreId};
use sqlx::SqliteConnection;

use crate::columns::{from_json, to_json};
use crate::error::CoreError;

/// Replaces a store's cached templates and quick replies with the backend's.
pub async fn replace(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
    templates: &[Template],
    quick_replies: &[QuickReply],
) -> Result<(), CoreError> {
    for table in ["store_templates", "store_quick_replies"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE store_id = ?"))
            .bind(store_id.as_str())
            .execute(&mut *conn)
            .await?;
    }
    for (position, template) in templates.iter().enumerate() {
        sqlx::query(
            "INSERT INTO store_templates (store_id, id, position, template) VALUES (?, ?, ?, ?)",
        )
        .bind(store_id.as_str())
        .bind(&template.id)
        .bind(position as i64)
        .bind(to_json("store_templates.template", template)?)
        .execute(&mut *conn)
        .await?;
    }
    for (position, quick_reply) in quick_replies.iter().enumerate() {
        sqlx::query(
            "INSERT INTO store_quick_replies (store_id, id, position, quick_reply) VALUES (?, ?, ?, ?)",
        )
        .bind(store_id.as_str())
        .bind(&quick_reply.id)
        .bind(position as i64)
        .bind(to_json("store_quick_replies.quick_reply", quick_reply)?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A store's cached templates, in picker order.
pub async fn templates(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
) -> Result<Vec<Template>, CoreError> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT template FROM store_templates WHERE store_id = ? ORDER BY position",
    )
    .bind(store_id.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|text| from_json("store_templates.template", text))
        .collect()
}

/// A store's cached quick replies, in picker order.
pub async fn quick_replies(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
) -> Result<Vec<QuickReply>, CoreError> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT quick_reply FROM store_quick_replies WHERE store_id = ? ORDER BY position",
    )
    .bind(store_id.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|text| from_json("store_quick_replies.quick_reply", text))
        .collect()
}

/// Records the template a message was filled from (the message row must exist).
pub async fn remember_template(
    conn: &mut SqliteConnection,
    message_id: &MessageId,
    template_id: &str,
) -> Result<(), CoreError> {
    sqlx::query("INSERT OR REPLACE INTO message_templates (message_id, template_id) VALUES (?, ?)")
        .bind(message_id.as_str())
        .bind(template_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The template a message was filled from, if it was a template message.
pub async fn template_of(
    conn: &mut SqliteConnection,
    message_id: &MessageId,
) -> Result<Option<String>, CoreError> {
    Ok(
        sqlx::query_scalar("SELECT template_id FROM message_templates WHERE message_id = ?")
            .bind(message_id.as_str())
            .fetch_optional(conn)
            .await?,
    )
}

/// Deletes every store's cached setup (on sign-out).
pub async fn clear(conn: &mut SqliteConnection) -> Result<(), CoreError> {
    for table in [
        "message_templates",
        "store_templates",
        "store_quick_replies",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clienteling_domain::api::Message;
    use clienteling_domain::opt_in::OptInRequest;
    use clienteling_domain::template::{Field, TemplatePurpose, TemplateStatus};
    use clienteling_domain::{
        Channel, ConversationId, Direction, MessageKind, MessageStatus, Timestamp,
    };

    use super::*;
    use crate::conversations::messages;
    use crate::database::Database;
    use crate::engine::session;
    use crate::outbox::storage::{self as outbox, OutboxAction};

    const NOW: Timestamp = Timestamp(1_750_000_000_000);

    fn template(id: &str) -> Template {
        Template {
            id: id.into(),
            name: id.into(),
            channel: Channel::Whatsapp,
            purpose: TemplatePurpose::Reconnect,
            language: "en".into(),
            body: "Hi {{1}}".into(),
            variable_fields: vec![Field::FirstName],
            status: TemplateStatus::Mapped,
        }
    }

    fn quick_reply(id: &str) -> QuickReply {
        QuickReply {
            id: id.into(),
            title: id.into(),
            body: "Hi {{first_name}}".into(),
            language: "en".into(),
        }
    }

    #[tokio::test]
    async fn m5_m6_a_refresh_replaces_one_stores_cached_setup_in_order() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = Database::open(dir.path())
            .await
            .expect("the database opens");
        let nyc = StoreId::from("store-nyc");
        let lon = StoreId::from("store-lon");
        let mut tx = db.write().await.expect("a transaction");
        replace(&mut tx, &nyc, &[template("old")], &[quick_reply("q-old")])
            .await
            .expect("cached");
        replace(&mut tx, &lon, &[template("lon")], &[])
            .await
            .expect("cached");
        replace(
            &mut tx,
            &nyc,
            &[template("b"), template("a")],
            &[quick_reply("q")],
        )
        .await
        .expect("replaced");
        let ids: Vec<String> = templates(&mut tx, &nyc)
            .await
            .expect("read")
            .into_iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(
            ids,
            vec!["b", "a"],
            "the new list replaces the old, in the backend's order"
        );
        assert_eq!(
            quick_replies(&mut tx, &nyc).await.expect("read"),
            vec![quick_reply("q")],
            "quick replies are replaced too"
        );
        assert_eq!(
            templates(&mut tx, &lon).await.expect("read").len(),
            1,
            "another store's cache is left alone"
        );
        session::clear_all(&mut tx).await.expect("cleared");
        assert!(
            templates(&mut tx, &nyc).await.expect("read").is_empty(),
            "signing out clears the cached setup"
        );
        tx.commit().await.expect("committed");
    }

    #[tokio::test]
    async fn m2_b1_an_opt_in_request_waits_in_the_outbox_and_remembers_its_template() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = Database::open(dir.path())
            .await
            .expect("the database opens");
        let mut tx = db.write().await.expect("a transaction");
        crate::sync::tests::sign_in_as(&mut tx, "staff-ava").await;
        let conversation = ConversationId::from("conv-1");
        let message = Message {
            id: "m1".into(),
            conversation_id: conversation.clone(),
            direction: Direction::Outbound,
            kind: MessageKind::Template,
            body: "Hi Grace".into(),
            status: MessageStatus::Queued,
            failure_reason: None,
            author_staff_id: Some("staff-ava".into()),
            created_at: NOW,
            updated_at: NOW,
        };
        messages::save(&mut tx, &message).await.expect("saved");
        remember_template(&mut tx, &message.id, "tpl-opt-in")
            .await
            .expect("remembered");
        let request = OptInRequest {
            id: message.id.clone(),
            intro: None,
        };
        outbox::enqueue_opt_in(&mut tx, &conversation, &request, NOW)
            .await
            .expect("queued");
        let heads = outbox::heads(&mut tx).await.expect("read");
        assert_eq!(
            heads.first().map(|head| head.action.clone()),
            Some(Ok(OutboxAction::RequestOptIn(request))),
            "the request survives the outbox as written"
        );
        assert!(
            outbox::has_pending_send(&mut tx, &message.id)
                .await
                .expect("read"),
            "a waiting request is not retried twice"
        );
        assert_eq!(
            template_of(&mut tx, &message.id).await.expect("read"),
            Some("tpl-opt-in".to_owned()),
            "a retry can name the template again"
        );
    }
}
