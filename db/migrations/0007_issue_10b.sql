ALTER TABLE `bulletins` ADD `headline` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `meetings` ADD `presider` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `meetings` ADD `speech` text DEFAULT '' NOT NULL;