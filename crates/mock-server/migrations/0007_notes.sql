-- Notes on a customer (C9): written by staff of the customer's stores, edited and deleted
-- by their author only (a deletion keeps the row as a tombstone for the change feed), at
-- most one pinned per customer. `created_body` is the text the note was created with: a
-- repeated creation under the same id is compared with it.
CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    author_staff_id TEXT NOT NULL REFERENCES staff(id),
    body TEXT NOT NULL,
    created_body TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX notes_by_customer ON notes (customer_id, created_at);

CREATE UNIQUE INDEX notes_one_pinned_per_customer ON notes (customer_id) WHERE pinned = 1;
