-- My Inbox from an index (M11, Speed section of the issue "Messaging"): who each
-- conversation belongs to, kept by triggers so no write path can forget it.
--
-- A conversation is in a staff member's My Inbox when they took part in it (its
-- participant_ids) or its customer is assigned to them (the customer's
-- assigned_staff_ids), as domain::inbox::InboxScope::Mine says. Each such pair is one row
-- here, with a copy of the conversation's store and latest activity so the first page of
-- My Inbox is one range of the index below, newest first.
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
    INSERT OR IGNORE INTO inbox_members (staff_id, conversation_id, store_id, last_activity_at)
    SELECT p.value, NEW.id, NEW.store_id, NEW.last_activity_at
    FROM json_each(NEW.participant_ids) AS p
    UNION
    SELECT a.value, NEW.id, NEW.store_id, NEW.last_activity_at
    FROM customers AS cu, json_each(cu.assigned_staff_ids) AS a
    WHERE cu.id = NEW.customer_id;
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
    INSERT OR IGNORE INTO inbox_members (staff_id, conversation_id, store_id, last_activity_at)
    SELECT p.value, NEW.id, NEW.store_id, NEW.last_activity_at
    FROM json_each(NEW.participant_ids) AS p
    UNION
    SELECT a.value, NEW.id, NEW.store_id, NEW.last_activity_at
    FROM customers AS cu, json_each(cu.assigned_staff_ids) AS a
    WHERE cu.id = NEW.customer_id;
END;

CREATE TRIGGER inbox_members_after_conversation_delete AFTER DELETE ON conversations
BEGIN
    DELETE FROM inbox_members WHERE conversation_id = OLD.id;
END;

-- A customer arriving after their conversations, or assigned to other staff: rebuild the
-- members of each of their conversations.
CREATE TRIGGER inbox_members_after_customer_insert AFTER INSERT ON customers
BEGIN
    INSERT OR IGNORE INTO inbox_members (staff_id, conversation_id, store_id, last_activity_at)
    SELECT a.value, c.id, c.store_id, c.last_activity_at
    FROM conversations AS c, json_each(NEW.assigned_staff_ids) AS a
    WHERE c.customer_id = NEW.id;
END;

CREATE TRIGGER inbox_members_after_customer_update AFTER UPDATE OF assigned_staff_ids ON customers
WHEN OLD.assigned_staff_ids IS NOT NEW.assigned_staff_ids
BEGIN
    DELETE FROM inbox_members
    WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = NEW.id);
    INSERT OR IGNORE INTO inbox_members (staff_id, conversation_id, store_id, last_activity_at)
    SELECT p.value, c.id, c.store_id, c.last_activity_at
    FROM conversations AS c, json_each(c.participant_ids) AS p
    WHERE c.customer_id = NEW.id
    UNION
    SELECT a.value, c.id, c.store_id, c.last_activity_at
    FROM conversations AS c, json_each(NEW.assigned_staff_ids) AS a
    WHERE c.customer_id = NEW.id;
END;

CREATE TRIGGER inbox_members_after_customer_delete AFTER DELETE ON customers
BEGIN
    DELETE FROM inbox_members
    WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = OLD.id)
      AND staff_id NOT IN (
          SELECT p.value FROM conversations AS c, json_each(c.participant_ids) AS p
          WHERE c.id = inbox_members.conversation_id);
END;

-- Conversations already stored.
INSERT OR IGNORE INTO inbox_members (staff_id, conversation_id, store_id, last_activity_at)
SELECT p.value, c.id, c.store_id, c.last_activity_at
FROM conversations AS c, json_each(c.participant_ids) AS p
UNION
SELECT a.value, c.id, c.store_id, c.last_activity_at
FROM conversations AS c JOIN customers AS cu ON cu.id = c.customer_id,
     json_each(cu.assigned_staff_ids) AS a;
