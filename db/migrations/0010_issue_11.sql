CREATE TABLE `reflection_quotes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version_id` integer NOT NULL,
	`reading_id` integer NOT NULL,
	`section_id` integer,
	`passage` text NOT NULL,
	FOREIGN KEY (`version_id`) REFERENCES `reflection_versions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reading_id`) REFERENCES `readings`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`section_id`) REFERENCES `reading_sections`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `reflection_quotes_version_idx` ON `reflection_quotes` (`version_id`);--> statement-breakpoint
CREATE INDEX `reflection_quotes_reading_idx` ON `reflection_quotes` (`reading_id`);