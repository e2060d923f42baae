import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, asc, count, desc, eq, exists, gt, inArray, max, ne, or, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, type DB, type Tx } from '@/db';
import { likeAnywhere, qualified } from '@/db/sql-kit';
import { notify } from '@/db/queries/notifications';
import { courseManagedBy, courseVisibleTo } from '@/db/queries/scope';
import {
  assignments,
  auditLog,
  bulletinItems,
  bulletinRevisions,
  bulletins,
  courseMembers,
  courses,
  meetings,
  reflections,
  reflectionTags,
  reflectionVersions,
  tags,
  users,
  type BulletinStatus,
} from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { writeAudit } from '@/db/audit';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import {
  defaultBulletinTitle,
  DEFAULT_TRANSITION,
  itemHeading,
  nextBulletinNumber,
  type BulletinContent,
  type BulletinItemContent,
} from '@/lib/bulletin/format';
import { parseBulletin, type ParsedBulletin } from '@/lib/bulletin/parse';
import type { RequestInfo } from '@/lib/request';
import { countChars } from '@/lib/text/char-count';
import { shanghaiParts } from '@/lib/time';
import type { CandidateFilter, CommitImportInput, SaveBulletinInput } from '@/lib/validation/bulletins';
import { indexReflection } from './search-index';

// 简报: organizers of a course compile its approved reflections into numbered bulletins, publish
// them as read-only revisions, correct and withdraw them; members of the course read what is
// published. Organizer functions scope by courseManagedBy, cadre functions by courseVisibleTo,
// both in the WHERE clause; "not yours" and "absent" are the same notFound().

const UNUSABLE_PASSWORD = '!imported';

function actor(viewer: Viewer, req: RequestInfo) {
  return { actorId: viewer.id, actorUsername: viewer.username, ip: req.ip };
}

