-- Edits of a customer's details (C13) sent with a client-generated id: the edit as it was
-- applied, so the same request again under that id changes nothing more (an app resending
-- after a lost answer must not undo a colleague's later edit) and another request under
-- it is refused.
CREATE TABLE customer_edits (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    edited_by TEXT NOT NULL REFERENCES staff(id),
    -- The customer's id and the validated edit as JSON, compared with a repeated one.
    request TEXT NOT NULL
);
