-- Real sessions: passwords kept as Argon2id PHC strings, session tokens kept only as their
-- SHA-256 (hex), each with an expiry on the server clock.

ALTER TABLE staff RENAME COLUMN password TO password_hash;

-- Databases seeded before this held the demo password in plain text: it becomes its hash
-- (Argon2id of "demo"); anything else not hashed can no longer sign in.
UPDATE staff
SET password_hash = '$argon2id$v=19$m=19456,t=2,p=1$a+PJvVxBSyyc4KkhuPzmwA$0ETUvu/a0GaH7i/NZ7MN/MR4DFx38K1QDP3feQ1s4iw'
WHERE password_hash = 'demo';
UPDATE staff SET password_hash = '!' WHERE password_hash NOT LIKE '$argon2%';

-- Sessions of the plain-text table cannot be carried over (their hash is unknown to
-- SQL): their holders sign in again.
DROP TABLE sessions;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions (expires_at);
