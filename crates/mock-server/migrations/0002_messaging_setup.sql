-- Messaging setup per store (M2, M5, M6, M3, M4): message templates, quick replies and the
-- keyword settings; keyword evidence and opt-in requests in the consent audit (B4).

-- A store's templates in picker order; `template` is a domain::template::Template as JSON.
CREATE TABLE templates (
    id TEXT PRIMARY KEY NOT NULL,
    store_id TEXT NOT NULL REFERENCES stores(id),
    position INTEGER NOT NULL,
    template TEXT NOT NULL
);

CREATE INDEX templates_by_store ON templates (store_id, position);

-- A store's quick replies in picker order; `quick_reply` is a domain QuickReply as JSON.
CREATE TABLE quick_replies (
    id TEXT PRIMARY KEY NOT NULL,
    store_id TEXT NOT NULL REFERENCES stores(id),
    position INTEGER NOT NULL,
    quick_reply TEXT NOT NULL
);

CREATE INDEX quick_replies_by_store ON quick_replies (store_id, position);

-- A store's keywords and automated replies: a domain KeywordSettings as JSON.
CREATE TABLE keyword_settings (
    store_id TEXT PRIMARY KEY NOT NULL REFERENCES stores(id),
    settings TEXT NOT NULL
);

-- The keyword the customer texted, for keyword events.
ALTER TABLE consent_audit ADD COLUMN keyword TEXT;

-- `action` now names the cause (domain ConsentAction): keyword or opt_in_request.
UPDATE consent_audit
SET keyword = (SELECT upper(trim(m.body)) FROM messages m WHERE m.id = consent_audit.message_id),
    action = 'keyword'
WHERE action IN ('opt_out', 'opt_in');
