-- Remote carts (M9, C4): a cart as the domain describes it (lines, discounts, tax rule,
-- status, latest pay link) kept as JSON next to the columns it is looked up by; every pay
-- link ever shared (a paid or replaced one is refused by the pay page); and the one card
-- payment a cart can take, so nothing is charged twice.
CREATE TABLE carts (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    store_id TEXT NOT NULL REFERENCES stores(id),
    created_by TEXT NOT NULL REFERENCES staff(id),
    -- The domain's `Cart`, JSON.
    cart TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX carts_by_customer ON carts (customer_id, updated_at);

CREATE TABLE pay_links (
    token TEXT PRIMARY KEY NOT NULL,
    cart_id TEXT NOT NULL REFERENCES carts(id),
    shared_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE card_payments (
    -- One payment a cart: a second attempt fails on this key, whatever got past the checks.
    cart_id TEXT PRIMARY KEY NOT NULL REFERENCES carts(id),
    order_id TEXT NOT NULL UNIQUE REFERENCES orders(id),
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    card_last4 TEXT NOT NULL,
    paid_at INTEGER NOT NULL
);
