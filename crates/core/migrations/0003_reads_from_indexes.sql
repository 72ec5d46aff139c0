-- Read paths served from indexes alone (Speed section of the issue "Messaging").

-- The inbox index also carries the unread count, so the store's unread total (M12) is read
-- from the index; the inbox (M11) uses it as before.
DROP INDEX conversations_by_store_activity;
CREATE INDEX conversations_by_store_activity
    ON conversations (store_id, last_activity_at DESC, unread_count);

-- The chat index carries every column of a message, so opening a conversation reads its
-- messages side by side from the index instead of one table page per message (a long
-- conversation's messages are spread over the whole table).
DROP INDEX messages_by_conversation_time;
CREATE INDEX messages_by_conversation_time
    ON messages (conversation_id, created_at, id, direction, kind, status, failure_reason,
                 author_staff_id, updated_at, body);
