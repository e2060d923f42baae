'use server';

import { sendReminders } from '@/db/queries/tracker';
import { formAction } from '@/lib/server-action';

/** 提醒未交学员: an in-app notification to everyone who has not handed in. */
export const remindMissingAction = formAction(sendReminders, {
  input: (fields) => ({ assignmentId: fields.assignmentId }),
  revalidate: (input) => [`/review/tracker/${input.assignmentId}`],
  message: (result) => `已提醒 ${result.count} 人`,
});
