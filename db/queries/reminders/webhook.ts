import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation, preparedMutation } from '@/db/mutation';
import { courseManagedBy, managedCourseOrNotFound } from '@/db/queries/scope';
import { getAssignmentTracker } from '@/db/queries/tracker';
import { courses, courseWebhooks, WEBHOOK_KINDS, type WebhookKind } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { reminderMessage } from '@/lib/reminders/message';
import { postToRobot } from '@/lib/reminders/post';
import { maskWebhookUrl, webhookUrlProblem, WEBHOOK_KIND_LABELS } from '@/lib/reminders/webhook-url';
import { idSchema } from '@/lib/validation/common';
import { assignmentRefSchema } from '@/lib/validation/review';

// 群机器人提醒: an admin sets a course's 企业微信 / 钉钉 group-robot URL (stored, shown masked,
// every change audited with the masked URL); 发送提醒 posts the 催交名单 of an assignment there.
// The post happens before the transaction (it may take seconds and must not hold the database);
// the transaction then records it. See lib/reminders/webhook-url.ts for the SSRF rule.

export interface CourseWebhookDto {
  kind: WebhookKind;
  kindLabel: string;
  maskedUrl: string;
  updatedAt: Date;
}

export const setCourseWebhookSchema = z
  .object({
    courseId: idSchema,
    kind: z.enum(WEBHOOK_KINDS, { error: '请选择企业微信或钉钉' }),
    url: z
      .string()
      .optional()
      .transform((s) => (s ?? '').trim())
      .pipe(z.string().min(1, { error: '请填写机器人地址' }).max(500, { error: '机器人地址太长' })),
  })
  .superRefine((v, ctx) => {
    const problem = webhookUrlProblem(v.url, v.kind);
    if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem });
  });

export const clearCourseWebhookSchema = z.object({ courseId: idSchema });

/** The course's robot, masked, for an admin; null when none is set. */
export async function getCourseWebhook(viewer: Viewer, { courseId }: { courseId: number }): Promise<CourseWebhookDto | null> {
  assertRole(viewer, 'admin');
  const row = await getDb().select().from(courseWebhooks).where(eq(courseWebhooks.courseId, courseId)).get();
  if (!row) return null;
  return { kind: row.kind, kindLabel: WEBHOOK_KIND_LABELS[row.kind], maskedUrl: maskWebhookUrl(row.url), updatedAt: row.updatedAt };
}

/** Whether a course this viewer manages has a robot (for the tracker's 发送提醒 button); never the URL. */
export async function courseRobotKind(viewer: Viewer, { courseId }: { courseId: number }): Promise<string | null> {
  assertRole(viewer, 'organizer', 'admin');
  const row = await getDb()
    .select({ kind: courseWebhooks.kind })
    .from(courseWebhooks)
    .innerJoin(courses, eq(courses.id, courseWebhooks.courseId))
    .where(and(eq(courseWebhooks.courseId, courseId), courseManagedBy(viewer, courses.id)))
    .get();
  return row ? WEBHOOK_KIND_LABELS[row.kind] : null;
}

export const setCourseWebhook = mutation({
  roles: ['admin'],
  schema: setCourseWebhookSchema,
  async run(tx, { viewer, request }, input) {
    await managedCourseOrNotFound(tx, viewer, input.courseId);
    const at = new Date();
    await tx.insert(courseWebhooks)
      .values({ courseId: input.courseId, kind: input.kind, url: input.url, updatedBy: viewer.id, updatedAt: at })
      .onConflictDoUpdate({ target: courseWebhooks.courseId, set: { kind: input.kind, url: input.url, updatedBy: viewer.id, updatedAt: at } })
      .run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'course.webhook.set',
      targetType: 'course',
      targetId: input.courseId,
      detail: { kind: input.kind, url: maskWebhookUrl(input.url) },
    });
    return { ok: true as const };
  },
});

export const clearCourseWebhook = mutation({
  roles: ['admin'],
  schema: clearCourseWebhookSchema,
  async run(tx, { viewer, request }, { courseId }) {
    await managedCourseOrNotFound(tx, viewer, courseId);
    const gone = await tx.delete(courseWebhooks).where(eq(courseWebhooks.courseId, courseId)).returning().get();
    if (!gone) return fail('nothing', '这个读书班没有设置群机器人');
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'course.webhook.clear',
      targetType: 'course',
      targetId: courseId,
      detail: { kind: gone.kind, url: maskWebhookUrl(gone.url) },
    });
    return { ok: true as const };
  },
});

export const NO_ROBOT = '这个读书班还没有设置群机器人，请管理员在读书班页面“群机器人提醒”中设置';

/** 发送提醒: the assignment's 催交名单 posted to the course's robot, then recorded in the audit log. */
export const sendRobotReminder = preparedMutation({
  roles: ['organizer', 'admin'],
  schema: assignmentRefSchema,
  async prepare({ viewer }, { assignmentId }): Promise<{ count: number; kind: WebhookKind; courseId: number } | Failure> {
    const t = await getAssignmentTracker(viewer, { assignmentId });
    const missing = t.members.filter((m) => m.status === 'missing');
    if (missing.length === 0) return fail('nothing', '所有学员都已提交，没有需要催交的人');
    const robot = await getDb().select().from(courseWebhooks).where(eq(courseWebhooks.courseId, t.course.id)).get();
    if (!robot) return fail('not_allowed', NO_ROBOT);
    const content = reminderMessage({
      courseName: t.course.name,
      meetingTitle: t.meeting.title,
      assignmentTitle: t.assignment.title,
      dueAt: t.assignment.dueAt,
      names: missing.map((m) => m.name),
    });
    const sent = await postToRobot(robot.kind, robot.url, content);
    if (!sent.ok) return fail('webhook_failed', sent.message);
    return { count: missing.length, kind: robot.kind, courseId: t.course.id };
  },
  async run(tx, { viewer, request }, { assignmentId }, sent) {
    await managedCourseOrNotFound(tx, viewer, sent.courseId);
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reflection.remind.webhook',
      targetType: 'assignment',
      targetId: assignmentId,
      detail: { count: sent.count, kind: sent.kind },
    });
    return { ok: true as const, count: sent.count, kindLabel: WEBHOOK_KIND_LABELS[sent.kind] };
  },
});