function todayInShanghai(now = new Date()): string {
  const p = shanghaiParts(now);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function numberTaken(n: number): Failure {
  return fail('number_taken', `第${n}期已存在,请换一个期号`, { number: [`第${n}期已存在`] });
}

export const STATUS_LABELS: Record<BulletinStatus, string> = { draft: '草稿', published: '已发布', unpublished: '已撤回' };

/** The bulletin row when this viewer manages its course; notFound() otherwise. */
function managedBulletin(tx: DB | Tx, viewer: Viewer, id: number) {
  const row = tx
    .select()
    .from(bulletins)
    .where(and(eq(bulletins.id, id), courseManagedBy(viewer, bulletins.courseId)))
    .get();
  if (!row) notFound();
  return row;
}

function managedCourse(tx: DB | Tx, viewer: Viewer, courseId: number) {
  const row = tx
    .select({ id: courses.id, name: courses.name, columnName: courses.columnName, publisher: courses.publisher })
    .from(courses)
    .where(and(eq(courses.id, courseId), courseManagedBy(viewer, courses.id)))
    .get();
  if (!row) notFound();
  return row;
}

// ---------------------------------------------------------------------------------------------
// Lists

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
export function listBulletins(
  viewer: Viewer,
  { courseId }: { courseId?: number } = {},
): { courses: BulletinCourseDto[]; course: BulletinCourseDto | null; items: BulletinListItemDto[]; nextNumber: number } {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const courseList = db
    .select({ id: courses.id, name: courses.name, columnName: courses.columnName })
    .from(courses)
    .where(and(courseManagedBy(viewer, courses.id), eq(courses.archived, false)))
    .orderBy(desc(courses.startsOn), desc(courses.id))
    .all();
  let course: BulletinCourseDto | null = null;
  if (courseId !== undefined) {
    course =
      db
        .select({ id: courses.id, name: courses.name, columnName: courses.columnName })
        .from(courses)
        .where(and(eq(courses.id, courseId), courseManagedBy(viewer, courses.id)))
        .get() ?? null;
    if (!course) notFound();
  } else {
    course = courseList[0] ?? null;
  }
  if (!course) return { courses: courseList, course: null, items: [], nextNumber: 1 };
  const items = db
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

function suggestNumber(tx: DB | Tx, courseId: number): number {
  const top = tx.select({ n: max(bulletins.number) }).from(bulletins).where(eq(bulletins.courseId, courseId)).get()?.n ?? 0;
  return nextBulletinNumber([top]);
}

// ---------------------------------------------------------------------------------------------
// Create

export type CreateResult = { ok: true; id: number } | Failure;

/** A new draft with the next number, the default title, today's date and the course's 编印单位. */
export function createBulletin(viewer: Viewer, { courseId }: { courseId: number }, req: RequestInfo): CreateResult {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  return db.transaction((tx) => {
    const course = managedCourse(tx, viewer, courseId);
    const number = suggestNumber(tx, course.id);
    const id = tx
      .insert(bulletins)
      .values({
        courseId: course.id,
        number,
        title: defaultBulletinTitle({ columnName: course.columnName, courseName: course.name, number }),
        issuedOn: todayInShanghai(),
        publisher: course.publisher,
        editor: viewer.name,
        transition: DEFAULT_TRANSITION,
        createdBy: viewer.id,
      })
      .returning({ id: bulletins.id })
      .get().id;
    writeAudit(tx, { ...actor(viewer, req), action: 'bulletin.create', targetType: 'bulletin', targetId: id, detail: { courseId, number } });
    return { ok: true as const, id };
  });
}

// ---------------------------------------------------------------------------------------------
// The compose screen

export interface BulletinItemDto extends BulletinItemContent {
  id: number;
  reflectionId: number | null;
  authorId: number | null;
  sourceRevision: number | null;
  /** The reflection changed after the item was added (原文在加入后有修改). */
  changed: boolean;
  /** The reflection's current approved text, to refresh from when it changed. */
  currentBody: string | null;
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

function editDto(tx: DB | Tx, row: typeof bulletins.$inferSelect): BulletinEditDto {
  const course = tx
    .select({ id: courses.id, name: courses.name, columnName: courses.columnName, publisher: courses.publisher })
    .from(courses)
    .where(eq(courses.id, row.courseId))
    .get();
  if (!course) notFound();
  const items = tx
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
    .where(eq(bulletinItems.bulletinId, row.id))
    .orderBy(asc(bulletinItems.position), asc(bulletinItems.id))
    .all();
  const revisions = tx
    .select({
      revisionNo: bulletinRevisions.revisionNo,
      note: bulletinRevisions.note,
      publishedAt: bulletinRevisions.publishedAt,
      publishedBy: users.name,
    })
    .from(bulletinRevisions)
    .leftJoin(users, eq(users.id, bulletinRevisions.publishedBy))
    .where(eq(bulletinRevisions.bulletinId, row.id))
    .orderBy(desc(bulletinRevisions.revisionNo))
    .all();
  return {
    id: row.id,
    course,
    number: row.number,
    title: row.title,
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
        currentRevision: i.currentRevision,
      };
    }),
  };
}

/** One bulletin for its course's organizers, with items and published revisions. */
export function getBulletinForEdit(viewer: Viewer, { id }: { id: number }): BulletinEditDto {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  return editDto(db, managedBulletin(db, viewer, id));
}

