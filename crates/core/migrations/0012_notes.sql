-- Notes on customers (C9). `shown` is the note as this device shows it (JSON): the
-- backend's copy, or this device's own change while its outbox rows wait. `confirmed` is
-- the backend's latest copy (NULL until the backend has the note): a refused change rolls
-- `shown` back to it. Whether a note waits is read from the outbox (kind 'note', the
-- payload's note_id), so nothing here can drift from what is queued. A deleted note stays
-- as a tombstone (deleted in its JSON), so an older copy from a backfill cannot revive it.
CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    shown TEXT NOT NULL,
    confirmed TEXT
);

CREATE INDEX notes_by_customer ON notes (customer_id);

CREATE INDEX outbox_by_note ON outbox (json_extract(payload, '$.note_id')) WHERE kind = 'note';
