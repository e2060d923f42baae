CREATE TABLE `assignment_readings` (
	`assignment_id` integer NOT NULL,
	`reading_id` integer NOT NULL,
	PRIMARY KEY(`assignment_id`, `reading_id`),
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reading_id`) REFERENCES `readings`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE TABLE `assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meeting_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`title` text NOT NULL,
	`prompt` text DEFAULT '' NOT NULL,
	`due_at` integer NOT NULL,
	`cutoff_at` integer,
	`min_chars` integer DEFAULT 0 NOT NULL,
	`max_chars` integer DEFAULT 0 NOT NULL,
	`allow_late` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `assignments_course_idx` ON `assignments` (`course_id`,`due_at`);--> statement-breakpoint
CREATE INDEX `assignments_meeting_idx` ON `assignments` (`meeting_id`);--> statement-breakpoint
CREATE TABLE `course_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`name` text NOT NULL,
	`leader_id` integer,
	`sort_order` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`leader_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `course_groups_course_name_uq` ON `course_groups` (`course_id`,`name`);--> statement-breakpoint
CREATE TABLE `course_members` (
	`course_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`group_id` integer,
	`enrolled_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`course_id`, `user_id`),
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `course_groups`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `course_members_user_idx` ON `course_members` (`user_id`);--> statement-breakpoint
CREATE INDEX `course_members_group_idx` ON `course_members` (`group_id`);--> statement-breakpoint
CREATE TABLE `course_organizers` (
	`course_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`course_id`, `user_id`),
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `course_organizers_user_idx` ON `course_organizers` (`user_id`);--> statement-breakpoint
CREATE TABLE `courses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`column_name` text DEFAULT '' NOT NULL,
	`publisher` text DEFAULT '' NOT NULL,
	`starts_on` text,
	`ends_on` text,
	`description` text DEFAULT '' NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `courses_archived_idx` ON `courses` (`archived`,`starts_on`);--> statement-breakpoint
CREATE TABLE `meeting_readings` (
	`meeting_id` integer NOT NULL,
	`reading_id` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `reading_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reading_id`) REFERENCES `readings`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `meeting_readings_reading_idx` ON `meeting_readings` (`reading_id`);--> statement-breakpoint
CREATE TABLE `meetings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`title` text NOT NULL,
	`starts_at` integer,
	`place` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `meetings_course_idx` ON `meetings` (`course_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `readings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`source` text DEFAULT '' NOT NULL,
	`chapters` text DEFAULT '' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `readings_title_idx` ON `readings` (`title`);--> statement-breakpoint
CREATE TABLE `reflection_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reflection_id` integer NOT NULL,
	`author_id` integer,
	`decision` text,
	`body` text DEFAULT '' NOT NULL,
	`internal` integer DEFAULT false NOT NULL,
	`version` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`reflection_id`) REFERENCES `reflections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `reflection_comments_reflection_idx` ON `reflection_comments` (`reflection_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `reflection_readings` (
	`reflection_id` integer NOT NULL,
	`reading_id` integer NOT NULL,
	PRIMARY KEY(`reflection_id`, `reading_id`),
	FOREIGN KEY (`reflection_id`) REFERENCES `reflections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reading_id`) REFERENCES `readings`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE TABLE `reflection_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reflection_id` integer NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`char_count` integer NOT NULL,
	`late` integer DEFAULT false NOT NULL,
	`submit_key` text NOT NULL,
	`submitted_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`reflection_id`) REFERENCES `reflections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reflection_versions_version_uq` ON `reflection_versions` (`reflection_id`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `reflection_versions_submit_key_uq` ON `reflection_versions` (`reflection_id`,`submit_key`);--> statement-breakpoint
CREATE TABLE `reflections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`assignment_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`char_count` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`version_count` integer DEFAULT 0 NOT NULL,
	`submitted_at` integer,
	`late` integer DEFAULT false NOT NULL,
	`excellent` integer DEFAULT false NOT NULL,
	`imported` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reflections_assignment_author_uq` ON `reflections` (`assignment_id`,`author_id`);--> statement-breakpoint
CREATE INDEX `reflections_author_idx` ON `reflections` (`author_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `reflections_course_status_idx` ON `reflections` (`course_id`,`status`,`submitted_at`);