import 'server-only';
import { and, asc, count, desc, eq, ne, or, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import type { z } from 'zod';
import { getDb } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { expectedMemberSql } from '@/db/queries/expected';
import { courseManagedBy, managedCourseOrNotFound } from '@/db/queries/scope';
import { courseOrganizers, courses, reflections, users } from '@/db/schema';
import { groupConcat, likeAnywhere, pageWindow, qualified, type PageDto } from '@/db/sql-kit';
import { fail } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import {
  courseIdSchema,
  courseUserSchema,
  createCourseSchema,
  listCoursesSchema,
  setCourseArchivedSchema,
  updateCourseSchema,
} from '@/lib/validation/courses';

// 读书班 themselves: list, create, edit, archive, delete, and who organizes them. Organizers
// reach only the courses they run (course_organizers); admins reach all. "Not yours" and
// "absent" are the same answer: notFound() for a read, a not_found failure for a change.

export { PAGE_SIZE, pageWindow, type PageDto } from '@/db/sql-kit';

// ---------------------------------------------------------------------------------------------
// Reads

export interface CourseListItemDto {
  id: number;
  name: string;
  columnName: string;
  startsOn: string | null;
  endsOn: string | null;
  archived: boolean;
  organizerNames: string[];
  memberCount: number;
  groupCount: number;
  meetingCount: number;
  assignmentCount: number;
  /** Reflections handed in at least once (已提交, 退回修改, 已通过) by current members. */
  submittedCount: number;
  /** What is expected: every member writes for every assignment that had not closed when they joined. */
  expectedCount: number;
  /** Handed in and waiting for an organizer (已提交). */
  pendingReviewCount: number;
}

const counts = {
  memberCount: sql<number>`(select count(*) from course_members m where m.course_id = ${qualified(courses.id)})`,
  groupCount: sql<number>`(select count(*) from course_groups g where g.course_id = ${qualified(courses.id)})`,
  meetingCount: sql<number>`(select count(*) from meetings mt where mt.course_id = ${qualified(courses.id)})`,
  assignmentCount: sql<number>`(select count(*) from assignments a where a.course_id = ${qualified(courses.id)})`,
  expectedCount: sql<number>`(select count(*) from assignments a
      join course_members m on m.course_id = a.course_id
      where a.course_id = ${qualified(courses.id)} and ${expectedMemberSql('m', 'a')})`,
  submittedCount: sql<number>`(select count(*) from reflections r
      join course_members rm on rm.course_id = r.course_id and rm.user_id = r.author_id
      where r.course_id = ${qualified(courses.id)} and r.status in ('submitted', 'returned', 'approved'))`,
  pendingReviewCount: sql<number>`(select count(*) from reflections r
      join course_members rm on rm.course_id = r.course_id and rm.user_id = r.author_id
      where r.course_id = ${qualified(courses.id)} and r.status = 'submitted')`,
  organizerNames: sql<string | null>`(select ${groupConcat(sql`u.name`, '、', sql`co.user_id`)} from course_organizers co
      join users u on u.id = co.user_id where co.course_id = ${qualified(courses.id)})`,
};

/**
 * One page of the courses this viewer manages, newest first, with the figures an organizer
 * follows: members, meetings, assignments, and reflections handed in out of those expected.
 */
export async function listCourses(viewer: Viewer, filter: Partial<z.input<typeof listCoursesSchema>> = {}): Promise<PageDto<CourseListItemDto>> {
  assertRole(viewer, 'organizer', 'admin');
  const f = listCoursesSchema.parse(filter);
  const status = f.status ?? 'active';
  const conditions: (SQL | undefined)[] = [courseManagedBy(viewer, courses.id)];
  if (status !== 'all') conditions.push(eq(courses.archived, status === 'archived'));
  if (f.q) conditions.push(or(likeAnywhere(courses.name, f.q), likeAnywhere(courses.columnName, f.q)));
  const where = and(...conditions);
  const db = getDb();
  const total = (await db.select({ n: count() }).from(courses).where(where).get())?.n ?? 0;
  const w = pageWindow(total, f.page);
  const rows = await db
    .select({
      id: courses.id,
      name: courses.name,
      columnName: courses.columnName,
      startsOn: courses.startsOn,
      endsOn: courses.endsOn,
      archived: courses.archived,
      ...counts,
    })
    .from(courses)
    .where(where)
    .orderBy(asc(courses.archived), desc(courses.startsOn), desc(courses.id))
    .limit(w.pageSize)
    .offset(w.offset)
    .all();
  return {
    items: rows.map((r) => ({
      ...r,
      organizerNames: r.organizerNames ? r.organizerNames.split('、') : [],
    })),
    total,
    page: w.page,
    pageCount: w.pageCount,
    pageSize: w.pageSize,
  };
}

export interface CourseOrganizerDto {
  id: number;
  name: string;
  username: string;
  title: string;
  active: boolean;
}

export interface CourseDetailDto extends Omit<CourseListItemDto, 'organizerNames'> {
  publisher: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  organizers: CourseOrganizerDto[];
}

/** One course this viewer manages, with its organizers and figures; notFound() otherwise. */
export async function getCourse(viewer: Viewer, { id }: { id: number }): Promise<CourseDetailDto> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const row = await db
    .select({
      id: courses.id,
      name: courses.name,
      columnName: courses.columnName,
      publisher: courses.publisher,
      startsOn: courses.startsOn,
      endsOn: courses.endsOn,
      description: courses.description,
      archived: courses.archived,
      createdAt: courses.createdAt,
      updatedAt: courses.updatedAt,
      ...counts,
    })
    .from(courses)
    .where(and(eq(courses.id, id), courseManagedBy(viewer, courses.id)))
    .get();
  if (!row) notFound();
  const organizers = await db
    .select({ id: users.id, name: users.name, username: users.username, title: users.title, active: users.active })
    .from(courseOrganizers)
    .innerJoin(users, eq(users.id, courseOrganizers.userId))
    .where(eq(courseOrganizers.courseId, id))
    .orderBy(asc(users.name), asc(users.id))
    .all();
  const { organizerNames: _names, ...rest } = row;
  return { ...rest, organizers };
}