/** The content every view and export renders, from the bulletin's current fields and items. */
export function contentOf(dto: Pick<BulletinEditDto, 'course' | 'number' | 'title' | 'editor' | 'issuedOn' | 'publisher' | 'lead' | 'summary' | 'transition' | 'reportTo' | 'sendTo' | 'issueTo' | 'copies'> & { items: BulletinItemContent[] }): BulletinContent {
  return {
    courseName: dto.course.name,
    columnName: dto.course.columnName,
    number: dto.number,
    title: dto.title,
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

export type SaveResult =
  | { ok: true; revision: number; bulletin: BulletinEditDto }
  | (Failure & { current?: BulletinEditDto });

/** The bulletin's own fields (everything the organizer edits except its items), from a parsed form. */
type BulletinFields = Pick<
  SaveBulletinInput,
  'number' | 'title' | 'editor' | 'issuedOn' | 'publisher' | 'lead' | 'summary' | 'transition' | 'reportTo' | 'sendTo' | 'issueTo' | 'copies'
>;

function bulletinFieldsOf(input: BulletinFields): BulletinFields {
  const { number, title, editor, issuedOn, publisher, lead, summary, transition, reportTo, sendTo, issueTo, copies } = input;
  return { number, title, editor, issuedOn, publisher, lead, summary, transition, reportTo, sendTo, issueTo, copies };
}

/**
 * Saves the whole draft: fields and items in order. The save names the revision it started
 * from; when another organizer saved in between, nothing is written and the current copy comes
 * back so the screen can offer to reload or keep the typed text. A published bulletin is read-
 * only until 更正 reopens it.
 */
export function saveBulletin(viewer: Viewer, input: SaveBulletinInput, req: RequestInfo): SaveResult {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  try {
    return db.transaction((tx): SaveResult => {
      const row = managedBulletin(tx, viewer, input.id);
      if (row.revision !== input.expectedRevision) {
        return {
          ...fail('stale', `这期简报已被${lastEditorName(tx, row.id) ?? '其他组织者'}修改并保存。你的修改还在页面上,没有丢失;请载入最新内容后再合并,或以你的版本覆盖。`),
          current: editDto(tx, row),
        };
      }
      if (row.status === 'published') return fail('read_only', '已发布的简报是只读的。要修改,请先点“更正”。');
      const taken = tx
        .select({ id: bulletins.id })
        .from(bulletins)
        .where(and(eq(bulletins.courseId, row.courseId), eq(bulletins.number, input.number), ne(bulletins.id, row.id)))
        .get();
      if (taken) return numberTaken(input.number);

      const existing = new Map(
        tx.select().from(bulletinItems).where(eq(bulletinItems.bulletinId, row.id)).all().map((i) => [i.id, i]),
      );
      const wanted = input.items.filter((i) => i.reflectionId && !i.id).map((i) => i.reflectionId as number);
      const refreshIds = input.items.filter((i) => i.refreshed && i.reflectionId).map((i) => i.reflectionId as number);
      const sourceIds = [...new Set([...wanted, ...refreshIds])];
      const sources = new Map(
        (sourceIds.length
          ? tx
              .select({
                id: reflections.id,
                revision: reflections.revision,
                authorId: reflections.authorId,
                name: users.name,
                title: users.title,
              })
              .from(reflections)
              .innerJoin(users, eq(users.id, reflections.authorId))
              .where(and(inArray(reflections.id, sourceIds), eq(reflections.courseId, row.courseId), eq(reflections.status, 'approved')))
              .all()
          : []
        ).map((r) => [r.id, r]),
      );
      const values: (typeof bulletinItems.$inferInsert)[] = [];
      for (const [position, item] of input.items.entries()) {
        if (item.id) {
          const old = existing.get(item.id);
          if (!old) return fail('invalid', '有一条发言已被删除,请刷新页面后再保存');
          const src = item.refreshed && old.reflectionId ? sources.get(old.reflectionId) : undefined;
          values.push({
            bulletinId: row.id,
            position,
            reflectionId: old.reflectionId,
            authorId: old.authorId,
            heading: item.heading,
            authorName: old.authorName,
            authorTitle: old.authorTitle,
            body: item.body,
            sourceRevision: src ? src.revision : old.sourceRevision,
            createdAt: old.createdAt,
          });
        } else {
          const src = item.reflectionId ? sources.get(item.reflectionId) : undefined;
          if (!src) return fail('invalid', '所选的学习心得已不是“已通过”状态或不属于本读书班,请重新选择');
          values.push({
            bulletinId: row.id,
            position,
            reflectionId: src.id,
            authorId: src.authorId,
            heading: item.heading,
            authorName: src.name,
            authorTitle: src.title,
            body: item.body,
            sourceRevision: src.revision,
          });
        }
      }
      tx.delete(bulletinItems).where(eq(bulletinItems.bulletinId, row.id)).run();
      if (values.length) tx.insert(bulletinItems).values(values).run();
      const revision = row.revision + 1;
      tx.update(bulletins)
        .set({
          ...bulletinFieldsOf(input),
          revision,
          updatedAt: new Date(),
        })
        .where(and(eq(bulletins.id, row.id), eq(bulletins.revision, row.revision)))
        .run();
      writeAudit(tx, {
        ...actor(viewer, req),
        action: 'bulletin.save',
        targetType: 'bulletin',
        targetId: row.id,
        detail: { revision, items: values.length },
      });
      const fresh = tx.select().from(bulletins).where(eq(bulletins.id, row.id)).get();
      if (!fresh) notFound();
      return { ok: true, revision, bulletin: editDto(tx, fresh) };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return numberTaken(input.number);
    throw e;
  }
}

function lastEditorName(tx: DB | Tx, bulletinId: number): string | null {
  const row = tx
    .select({ name: users.name })
    .from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.targetType, 'bulletin'), eq(auditLog.targetId, String(bulletinId)), eq(auditLog.action, 'bulletin.save')))
    .orderBy(desc(auditLog.id))
    .limit(1)
    .get();
  return row?.name ?? null;
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
}

export interface CandidateFiltersDto {
  meetings: { id: number; title: string }[];
  tags: { id: number; name: string }[];
}

/** 集中学习 and 标签 of a course, for the picker's filters. */
export function listCandidateFilters(viewer: Viewer, { courseId }: { courseId: number }): CandidateFiltersDto {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  managedCourse(db, viewer, courseId);
  return {
    meetings: db
      .select({ id: meetings.id, title: meetings.title })
      .from(meetings)
      .where(eq(meetings.courseId, courseId))
      .orderBy(asc(meetings.startsAt), asc(meetings.id))
      .all(),
    tags: db.select({ id: tags.id, name: tags.name }).from(tags).where(eq(tags.courseId, courseId)).orderBy(asc(tags.name)).all(),
  };
}

export const CANDIDATE_LIMIT = 60;

/**
 * Approved reflections of the course, by meeting, tag, 优秀 and a LIKE search over title, text
 * and author (the FTS search of the review desk is not used here yet), 优秀 first.
 */
export function listBulletinCandidates(viewer: Viewer, f: CandidateFilter): { items: CandidateDto[]; total: number } {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
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
  const base = db
    .select({ n: count() })
    .from(reflections)
    .innerJoin(users, eq(users.id, reflections.authorId))
    .innerJoin(assignments, eq(assignments.id, reflections.assignmentId))
    .where(where)
    .get();
  const rows = db
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
      tags: sql<string | null>`(select group_concat(t.name, '、') from reflection_tags rt join tags t on t.id = rt.tag_id
        where rt.reflection_id = ${qualified(reflections.id)})`,
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
    items: rows.map((r) => ({ ...r, tags: r.tags ? r.tags.split('、') : [], charCount: r.charCount || countChars(r.body) })),
  };
}

