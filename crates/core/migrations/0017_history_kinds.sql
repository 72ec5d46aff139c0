-- The backfill's progress by kind of entity (issue "Customers": sign-in shows counts of
-- customers, conversations and messages, from the feed's totals): a JSON object of
-- `{kind: {stored, total}}`, empty for a session signed in before this migration.
ALTER TABLE session ADD COLUMN history_kinds TEXT NOT NULL DEFAULT '{}';
