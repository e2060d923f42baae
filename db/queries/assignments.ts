import 'server-only';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, type Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { expectedMemberSql } from '@/db/queries/expected';
import { managedMeetingOrNotFound } from '@/db/queries/meetings';
import { readingsMissing } from '@/db/queries/readings';
import { courseManagedBy } from '@/db/queries/scope';
import { assignmentReadings, assignments, readings, reflections } from '@/db/schema';
import { qualified } from '@/db/sql-kit';
import { fail } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import {
  assignmentIdSchema,
  createAssignmentSchema,
  updateAssignmentSchema,
  type AssignmentInput,
  type AssignmentUpdate,
} from '@/lib/validation/courses';

// 心得任务: what a meeting asks the members of its course to write. The rules cadres meet when
// they submit (the reflection queries enforce them):
//   - before dueAt: on time;
//   - after dueAt: allowed only when allowLate, and then flagged late;
//   - after cutoffAt (when set): closed, whatever allowLate says;
//   - minChars / maxChars count 字数 as lib/text/char-count does; 0 means no limit.

export interface AssignmentDto {
  id: number;
  meetingId: number;
  courseId: number;
  title: string;
  prompt: string;
  dueAt: Date;
  cutoffAt: Date | null;
  minChars: number;
  maxChars: number;
  allowLate: boolean;
  readings: { id: number; title: string; source: string }[];
  /** Handed in at least once by current members. */
  submittedCount: number;
  /** Members expected to write: enrolled before the assignment closed (db/queries/expected). */
  expectedCount: number;
}

const columns = {
  id: assignments.id,
  meetingId: assignments.meetingId,
  courseId: assignments.courseId,
  title: assignments.title,
  prompt: assignments.prompt,
  dueAt: assignments.dueAt,
  cutoffAt: assignments.cutoffAt,
  minChars: assignments.minChars,
  maxChars: assignments.maxChars,
  allowLate: assignments.allowLate,
  submittedCount: sql<number>`(select count(*) from reflections r
      join course_members rm on rm.course_id = r.course_id and rm.user_id = r.author_id
      where r.assignment_id = ${qualified(assignments.id)} and r.status in ('submitted', 'returned', 'approved'))`,
  expectedCount: sql<number>`(select count(*) from course_members m where m.course_id = ${qualified(assignments.courseId)}
      and ${expectedMemberSql('m', 'assignments')})`,
};

async function readingsOfAssignments(ids: number[]): Promise<Map<number, AssignmentDto['readings']>> {
  const out = new Map<number, AssignmentDto['readings']>();
  if (ids.length === 0) return out;
  const rows = await getDb()
    .select({
      assignmentId: assignmentReadings.assignmentId,
      id: readings.id,
      title: readings.title,
      source: readings.source,
    })
    .from(assignmentReadings)
    .innerJoin(readings, eq(readings.id, assignmentReadings.readingId))
    .where(inArray(assignmentReadings.assignmentId, ids))
    .orderBy(asc(readings.title), asc(readings.id))
    .all();
  for (const { assignmentId, ...r } of rows) {
    const list = out.get(assignmentId) ?? [];
    list.push(r);
    out.set(assignmentId, list);
  }
  return out;
}

export const ASSIGNMENTS_PER_MEETING_MAX = 100;

/** The assignments of one meeting, by due time. */
export async function listAssignmentsForMeeting(viewer: Viewer, { meetingId }: { meetingId: number }): Promise<AssignmentDto[]> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  await managedMeetingOrNotFound(db, viewer, meetingId);
  const rows = await db
    .select(columns)
    .from(assignments)
    .where(and(eq(assignments.meetingId, meetingId), courseManagedBy(viewer, assignments.courseId)))
    .orderBy(asc(assignments.dueAt), asc(assignments.id))
    .limit(ASSIGNMENTS_PER_MEETING_MAX)
    .all();
  const byId = await readingsOfAssignments(rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, readings: byId.get(r.id) ?? [] }));
}

