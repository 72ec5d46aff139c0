-- A customer belongs to the company, not to one store (issue "Customers"): the stores a
-- customer is known to, whose staff see them, are a list of their own; the store the
-- customer signed up in stays as a fact about them. Consent stays per customer and store.
ALTER TABLE customers RENAME COLUMN store_id TO signup_store_id;

CREATE TABLE customer_stores (
    customer_id TEXT NOT NULL REFERENCES customers(id),
    store_id TEXT NOT NULL REFERENCES stores(id),
    PRIMARY KEY (customer_id, store_id)
);

CREATE INDEX customer_stores_by_store ON customer_stores (store_id, customer_id);

INSERT INTO customer_stores (customer_id, store_id) SELECT id, signup_store_id FROM customers;
