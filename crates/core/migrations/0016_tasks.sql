-- Follow-up tasks (B3): the signed-in staff member's tasks, to do or set by them, as the
-- backend sent them (the whole task as JSON) or as changed here and not yet accepted
-- (`pending`; `accepted` keeps the backend's last version, put back if it refuses the
-- change), and when this device raised a due task's notification.
CREATE TABLE tasks (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL,
    assignee_id TEXT NOT NULL,
    status TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    task TEXT NOT NULL,
    accepted TEXT,
    pending INTEGER NOT NULL DEFAULT 0,
    notified_at INTEGER
);

CREATE INDEX tasks_by_assignee ON tasks (assignee_id, status, due_at);
