-- The mock backend's system of record: stores, staff, sessions, customers, consent and its
-- audit trail, conversations, messages, read markers and the change log.

CREATE TABLE stores (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    -- Enabled channels, comma-separated stable names in display order.
    channels TEXT NOT NULL,
    clienteling_number TEXT
);

CREATE TABLE staff (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    login TEXT NOT NULL UNIQUE,
    password TEXT NOT NULL,
    role TEXT NOT NULL,
    -- Order of the demo accounts on the sign-in screen.
    position INTEGER NOT NULL
);

CREATE TABLE staff_stores (
    staff_id TEXT NOT NULL REFERENCES staff(id),
    store_id TEXT NOT NULL REFERENCES stores(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (staff_id, store_id)
);

CREATE TABLE sessions (
    token TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE customers (
    id TEXT PRIMARY KEY NOT NULL,
    store_id TEXT NOT NULL REFERENCES stores(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    updated_at INTEGER NOT NULL
);

CREATE TABLE customer_assignments (
    customer_id TEXT NOT NULL REFERENCES customers(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    PRIMARY KEY (customer_id, staff_id)
);

-- Consent per customer × store; a missing row means unknown.
CREATE TABLE consents (
    customer_id TEXT NOT NULL REFERENCES customers(id),
    store_id TEXT NOT NULL REFERENCES stores(id),
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, store_id)
);

-- Every consent change with its evidence (B4).
CREATE TABLE consent_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    store_id TEXT NOT NULL REFERENCES stores(id),
    state TEXT NOT NULL,
    channel TEXT NOT NULL,
    -- The keyword action (opt_out, opt_in) that caused it.
    action TEXT NOT NULL,
    -- The inbound message carrying the keyword.
    message_id TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);

CREATE TABLE conversations (
    id TEXT PRIMARY KEY NOT NULL,
    store_id TEXT NOT NULL REFERENCES stores(id),
    customer_id TEXT NOT NULL REFERENCES customers(id),
    channel TEXT NOT NULL,
    window_opened_at INTEGER,
    last_activity_at INTEGER NOT NULL,
    last_message_preview TEXT NOT NULL,
    last_message_direction TEXT NOT NULL,
    UNIQUE (customer_id, store_id, channel)
);

CREATE TABLE conversation_participants (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    PRIMARY KEY (conversation_id, staff_id)
);

-- Per staff member: when they last read the conversation and what arrived since.
CREATE TABLE read_markers (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    read_at INTEGER,
    unread_count INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, staff_id)
);

CREATE TABLE messages (
    id TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    direction TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    failure_reason TEXT,
    author_staff_id TEXT REFERENCES staff(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Provider attempts: a retry of a failed message starts the next one.
    attempt INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at);

-- The change log: markers only; payloads are rendered at read time for the reader.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id TEXT NOT NULL REFERENCES stores(id),
    -- NULL for store-wide changes, else the one staff member the change concerns.
    staff_id TEXT REFERENCES staff(id),
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL
);

CREATE INDEX changes_by_store ON changes (store_id, seq);
