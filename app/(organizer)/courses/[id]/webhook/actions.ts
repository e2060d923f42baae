'use server';

import { clearCourseWebhook, setCourseWebhook } from '@/db/queries/reminders/webhook';
import { formAction } from '@/lib/server-action';

/** 保存 a course's group robot (admin). */
export const setCourseWebhookAction = formAction(setCourseWebhook, {
  input: (fields) => ({ courseId: fields.courseId, kind: fields.kind, url: fields.url }),
  revalidate: (input) => [`/courses/${input.courseId}/webhook`],
  message: () => '群机器人已保存',
});

/** 移除 a course's group robot (admin). */
export const clearCourseWebhookAction = formAction(clearCourseWebhook, {
  input: (fields) => ({ courseId: fields.courseId }),
  revalidate: (input) => [`/courses/${input.courseId}/webhook`],
  message: () => '群机器人已移除',
});