/** An item's default heading: "{职务} {姓名}" as the roster has them now. */
export function candidateHeading(c: Pick<CandidateDto, 'authorTitle' | 'authorName'>): string {
  return itemHeading(c.authorTitle, c.authorName);
}

// ---------------------------------------------------------------------------------------------
// Publish, correct, withdraw, delete

type Simple = { ok: true; id: number; revisionNo?: number } | Failure;

function memberIds(tx: Tx, courseId: number): number[] {
  return tx.select({ id: courseMembers.userId }).from(courseMembers).where(eq(courseMembers.courseId, courseId)).all().map((r) => r.id);
}

/**
 * Publishes the draft as revision publishedRevision+1: a JSON snapshot is kept, members are
 * notified, and the bulletin becomes read-only. A correction publishes the next revision and
 * the earlier ones stay readable.
 */
export function publishBulletin(viewer: Viewer, input: { id: number; expectedRevision: number; note?: string }, req: RequestInfo): Simple {
  assertRole(viewer, 'organizer', 'admin');
  return getDb().transaction((tx): Simple => {
    const row = managedBulletin(tx, viewer, input.id);
    if (row.revision !== input.expectedRevision) return fail('stale', '这期简报在你打开后又被修改过,请刷新页面核对后再发布。');
    if (row.status === 'published') return fail('already_published', '这期简报已经发布。');
    const dto = editDto(tx, row);
    if (dto.items.length === 0) return fail('empty', '简报里还没有发言,请先加入学习心得。');
    const revisionNo = row.publishedRevision + 1;
    const content = contentOf(dto);
    const now = new Date();
    tx.insert(bulletinRevisions)
      .values({ bulletinId: row.id, revisionNo, snapshot: JSON.stringify(content), note: input.note ?? '', publishedBy: viewer.id, publishedAt: now })
      .run();
    tx.update(bulletins)
      .set({ status: 'published', publishedRevision: revisionNo, publishedAt: now, revision: row.revision + 1, updatedAt: now })
      .where(eq(bulletins.id, row.id))
      .run();
    const correction = revisionNo > 1;
    notify(tx, memberIds(tx, row.courseId), {
      kind: 'bulletin',
      title: correction ? `简报更正:${row.title}` : `新简报:${row.title}`,
      body: correction ? `第${row.number}期简报已更正${input.note ? `:${input.note}` : ''}` : `${dto.course.name}第${row.number}期简报已发布`,
      link: `/my/bulletins/${row.id}`,
    });
    writeAudit(tx, {
      ...actor(viewer, req),
      action: 'bulletin.publish',
      targetType: 'bulletin',
      targetId: row.id,
      detail: { courseId: row.courseId, number: row.number, revisionNo, note: input.note ?? '' },
    });
    return { ok: true, id: row.id, revisionNo };
  });
}