/** One assignment of a course this viewer manages; notFound() otherwise. */
export async function getAssignment(viewer: Viewer, { id }: { id: number }): Promise<AssignmentDto> {
  assertRole(viewer, 'organizer', 'admin');
  const row = await getDb()
    .select(columns)
    .from(assignments)
    .where(and(eq(assignments.id, id), courseManagedBy(viewer, assignments.courseId)))
    .get();
  if (!row) notFound();
  return { ...row, readings: (await readingsOfAssignments([id])).get(id) ?? [] };
}

async function setAssignmentReadings(tx: Tx, assignmentId: number, readingIds: number[]): Promise<void> {
  await tx.delete(assignmentReadings).where(eq(assignmentReadings.assignmentId, assignmentId)).run();
  if (readingIds.length) {
    await tx.insert(assignmentReadings)
      .values(readingIds.map((readingId) => ({ assignmentId, readingId })))
      .run();
  }
}

function fieldsOf(input: AssignmentInput | AssignmentUpdate) {
  return {
    title: input.title,
    prompt: input.prompt,
    dueAt: input.dueAt,
    cutoffAt: input.cutoffAt,
    minChars: input.minChars,
    maxChars: input.maxChars,
    allowLate: input.allowLate,
  };
}

export const createAssignment = mutation({
  roles: ['organizer', 'admin'],
  schema: createAssignmentSchema,
  async run(tx, { viewer, request }, input) {
    const meeting = await managedMeetingOrNotFound(tx, viewer, input.meetingId);
    const missing = await readingsMissing(tx, input.readingIds);
    if (missing) return missing;
    const { id } = await tx
      .insert(assignments)
      .values({ meetingId: meeting.id, courseId: meeting.courseId, ...fieldsOf(input) })
      .returning({ id: assignments.id })
      .get();
    await setAssignmentReadings(tx, id, input.readingIds);
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'assignment.create',
      targetType: 'assignment',
      targetId: id,
      detail: { courseId: meeting.courseId, meetingId: meeting.id, title: input.title },
    });
    return { ok: true as const, id };
  },
});

async function managedAssignmentOrNotFound(tx: Tx, viewer: Viewer, id: number) {
  const row = await tx
    .select({ id: assignments.id, courseId: assignments.courseId, meetingId: assignments.meetingId, title: assignments.title })
    .from(assignments)
    .where(and(eq(assignments.id, id), courseManagedBy(viewer, assignments.courseId)))
    .get();
  if (!row) notFound();
  return row;
}

export const updateAssignment = mutation({
  roles: ['organizer', 'admin'],
  schema: updateAssignmentSchema,
  async run(tx, { viewer, request }, input) {
    const row = await managedAssignmentOrNotFound(tx, viewer, input.id);
    const missing = await readingsMissing(tx, input.readingIds);
    if (missing) return missing;
    await tx.update(assignments).set(fieldsOf(input)).where(eq(assignments.id, input.id)).run();
    await setAssignmentReadings(tx, input.id, input.readingIds);
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'assignment.update',
      targetType: 'assignment',
      targetId: input.id,
      detail: { courseId: row.courseId, meetingId: row.meetingId, title: input.title },
    });
    return { ok: true as const, id: input.id };
  },
});

export const ASSIGNMENT_HAS_REFLECTIONS = '已有学员为这个任务动笔，不能删除';

export const deleteAssignment = mutation({
  roles: ['organizer', 'admin'],
  schema: assignmentIdSchema,
  async run(tx, { viewer, request }, { id }) {
    const row = await managedAssignmentOrNotFound(tx, viewer, id);
    const written = (await tx.select({ n: count() }).from(reflections).where(eq(reflections.assignmentId, id)).get())?.n ?? 0;
    if (written > 0) return fail('conflict', ASSIGNMENT_HAS_REFLECTIONS);
    await tx.delete(assignments).where(eq(assignments.id, id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'assignment.delete',
      targetType: 'assignment',
      targetId: id,
      detail: { courseId: row.courseId, meetingId: row.meetingId, title: row.title },
    });
    return { ok: true as const, id, courseId: row.courseId, meetingId: row.meetingId };
  },
});
