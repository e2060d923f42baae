-- PL/pgSQL twins of the SQLite triggers (issue 16 step 2, docs/decisions/0017): the audit log's
-- append-only rule (db/migrations/0014_issue_14_custom.sql) and the counters of issue 15
-- (db/migrations/0016_issue_15c_custom.sql), with the same names, conditions and messages.
-- SQLite's null-safe `IS` / `IS NOT` are PostgreSQL's IS NOT DISTINCT FROM / IS DISTINCT FROM.
--
-- The audit log is append-only (issue 14, 等保 安全审计). Every row is written by db/audit.ts
-- appendAudit with a hash chaining it to the row before; these triggers refuse anything else.
-- A row without a hash is refused:
CREATE FUNCTION "audit_log_hash_required"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log: a row needs its chain hash';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_hash_required" BEFORE INSERT ON "audit_log"
FOR EACH ROW WHEN (NEW."hash" IS NULL)
EXECUTE FUNCTION "audit_log_hash_required"();
--> statement-breakpoint
-- No row is ever edited, except that a row written before the chain existed may receive its hash
-- once, with every other column unchanged:
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log"
FOR EACH ROW WHEN (NOT (
  OLD."hash" IS NULL AND NEW."hash" IS NOT NULL
  AND NEW."id" IS NOT DISTINCT FROM OLD."id" AND NEW."at" IS NOT DISTINCT FROM OLD."at"
  AND NEW."actor_id" IS NOT DISTINCT FROM OLD."actor_id" AND NEW."actor_username" IS NOT DISTINCT FROM OLD."actor_username"
  AND NEW."action" IS NOT DISTINCT FROM OLD."action" AND NEW."target_type" IS NOT DISTINCT FROM OLD."target_type"
  AND NEW."target_id" IS NOT DISTINCT FROM OLD."target_id" AND NEW."detail" IS NOT DISTINCT FROM OLD."detail"
  AND NEW."ip" IS NOT DISTINCT FROM OLD."ip"
))
EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
-- No row is ever deleted:
CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log"
FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
-- …nor all of them at once: TRUNCATE fires no row trigger (SQLite has no TRUNCATE).
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
-- Counts that grow with the data, kept in the same transaction as every change (issue 15): the
-- admin's 账号统计 (user_counts) and the review state chips (reflection_state_counts). Triggers
-- rather than code, so that every writer in every process keeps them.
-- First the counts of what is already there:
INSERT INTO "user_counts" ("role", "active", "must_change_password", "n")
SELECT "role", "active", "must_change_password", count(*) FROM "users" GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO "reflection_state_counts" ("course_id", "status", "n")
SELECT "course_id", "status", count(*) FROM "reflections" GROUP BY 1, 2;
--> statement-breakpoint
CREATE FUNCTION "user_counts_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "user_counts" ("role", "active", "must_change_password", "n")
  VALUES (NEW."role", NEW."active", NEW."must_change_password", 1)
  ON CONFLICT ("role", "active", "must_change_password") DO UPDATE SET "n" = "user_counts"."n" + 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "user_counts_insert" AFTER INSERT ON "users"
FOR EACH ROW EXECUTE FUNCTION "user_counts_insert"();
--> statement-breakpoint
CREATE FUNCTION "user_counts_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "user_counts" SET "n" = "n" - 1
  WHERE "role" = OLD."role" AND "active" = OLD."active" AND "must_change_password" = OLD."must_change_password";
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "user_counts_delete" AFTER DELETE ON "users"
FOR EACH ROW EXECUTE FUNCTION "user_counts_delete"();
--> statement-breakpoint
CREATE FUNCTION "user_counts_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "user_counts" SET "n" = "n" - 1
  WHERE "role" = OLD."role" AND "active" = OLD."active" AND "must_change_password" = OLD."must_change_password";
  INSERT INTO "user_counts" ("role", "active", "must_change_password", "n")
  VALUES (NEW."role", NEW."active", NEW."must_change_password", 1)
  ON CONFLICT ("role", "active", "must_change_password") DO UPDATE SET "n" = "user_counts"."n" + 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "user_counts_update" AFTER UPDATE OF "role", "active", "must_change_password" ON "users"
FOR EACH ROW WHEN (NEW."role" IS DISTINCT FROM OLD."role" OR NEW."active" IS DISTINCT FROM OLD."active" OR NEW."must_change_password" IS DISTINCT FROM OLD."must_change_password")
EXECUTE FUNCTION "user_counts_update"();
--> statement-breakpoint
CREATE FUNCTION "reflection_state_counts_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "reflection_state_counts" ("course_id", "status", "n")
  VALUES (NEW."course_id", NEW."status", 1)
  ON CONFLICT ("course_id", "status") DO UPDATE SET "n" = "reflection_state_counts"."n" + 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "reflection_state_counts_insert" AFTER INSERT ON "reflections"
FOR EACH ROW EXECUTE FUNCTION "reflection_state_counts_insert"();
--> statement-breakpoint
CREATE FUNCTION "reflection_state_counts_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "reflection_state_counts" SET "n" = "n" - 1
  WHERE "course_id" = OLD."course_id" AND "status" = OLD."status";
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "reflection_state_counts_delete" AFTER DELETE ON "reflections"
FOR EACH ROW EXECUTE FUNCTION "reflection_state_counts_delete"();
--> statement-breakpoint
CREATE FUNCTION "reflection_state_counts_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "reflection_state_counts" SET "n" = "n" - 1
  WHERE "course_id" = OLD."course_id" AND "status" = OLD."status";
  INSERT INTO "reflection_state_counts" ("course_id", "status", "n")
  VALUES (NEW."course_id", NEW."status", 1)
  ON CONFLICT ("course_id", "status") DO UPDATE SET "n" = "reflection_state_counts"."n" + 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "reflection_state_counts_update" AFTER UPDATE OF "course_id", "status" ON "reflections"
FOR EACH ROW WHEN (NEW."course_id" IS DISTINCT FROM OLD."course_id" OR NEW."status" IS DISTINCT FROM OLD."status")
EXECUTE FUNCTION "reflection_state_counts_update"();
