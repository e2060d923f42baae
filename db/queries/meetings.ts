import 'server-only';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, type DB, type Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { readingsMissing } from '@/db/queries/readings';
import { courseManagedBy, managedCourseOrNotFound } from '@/db/queries/scope';
import { courses, meetingReadings, meetings, readings, reflections } from '@/db/schema';
import { pageWindow, qualified, type PageDto } from '@/db/sql-kit';
import { fail } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { createMeetingSchema, meetingIdSchema, updateMeetingSchema } from '@/lib/validation/courses';

// 集中学习: the sittings of a course, each with the readings it covered.

export interface ReadingRefDto {
  id: number;
  title: string;
  source: string;
}

export interface MeetingListItemDto {
  id: number;
  title: string;
  startsAt: Date | null;
  place: string;
  readings: ReadingRefDto[];
  assignmentCount: number;
}

export interface MeetingDetailDto {
  id: number;
  courseId: number;
  courseName: string;
  title: string;
  startsAt: Date | null;
  place: string;
  /** 主持人, as the 导语 names them */
  presider: string;
  /** 讲话: who spoke and what (区委常委、组织部部长王强作动员讲话) */
  speech: string;
  description: string;
  readings: ReadingRefDto[];
}

/** The readings of these meetings, by meeting, in 篇名 order. */
async function readingsOfMeetings(meetingIds: number[]): Promise<Map<number, ReadingRefDto[]>> {
  const out = new Map<number, ReadingRefDto[]>();
  if (meetingIds.length === 0) return out;
  const rows = await getDb()
    .select({ meetingId: meetingReadings.meetingId, id: readings.id, title: readings.title, source: readings.source })
    .from(meetingReadings)
    .innerJoin(readings, eq(readings.id, meetingReadings.readingId))
    .where(inArray(meetingReadings.meetingId, meetingIds))
    .orderBy(asc(readings.title), asc(readings.id))
    .all();
  for (const { meetingId, ...r } of rows) {
    const list = out.get(meetingId) ?? [];
    list.push(r);
    out.set(meetingId, list);
  }
  return out;
}

/** One page of a course's meetings in the order they are held (those without a time last). */
export async function listMeetings(
  viewer: Viewer,
  { courseId, page = 1 }: { courseId: number; page?: number },
): Promise<PageDto<MeetingListItemDto>> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const course = await db
    .select({ id: courses.id })
    .from(courses)
    .where(and(eq(courses.id, courseId), courseManagedBy(viewer, courses.id)))
    .get();
  if (!course) notFound();
  const where = and(eq(meetings.courseId, courseId), courseManagedBy(viewer, meetings.courseId));
  const total = (await db.select({ n: count() }).from(meetings).where(where).get())?.n ?? 0;
  const w = pageWindow(total, page);
  const rows = await db
    .select({
      id: meetings.id,
      title: meetings.title,
      startsAt: meetings.startsAt,
      place: meetings.place,
      assignmentCount: sql<number>`(select count(*) from assignments a where a.meeting_id = ${qualified(meetings.id)})`,
    })
    .from(meetings)
    .where(where)
    .orderBy(sql`${meetings.startsAt} is null`, asc(meetings.startsAt), asc(meetings.id))
    .limit(w.pageSize)
    .offset(w.offset)
    .all();
  const byMeeting = await readingsOfMeetings(rows.map((r) => r.id));
  return {
    items: rows.map((r) => ({ ...r, readings: byMeeting.get(r.id) ?? [] })),
    total,
    page: w.page,
    pageCount: w.pageCount,
    pageSize: w.pageSize,
  };
}

/** A meeting of a course this viewer manages; notFound() otherwise. */
export async function getMeeting(viewer: Viewer, { id }: { id: number }): Promise<MeetingDetailDto> {
  assertRole(viewer, 'organizer', 'admin');
  const row = await getDb()
    .select({
      id: meetings.id,
      courseId: meetings.courseId,
      courseName: courses.name,
      title: meetings.title,
      startsAt: meetings.startsAt,
      place: meetings.place,
      presider: meetings.presider,
      speech: meetings.speech,
      description: meetings.description,
    })
    .from(meetings)
    .innerJoin(courses, eq(courses.id, meetings.courseId))
    .where(and(eq(meetings.id, id), courseManagedBy(viewer, meetings.courseId)))
    .get();
  if (!row) notFound();
  return { ...row, readings: (await readingsOfMeetings([id])).get(id) ?? [] };
}