/** Reopens a published bulletin for a correction; members keep reading the published revision meanwhile. */
export function startBulletinCorrection(viewer: Viewer, { id }: { id: number }, req: RequestInfo): Simple {
  assertRole(viewer, 'organizer', 'admin');
  return getDb().transaction((tx): Simple => {
    const row = managedBulletin(tx, viewer, id);
    if (row.status !== 'published') return fail('not_published', '只有已发布的简报需要更正。');
    tx.update(bulletins).set({ status: 'draft', revision: row.revision + 1, updatedAt: new Date() }).where(eq(bulletins.id, row.id)).run();
    writeAudit(tx, { ...actor(viewer, req), action: 'bulletin.correct', targetType: 'bulletin', targetId: row.id, detail: { from: row.publishedRevision } });
    return { ok: true, id: row.id };
  });
}

/** Withdraws a published bulletin: members no longer see it; the reason is audited. */
export function unpublishBulletin(viewer: Viewer, { id, reason }: { id: number; reason: string }, req: RequestInfo): Simple {
  assertRole(viewer, 'organizer', 'admin');
  return getDb().transaction((tx): Simple => {
    const row = managedBulletin(tx, viewer, id);
    if (row.publishedRevision === 0 || row.status === 'unpublished') return fail('not_published', '这期简报没有发布,无需撤回。');
    tx.update(bulletins).set({ status: 'unpublished', revision: row.revision + 1, updatedAt: new Date() }).where(eq(bulletins.id, row.id)).run();
    writeAudit(tx, {
      ...actor(viewer, req),
      action: 'bulletin.unpublish',
      targetType: 'bulletin',
      targetId: row.id,
      detail: { courseId: row.courseId, number: row.number, reason },
    });
    return { ok: true, id: row.id };
  });
}

