-- The chat index holds only what orders a conversation's messages, not a second copy of
-- every message: a first sync writes half as much, and the page cache holds twice as much.
DROP INDEX messages_by_conversation_time;
CREATE INDEX messages_by_conversation_time ON messages (conversation_id, created_at);
