-- The signed-in staff member's stars (C1): a row per customer whose star state is known,
-- from the feed or set on this device (then sent through the outbox).
CREATE TABLE customer_stars (
    customer_id TEXT PRIMARY KEY NOT NULL,
    starred INTEGER NOT NULL
);
