-- 查重 index: one row per winnowing fingerprint of an indexed text (originality_docs). Without a
-- rowid the primary key is the table, so a fingerprint costs its two integers and the b-tree's
-- overhead only; lookups by hash are one range scan. A doc's rows are deleted by recomputing its
-- fingerprints from its text (db/queries/originality/index.ts).
CREATE TABLE `originality_fingerprints` (
	`hash` integer NOT NULL,
	`doc_id` integer NOT NULL,
	PRIMARY KEY(`hash`, `doc_id`)
) WITHOUT ROWID;
