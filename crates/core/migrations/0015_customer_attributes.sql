-- Customer attributes (C15) and the profile layout (C2) in the local copy. The
-- configuration is kept as the backend served it (`attributes`, `layout`); each value is
-- kept as the API's JSON beside the columns the clientbook's filters read (C5): `kind` the
-- value's type, `num` a number or a yes/no as 1/0, `txt` a date as YYYY-MM-DD, a text in
-- lower case or the options picked as a JSON list in lower case.
CREATE TABLE customer_config (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE TABLE customer_attributes (
    customer_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    kind TEXT NOT NULL,
    num REAL,
    txt TEXT,
    modified_by TEXT,
    modified_by_name TEXT,
    modified_at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, key)
);

CREATE INDEX customer_attributes_by_number ON customer_attributes (key, num);
CREATE INDEX customer_attributes_by_text ON customer_attributes (key, txt);
