'use server';

import { sendRobotReminder } from '@/db/queries/reminders/webhook';
import { sendReminders } from '@/db/queries/tracker';
import { formAction } from '@/lib/server-action';

/** 提醒未交学员: an in-app notification to everyone who has not handed in. */
export const remindMissingAction = formAction(sendReminders, {
  input: (fields) => ({ assignmentId: fields.assignmentId }),
  revalidate: (input) => [`/review/tracker/${input.assignmentId}`],
  message: (result) => `已提醒 ${result.count} 人`,
});

/** 发送提醒: the 催交名单 posted to the course's 企业微信 / 钉钉 group robot. */
export const sendRobotReminderAction = formAction(sendRobotReminder, {
  input: (fields) => ({ assignmentId: fields.assignmentId }),
  revalidate: (input) => [`/review/tracker/${input.assignmentId}`],
  message: (result) => `已通过${result.kindLabel}群机器人催交 ${result.count} 人`,
});
