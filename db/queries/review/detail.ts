import 'server-only';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { prepared } from '@/db/queries/reflections/prepared';
import { allPrepared, managedCourse } from './statements';
import { assignments, courses, meetings, reflectionComments, reflections, reflectionVersions, units, users, type ReflectionStatus } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { HANDED_IN, type TagRef } from './scope';

// One reflection as the organizer reviews it: beside its assignment and readings, with every
// version handed in, the comments (internal notes included) and the course's tags.

export interface ReviewCommentDto {
  id: number;
  decision: 'approve' | 'return' | null;
  body: string;
  internal: boolean;
  version: number | null;
  authorName: string | null;
  createdAt: Date;
}

export interface ReviewVersionDto {
  version: number;
  title: string;
  body: string;
  charCount: number;
  late: boolean;
  submittedAt: Date;
}

export interface ReviewReflectionDto {
  id: number;
  revision: number;
  status: ReflectionStatus;
  excellent: boolean;
  late: boolean;
  title: string;
  body: string;
  charCount: number;
  versionCount: number;
  submittedAt: Date | null;
  author: { id: number; name: string; title: string; unitName: string | null; groupName: string | null };
  course: { id: number; name: string };
  meeting: { id: number; title: string; startsAt: Date | null };
  assignment: { id: number; title: string; prompt: string; dueAt: Date; minChars: number; maxChars: number };
  readings: { id: number; title: string; source: string }[];
  /** Of `readings`, those the cadre said they drew on. */
  citedReadingIds: number[];
  versions: ReviewVersionDto[];
  comments: ReviewCommentDto[];
  tags: TagRef[];
  courseTags: TagRef[];
}

