-- The clientbook from an index (C1, Speed section of the issue "Customers"): one row per
-- customer and store they belong to (their store_ids), holding the listing's sort key (the
-- staff member's star, whether and when the customer was last contacted in that store,
-- their names in lower case) and the search keys, kept by triggers so no write path can
-- forget it. The first page of a store is then one range of `clientbook_by_order`, read
-- in the listing's order with no sort, instead of three subqueries and a JSON decode for
-- every customer of the store before sorting them all.
--
-- `last_contact_at` is the latest activity of the customer's conversations in that store
-- (NULL without one) and `uncontacted` says it is NULL, so the index orders as the listing
-- does (`last_contact_at IS NULL, last_contact_at DESC`). Each trigger deletes a customer's
-- rows before writing them again (an INSERT OR IGNORE would take the conflict handling of
-- the upsert that fired it), and SELECT DISTINCT drops a store listed twice.
CREATE TABLE clientbook_entries (
    customer_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    starred INTEGER NOT NULL,
    uncontacted INTEGER NOT NULL,
    last_contact_at INTEGER,
    last_name_lower TEXT NOT NULL,
    first_name_lower TEXT NOT NULL,
    name_key TEXT NOT NULL,
    phone_key TEXT NOT NULL,
    email_key TEXT NOT NULL,
    PRIMARY KEY (customer_id, store_id)
) WITHOUT ROWID;

-- The listing's order within a store, covering the search keys so a search reads the
-- index alone until a row matches.
CREATE INDEX clientbook_by_order ON clientbook_entries (
    store_id, starred DESC, uncontacted, last_contact_at DESC, last_name_lower,
    first_name_lower, customer_id, name_key, phone_key, email_key
);

-- What the rows of a customer should be, by the listing's own definitions.
CREATE VIEW clientbook_entries_due AS
SELECT DISTINCT
    cu.id AS customer_id,
    s.value AS store_id,
    COALESCE((SELECT st.starred FROM customer_stars st WHERE st.customer_id = cu.id), 0)
        AS starred,
    (SELECT MAX(c.last_activity_at) FROM conversations c
      WHERE c.customer_id = cu.id AND c.store_id = s.value) IS NULL AS uncontacted,
    (SELECT MAX(c.last_activity_at) FROM conversations c
      WHERE c.customer_id = cu.id AND c.store_id = s.value) AS last_contact_at,
    lower(cu.last_name) AS last_name_lower,
    lower(cu.first_name) AS first_name_lower,
    cu.name_key,
    cu.phone_key,
    cu.email_key
FROM customers AS cu, json_each(cu.store_ids) AS s;

CREATE TRIGGER clientbook_entries_after_customer_insert AFTER INSERT ON customers
BEGIN
    DELETE FROM clientbook_entries WHERE customer_id = NEW.id;
    INSERT INTO clientbook_entries SELECT * FROM clientbook_entries_due WHERE customer_id = NEW.id;
END;

CREATE TRIGGER clientbook_entries_after_customer_update
AFTER UPDATE OF id, store_ids, first_name, last_name, name_key, phone_key, email_key ON customers
WHEN OLD.id IS NOT NEW.id OR OLD.store_ids IS NOT NEW.store_ids
    OR OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name
    OR OLD.name_key IS NOT NEW.name_key OR OLD.phone_key IS NOT NEW.phone_key
    OR OLD.email_key IS NOT NEW.email_key
BEGIN
    DELETE FROM clientbook_entries WHERE customer_id = OLD.id;
    DELETE FROM clientbook_entries WHERE customer_id = NEW.id;
    INSERT INTO clientbook_entries SELECT * FROM clientbook_entries_due WHERE customer_id = NEW.id;
END;

CREATE TRIGGER clientbook_entries_after_customer_delete AFTER DELETE ON customers
BEGIN
    DELETE FROM clientbook_entries WHERE customer_id = OLD.id;
END;

-- A conversation's activity, store or customer changing: the last contact of the
-- customer in the store it left and in the one it is in.
CREATE TRIGGER clientbook_entries_after_conversation_insert AFTER INSERT ON conversations
BEGIN
    UPDATE clientbook_entries SET
        last_contact_at = (SELECT MAX(c.last_activity_at) FROM conversations c
            WHERE c.customer_id = NEW.customer_id AND c.store_id = NEW.store_id),
        uncontacted = 0
    WHERE customer_id = NEW.customer_id AND store_id = NEW.store_id;
END;

CREATE TRIGGER clientbook_entries_after_conversation_update
AFTER UPDATE OF last_activity_at, store_id, customer_id ON conversations
WHEN OLD.last_activity_at IS NOT NEW.last_activity_at OR OLD.store_id IS NOT NEW.store_id
    OR OLD.customer_id IS NOT NEW.customer_id
BEGIN
    UPDATE clientbook_entries SET
        last_contact_at = (SELECT MAX(c.last_activity_at) FROM conversations c
            WHERE c.customer_id = OLD.customer_id AND c.store_id = OLD.store_id)
    WHERE customer_id = OLD.customer_id AND store_id = OLD.store_id;
    UPDATE clientbook_entries SET
        last_contact_at = (SELECT MAX(c.last_activity_at) FROM conversations c
            WHERE c.customer_id = NEW.customer_id AND c.store_id = NEW.store_id)
    WHERE customer_id = NEW.customer_id AND store_id = NEW.store_id;
    UPDATE clientbook_entries SET uncontacted = last_contact_at IS NULL
    WHERE (customer_id = OLD.customer_id AND store_id = OLD.store_id)
       OR (customer_id = NEW.customer_id AND store_id = NEW.store_id);
END;

CREATE TRIGGER clientbook_entries_after_conversation_delete AFTER DELETE ON conversations
BEGIN
    UPDATE clientbook_entries SET
        last_contact_at = (SELECT MAX(c.last_activity_at) FROM conversations c
            WHERE c.customer_id = OLD.customer_id AND c.store_id = OLD.store_id)
    WHERE customer_id = OLD.customer_id AND store_id = OLD.store_id;
    UPDATE clientbook_entries SET uncontacted = last_contact_at IS NULL
    WHERE customer_id = OLD.customer_id AND store_id = OLD.store_id;
END;

-- The staff member's star on a customer, in every store of theirs.
CREATE TRIGGER clientbook_entries_after_star_insert AFTER INSERT ON customer_stars
BEGIN
    UPDATE clientbook_entries SET starred = NEW.starred WHERE customer_id = NEW.customer_id;
END;

CREATE TRIGGER clientbook_entries_after_star_update AFTER UPDATE ON customer_stars
BEGIN
    UPDATE clientbook_entries SET starred = 0 WHERE customer_id = OLD.customer_id;
    UPDATE clientbook_entries SET starred = NEW.starred WHERE customer_id = NEW.customer_id;
END;

CREATE TRIGGER clientbook_entries_after_star_delete AFTER DELETE ON customer_stars
BEGIN
    UPDATE clientbook_entries SET starred = 0 WHERE customer_id = OLD.customer_id;
END;

-- Customers already stored.
INSERT INTO clientbook_entries SELECT * FROM clientbook_entries_due;
