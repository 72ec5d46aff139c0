-- Customer attributes (C15) and the profile layout (C2): the configuration an admin will
-- edit (definitions and sections, in order) and each customer's values, with who set them
-- and when by the server's clock. Types and values are stored as the API's JSON.
CREATE TABLE attribute_definitions (
    key TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    filterable INTEGER NOT NULL,
    editable INTEGER NOT NULL
);

CREATE TABLE layout_sections (
    key TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    custom INTEGER NOT NULL,
    attributes TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE customer_attributes (
    customer_id TEXT NOT NULL REFERENCES customers(id),
    key TEXT NOT NULL REFERENCES attribute_definitions(key),
    value TEXT NOT NULL,
    modified_by TEXT REFERENCES staff(id),
    modified_at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, key)
);