/** The reflection as the organizer reviews it; another course's, a draft or a missing one is notFound(). */
export async function getReviewReflection(viewer: Viewer, { id }: { id: number }): Promise<ReviewReflectionDto> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const role = viewer.role;
  const row = await prepared(`review-detail:row:${role}`, () =>
    db
      .select({
        id: reflections.id,
        revision: reflections.revision,
        status: reflections.status,
        excellent: reflections.excellent,
        late: reflections.late,
        title: reflections.title,
        body: reflections.body,
        charCount: reflections.charCount,
        versionCount: reflections.versionCount,
        submittedAt: reflections.submittedAt,
        authorId: users.id,
        authorName: users.name,
        authorTitle: users.title,
        unitName: units.name,
        courseId: courses.id,
        courseName: courses.name,
        meetingId: meetings.id,
        meetingTitle: meetings.title,
        meetingStartsAt: meetings.startsAt,
        assignmentId: assignments.id,
        assignmentTitle: assignments.title,
        prompt: assignments.prompt,
        dueAt: assignments.dueAt,
        minChars: assignments.minChars,
        maxChars: assignments.maxChars,
        // The author's group in this course, here rather than a statement of its own.
        groupName: sql<string | null>`(select cg.name from course_members cm join course_groups cg on cg.id = cm.group_id
          where cm.course_id = ${reflections.courseId} and cm.user_id = ${reflections.authorId})`,
      })
      .from(reflections)
      .innerJoin(users, eq(users.id, reflections.authorId))
      .leftJoin(units, eq(units.id, users.unitId))
      .innerJoin(courses, eq(courses.id, reflections.courseId))
      .innerJoin(assignments, eq(assignments.id, reflections.assignmentId))
      .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
      .where(and(eq(reflections.id, sql.placeholder('id')), managedCourse(role, reflections.courseId), inArray(reflections.status, HANDED_IN)))
      .prepare(),
  ).get({ id, viewerId: viewer.id });
  if (!row) notFound();

  // Everything below is of that one reflection, found in the viewer's reach above. Each statement
  // of a page costs the server far more than SQLite's work for it (issue 15), so related reads
  // are one statement each.
  //
  // The assignment's readings (or its meeting's, when it names none), each with whether the cadre
  // said they drew on it. cited: 0/1 from SQLite, true/false from PostgreSQL.
  const readingRows = await allPrepared<{ id: number; title: string; source: string; cited: number | boolean }>(
    'review-detail:readings',
    () =>
      sql`select r.id as id, r.title as title, r.source as source,
                 exists (select 1 from reflection_readings rr where rr.reflection_id = ${sql.placeholder('id')} and rr.reading_id = r.id) as cited
          from readings r
          where r.id in (select ar.reading_id from assignment_readings ar where ar.assignment_id = ${sql.placeholder('assignmentId')})
             or (r.id in (select mr.reading_id from meeting_readings mr where mr.meeting_id = ${sql.placeholder('meetingId')})
                 and not exists (select 1 from assignment_readings ar where ar.assignment_id = ${sql.placeholder('assignmentId')}))
          order by r.id`,
    { id: row.id, assignmentId: row.assignmentId, meetingId: row.meetingId },
  );
  const versions = await prepared('review-detail:versions', () =>
    db
      .select({
        version: reflectionVersions.version,
        title: reflectionVersions.title,
        body: reflectionVersions.body,
        charCount: reflectionVersions.charCount,
        late: reflectionVersions.late,
        submittedAt: reflectionVersions.submittedAt,
      })
      .from(reflectionVersions)
      .where(eq(reflectionVersions.reflectionId, sql.placeholder('id')))
      .orderBy(desc(reflectionVersions.version))
      .prepare(),
  ).all({ id: row.id });
  const comments = await prepared('review-detail:comments', () =>
    db
      .select({
        id: reflectionComments.id,
        decision: reflectionComments.decision,
        body: reflectionComments.body,
        internal: reflectionComments.internal,
        version: reflectionComments.version,
        authorName: users.name,
        createdAt: reflectionComments.createdAt,
      })
      .from(reflectionComments)
      .leftJoin(users, eq(users.id, reflectionComments.authorId))
      .where(eq(reflectionComments.reflectionId, sql.placeholder('id')))
      .orderBy(asc(reflectionComments.createdAt), asc(reflectionComments.id))
      .prepare(),
  ).all({ id: row.id });
  // The course's tags and those applied to this reflection (its own course's, as tagging keeps
  // them), by name. 0/1 from SQLite, true/false from PostgreSQL.
  const tagRows = await allPrepared<{ id: number; name: string; inCourse: number | boolean; applied: number | boolean }>(
    'review-detail:tags',
    () =>
      sql`select t.id as id, t.name as name, t.course_id = ${sql.placeholder('courseId')} as "inCourse",
                 exists (select 1 from reflection_tags rt where rt.reflection_id = ${sql.placeholder('id')} and rt.tag_id = t.id) as applied
          from tags t
          where t.course_id = ${sql.placeholder('courseId')}
             or t.id in (select rt.tag_id from reflection_tags rt where rt.reflection_id = ${sql.placeholder('id')})
          order by t.name asc, t.id asc`,
    { id: row.id, courseId: row.courseId },
  );
  return {
    id: row.id,
    revision: row.revision,
    status: row.status,
    excellent: row.excellent,
    late: row.late,
    title: row.title,
    body: row.body,
    charCount: row.charCount,
    versionCount: row.versionCount,
    submittedAt: row.submittedAt,
    author: { id: row.authorId, name: row.authorName, title: row.authorTitle, unitName: row.unitName, groupName: row.groupName ?? null },
    course: { id: row.courseId, name: row.courseName },
    meeting: { id: row.meetingId, title: row.meetingTitle, startsAt: row.meetingStartsAt },
    assignment: {
      id: row.assignmentId,
      title: row.assignmentTitle,
      prompt: row.prompt,
      dueAt: row.dueAt,
      minChars: row.minChars,
      maxChars: row.maxChars,
    },
    readings: readingRows.map((r) => ({ id: r.id, title: r.title, source: r.source })),
    citedReadingIds: readingRows.filter((r) => Boolean(r.cited)).map((r) => r.id),
    versions,
    comments,
    tags: tagRows.filter((t) => Boolean(t.applied)).map((t) => ({ id: t.id, name: t.name })),
    courseTags: tagRows.filter((t) => Boolean(t.inCourse)).map((t) => ({ id: t.id, name: t.name })),
  };
}

/** A 评语库 entry as the decision form offers it: the text to insert and whose it is. */
export interface DecisionBankDto {
  id: number;
  body: string;
  /** 本班 (shared with the course's organizers) or 个人 (the viewer's own). */
  scope: '本班' | '个人';
}

/**
 * The 评语库 entries the decision form of a reflection in `courseId` offers: the viewer's personal
 * ones and those shared with that course when the viewer runs it (listCommentBank with a course,
 * as one statement prepared once per role).
 */
export async function listDecisionBank(viewer: Viewer, { courseId }: { courseId: number }): Promise<DecisionBankDto[]> {
  assertRole(viewer, 'organizer', 'admin');
  // shared: 0/1 from SQLite, true/false from PostgreSQL. Personal entries first (nulls first: SQLite's
  // default order for asc, PostgreSQL's for desc).
  return (await allPrepared<{ id: number; body: string; shared: number | boolean }>(
    `review-detail:bank:${viewer.role}`,
    () =>
      sql`select cb.id as id, cb.body as body, cb.course_id is not null as shared from comment_bank cb
          where (cb.owner_id = ${sql.placeholder('viewerId')} and cb.course_id is null)
             or (cb.course_id = ${sql.placeholder('courseId')} and ${managedCourse(viewer.role, sql`cb.course_id`)})
          order by cb.course_id asc nulls first, cb.created_at desc, cb.id desc limit 500`,
    { viewerId: viewer.id, courseId },
  )).map((r) => ({ id: r.id, body: r.body, scope: r.shared ? '本班' : '个人' }));
}
