-- Search on PostgreSQL (issue 16 step 3; twin in purpose of db/migrations/0004_reflections_fts.sql,
-- written by db/pg/search.ts). One row per handed-in reflection: its title, body and author name,
-- segmented by jieba in the app (lib/search/segment.ts, as for FTS5) and split into words as
-- FTS5's unicode61 tokenizer does, turned into a tsvector with the 'simple' configuration
-- (lower-casing, no stemming, no stop words); a GIN index answers `document @@ tsquery`.
-- No server-side extension. Written by hand (not in db/pg/schema.ts): it has no SQLite twin
-- table, as reflections_fts has no PostgreSQL one.
CREATE TABLE "reflections_search" (
	"reflection_id" integer PRIMARY KEY NOT NULL,
	"document" tsvector NOT NULL,
	CONSTRAINT "reflections_search_reflection_id_reflections_id_fk" FOREIGN KEY ("reflection_id") REFERENCES "public"."reflections"("id") ON DELETE cascade ON UPDATE no action
);
--> statement-breakpoint
CREATE INDEX "reflections_search_document_idx" ON "reflections_search" USING gin ("document");
