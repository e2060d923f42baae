CREATE TABLE `reading_sections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reading_id` integer NOT NULL,
	`position` integer NOT NULL,
	`heading` text DEFAULT '' NOT NULL,
	`body` text NOT NULL,
	FOREIGN KEY (`reading_id`) REFERENCES `readings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reading_sections_reading_position_uq` ON `reading_sections` (`reading_id`,`position`);--> statement-breakpoint
ALTER TABLE `users` ADD `reader_text_size` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `large_ui` integer DEFAULT false NOT NULL;