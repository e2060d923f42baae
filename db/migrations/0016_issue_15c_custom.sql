-- Counts that grow with the data, kept in the same transaction as every change (issue 15): the
-- admin's 账号统计 (user_counts) and the review state chips (reflection_state_counts). Triggers
-- rather than code, so that every writer in every process keeps them: the kernel's mutations,
-- the roster import, the seed, the factories of the tests.
-- First the counts of what is already there:
INSERT INTO `user_counts` (`role`, `active`, `must_change_password`, `n`)
SELECT `role`, `active`, `must_change_password`, count(*) FROM `users` GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO `reflection_state_counts` (`course_id`, `status`, `n`)
SELECT `course_id`, `status`, count(*) FROM `reflections` GROUP BY 1, 2;
--> statement-breakpoint
CREATE TRIGGER `user_counts_insert` AFTER INSERT ON `users`
BEGIN
  INSERT INTO `user_counts` (`role`, `active`, `must_change_password`, `n`)
  VALUES (NEW.`role`, NEW.`active`, NEW.`must_change_password`, 1)
  ON CONFLICT (`role`, `active`, `must_change_password`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `user_counts_delete` AFTER DELETE ON `users`
BEGIN
  UPDATE `user_counts` SET `n` = `n` - 1
  WHERE `role` = OLD.`role` AND `active` = OLD.`active` AND `must_change_password` = OLD.`must_change_password`;
END;
--> statement-breakpoint
CREATE TRIGGER `user_counts_update` AFTER UPDATE OF `role`, `active`, `must_change_password` ON `users`
WHEN NEW.`role` IS NOT OLD.`role` OR NEW.`active` IS NOT OLD.`active` OR NEW.`must_change_password` IS NOT OLD.`must_change_password`
BEGIN
  UPDATE `user_counts` SET `n` = `n` - 1
  WHERE `role` = OLD.`role` AND `active` = OLD.`active` AND `must_change_password` = OLD.`must_change_password`;
  INSERT INTO `user_counts` (`role`, `active`, `must_change_password`, `n`)
  VALUES (NEW.`role`, NEW.`active`, NEW.`must_change_password`, 1)
  ON CONFLICT (`role`, `active`, `must_change_password`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reflection_state_counts_insert` AFTER INSERT ON `reflections`
BEGIN
  INSERT INTO `reflection_state_counts` (`course_id`, `status`, `n`)
  VALUES (NEW.`course_id`, NEW.`status`, 1)
  ON CONFLICT (`course_id`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reflection_state_counts_delete` AFTER DELETE ON `reflections`
BEGIN
  UPDATE `reflection_state_counts` SET `n` = `n` - 1
  WHERE `course_id` = OLD.`course_id` AND `status` = OLD.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `reflection_state_counts_update` AFTER UPDATE OF `course_id`, `status` ON `reflections`
WHEN NEW.`course_id` IS NOT OLD.`course_id` OR NEW.`status` IS NOT OLD.`status`
BEGIN
  UPDATE `reflection_state_counts` SET `n` = `n` - 1
  WHERE `course_id` = OLD.`course_id` AND `status` = OLD.`status`;
  INSERT INTO `reflection_state_counts` (`course_id`, `status`, `n`)
  VALUES (NEW.`course_id`, NEW.`status`, 1)
  ON CONFLICT (`course_id`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