// ---------------------------------------------------------------------------------------------
// Changes

/** Creates a course; an organizer who creates one runs it from then on. */
export const createCourse = mutation({
  roles: ['organizer', 'admin'],
  schema: createCourseSchema,
  async run(tx, { viewer, request }, input) {
    const { id } = await tx
      .insert(courses)
      .values({
        name: input.name,
        columnName: input.columnName,
        publisher: input.publisher,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        description: input.description,
        createdBy: viewer.id,
      })
      .returning({ id: courses.id })
      .get();
    if (viewer.role === 'organizer') {
      await tx.insert(courseOrganizers).values({ courseId: id, userId: viewer.id }).run();
    }
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'course.create',
      targetType: 'course',
      targetId: id,
      detail: { name: input.name },
    });
    return { ok: true as const, id };
  },
});

export const updateCourse = mutation({
  roles: ['organizer', 'admin'],
  schema: updateCourseSchema,
  async run(tx, { viewer, request }, input) {
    await managedCourseOrNotFound(tx, viewer, input.id);
    const before = await tx.select().from(courses).where(eq(courses.id, input.id)).get();
    const fields = {
      name: input.name,
      columnName: input.columnName,
      publisher: input.publisher,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      description: input.description,
    };
    const changed = before
      ? (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => before[k] !== fields[k])
      : [];
    await tx.update(courses)
      .set({ ...fields, updatedAt: new Date() })
      .where(eq(courses.id, input.id))
      .run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'course.update',
      targetType: 'course',
      targetId: input.id,
      detail: { changed },
    });
    return { ok: true as const, id: input.id };
  },
});

/** 归档 hides a finished course from the everyday lists; nothing in it changes. */
export const setCourseArchived = mutation({
  roles: ['organizer', 'admin'],
  schema: setCourseArchivedSchema,
  async run(tx, { viewer, request }, input) {
    await managedCourseOrNotFound(tx, viewer, input.id);
    await tx.update(courses)
      .set({ archived: input.archived, updatedAt: new Date() })
      .where(eq(courses.id, input.id))
      .run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: input.archived ? 'course.archive' : 'course.unarchive',
      targetType: 'course',
      targetId: input.id,
    });
    return { ok: true as const, id: input.id };
  },
});

export const COURSE_HAS_REFLECTIONS = '这个读书班已有学员写的学习心得，不能删除；不再使用可以归档';

