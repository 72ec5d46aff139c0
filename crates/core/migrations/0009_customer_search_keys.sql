-- The clientbook's search keys (C1), written beside each customer from the domain's rule
-- (`domain::customer_search`): the folded full name, the phone's digits, the email in lower
-- case. Rows already here get the nearest SQL can compute (no accent folding); the next
-- change of a customer rewrites them from the rule.
ALTER TABLE customers ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN phone_key TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
UPDATE customers SET
    name_key = lower(trim(first_name || ' ' || last_name)),
    phone_key = replace(COALESCE(phone, ''), '+', ''),
    email_key = lower(trim(COALESCE(email, '')));
