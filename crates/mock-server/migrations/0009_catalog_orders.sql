-- The demo catalog (products, their prices per currency, variants with their GTIN, stock
-- per store) and what customers bought (orders and their lines, as the receipt showed
-- them) or wish for (C6, C8; the commerce work browses the same catalog).
CREATE TABLE products (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    -- Collection names, a JSON array.
    collections TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE product_prices (
    product_id TEXT NOT NULL REFERENCES products(id),
    currency TEXT NOT NULL,
    minor INTEGER NOT NULL,
    PRIMARY KEY (product_id, currency)
);

CREATE TABLE variants (
    id TEXT PRIMARY KEY NOT NULL,
    product_id TEXT NOT NULL REFERENCES products(id),
    position INTEGER NOT NULL,
    sku TEXT NOT NULL UNIQUE,
    size TEXT NOT NULL,
    colour TEXT NOT NULL,
    -- Normalised to 14 digits.
    gtin TEXT NOT NULL UNIQUE
);

CREATE INDEX variants_by_product ON variants (product_id, position);

CREATE TABLE stock (
    variant_id TEXT NOT NULL REFERENCES variants(id),
    store_id TEXT NOT NULL REFERENCES stores(id),
    quantity INTEGER NOT NULL,
    PRIMARY KEY (variant_id, store_id)
);

CREATE TABLE orders (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    store_id TEXT NOT NULL REFERENCES stores(id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_minor INTEGER NOT NULL,
    placed_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX orders_by_customer ON orders (customer_id, placed_at);
CREATE INDEX orders_by_store ON orders (store_id, customer_id);

CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders(id),
    position INTEGER NOT NULL,
    product_id TEXT NOT NULL REFERENCES products(id),
    variant_id TEXT NOT NULL REFERENCES variants(id),
    product_name TEXT NOT NULL,
    size TEXT NOT NULL,
    colour TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price_minor INTEGER NOT NULL,
    image_url TEXT NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE INDEX order_lines_by_product ON order_lines (product_id, order_id);

CREATE TABLE wishlist_items (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    product_id TEXT NOT NULL REFERENCES products(id),
    variant_id TEXT REFERENCES variants(id),
    added_at INTEGER NOT NULL
);

CREATE INDEX wishlist_by_customer ON wishlist_items (customer_id, added_at);
