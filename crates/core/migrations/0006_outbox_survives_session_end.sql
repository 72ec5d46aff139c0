-- A refused token no longer deletes unsent work (B1): the session row stays, marked
-- ended, until the same staff member signs in again (the queue goes out) or someone signs
-- out or in as another staff member (the queue is discarded). Each outbox row names the
-- staff member who wrote it, and is only ever sent under that staff member's token.

ALTER TABLE session ADD COLUMN ended INTEGER NOT NULL DEFAULT 0;

ALTER TABLE outbox ADD COLUMN staff_id TEXT;
UPDATE outbox SET staff_id = (SELECT json_extract(staff, '$.id') FROM session WHERE id = 1);

-- Order is kept per conversation: the worker reads each conversation's oldest row.
CREATE INDEX outbox_by_conversation_seq ON outbox (conversation_id, seq);
