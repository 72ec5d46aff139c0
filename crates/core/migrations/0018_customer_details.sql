-- A customer's own details (C12, C13): gender, date of birth ("YYYY-MM-DD"), when they
-- signed up (ms since the epoch), and whether they are active, as the backend sends them.
ALTER TABLE customers ADD COLUMN gender TEXT;
ALTER TABLE customers ADD COLUMN birth_date TEXT;
ALTER TABLE customers ADD COLUMN signed_up_at INTEGER;
ALTER TABLE customers ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
