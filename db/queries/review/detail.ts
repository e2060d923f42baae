import 'server-only';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { prepared } from '@/db/queries/reflections/prepared';
import { allPrepared, managedCourse } from './statements';
import {
  assignmentReadings,
  assignments,
  courseGroups,
  courseMembers,
  courses,
  meetingReadings,
  meetings,
  readings,
  reflectionComments,
  reflections,
  reflectionVersions,
  tags,
  units,
  users,
  type ReflectionStatus,
} from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { HANDED_IN, tagsOf, type TagRef } from './scope';

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
  /** The readings the cadre said they drew on. */
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

  // Everything below is of that one reflection, found in the viewer's reach above.
  const group = await prepared('review-detail:group', () =>
    db
      .select({ name: courseGroups.name })
      .from(courseMembers)
      .innerJoin(courseGroups, eq(courseGroups.id, courseMembers.groupId))
      .where(and(eq(courseMembers.courseId, sql.placeholder('courseId')), eq(courseMembers.userId, sql.placeholder('authorId'))))
      .prepare(),
  ).get({ courseId: row.courseId, authorId: row.authorId });
  let readingRows = await prepared('review-detail:assignment-readings', () =>
    db
      .select({ id: readings.id, title: readings.title, source: readings.source })
      .from(assignmentReadings)
      .innerJoin(readings, eq(readings.id, assignmentReadings.readingId))
      .where(eq(assignmentReadings.assignmentId, sql.placeholder('assignmentId')))
      .orderBy(asc(readings.id))
      .prepare(),
  ).all({ assignmentId: row.assignmentId });
  if (readingRows.length === 0) {
    readingRows = await prepared('review-detail:meeting-readings', () =>
      db
        .select({ id: readings.id, title: readings.title, source: readings.source })
        .from(meetingReadings)
        .innerJoin(readings, eq(readings.id, meetingReadings.readingId))
        .where(eq(meetingReadings.meetingId, sql.placeholder('meetingId')))
        .orderBy(asc(readings.id))
        .prepare(),
    ).all({ meetingId: row.meetingId });
  }
  const cited = (
    await allPrepared<{ id: number }>(
      'review-detail:cited',
      () => sql`select reading_id as id from reflection_readings where reflection_id = ${sql.placeholder('id')} order by reading_id`,
      { id: row.id },
    )
  ).map((r) => r.id);
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
  const courseTags = await prepared('review-detail:course-tags', () =>
    db
      .select({ id: tags.id, name: tags.name })
      .from(tags)
      .where(eq(tags.courseId, sql.placeholder('courseId')))
      .orderBy(asc(tags.name))
      .prepare(),
  ).all({ courseId: row.courseId });
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
    author: { id: row.authorId, name: row.authorName, title: row.authorTitle, unitName: row.unitName, groupName: group?.name ?? null },
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
    readings: readingRows,
    citedReadingIds: cited,
    versions,
    comments,
    tags: (await tagsOf(db, [row.id])).get(row.id) ?? [],
    courseTags,
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
