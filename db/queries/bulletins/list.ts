import 'server-only';
import { and, asc, count, desc, eq, exists, or, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, type DB, type Tx } from '@/db';
import { mutation } from '@/db/mutation';
import { prepared } from '@/db/queries/reflections/prepared';
import { courseManagedBy } from '@/db/queries/scope';
import { groupConcat, jsonArrayText, likeAnywhere, qualified } from '@/db/sql-kit';
import { assignments, bulletinItems, bulletins, courses, meetings, reflections, reflectionTags, tags, users, type BulletinStatus } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { itemHeading, nextBulletinNumber } from '@/lib/bulletin/format';
import { countChars } from '@/lib/text/char-count';
import { candidateFilterSchema, type CandidateFilter } from '@/lib/validation/bulletins';
import { editDto, managedBulletin, managedCourse, type BulletinEditDto } from './shared';

// What organizers read: the bulletins of a course, one bulletin to compose, and the approved
// reflections the picker offers.

export interface BulletinListItemDto {
  id: number;
  number: number;
  title: string;
  status: BulletinStatus;
  publishedRevision: number;
  issuedOn: string;
  itemCount: number;
  imported: boolean;
  updatedAt: Date;
}

export interface BulletinCourseDto {
  id: number;
  name: string;
  columnName: string;
}

/** The courses this viewer manages (for the course picker) and the bulletins of the chosen one. */
export async function listBulletins(
  viewer: Viewer,
  { courseId }: { courseId?: number } = {},
): Promise<{ courses: BulletinCourseDto[]; course: BulletinCourseDto | null; items: BulletinListItemDto[]; nextNumber: number }> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const courseList = await db
    .select({ id: courses.id, name: courses.name, columnName: courses.columnName })
    .from(courses)
    .where(and(courseManagedBy(viewer, courses.id), eq(courses.archived, false)))
    .orderBy(desc(courses.startsOn), desc(courses.id))
    .all();
  let course: BulletinCourseDto | null = null;
  if (courseId !== undefined) {
    course =
      await db
        .select({ id: courses.id, name: courses.name, columnName: courses.columnName })
        .from(courses)
        .where(and(eq(courses.id, courseId), courseManagedBy(viewer, courses.id)))
        .get() ?? null;
    if (!course) notFound();
  } else {
    course = courseList[0] ?? null;
  }
  if (!course) return { courses: courseList, course: null, items: [], nextNumber: 1 };
  const items = await db
    .select({
      id: bulletins.id,
      number: bulletins.number,
      title: bulletins.title,
      status: bulletins.status,
      publishedRevision: bulletins.publishedRevision,
      issuedOn: bulletins.issuedOn,
      imported: bulletins.imported,
      updatedAt: bulletins.updatedAt,
      itemCount: sql<number>`(select count(*) from bulletin_items bi where bi.bulletin_id = ${qualified(bulletins.id)})`,
    })
    .from(bulletins)
    .where(eq(bulletins.courseId, course.id))
    .orderBy(desc(bulletins.number))
    .all();
  return { courses: courseList, course, items, nextNumber: nextBulletinNumber(items.map((i) => i.number)) };
}

/** One bulletin for its course's organizers, with items and published revisions. */
export async function getBulletinForEdit(viewer: Viewer, { id }: { id: number }): Promise<BulletinEditDto> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  return await editDto(db, await managedBulletin(db, viewer, id));
}

// ---------------------------------------------------------------------------------------------
// The item picker

export interface CandidateDto {
  reflectionId: number;
  authorId: number;
  authorName: string;
  authorTitle: string;
  title: string;
  body: string;
  revision: number;
  excellent: boolean;
  meetingTitle: string;
  charCount: number;
  tags: string[];
  order: OrderKeyDto;
}

/** What 按发言顺序 and 按单位 sort a reflection by. */
export interface OrderKeyDto {
  /** When it was first handed in (ms), the order the cadres spoke in. */
  spokenAt: number | null;
  /** The author's 单位 in tree order: parent's 排序 and name, then its own; null without a 单位. */
  unit: (string | number)[] | null;
}

/** The columns of OrderKeyDto, for a query over reflections joined with their authors. */
function orderColumns() {
  return {
    spokenAt: sql<number | null>`coalesce((select min(v.submitted_at) from reflection_versions v where v.reflection_id = ${qualified(reflections.id)}), ${qualified(reflections.submittedAt)})`,
    unitRank: sql<string | null>`(select ${jsonArrayText(sql`coalesce(p.sort_order, -1)`, sql`coalesce(p.name, '')`, sql`u.sort_order`, sql`u.name`)}
      from units u left join units p on p.id = u.parent_id where u.id = ${qualified(users.unitId)})`,
  };
}

function orderKeyOf(r: { spokenAt: number | null; unitRank: string | null }): OrderKeyDto {
  return { spokenAt: r.spokenAt, unit: r.unitRank ? (JSON.parse(r.unitRank) as (string | number)[]) : null };
}

/** The order keys of the reflections a bulletin's items came from, for its organizers. */
export async function listItemOrderKeys(viewer: Viewer, { id }: { id: number }): Promise<Record<number, OrderKeyDto>> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const row = await managedBulletin(db, viewer, id);
  return await orderKeysOf(row.id, row.courseId);
}

