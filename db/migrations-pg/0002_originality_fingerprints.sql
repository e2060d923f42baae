-- 查重 index (twin of db/migrations/0012_issue_12_custom.sql): one row per winnowing fingerprint
-- of an indexed text (originality_docs). SQLite keeps it WITHOUT ROWID so that the primary key is
-- the table; PostgreSQL has no such table kind: a plain table whose primary key index serves the
-- lookups by hash (one range scan). Hashes are int32 (lib/originality/engine.ts).
CREATE TABLE "originality_fingerprints" (
	"hash" integer NOT NULL,
	"doc_id" integer NOT NULL,
	PRIMARY KEY ("hash", "doc_id")
);
