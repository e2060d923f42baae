ALTER TABLE `audit_log` ADD `hash` text;--> statement-breakpoint
ALTER TABLE `auth_sessions` ADD `last_seen_at` integer;