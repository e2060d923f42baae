-- The audit log is append-only (issue 14, 等保 安全审计). Every row is written by db/audit.ts
-- appendAudit with a hash chaining it to the row before; these triggers refuse anything else.
-- A row without a hash is refused:
CREATE TRIGGER `audit_log_hash_required` BEFORE INSERT ON `audit_log`
WHEN NEW.`hash` IS NULL
BEGIN
  SELECT RAISE(ABORT, 'audit_log: a row needs its chain hash');
END;
--> statement-breakpoint
-- No row is ever edited, except that a row written before the chain existed may receive its hash
-- once (the first start after this migration: db/index.ts), with every other column unchanged:
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
WHEN NOT (
  OLD.`hash` IS NULL AND NEW.`hash` IS NOT NULL
  AND NEW.`id` IS OLD.`id` AND NEW.`at` IS OLD.`at`
  AND NEW.`actor_id` IS OLD.`actor_id` AND NEW.`actor_username` IS OLD.`actor_username`
  AND NEW.`action` IS OLD.`action` AND NEW.`target_type` IS OLD.`target_type`
  AND NEW.`target_id` IS OLD.`target_id` AND NEW.`detail` IS OLD.`detail` AND NEW.`ip` IS OLD.`ip`
)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
-- No row is ever deleted:
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
