-- The catalog (M7, M9), kept from the change feed: each product as the feed brought it
-- (the domain type's JSON, with its variants, prices and stock per store), its variants'
-- barcodes, SKUs and colours for scanning and for the hand-written comparison query, and
-- a full-text index over name, category, colours and SKUs for the search as you type.
-- The index's rowid is the product's, so replacing a product replaces its index row.
CREATE TABLE products (
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    product TEXT NOT NULL
);

CREATE TABLE variants (
    id TEXT PRIMARY KEY NOT NULL,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    sku TEXT NOT NULL,
    colour TEXT NOT NULL,
    gtin TEXT NOT NULL
);

CREATE INDEX variants_by_product ON variants (product_id, position);
CREATE INDEX variants_by_gtin ON variants (gtin);

-- Prefixes of one to three characters are indexed, so the first letters typed are as
-- quick as whole words.
CREATE VIRTUAL TABLE product_search USING fts5 (
    name,
    category,
    colours,
    skus,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
