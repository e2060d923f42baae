CREATE TABLE `originality_checks` (
	`reflection_id` integer PRIMARY KEY NOT NULL,
	`course_id` integer NOT NULL,
	`version_id` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`share` integer DEFAULT 0 NOT NULL,
	`quote_share` integer DEFAULT 0 NOT NULL,
	`sources` text DEFAULT '[]' NOT NULL,
	`checked_at` integer,
	FOREIGN KEY (`reflection_id`) REFERENCES `reflections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `originality_checks_course_share_idx` ON `originality_checks` (`course_id`,`share`);--> statement-breakpoint
CREATE INDEX `originality_checks_status_idx` ON `originality_checks` (`status`);--> statement-breakpoint
CREATE TABLE `originality_docs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`ref_id` integer NOT NULL,
	`version_id` integer,
	`course_id` integer,
	`author_id` integer,
	`text_hash` integer NOT NULL,
	`fingerprints` blob NOT NULL,
	`indexed_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `originality_docs_kind_ref_uq` ON `originality_docs` (`kind`,`ref_id`);--> statement-breakpoint
CREATE TABLE `wording_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`find` text NOT NULL,
	`standard` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`category` text DEFAULT '自定义' NOT NULL,
	`allow` text DEFAULT '' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wording_rules_code_unique` ON `wording_rules` (`code`);--> statement-breakpoint
ALTER TABLE `courses` ADD `similarity_threshold` integer DEFAULT 30 NOT NULL;