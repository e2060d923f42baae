CREATE TABLE `reflection_state_counts` (
	`course_id` integer NOT NULL,
	`status` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`course_id`, `status`)
);
--> statement-breakpoint
CREATE TABLE `user_counts` (
	`role` text NOT NULL,
	`active` integer NOT NULL,
	`must_change_password` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`role`, `active`, `must_change_password`)
);
