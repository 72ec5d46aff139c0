-- A customer belongs to the company, not to one store (issue "Customers"): the stores the
-- customer is known to, as a JSON list, replace the single home store.
ALTER TABLE customers ADD COLUMN store_ids TEXT NOT NULL DEFAULT '[]';
UPDATE customers SET store_ids = json_array(store_id);
ALTER TABLE customers DROP COLUMN store_id;