/** Deletes a draft that was never published (published ones are withdrawn, not deleted). */
export function deleteBulletin(viewer: Viewer, { id }: { id: number }, req: RequestInfo): Simple & { courseId?: number } {
  assertRole(viewer, 'organizer', 'admin');
  return getDb().transaction((tx) => {
    const row = managedBulletin(tx, viewer, id);
    if (row.publishedRevision > 0) return fail('published', '发布过的简报不能删除,可以撤回发布。');
    tx.delete(bulletins).where(eq(bulletins.id, row.id)).run();
    writeAudit(tx, { ...actor(viewer, req), action: 'bulletin.delete', targetType: 'bulletin', targetId: row.id, detail: { courseId: row.courseId, number: row.number } });
    return { ok: true as const, id: row.id, courseId: row.courseId };
  });
}

// ---------------------------------------------------------------------------------------------
// Members' side

/** What members may read: published at least once and not withdrawn (a correction in progress still shows the last revision). */
function readableByMembers(): SQL {
  return and(gt(bulletins.publishedRevision, 0), ne(bulletins.status, 'unpublished')) as SQL;
}

export interface MyBulletinListItemDto {
  id: number;
  courseName: string;
  number: number;
  title: string;
  issuedOn: string;
  publishedRevision: number;
  publishedAt: Date | null;
}

/** The published bulletins of the courses the cadre is a member of, newest first. */
export function listMyBulletins(viewer: Viewer): MyBulletinListItemDto[] {
  assertRole(viewer, 'cadre');
  return getDb()
    .select({
      id: bulletins.id,
      courseName: courses.name,
      number: bulletins.number,
      title: sql<string>`(select json_extract(r.snapshot, '$.title') from bulletin_revisions r
        where r.bulletin_id = ${qualified(bulletins.id)} and r.revision_no = ${qualified(bulletins.publishedRevision)})`,
      issuedOn: bulletins.issuedOn,
      publishedRevision: bulletins.publishedRevision,
      publishedAt: bulletins.publishedAt,
    })
    .from(bulletins)
    .innerJoin(courses, eq(courses.id, bulletins.courseId))
    .where(and(readableByMembers(), courseVisibleTo(viewer, bulletins.courseId)))
    .orderBy(desc(bulletins.publishedAt), desc(bulletins.id))
    .all();
}

export interface PublishedBulletinDto {
  id: number;
  revisionNo: number;
  latestRevision: number;
  content: BulletinContent;
  publishedAt: Date;
  note: string;
  revisions: BulletinRevisionDto[];
}

function publishedDto(tx: DB | Tx, row: typeof bulletins.$inferSelect, revision?: number): PublishedBulletinDto {
  const revisionNo = revision ?? row.publishedRevision;
  const rev = tx
    .select()
    .from(bulletinRevisions)
    .where(and(eq(bulletinRevisions.bulletinId, row.id), eq(bulletinRevisions.revisionNo, revisionNo)))
    .get();
  if (!rev) notFound();
  const revisions = tx
    .select({ revisionNo: bulletinRevisions.revisionNo, note: bulletinRevisions.note, publishedAt: bulletinRevisions.publishedAt, publishedBy: sql<string | null>`null` })
    .from(bulletinRevisions)
    .where(eq(bulletinRevisions.bulletinId, row.id))
    .orderBy(desc(bulletinRevisions.revisionNo))
    .all();
  return {
    id: row.id,
    revisionNo,
    latestRevision: row.publishedRevision,
    content: JSON.parse(rev.snapshot) as BulletinContent,
    publishedAt: rev.publishedAt,
    note: rev.note,
    revisions,
  };
}

/** One published bulletin for a member of its course: the latest revision or an earlier one. */
export function getMyBulletin(viewer: Viewer, { id, revision }: { id: number; revision?: number }): PublishedBulletinDto {
  assertRole(viewer, 'cadre');
  const db = getDb();
  const row = db
    .select()
    .from(bulletins)
    .where(and(eq(bulletins.id, id), readableByMembers(), courseVisibleTo(viewer, bulletins.courseId)))
    .get();
  if (!row) notFound();
  return publishedDto(db, row, revision);
}

/**
 * The content to export for this viewer: organizers get the bulletin as it stands (or a
 * published revision), members only a published revision of their own course.
 */
