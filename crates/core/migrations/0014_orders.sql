-- A customer's orders with their lines as the receipt showed them (C6), their wishlist
-- (C8), both kept from the change feed, and the recommendations the backend last made
-- for them (C7), kept so an offline profile shows the last ones.
CREATE TABLE orders (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_minor INTEGER NOT NULL,
    placed_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX orders_by_customer ON orders (customer_id, placed_at);

CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    size TEXT NOT NULL,
    colour TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price_minor INTEGER NOT NULL,
    image_url TEXT NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE wishlist_items (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    variant_id TEXT,
    product_name TEXT NOT NULL,
    variant_label TEXT,
    currency TEXT NOT NULL,
    price_minor INTEGER NOT NULL,
    image_url TEXT NOT NULL,
    added_at INTEGER NOT NULL
);

CREATE INDEX wishlist_by_customer ON wishlist_items (customer_id, added_at);

-- One row per recommendation, in the backend's order; the whole list is replaced each
-- time the backend answers. `recommendation` is the domain type's JSON.
CREATE TABLE recommendations (
    customer_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    recommendation TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, position)
);
