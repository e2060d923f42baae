CREATE TABLE `bulletin_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bulletin_id` integer NOT NULL,
	`position` integer NOT NULL,
	`reflection_id` integer,
	`author_id` integer,
	`heading` text NOT NULL,
	`author_name` text DEFAULT '' NOT NULL,
	`author_title` text DEFAULT '' NOT NULL,
	`body` text NOT NULL,
	`source_revision` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`bulletin_id`) REFERENCES `bulletins`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reflection_id`) REFERENCES `reflections`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `bulletin_items_bulletin_idx` ON `bulletin_items` (`bulletin_id`,`position`);--> statement-breakpoint
CREATE INDEX `bulletin_items_reflection_idx` ON `bulletin_items` (`reflection_id`);--> statement-breakpoint
CREATE TABLE `bulletin_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bulletin_id` integer NOT NULL,
	`revision_no` integer NOT NULL,
	`snapshot` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`published_by` integer,
	`published_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`bulletin_id`) REFERENCES `bulletins`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`published_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bulletin_revisions_no_uq` ON `bulletin_revisions` (`bulletin_id`,`revision_no`);--> statement-breakpoint
CREATE TABLE `bulletins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`editor` text DEFAULT '' NOT NULL,
	`issued_on` text NOT NULL,
	`publisher` text DEFAULT '' NOT NULL,
	`lead` text DEFAULT '' NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`transition` text DEFAULT '现将学员讨论发言情况整理如下:' NOT NULL,
	`report_to` text DEFAULT '' NOT NULL,
	`send_to` text DEFAULT '' NOT NULL,
	`issue_to` text DEFAULT '' NOT NULL,
	`copies` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`published_revision` integer DEFAULT 0 NOT NULL,
	`published_at` integer,
	`imported` integer DEFAULT false NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bulletins_course_number_uq` ON `bulletins` (`course_id`,`number`);--> statement-breakpoint
CREATE INDEX `bulletins_course_status_idx` ON `bulletins` (`course_id`,`status`,`number`);