/** The meeting row when the viewer manages its course; notFound() otherwise. For use in a transaction. */
export async function managedMeetingOrNotFound(tx: DB | Tx, viewer: Viewer, meetingId: number) {
  const row = await tx
    .select({ id: meetings.id, courseId: meetings.courseId, title: meetings.title })
    .from(meetings)
    .where(and(eq(meetings.id, meetingId), courseManagedBy(viewer, meetings.courseId)))
    .get();
  if (!row) notFound();
  return row;
}

async function setMeetingReadings(tx: Tx, meetingId: number, readingIds: number[]): Promise<void> {
  await tx.delete(meetingReadings).where(eq(meetingReadings.meetingId, meetingId)).run();
  if (readingIds.length) {
    await tx.insert(meetingReadings)
      .values(readingIds.map((readingId) => ({ meetingId, readingId })))
      .run();
  }
}

export const createMeeting = mutation({
  roles: ['organizer', 'admin'],
  schema: createMeetingSchema,
  async run(tx, { viewer, request }, input) {
    await managedCourseOrNotFound(tx, viewer, input.courseId);
    const problem = await readingsMissing(tx, input.readingIds);
    if (problem) return problem;
    const { id } = await tx
      .insert(meetings)
      .values({
        courseId: input.courseId,
        title: input.title,
        startsAt: input.startsAt,
        place: input.place,
        presider: input.presider,
        speech: input.speech,
        description: input.description,
      })
      .returning({ id: meetings.id })
      .get();
    await setMeetingReadings(tx, id, input.readingIds);
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'meeting.create',
      targetType: 'meeting',
      targetId: id,
      detail: { courseId: input.courseId, title: input.title, readingIds: input.readingIds },
    });
    return { ok: true as const, id };
  },
});

export const updateMeeting = mutation({
  roles: ['organizer', 'admin'],
  schema: updateMeetingSchema,
  async run(tx, { viewer, request }, input) {
    const meeting = await managedMeetingOrNotFound(tx, viewer, input.id);
    const problem = await readingsMissing(tx, input.readingIds);
    if (problem) return problem;
    await tx.update(meetings)
      .set({ title: input.title, startsAt: input.startsAt, place: input.place, presider: input.presider, speech: input.speech, description: input.description })
      .where(eq(meetings.id, input.id))
      .run();
    await setMeetingReadings(tx, input.id, input.readingIds);
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'meeting.update',
      targetType: 'meeting',
      targetId: input.id,
      detail: { courseId: meeting.courseId, title: input.title, readingIds: input.readingIds },
    });
    return { ok: true as const, id: input.id };
  },
});

export const MEETING_HAS_REFLECTIONS = '这次集中学习的心得任务已有学员动笔，不能删除';

/** Deletes a meeting and its assignments, unless a cadre has started writing for one of them. */
export const deleteMeeting = mutation({
  roles: ['organizer', 'admin'],
  schema: meetingIdSchema,
  async run(tx, { viewer, request }, { id }) {
    const meeting = await managedMeetingOrNotFound(tx, viewer, id);
    const written =
      (await tx
        .select({ n: count() })
        .from(reflections)
        .where(sql`${reflections.assignmentId} in (select a.id from assignments a where a.meeting_id = ${id})`)
        .get())?.n ?? 0;
    if (written > 0) return fail('conflict', MEETING_HAS_REFLECTIONS);
    await tx.delete(meetings).where(eq(meetings.id, id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'meeting.delete',
      targetType: 'meeting',
      targetId: id,
      detail: { courseId: meeting.courseId, title: meeting.title },
    });
    return { ok: true as const, id, courseId: meeting.courseId };
  },
});
