-- The first-screen snapshot reads a store's conversations active since a time.
CREATE INDEX conversations_by_store_activity ON conversations (store_id, last_activity_at);