/** listItemOrderKeys for a bulletin already found in the viewer's reach. */
export async function orderKeysOf(bulletinId: number, courseId: number): Promise<Record<number, OrderKeyDto>> {
  const rows = await prepared('bulletins:item-order-keys', (d) =>
    d
      .select({ reflectionId: reflections.id, ...orderColumns() })
      .from(bulletinItems)
      .innerJoin(reflections, eq(reflections.id, bulletinItems.reflectionId))
      .innerJoin(users, eq(users.id, reflections.authorId))
      .where(and(eq(bulletinItems.bulletinId, sql.placeholder('bulletinId')), eq(reflections.courseId, sql.placeholder('courseId'))))
      .prepare(),
  ).all({ bulletinId, courseId });
  return Object.fromEntries(rows.map((r) => [r.reflectionId, orderKeyOf(r)]));
}

export interface CandidateFiltersDto {
  meetings: { id: number; title: string }[];
  tags: { id: number; name: string }[];
}

/** 集中学习 and 标签 of a course, for the picker's filters. */
export async function listCandidateFilters(viewer: Viewer, { courseId }: { courseId: number }): Promise<CandidateFiltersDto> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  await managedCourse(db, viewer, courseId);
  return await candidateFiltersOf(courseId);
}

/** listCandidateFilters for a course already found in the viewer's reach. */
export async function candidateFiltersOf(courseId: number): Promise<CandidateFiltersDto> {
  return {
    meetings: await prepared('bulletins:candidate-meetings', (d) =>
      d
        .select({ id: meetings.id, title: meetings.title })
        .from(meetings)
        .where(eq(meetings.courseId, sql.placeholder('courseId')))
        .orderBy(asc(meetings.startsAt), asc(meetings.id))
        .prepare(),
    ).all({ courseId }),
    tags: await candidateTagsOf(courseId),
  };
}

/** The course's 标签 by name, for the picker's filter (and the compose page's drafts). */
export async function candidateTagsOf(courseId: number): Promise<{ id: number; name: string }[]> {
  return await prepared('bulletins:candidate-tags', (d) =>
    d
      .select({ id: tags.id, name: tags.name })
      .from(tags)
      .where(eq(tags.courseId, sql.placeholder('courseId')))
      .orderBy(asc(tags.name))
      .prepare(),
  ).all({ courseId });
}

export const CANDIDATE_LIMIT = 60;

async function candidatesIn(db: DB | Tx, viewer: Viewer, f: CandidateFilter): Promise<{ items: CandidateDto[]; total: number }> {
  const conditions: (SQL | undefined)[] = [
    eq(reflections.courseId, f.courseId),
    courseManagedBy(viewer, reflections.courseId),
    eq(reflections.status, 'approved'),
  ];
  if (f.meetingId) conditions.push(eq(assignments.meetingId, f.meetingId));
  if (f.tagId) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(reflectionTags)
          .where(and(eq(reflectionTags.reflectionId, qualified(reflections.id)), eq(reflectionTags.tagId, f.tagId))),
      ),
    );
  }
  if (f.excellent) conditions.push(eq(reflections.excellent, true));
  if (f.q) conditions.push(or(likeAnywhere(reflections.title, f.q), likeAnywhere(reflections.body, f.q), likeAnywhere(users.name, f.q)));
  const where = and(...conditions);
  const base = await db
    .select({ n: count() })
    .from(reflections)
    .innerJoin(users, eq(users.id, reflections.authorId))
    .innerJoin(assignments, eq(assignments.id, reflections.assignmentId))
    .where(where)
    .get();
  const rows = await db
    .select({
      reflectionId: reflections.id,
      authorId: reflections.authorId,
      authorName: users.name,
      authorTitle: users.title,
      title: reflections.title,
      body: reflections.body,
      revision: reflections.revision,
      excellent: reflections.excellent,
      meetingTitle: meetings.title,
      charCount: reflections.charCount,
      tags: sql<string | null>`(select ${groupConcat(sql`t.name`, '、', sql`rt.tag_id`)} from reflection_tags rt join tags t on t.id = rt.tag_id
        where rt.reflection_id = ${qualified(reflections.id)})`,
      ...orderColumns(),
    })
    .from(reflections)
    .innerJoin(users, eq(users.id, reflections.authorId))
    .innerJoin(assignments, eq(assignments.id, reflections.assignmentId))
    .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
    .where(where)
    .orderBy(desc(reflections.excellent), desc(reflections.submittedAt), desc(reflections.id))
    .limit(CANDIDATE_LIMIT)
    .all();
  return {
    total: base?.n ?? 0,
    items: rows.map(({ spokenAt, unitRank, ...r }) => ({
      ...r,
      tags: r.tags ? r.tags.split('、') : [],
      charCount: r.charCount || countChars(r.body),
      order: orderKeyOf({ spokenAt, unitRank }),
    })),
  };
}

/**
 * Approved reflections of the course, by meeting, tag, 优秀 and a LIKE search over title, text
 * and author (the FTS search of the review desk is not used here yet), 优秀 first. It writes
 * nothing; it goes through the kernel so that the picker's action gets the same role,
 * one-time-password and zod checks as every other, and another course's organizer is answered
 * not_found rather than an empty list.
 */
export const listBulletinCandidates = mutation({
  roles: ['organizer', 'admin'],
  schema: candidateFilterSchema,
  async run(tx, { viewer }, f) {
    await managedCourse(tx, viewer, f.courseId);
    return { ok: true as const, ...await candidatesIn(tx, viewer, f) };
  },
});

/** An item's default heading: "{职务} {姓名}" as the roster has them now. */
export function candidateHeading(c: Pick<CandidateDto, 'authorTitle' | 'authorName'>): string {
  return itemHeading(c.authorTitle, c.authorName);
}
