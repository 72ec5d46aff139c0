-- The clientbook reads each customer's conversations in one store (their last contact,
-- consent and channels, C1). Without this index SQLite walked the whole store's
-- conversations for every customer (5.9 s for a page of a 10 000-customer store; 24 ms
-- with it).
CREATE INDEX conversations_by_customer_store
    ON conversations (customer_id, store_id, last_activity_at);
