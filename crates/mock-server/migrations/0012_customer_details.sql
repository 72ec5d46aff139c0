-- A customer's own details (C12, C13): gender, date of birth ("YYYY-MM-DD"), when they
-- signed up, and whether they are active; and the creations staff made through the API,
-- each with the request it came from, so a repeated request under the same id answers the
-- same customer and a different one under that id is refused (idempotency).
ALTER TABLE customers ADD COLUMN gender TEXT;
ALTER TABLE customers ADD COLUMN birth_date TEXT;
ALTER TABLE customers ADD COLUMN signed_up_at INTEGER;
ALTER TABLE customers ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

CREATE TABLE customer_creations (
    customer_id TEXT PRIMARY KEY NOT NULL REFERENCES customers(id),
    created_by TEXT NOT NULL REFERENCES staff(id),
    -- The validated request as JSON, compared with a repeated one.
    request TEXT NOT NULL
);

-- The duplicate checks of a creation: a phone in E.164 and an email in lower case.
CREATE INDEX customers_by_phone ON customers (phone);
CREATE INDEX customers_by_email ON customers (lower(email));
