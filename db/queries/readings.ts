import 'server-only';
import { asc, count, eq, inArray, not, or, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import type { z } from 'zod';
import { getDb, type Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { courseManagedBy } from '@/db/queries/scope';
import {
  assignmentReadings,
  assignments,
  meetingReadings,
  meetings,
  readings,
  reflectionReadings,
  reflections,
} from '@/db/schema';
import { likeAnywhere, pageWindow, qualified, type PageDto } from '@/db/sql-kit';
import { fail, type Failure } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { createReadingSchema, listSearchSchema, readingIdSchema, updateReadingSchema } from '@/lib/validation/courses';

// 学习篇目: one library shared by every course, so that 《论党的自我革命》 is entered once.
// Every organizer and admin reads the whole library. Changing a reading changes it in every
// course that uses it, so an organizer may change only readings no other course uses; an admin
// may change any.

export interface ReadingDto {
  id: number;
  title: string;
  source: string;
  chapters: string;
  notes: string;
}

export interface ReadingListItemDto extends ReadingDto {
  /** How many meetings and assignments use it. */
  useCount: number;
  /** Whether this viewer may edit it. */
  editable: boolean;
  /** Whether it may be deleted (nothing uses it). */
  deletable: boolean;
}

const useCountSql = sql<number>`(
  (select count(*) from meeting_readings mr where mr.reading_id = ${qualified(readings.id)})
  + (select count(*) from assignment_readings ar where ar.reading_id = ${qualified(readings.id)})
  + (select count(*) from reflection_readings rr where rr.reading_id = ${qualified(readings.id)}))`;

/** A condition on readings.id: some course outside this viewer's reach uses the reading. */
function usedOutsideReach(viewer: Viewer): SQL {
  if (viewer.role === 'admin') return sql`0 = 1`;
  const db = getDb();
  const inMeetings = db
    .select({ id: meetingReadings.readingId })
    .from(meetingReadings)
    .innerJoin(meetings, eq(meetings.id, meetingReadings.meetingId))
    .where(not(courseManagedBy(viewer, meetings.courseId)));
  const inAssignments = db
    .select({ id: assignmentReadings.readingId })
    .from(assignmentReadings)
    .innerJoin(assignments, eq(assignments.id, assignmentReadings.assignmentId))
    .where(not(courseManagedBy(viewer, assignments.courseId)));
  const inReflections = db
    .select({ id: reflectionReadings.readingId })
    .from(reflectionReadings)
    .innerJoin(reflections, eq(reflections.id, reflectionReadings.reflectionId))
    .where(not(courseManagedBy(viewer, reflections.courseId)));
  return or(
    inArray(readings.id, inMeetings),
    inArray(readings.id, inAssignments),
    inArray(readings.id, inReflections),
  ) as SQL;
}

/** One page of the library by 篇名; q matches 篇名, 出处 or 章节. */
export async function listReadings(viewer: Viewer, filter: Partial<z.input<typeof listSearchSchema>> = {}): Promise<PageDto<ReadingListItemDto>> {
  assertRole(viewer, 'organizer', 'admin');
  const f = listSearchSchema.parse(filter);
  const where = f.q
    ? or(likeAnywhere(readings.title, f.q), likeAnywhere(readings.source, f.q), likeAnywhere(readings.chapters, f.q))
    : undefined;
  const db = getDb();
  const total = (await db.select({ n: count() }).from(readings).where(where).get())?.n ?? 0;
  const w = pageWindow(total, f.page);
  const rows = await db
    .select({
      id: readings.id,
      title: readings.title,
      source: readings.source,
      chapters: readings.chapters,
      notes: readings.notes,
      useCount: useCountSql,
      outside: sql<number>`case when ${usedOutsideReach(viewer)} then 1 else 0 end`,
    })
    .from(readings)
    .where(where)
    .orderBy(asc(readings.title), asc(readings.id))
    .limit(w.pageSize)
    .offset(w.offset)
    .all();
  return {
    items: rows.map(({ outside, ...r }) => ({ ...r, editable: !outside, deletable: r.useCount === 0 })),
    total,
    page: w.page,
    pageCount: w.pageCount,
    pageSize: w.pageSize,
  };
}

export const READING_CHOICES_MAX = 500;

/** The library as checkboxes for a meeting or an assignment: 篇名 order, at most 500. */
export async function listReadingChoices(viewer: Viewer): Promise<{ id: number; title: string; source: string }[]> {
  assertRole(viewer, 'organizer', 'admin');
  return await getDb()
    .select({ id: readings.id, title: readings.title, source: readings.source })
    .from(readings)
    .orderBy(asc(readings.title), asc(readings.id))
    .limit(READING_CHOICES_MAX)
    .all();
}

export async function getReading(viewer: Viewer, { id }: { id: number }): Promise<ReadingListItemDto> {
  assertRole(viewer, 'organizer', 'admin');
  const row = await getDb()
    .select({
      id: readings.id,
      title: readings.title,
      source: readings.source,
      chapters: readings.chapters,
      notes: readings.notes,
      useCount: useCountSql,
      outside: sql<number>`case when ${usedOutsideReach(viewer)} then 1 else 0 end`,
    })
    .from(readings)
    .where(eq(readings.id, id))
    .get();
  if (!row) notFound();
  const { outside, ...r } = row;
  return { ...r, editable: !outside, deletable: r.useCount === 0 };
}

/** Fails unless every id names a reading; used by meetings and assignments inside their transaction. */
export async function readingsMissing(tx: Tx, ids: number[]): Promise<Failure | null> {
  if (ids.length === 0) return null;
  const found = (await tx.select({ n: count() }).from(readings).where(inArray(readings.id, ids)).get())?.n ?? 0;
  if (found === ids.length) return null;
  return fail('invalid', '所选篇目有的已不存在，请刷新后重选', { readingIds: ['所选篇目有的已不存在'] });
}

export const READING_SHARED = '这个篇目也用在你不负责的读书班中，不能修改；可以另建一个篇目';
export const READING_IN_USE = '这个篇目已被集中学习、心得任务或学习心得引用，不能删除';

export async function readingForChange(tx: Tx, viewer: Viewer, id: number) {
  const row = await tx
    .select({
      id: readings.id,
      title: readings.title,
      outside: sql<number>`case when ${usedOutsideReach(viewer)} then 1 else 0 end`,
      useCount: useCountSql,
    })
    .from(readings)
    .where(eq(readings.id, id))
    .get();
  if (!row) notFound();
  return row;
}

export const createReading = mutation({
  roles: ['organizer', 'admin'],
  schema: createReadingSchema,
  async run(tx, { viewer, request }, input) {
    const { id } = await tx
      .insert(readings)
      .values({ ...input, createdBy: viewer.id })
      .returning({ id: readings.id })
      .get();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reading.create',
      targetType: 'reading',
      targetId: id,
      detail: { title: input.title },
    });
    return { ok: true as const, id };
  },
});

export const updateReading = mutation({
  roles: ['organizer', 'admin'],
  schema: updateReadingSchema,
  async run(tx, { viewer, request }, input) {
    const row = await readingForChange(tx, viewer, input.id);
    if (row.outside) return fail('forbidden', READING_SHARED);
    const { id, ...fields } = input;
    await tx.update(readings).set(fields).where(eq(readings.id, id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reading.update',
      targetType: 'reading',
      targetId: id,
      detail: { title: input.title, was: row.title },
    });
    return { ok: true as const, id };
  },
});

export const deleteReading = mutation({
  roles: ['organizer', 'admin'],
  schema: readingIdSchema,
  async run(tx, { viewer, request }, { id }) {
    const row = await readingForChange(tx, viewer, id);
    if (row.useCount > 0) return fail('conflict', READING_IN_USE);
    await tx.delete(readings).where(eq(readings.id, id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reading.delete',
      targetType: 'reading',
      targetId: id,
      detail: { title: row.title },
    });
    return { ok: true as const, id };
  },
});
