-- The outbox serves every capability (issue "Customers"): each row names its subject — what
-- the action is about, as `<kind of thing>:<id>` ("conversation:conv-1"; customers, notes
-- and tasks next) — and order is kept per subject. Kinds are the capabilities' own: an
-- unknown kind fails its row at once instead of a CHECK refusing new ones (SQLite cannot
-- alter a CHECK, hence the new table).
CREATE TABLE outbox_next (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    message_id TEXT REFERENCES messages (id) ON DELETE CASCADE,
    -- The request body as JSON; NULL for actions without one (read markers).
    payload TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    staff_id TEXT
);

INSERT INTO outbox_next (seq, kind, subject, message_id, payload, attempts, next_attempt_at, last_error, staff_id)
SELECT seq, kind, 'conversation:' || conversation_id, message_id, payload, attempts, next_attempt_at, last_error, staff_id
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;

CREATE INDEX outbox_by_message ON outbox (message_id);
CREATE INDEX outbox_by_subject_seq ON outbox (subject, seq);
CREATE INDEX outbox_by_subject_kind ON outbox (subject, kind);
