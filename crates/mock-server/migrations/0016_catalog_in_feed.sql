-- The catalog joins the change feed (M7, M9): a database seeded before it did logs every
-- product for every store once, so the apps' backfill brings it. A fresh database has no
-- products yet at this point; its seeding logs them.
INSERT INTO changes (store_id, entity, entity_id)
SELECT s.id, 'product', p.id
FROM stores s CROSS JOIN products p
ORDER BY s.id, p.position;
