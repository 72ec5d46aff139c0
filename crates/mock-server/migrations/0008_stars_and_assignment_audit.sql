-- Stars (C1): each staff member's own starred customers, not shared.
CREATE TABLE customer_stars (
    staff_id TEXT NOT NULL REFERENCES staff(id),
    customer_id TEXT NOT NULL REFERENCES customers(id),
    starred_at INTEGER NOT NULL,
    PRIMARY KEY (staff_id, customer_id)
);

-- Every change of a customer's stores and staff (C3): who, when, from which sets to which,
-- each set a JSON array of ids, sorted.
CREATE TABLE assignment_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    by_staff_id TEXT NOT NULL REFERENCES staff(id),
    at INTEGER NOT NULL,
    from_store_ids TEXT NOT NULL,
    from_staff_ids TEXT NOT NULL,
    to_store_ids TEXT NOT NULL,
    to_staff_ids TEXT NOT NULL
);

CREATE INDEX assignment_audit_by_customer ON assignment_audit (customer_id, id);
