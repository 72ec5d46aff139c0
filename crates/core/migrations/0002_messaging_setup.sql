-- The stores' messaging setup cached for offline use (M2, M5, M6): templates and quick
-- replies as the backend serves them; the template each sent template message used; and
-- opt-in requests as a new kind of outbox row.

-- A store's templates in picker order; `template` is a domain::template::Template as JSON.
CREATE TABLE store_templates (
    store_id TEXT NOT NULL,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    template TEXT NOT NULL,
    PRIMARY KEY (store_id, id)
);

-- A store's quick replies in picker order; `quick_reply` is a domain QuickReply as JSON.
CREATE TABLE store_quick_replies (
    store_id TEXT NOT NULL,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    quick_reply TEXT NOT NULL,
    PRIMARY KEY (store_id, id)
);

-- The template an outbound template message was filled from, so a retry names it again.
CREATE TABLE message_templates (
    message_id TEXT PRIMARY KEY NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    template_id TEXT NOT NULL
);

-- The outbox again, with opt-in requests among its kinds (SQLite cannot alter a CHECK).
CREATE TABLE outbox_next (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('send_message', 'mark_read', 'opt_in_request')),
    conversation_id TEXT NOT NULL,
    message_id TEXT REFERENCES messages (id) ON DELETE CASCADE,
    -- The request body as JSON (a SendMessageRequest or an OptInRequest); NULL for read markers.
    payload TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT
);

INSERT INTO outbox_next (seq, kind, conversation_id, message_id, payload, attempts, next_attempt_at, last_error)
SELECT seq, kind, conversation_id, message_id, payload, attempts, next_attempt_at, last_error FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;

CREATE INDEX outbox_by_message ON outbox (message_id);
CREATE INDEX outbox_by_conversation_kind ON outbox (conversation_id, kind);
