-- Messaging rules (M10, B1, M5): what a message was asked for, so a resend is recognised
-- without rendering anything again, and the simulator clock's offset, so a restart on the
-- same database file never moves the server's time backwards.

-- The template a template message (or a WhatsApp opt-in request) was sent from.
ALTER TABLE messages ADD COLUMN template_id TEXT;

-- The associate's introduction of an SMS opt-in request, trimmed.
ALTER TABLE messages ADD COLUMN opt_in_intro TEXT;

-- How far the simulator moved the server clock ahead of the system time, in milliseconds.
CREATE TABLE server_clock (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    offset_ms INTEGER NOT NULL CHECK (offset_ms >= 0)
);

INSERT INTO server_clock (id, offset_ms) VALUES (1, 0);
