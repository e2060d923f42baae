import 'server-only';
import { and, asc, count, desc, eq, max, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, type DB, type Tx } from '@/db';
import { prepared } from '@/db/queries/reflections/prepared';
import { managedCourse as reach } from '@/db/queries/review/statements';
import { courseManagedBy } from '@/db/queries/scope';
import { assignments, bulletinItems, bulletinRevisions, bulletins, courses, meetings, reflections, users, type BulletinStatus } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import type { Viewer } from '@/lib/auth/viewer-type';
import { nextBulletinNumber, type BulletinContent, type BulletinItemContent } from '@/lib/bulletin/format';
import { shanghaiParts } from '@/lib/time';
import type { SaveBulletinInput } from '@/lib/validation/bulletins';

// 简报: organizers of a course compile its approved reflections into numbered bulletins, publish
// them as read-only revisions, correct and withdraw them; members of the course read what is
// published. Organizer functions scope by courseManagedBy, cadre functions by courseVisibleTo,
// both in the WHERE clause; "not yours" and "absent" are the same notFound(). This module holds
// what the list, compose, publish, member and import modules share.

export const STATUS_LABELS: Record<BulletinStatus, string> = { draft: '草稿', published: '已发布', unpublished: '已撤回' };

export function todayInShanghai(now = new Date()): string {
  const p = shanghaiParts(now);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export function numberTaken(n: number): Failure {
  return fail('number_taken', `第${n}期已存在，请换一个期号`, { number: [`第${n}期已存在`] });
}

/** The bulletin row when this viewer manages its course; notFound() otherwise. */
export async function managedBulletin(tx: DB | Tx, viewer: Viewer, id: number) {
  const row =
    tx === getDb()
      ? await prepared(`bulletins:managed-bulletin:${viewer.role}`, (db) =>
          db
            .select()
            .from(bulletins)
            .where(and(eq(bulletins.id, sql.placeholder('id')), reach(viewer.role, bulletins.courseId)))
            .prepare(),
        ).get({ id, viewerId: viewer.id })
      : await tx
          .select()
          .from(bulletins)
          .where(and(eq(bulletins.id, id), courseManagedBy(viewer, bulletins.courseId)))
          .get();
  if (!row) notFound();
  return row;
}

export async function managedCourse(tx: DB | Tx, viewer: Viewer, courseId: number) {
  const columns = { id: courses.id, name: courses.name, columnName: courses.columnName, publisher: courses.publisher };
  const row =
    tx === getDb()
      ? await prepared(`bulletins:managed-course:${viewer.role}`, (db) =>
          db
            .select(columns)
            .from(courses)
            .where(and(eq(courses.id, sql.placeholder('courseId')), reach(viewer.role, courses.id)))
            .prepare(),
        ).get({ courseId, viewerId: viewer.id })
      : await tx
          .select(columns)
          .from(courses)
          .where(and(eq(courses.id, courseId), courseManagedBy(viewer, courses.id)))
          .get();
  if (!row) notFound();
  return row;
}

export async function suggestNumber(tx: DB | Tx, courseId: number): Promise<number> {
  const top = (await tx.select({ n: max(bulletins.number) }).from(bulletins).where(eq(bulletins.courseId, courseId)).get())?.n ?? 0;
  return nextBulletinNumber([top]);
}

/** The bulletin's own fields (everything the organizer edits except its items), from a parsed form. */
export type BulletinFields = Pick<
  SaveBulletinInput,
  'number' | 'title' | 'headline' | 'editor' | 'issuedOn' | 'publisher' | 'lead' | 'summary' | 'transition' | 'reportTo' | 'sendTo' | 'issueTo' | 'copies'
>;

export function bulletinFieldsOf(input: BulletinFields): BulletinFields {
  const { number, title, headline, editor, issuedOn, publisher, lead, summary, transition, reportTo, sendTo, issueTo, copies } = input;
  return { number, title, headline, editor, issuedOn, publisher, lead, summary, transition, reportTo, sendTo, issueTo, copies };
}

/** The meeting most of the bulletin's items were written for (the headline is derived from it). */
export async function bulletinMeetingTitle(tx: DB | Tx, bulletinId: number): Promise<string> {
  const query = (db: DB | Tx) =>
    db
      .select({ title: meetings.title, n: count() })
      .from(bulletinItems)
      .innerJoin(reflections, eq(reflections.id, bulletinItems.reflectionId))
      .innerJoin(assignments, eq(assignments.id, reflections.assignmentId))
      .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
      .where(eq(bulletinItems.bulletinId, sql.placeholder('bulletinId')))
      .groupBy(meetings.id)
      .orderBy(desc(count()), asc(meetings.id))
      .limit(1);
  const row = await (tx === getDb() ? prepared('bulletins:meeting-title', (db) => query(db).prepare()) : query(tx).prepare()).get({ bulletinId });
  return row?.title ?? '';
}

export interface BulletinItemDto extends BulletinItemContent {
  id: number;
  reflectionId: number | null;
  authorId: number | null;
  sourceRevision: number | null;
  /** The reflection changed after the item was added (原文在加入后有修改). */
  changed: boolean;
  /** The reflection's current approved text, to refresh from when it changed. */
  currentBody: string | null;
  /** The reflection's text as it stands (null for an item without one, e.g. imported): what 全文 / 要点 are taken from. */
  sourceBody: string | null;
  currentRevision: number | null;
}

export interface BulletinRevisionDto {
  revisionNo: number;
  note: string;
  publishedAt: Date;
  publishedBy: string | null;
}

export interface BulletinEditDto {
  id: number;
  course: { id: number; name: string; columnName: string; publisher: string };
  number: number;
  title: string;
  headline: string;
  /** The meeting most items came from; '' when none. */
  meetingTitle: string;
  editor: string;
  issuedOn: string;
  publisher: string;
  lead: string;
  summary: string;
  transition: string;
  reportTo: string;
  sendTo: string;
  issueTo: string;
  copies: number;
  status: BulletinStatus;
  revision: number;
  publishedRevision: number;
  imported: boolean;
  updatedAt: Date;
  items: BulletinItemDto[];
  revisions: BulletinRevisionDto[];
}

export async function editDto(tx: DB | Tx, row: typeof bulletins.$inferSelect): Promise<BulletinEditDto> {
  // Outside a transaction (the compose page) each query is prepared once (reflections/prepared.ts).
  const run = <Q extends { prepare: () => unknown }>(name: string, build: (db: DB | Tx) => Q): ReturnType<Q['prepare']> =>
    (tx === getDb() ? prepared(name, (db) => build(db).prepare()) : build(tx).prepare()) as ReturnType<Q['prepare']>;
  const bulletinId = sql.placeholder('bulletinId');
  const course = await run('bulletins:edit-course', (db) =>
    db
      .select({ id: courses.id, name: courses.name, columnName: courses.columnName, publisher: courses.publisher })
      .from(courses)
      .where(eq(courses.id, sql.placeholder('courseId'))),
  ).get({ courseId: row.courseId });
  if (!course) notFound();
  const items = await run('bulletins:edit-items', (db) =>
    db
      .select({
        id: bulletinItems.id,
        reflectionId: bulletinItems.reflectionId,
        authorId: bulletinItems.authorId,
        heading: bulletinItems.heading,
        authorName: bulletinItems.authorName,
        authorTitle: bulletinItems.authorTitle,
        body: bulletinItems.body,
        sourceRevision: bulletinItems.sourceRevision,
        currentRevision: reflections.revision,
        currentBody: reflections.body,
        currentStatus: reflections.status,
      })
      .from(bulletinItems)
      .leftJoin(reflections, eq(reflections.id, bulletinItems.reflectionId))
      .where(eq(bulletinItems.bulletinId, bulletinId))
      .orderBy(asc(bulletinItems.position), asc(bulletinItems.id)),
  ).all({ bulletinId: row.id });
  const revisions = await run('bulletins:edit-revisions', (db) =>
    db
      .select({
        revisionNo: bulletinRevisions.revisionNo,
        note: bulletinRevisions.note,
        publishedAt: bulletinRevisions.publishedAt,
        publishedBy: users.name,
      })
      .from(bulletinRevisions)
      .leftJoin(users, eq(users.id, bulletinRevisions.publishedBy))
      .where(eq(bulletinRevisions.bulletinId, bulletinId))
      .orderBy(desc(bulletinRevisions.revisionNo)),
  ).all({ bulletinId: row.id });
  return {
    id: row.id,
    course,
    number: row.number,
    title: row.title,
    headline: row.headline,
    meetingTitle: await bulletinMeetingTitle(tx, row.id),
    editor: row.editor,
    issuedOn: row.issuedOn,
    publisher: row.publisher,
    lead: row.lead,
    summary: row.summary,
    transition: row.transition,
    reportTo: row.reportTo,
    sendTo: row.sendTo,
    issueTo: row.issueTo,
    copies: row.copies,
    status: row.status,
    revision: row.revision,
    publishedRevision: row.publishedRevision,
    imported: row.imported,
    updatedAt: row.updatedAt,
    revisions,
    items: items.map((i) => {
      const changed =
        i.currentRevision !== null && i.sourceRevision !== null && i.currentRevision > i.sourceRevision && i.currentStatus === 'approved';
      return {
        id: i.id,
        reflectionId: i.reflectionId,
        authorId: i.authorId,
        heading: i.heading,
        authorName: i.authorName,
        authorTitle: i.authorTitle,
        body: i.body,
        sourceRevision: i.sourceRevision,
        changed,
        currentBody: changed ? i.currentBody : null,
        sourceBody: i.reflectionId !== null && i.currentStatus === 'approved' ? i.currentBody : null,
        currentRevision: i.currentRevision,
      };
    }),
  };
}

/** The content every view and export renders, from the bulletin's current fields and items. */
export function contentOf(dto: Pick<BulletinEditDto, 'course' | 'number' | 'title' | 'headline' | 'meetingTitle' | 'editor' | 'issuedOn' | 'publisher' | 'lead' | 'summary' | 'transition' | 'reportTo' | 'sendTo' | 'issueTo' | 'copies'> & { items: BulletinItemContent[] }): BulletinContent {
  return {
    courseName: dto.course.name,
    columnName: dto.course.columnName,
    number: dto.number,
    title: dto.title,
    headline: dto.headline,
    meetingTitle: dto.meetingTitle,
    editor: dto.editor,
    issuedOn: dto.issuedOn,
    publisher: dto.publisher,
    lead: dto.lead,
    summary: dto.summary,
    transition: dto.transition,
    items: dto.items.map((i) => ({ heading: i.heading, authorName: i.authorName, authorTitle: i.authorTitle, body: i.body })),
    reportTo: dto.reportTo,
    sendTo: dto.sendTo,
    issueTo: dto.issueTo,
    copies: dto.copies,
  };
}