/** Deletes a course set up by mistake; one with reflections in it is kept (archive it instead). */
export const deleteCourse = mutation({
  roles: ['organizer', 'admin'],
  schema: courseIdSchema,
  async run(tx, { viewer, request }, { id }) {
    const course = await managedCourseOrNotFound(tx, viewer, id);
    const written = (await tx.select({ n: count() }).from(reflections).where(eq(reflections.courseId, id)).get())?.n ?? 0;
    if (written > 0) return fail('conflict', COURSE_HAS_REFLECTIONS);
    await tx.delete(courses).where(eq(courses.id, id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'course.delete',
      targetType: 'course',
      targetId: id,
      detail: { name: course.name },
    });
    return { ok: true as const, id };
  },
});

// ---------------------------------------------------------------------------------------------
// 组织者: only admins assign them.

export interface OrganizerCandidateDto {
  id: number;
  name: string;
  username: string;
  title: string;
  assigned: boolean;
}

/** Active organizers whose 姓名 or 账号 contains q (at most 20), marked when they already run the course. */
export async function searchOrganizerCandidates(
  viewer: Viewer,
  { courseId, q }: { courseId: number; q: string },
): Promise<{ items: OrganizerCandidateDto[]; more: boolean }> {
  assertRole(viewer, 'admin');
  const db = getDb();
  if (!await db.select({ id: courses.id }).from(courses).where(eq(courses.id, courseId)).get()) notFound();
  const term = q.trim();
  if (!term) return { items: [], more: false };
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      username: users.username,
      title: users.title,
      assigned: sql<number>`exists (select 1 from course_organizers co where co.course_id = ${courseId} and co.user_id = ${qualified(users.id)})`,
    })
    .from(users)
    .where(
      and(
        eq(users.role, 'organizer'),
        eq(users.active, true),
        or(likeAnywhere(users.name, term), likeAnywhere(users.username, term.toLowerCase())),
      ),
    )
    .orderBy(asc(users.name), asc(users.id))
    .limit(21)
    .all();
  return {
    items: rows.slice(0, 20).map((r) => ({ ...r, assigned: !!r.assigned })),
    more: rows.length > 20,
  };
}

export const addCourseOrganizer = mutation({
  roles: ['admin'],
  schema: courseUserSchema,
  async run(tx, { viewer, request }, { courseId, userId }) {
    await managedCourseOrNotFound(tx, viewer, courseId);
    const user = await tx
      .select({ id: users.id, username: users.username, role: users.role, active: users.active })
      .from(users)
      .where(eq(users.id, userId))
      .get();
    if (!user || user.role !== 'organizer' || !user.active) {
      return fail('invalid', '只能指派在用的组织者账号', { userId: ['只能指派在用的组织者账号'] });
    }
    const exists = await tx
      .select({ userId: courseOrganizers.userId })
      .from(courseOrganizers)
      .where(and(eq(courseOrganizers.courseId, courseId), eq(courseOrganizers.userId, userId)))
      .get();
    if (exists) return fail('conflict', '这位组织者已在负责这个读书班');
    await tx.insert(courseOrganizers).values({ courseId, userId }).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'course.organizer.add',
      targetType: 'course',
      targetId: courseId,
      detail: { userId, username: user.username },
    });
    return { ok: true as const, id: courseId };
  },
});

/** Admins may remove any organizer, the last one included; the course page then warns. */
export const removeCourseOrganizer = mutation({
  roles: ['admin'],
  schema: courseUserSchema,
  async run(tx, { viewer, request }, { courseId, userId }) {
    await managedCourseOrNotFound(tx, viewer, courseId);
    const removed = await tx
      .delete(courseOrganizers)
      .where(and(eq(courseOrganizers.courseId, courseId), eq(courseOrganizers.userId, userId)))
      .returning({ userId: courseOrganizers.userId })
      .all();
    if (removed.length === 0) return fail('not_found', '这位组织者已不在这个读书班');
    const left = (await tx
      .select({ n: count() })
      .from(courseOrganizers)
      .where(and(eq(courseOrganizers.courseId, courseId), ne(courseOrganizers.userId, userId)))
      .get())?.n;
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'course.organizer.remove',
      targetType: 'course',
      targetId: courseId,
      detail: { userId, organizersLeft: left ?? 0 },
    });
    return { ok: true as const, id: courseId };
  },
});