export function bulletinContentForExport(viewer: Viewer, { id, revision }: { id: number; revision?: number }): BulletinContent {
  if (viewer.role === 'cadre') return getMyBulletin(viewer, { id, revision }).content;
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const row = managedBulletin(db, viewer, id);
  if (revision !== undefined) return publishedDto(db, row, revision).content;
  return contentOf(editDto(db, row));
}

// ---------------------------------------------------------------------------------------------
// Import an old bulletin

export interface ImportMemberDto {
  id: number;
  name: string;
  title: string;
}

export interface ImportPreviewDto {
  parsed: ParsedBulletin;
  /** Per item: the matched member's id, or null. */
  matches: (number | null)[];
  /** Why a match was made or not: '姓名与职务一致', '姓名一致,职务不同', '未匹配', '同名学员有多位'. */
  matchNotes: string[];
  members: ImportMemberDto[];
  assignments: { id: number; title: string; meetingTitle: string }[];
  suggestedNumber: number;
  numberTaken: boolean;
  course: { id: number; name: string; columnName: string; publisher: string };
}

function normalizeTitle(t: string): string {
  return t.replace(/[\s\u3000、,,]/gu, '');
}

/** Parses a pasted or uploaded bulletin and matches its speakers to the course's members. */
export function previewBulletinImport(viewer: Viewer, { courseId, text }: { courseId: number; text: string }): ImportPreviewDto {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const course = managedCourse(db, viewer, courseId);
  const members = db
    .select({ id: users.id, name: users.name, title: users.title })
    .from(courseMembers)
    .innerJoin(users, eq(users.id, courseMembers.userId))
    .where(eq(courseMembers.courseId, courseId))
    .orderBy(asc(users.name))
    .all();
  const parsed = parseBulletin(text, { knownNames: members.map((m) => m.name) });
  const matches: (number | null)[] = [];
  const matchNotes: string[] = [];
  for (const item of parsed.items) {
    const byName = members.filter((m) => m.name === item.authorName);
    const exact = byName.filter((m) => item.authorTitle && normalizeTitle(m.title) === normalizeTitle(item.authorTitle));
    if (exact.length === 1) {
      matches.push((exact[0] as ImportMemberDto).id);
      matchNotes.push('姓名与职务一致');
    } else if (byName.length === 1) {
      matches.push((byName[0] as ImportMemberDto).id);
      matchNotes.push(item.authorTitle ? '姓名一致,职务不同' : '姓名一致');
    } else {
      matches.push(null);
      matchNotes.push(byName.length > 1 ? '同名学员有多位,请选择' : '未匹配');
    }
  }
  const suggested = suggestNumber(db, courseId);
  const number = parsed.number ?? suggested;
  const taken = !!db
    .select({ id: bulletins.id })
    .from(bulletins)
    .where(and(eq(bulletins.courseId, courseId), eq(bulletins.number, number)))
    .get();
  const assignmentRows = db
    .select({ id: assignments.id, title: assignments.title, meetingTitle: meetings.title })
    .from(assignments)
    .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
    .where(eq(assignments.courseId, courseId))
    .orderBy(desc(assignments.dueAt))
    .all();
  return { parsed, matches, matchNotes, members, assignments: assignmentRows, suggestedNumber: suggested, numberTaken: taken, course };
}

export type ImportResult = { ok: true; id: number; createdUsers: number; createdReflections: number; skippedReflections: number } | Failure;

/**
 * 生成草稿: the imported bulletin as a draft (imported=true); with 同时导入为学习心得, also the
 * speeches as approved reflections (imported=true) of matched members on the chosen assignment.
 * 新建学员 creates a cadre account that cannot sign in until an admin sets its password.
 */
