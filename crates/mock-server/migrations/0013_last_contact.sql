-- Last contact (B7): a customer's latest staff message per store is read through their
-- conversations, found by customer.
CREATE INDEX conversations_by_customer ON conversations (customer_id, store_id);
