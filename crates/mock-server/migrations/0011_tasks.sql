-- Follow-up tasks (B3, B8): a reminder about a customer for one member of staff, set by
-- themselves, by a manager, or by the backend after a delivery. Each change is logged in
-- the feed for the assignee and the creator only.
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id),
    customer_id TEXT NOT NULL REFERENCES customers(id),
    conversation_id TEXT REFERENCES conversations(id),
    assignee_id TEXT NOT NULL REFERENCES staff(id),
    created_by TEXT REFERENCES staff(id),
    origin TEXT NOT NULL,
    note TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done')),
    completed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX tasks_by_assignee ON tasks (assignee_id, due_at);
CREATE INDEX tasks_by_creator ON tasks (created_by, due_at);