export function commitBulletinImport(viewer: Viewer, input: CommitImportInput, req: RequestInfo): ImportResult {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  try {
    return db.transaction((tx): ImportResult => {
      const course = managedCourse(tx, viewer, input.courseId);
      const taken = tx
        .select({ id: bulletins.id })
        .from(bulletins)
        .where(and(eq(bulletins.courseId, course.id), eq(bulletins.number, input.number)))
        .get();
      if (taken) return numberTaken(input.number);
      const memberSet = new Set(memberIds(tx, course.id));
      let assignmentId: number | null = null;
      if (input.importReflections) {
        if (!input.assignmentId) return fail('invalid', '请选择要导入到的心得任务', { assignmentId: ['请选择心得任务'] });
        const a = tx
          .select({ id: assignments.id })
          .from(assignments)
          .where(and(eq(assignments.id, input.assignmentId), eq(assignments.courseId, course.id)))
          .get();
        if (!a) return fail('invalid', '所选心得任务不属于本读书班', { assignmentId: ['请选择本读书班的心得任务'] });
        assignmentId = a.id;
      }
      const now = new Date();
      const bulletinId = tx
        .insert(bulletins)
        .values({
          courseId: course.id,
          ...bulletinFieldsOf(input),
          imported: true,
          createdBy: viewer.id,
        })
        .returning({ id: bulletins.id })
        .get().id;
      let createdUsers = 0;
      let createdReflections = 0;
      let skippedReflections = 0;
      for (const [position, item] of input.items.entries()) {
        let authorId: number | null = null;
        if (item.match === 'new') {
          if (!item.authorName) return fail('invalid', `第${position + 1}条发言没有姓名,不能新建学员`);
          authorId = tx
            .insert(users)
            .values({
              username: `imp${course.id}-${randomBytes(4).toString('hex')}`,
              name: item.authorName,
              title: item.authorTitle,
              role: 'cadre',
              passwordHash: UNUSABLE_PASSWORD,
              mustChangePassword: true,
            })
            .returning({ id: users.id })
            .get().id;
          tx.insert(courseMembers).values({ courseId: course.id, userId: authorId }).run();
          memberSet.add(authorId);
          createdUsers += 1;
        } else if (typeof item.match === 'number') {
          if (!memberSet.has(item.match)) return fail('invalid', `第${position + 1}条发言选择的学员不在本读书班`);
          authorId = item.match;
        }
        let reflectionId: number | null = null;
        let sourceRevision: number | null = null;
        if (assignmentId && authorId) {
          const has = tx
            .select({ id: reflections.id })
            .from(reflections)
            .where(and(eq(reflections.assignmentId, assignmentId), eq(reflections.authorId, authorId)))
            .get();
          if (has) {
            skippedReflections += 1;
          } else {
            const r = tx
              .insert(reflections)
              .values({
                assignmentId,
                courseId: course.id,
                authorId,
                title: '',
                body: item.body,
                charCount: countChars(item.body),
                status: 'approved',
                versionCount: 1,
                submittedAt: now,
                imported: true,
              })
              .returning({ id: reflections.id, revision: reflections.revision })
              .get();
            tx.insert(reflectionVersions)
              .values({ reflectionId: r.id, version: 1, title: '', body: item.body, charCount: countChars(item.body), submitKey: `import-${bulletinId}-${position}` })
              .run();
            // Imported reflections are found by search like written ones.
            indexReflection(tx, r.id);
            reflectionId = r.id;
            sourceRevision = r.revision;
            createdReflections += 1;
          }
        }
        tx.insert(bulletinItems)
          .values({
            bulletinId,
            position,
            reflectionId,
            authorId,
            heading: item.heading,
            authorName: item.authorName,
            authorTitle: item.authorTitle,
            body: item.body,
            sourceRevision,
          })
          .run();
      }
      writeAudit(tx, {
        ...actor(viewer, req),
        action: 'bulletin.import',
        targetType: 'bulletin',
        targetId: bulletinId,
        detail: { courseId: course.id, number: input.number, items: input.items.length, createdUsers, createdReflections, skippedReflections },
      });
      return { ok: true, id: bulletinId, createdUsers, createdReflections, skippedReflections };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return numberTaken(input.number);
    throw e;
  }
}
