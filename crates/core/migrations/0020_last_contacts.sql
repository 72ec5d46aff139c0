-- Last contact (B7): the backend's latest contact of a customer by each store's staff, as
-- the feed and the snapshot bring it (the local messages are read beside it).
CREATE TABLE last_contacts (
    customer_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    staff_id TEXT NOT NULL,
    staff_name TEXT NOT NULL,
    PRIMARY KEY (customer_id, store_id)
);
