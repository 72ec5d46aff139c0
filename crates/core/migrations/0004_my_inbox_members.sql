-- My Inbox from an index (M11, Speed section of the issue "Messaging"): who each
-- conversation belongs to, kept by triggers so no write path can forget it.
--
-- A conversation is in a staff member's My Inbox when they took part in it (its
-- participant_ids) or its customer is assigned to them (the customer's
-- assigned_staff_ids), as domain::inbox::InboxScope::Mine says. The view below states that
-- rule once; `inbox_members` stores its rows, with a copy of the conversation's store and
-- latest activity, so the first page of My Inbox is one range of an index, newest first.
-- (UNION ALL, so SQLite pushes a trigger's `conversation_id = ...` into both halves and
-- reads them by index; the triggers' SELECT DISTINCT drops a pair listed twice. Each
-- trigger deletes a conversation's rows before writing them again: an INSERT OR IGNORE
-- would not do, as a trigger takes the conflict handling of the upsert that fired it.)
CREATE VIEW inbox_members_due (staff_id, conversation_id, store_id, last_activity_at) AS
SELECT p.value, c.id, c.store_id, c.last_activity_at
FROM conversations AS c, json_each(c.participant_ids) AS p
UNION ALL
SELECT a.value, c.id, c.store_id, c.last_activity_at
FROM conversations AS c JOIN customers AS cu ON cu.id = c.customer_id,
     json_each(cu.assigned_staff_ids) AS a;

CREATE TABLE inbox_members (
    staff_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    last_activity_at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, staff_id)
) WITHOUT ROWID;

CREATE INDEX inbox_members_by_activity
    ON inbox_members (staff_id, store_id, last_activity_at DESC);

-- A customer's conversations, to follow a change of assignment.
CREATE INDEX conversations_by_customer ON conversations (customer_id);

CREATE TRIGGER inbox_members_after_conversation_insert AFTER INSERT ON conversations
BEGIN
    INSERT INTO inbox_members
    SELECT DISTINCT * FROM inbox_members_due WHERE conversation_id = NEW.id;
END;

CREATE TRIGGER inbox_members_after_conversation_activity
AFTER UPDATE OF last_activity_at ON conversations
WHEN OLD.last_activity_at IS NOT NEW.last_activity_at
BEGIN
    UPDATE inbox_members SET last_activity_at = NEW.last_activity_at
    WHERE conversation_id = NEW.id;
END;

CREATE TRIGGER inbox_members_after_conversation_update
AFTER UPDATE OF store_id, customer_id, participant_ids ON conversations
WHEN OLD.store_id IS NOT NEW.store_id OR OLD.customer_id IS NOT NEW.customer_id
    OR OLD.participant_ids IS NOT NEW.participant_ids
BEGIN
    DELETE FROM inbox_members WHERE conversation_id = OLD.id;
    INSERT INTO inbox_members
    SELECT DISTINCT * FROM inbox_members_due WHERE conversation_id = NEW.id;
END;

CREATE TRIGGER inbox_members_after_conversation_delete AFTER DELETE ON conversations
BEGIN
    DELETE FROM inbox_members WHERE conversation_id = OLD.id;
END;

-- A customer arriving after their conversations, assigned to other staff, or removed:
-- the members of each of their conversations again.
CREATE TRIGGER inbox_members_after_customer_insert AFTER INSERT ON customers
BEGIN
    DELETE FROM inbox_members
    WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = NEW.id);
    INSERT INTO inbox_members
    SELECT DISTINCT * FROM inbox_members_due
    WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = NEW.id);
END;

CREATE TRIGGER inbox_members_after_customer_update AFTER UPDATE OF assigned_staff_ids ON customers
WHEN OLD.assigned_staff_ids IS NOT NEW.assigned_staff_ids
BEGIN
    DELETE FROM inbox_members
    WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = NEW.id);
    INSERT INTO inbox_members
    SELECT DISTINCT * FROM inbox_members_due
    WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = NEW.id);
END;

CREATE TRIGGER inbox_members_after_customer_delete AFTER DELETE ON customers
BEGIN
    DELETE FROM inbox_members
    WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = OLD.id);
    INSERT INTO inbox_members
    SELECT DISTINCT * FROM inbox_members_due
    WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = OLD.id);
END;

-- Conversations already stored.
INSERT INTO inbox_members SELECT DISTINCT * FROM inbox_members_due;
