-- Editing a customer's details offline (C13): while an edit made on this device waits in
-- the outbox, the `customers` row shows it, and this table keeps the details as the backend
-- last had them (the feed keeps it current meanwhile), put back if the backend refuses the
-- edit. A customer has a row here only while an edit of theirs waits.
CREATE TABLE customer_details_confirmed (
    customer_id TEXT PRIMARY KEY NOT NULL,
    -- {first_name, last_name, gender, birth_date, updated_at} as JSON.
    details TEXT NOT NULL
);
