-- The app's local copy of the backend (what the signed-in staff member may see), the
-- sync cursor, and the durable outbox of user actions not yet confirmed by the backend.

-- The signed-in session: at most one row.
CREATE TABLE session (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,
    -- domain::api::Staff as JSON
    staff TEXT NOT NULL,
    -- Vec<domain::api::Store> as JSON
    stores TEXT NOT NULL,
    current_store_id TEXT NOT NULL,
    -- Sequence number of the last backend change applied.
    cursor INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE customers (
    id TEXT PRIMARY KEY NOT NULL,
    store_id TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    -- Vec<StaffId> as JSON
    assigned_staff_ids TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE conversations (
    id TEXT PRIMARY KEY NOT NULL,
    store_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    consent TEXT NOT NULL,
    window_opened_at INTEGER,
    last_activity_at INTEGER NOT NULL,
    last_message_preview TEXT NOT NULL,
    last_message_direction TEXT NOT NULL,
    unread_count INTEGER NOT NULL,
    -- Vec<StaffId> as JSON
    participant_ids TEXT NOT NULL
);

-- The inbox: one store's conversations, newest activity first (M11).
CREATE INDEX conversations_by_store_activity ON conversations (store_id, last_activity_at DESC);

CREATE TABLE messages (
    id TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    failure_reason TEXT,
    author_staff_id TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The chat: one conversation's messages, oldest first.
CREATE INDEX messages_by_conversation_time ON messages (conversation_id, created_at);

-- User actions waiting for the backend, sent strictly in seq order (B1).
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('send_message', 'mark_read')),
    conversation_id TEXT NOT NULL,
    message_id TEXT REFERENCES messages (id) ON DELETE CASCADE,
    -- The request body as JSON (a SendMessageRequest); NULL for read markers.
    payload TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT
);

CREATE INDEX outbox_by_message ON outbox (message_id);
CREATE INDEX outbox_by_conversation_kind ON outbox (conversation_id, kind);
