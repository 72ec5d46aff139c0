-- Sign-in starts from the backend's first-screen snapshot and fills older history in the
-- background, newest first (issue "Fast at any size"): the session keeps where the
-- backfill stands, so quitting or losing the network mid-way goes on from there.
-- `history_before` is the sequence number to read the feed backwards from next; NULL once
-- everything is local (as for a session synced in full before this migration).
ALTER TABLE session ADD COLUMN history_before INTEGER;
ALTER TABLE session ADD COLUMN history_stored INTEGER NOT NULL DEFAULT 0;
ALTER TABLE session ADD COLUMN history_total INTEGER NOT NULL DEFAULT 0;
