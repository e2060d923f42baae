// The one way test and demo data is made: vitest (through test/db.ts and the course fixtures),
// the e2e fixtures, the demo seed and the bench all call these. Rows go in through drizzle as the
// application would store them: 字数 counted by the editor's counter, handed-in text put in the
// search index by the application's own indexer, submitted copies kept as versions.
//
// Plain synchronous functions on the process's connection (getDb(), so DATABASE_PATH decides
// which file). Called inside getDb().transaction(...) they join that transaction: that is how the
// seed and the bench batch thousands of rows. Passwords are hashed by the caller (argon2 is
// asynchronous); an account made here without one gets a hash nothing can sign in with.
import { randomBytes } from 'node:crypto';
import { desc, eq, inArray, max } from 'drizzle-orm';
import { appendAudit, type AuditValues } from '@/db/audit-chain';
import { getDb } from '@/db';
import {
  assignmentReadings,
  assignments,
  auditLog,
  authSessions,
  bulletinItems,
  bulletins,
  courseGroups,
  courseMembers,
  courseOrganizers,
  courses,
  meetingReadings,
  meetings,
  readings,
  readingSections,
  reflectionComments,
  reflectionReadings,
  reflections,
  reflectionTags,
  reflectionVersions,
  tags,
  units,
  users,
  type ReflectionStatus,
  type Role,
} from '@/db/schema';
import { loadViewer } from '@/db/queries/auth';
import { indexReflection } from '@/db/queries/search-index';
import { checkReflection } from '@/db/queries/originality';
import { defaultBulletinTitle, DEFAULT_TRANSITION, itemHeading } from '@/lib/bulletin/format';
import type { Viewer } from '@/lib/auth/viewer-type';
import { countChars } from '@/lib/text/char-count';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
export const TIME = { HOUR, DAY };

// A well-formed argon2id hash of nothing anyone can type: the account exists, signing in fails,
// and no test pays argon2 for an account it never signs in with.
export const UNUSABLE_HASH = '$argon2id$v=19$m=19456,t=2,p=1$dW51c2FibGU$dW51c2FibGU';

// Multi-row inserts stay under SQLite's limit of bound parameters.
const CHUNK = 400;

let serial = 0;
function next(): number {
  serial += 1;
  return serial;
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

// ---------------------------------------------------------------------------------------------
// 单位 and accounts

/** A unit under `parentId` (a root when null). */
export async function makeUnit(name: string, parentId: number | null = null, over: Partial<typeof units.$inferInsert> = {}): Promise<number> {
  return (await getDb().insert(units).values({ name, parentId, ...over }).returning({ id: units.id }).get()).id;
}

/** The unit at a path such as ['樊城区', '牛首镇'], reusing every level that already exists. */
export async function unitPath(names: readonly string[]): Promise<number> {
  const db = getDb();
  let parentId: number | null = null;
  for (const name of names) {
    const level: number | null = parentId;
    const found: { id: number } | undefined = (await db
      .select({ id: units.id, parentId: units.parentId })
      .from(units)
      .where(eq(units.name, name))
      .all())
      .find((u) => u.parentId === level);
    parentId = found ? found.id : await makeUnit(name, level);
  }
  if (parentId === null) throw new Error('unitPath needs at least one name');
  return parentId;
}

export type UserSpec = Partial<typeof users.$inferInsert>;

function userRow(role: Role, over: UserSpec): typeof users.$inferInsert {
  const n = next();
  return {
    username: `${role}${n}`,
    name: `测试${n}`,
    title: '',
    role,
    passwordHash: UNUSABLE_HASH,
    mustChangePassword: false,
    ...over,
  };
}

/** An active account of this role; returns its id. */
export async function makeUser(role: Role, over: UserSpec = {}): Promise<number> {
  return (await getDb().insert(users).values(userRow(role, over)).returning({ id: users.id }).get()).id;
}

/** Many accounts at once (the bench's thousands); ids in the order given. */
export async function makeUsers(rows: readonly (UserSpec & { role: Role })[]): Promise<number[]> {
  const ids: number[] = [];
  for (const part of chunks(rows)) {
    const made = await getDb()
      .insert(users)
      .values(part.map(({ role, ...over }) => userRow(role, over)))
      .returning({ id: users.id })
      .all();
    ids.push(...made.map((r) => r.id));
  }
  return ids;
}

/** A live sign-in row for this account; returns the session id a cookie would carry. */
export async function makeSession(userId: number, over: Partial<typeof authSessions.$inferInsert> = {}): Promise<string> {
  const id = randomBytes(12).toString('hex');
  await getDb()
    .insert(authSessions)
    .values({ id, userId, expiresAt: new Date(Date.now() + HOUR), ...over })
    .run();
  return id;
}

/** The viewer requireUser would give this account on a fresh sign-in. */
export async function viewerFor(userId: number): Promise<Viewer> {
  const sessionId = await makeSession(userId);
  const viewer = await loadViewer(userId, sessionId);
  if (!viewer) throw new Error(`user ${userId} cannot sign in`);
  return viewer;
}

/** A new account of this role, signed in. */
export async function signedIn(role: Role, over: UserSpec = {}): Promise<Viewer> {
  return await viewerFor(await makeUser(role, over));
}

/** The id of an account by its 账号 (fixtures that build on accounts made elsewhere). */
export async function userIdOf(username: string): Promise<number> {
  const row = await getDb().select({ id: users.id }).from(users).where(eq(users.username, username)).get();
  if (!row) throw new Error(`no account ${username}`);
  return row.id;
}

/** Audit rows as they would have been written over time (the bench's volume); not the audit of a change. */
export async function makeAuditEntries(rows: readonly AuditValues[]): Promise<void> {
  await getDb().transaction(async (tx) => await appendAudit(tx, rows));
}

/** One audit row (chained like every other), its id. */
export async function makeAuditEntry(row: AuditValues): Promise<number> {
  await makeAuditEntries([row]);
  return (await getDb().select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get())?.id ?? 0;
}

// ---------------------------------------------------------------------------------------------
// 读书班: courses, organizers, groups, members, readings, meetings, assignments

export type CourseSpec = Partial<typeof courses.$inferInsert> & { organizerIds?: number[] };

export async function makeCourse(over: CourseSpec = {}): Promise<number> {
  const { organizerIds = [], ...rest } = over;
  const id = (await getDb()
    .insert(courses)
    .values({ name: `2020年全区党组织书记读书班（${next()}）`, columnName: '书记读书班', startsOn: '2020-05-09', ...rest })
    .returning({ id: courses.id })
    .get()).id;
  for (const userId of organizerIds) await addOrganizer(id, userId);
  return id;
}

export async function addOrganizer(courseId: number, userId: number): Promise<void> {
  await getDb().insert(courseOrganizers).values({ courseId, userId }).run();
}

export async function makeGroup(courseId: number, over: Partial<Omit<typeof courseGroups.$inferInsert, 'courseId'>> = {}): Promise<number> {
  return (await getDb()
    .insert(courseGroups)
    .values({ courseId, name: `第${next()}组`, ...over })
    .returning({ id: courseGroups.id })
    .get()).id;
}

/** Enrolls cadres in a course, optionally in one 小组 and at a given time (late joiners). */
export async function enroll(
  courseId: number,
  userIds: readonly number[],
  over: { groupId?: number | null; enrolledAt?: Date } = {},
): Promise<void> {
  for (const part of chunks(userIds)) {
    await getDb()
      .insert(courseMembers)
      .values(
        part.map((userId) => ({ courseId, userId, groupId: over.groupId ?? null, ...(over.enrolledAt ? { enrolledAt: over.enrolledAt } : {}) })),
      )
      .run();
  }
}

export async function makeReading(over: string | Partial<typeof readings.$inferInsert> = {}): Promise<number> {
  const values = typeof over === 'string' ? { title: over } : { title: '《论党的自我革命》', ...over };
  return (await getDb().insert(readings).values(values).returning({ id: readings.id }).get()).id;
}

/** The text of a reading, one section per string (paragraphs separated by a newline). */
export async function makeReadingText(readingId: number, sections: readonly (string | { heading?: string; body: string })[]): Promise<number[]> {
  if (sections.length === 0) return [];
  return (await getDb()
    .insert(readingSections)
    .values(sections.map((s, position) => (typeof s === 'string' ? { readingId, position, body: s } : { readingId, position, heading: s.heading ?? '', body: s.body })))
    .returning({ id: readingSections.id })
    .all())
    .map((r) => r.id);
}

export async function addMeetingReading(meetingId: number, readingId: number): Promise<void> {
  await getDb().insert(meetingReadings).values({ meetingId, readingId }).run();
}

export type MeetingSpec = Partial<Omit<typeof meetings.$inferInsert, 'courseId'>> & { readingIds?: number[] };

export async function makeMeeting(courseId: number, over: MeetingSpec = {}): Promise<number> {
  const { readingIds = [], ...rest } = over;
  const id = (await getDb()
    .insert(meetings)
    .values({ courseId, title: `第${next()}次集中学习`, startsAt: new Date('2020-05-09T01:00:00Z'), ...rest })
    .returning({ id: meetings.id })
    .get()).id;
  for (const readingId of readingIds) await addMeetingReading(id, readingId);
  return id;
}

export type AssignmentSpec = Partial<Omit<typeof assignments.$inferInsert, 'meetingId'>> & { readingIds?: number[] };

/** A 心得任务 of a meeting; its course is the meeting's unless given (the bench gives it, to skip the lookup). */
export async function makeAssignment(meetingId: number, over: AssignmentSpec = {}): Promise<number> {
  const db = getDb();
  const { readingIds = [], courseId = await courseOfMeeting(meetingId), ...rest } = over;
  const id = (await db
    .insert(assignments)
    .values({
      meetingId,
      courseId,
      title: '学习心得',
      prompt: '结合本职工作谈谈学习体会',
      dueAt: new Date(Date.now() + 3 * DAY),
      minChars: 0,
      maxChars: 0,
      ...rest,
    })
    .returning({ id: assignments.id })
    .get()).id;
  if (readingIds.length > 0) await db.insert(assignmentReadings).values(readingIds.map((readingId) => ({ assignmentId: id, readingId }))).run();
  return id;
}

async function courseOfMeeting(meetingId: number): Promise<number> {
  const row = await getDb().select({ courseId: meetings.courseId }).from(meetings).where(eq(meetings.id, meetingId)).get();
  if (!row) throw new Error(`no meeting ${meetingId}`);
  return row.courseId;
}

async function courseOfAssignment(assignmentId: number): Promise<number> {
  const row = await getDb().select({ courseId: assignments.courseId }).from(assignments).where(eq(assignments.id, assignmentId)).get();
  if (!row) throw new Error(`no assignment ${assignmentId}`);
  return row.courseId;
}

// ---------------------------------------------------------------------------------------------
// 学习心得: the working copy, its submitted versions, comments, tags and the search index

export interface VersionSpec {
  title?: string;
  body?: string;
  submittedAt?: Date;
  late?: boolean;
}

export type CommentSpec = Partial<Omit<typeof reflectionComments.$inferInsert, 'reflectionId'>>;

export interface ReflectionSpec {
  assignmentId: number;
  authorId: number;
  /** The assignment's course unless given. */
  courseId?: number;
  title?: string;
  body?: string;
  /** 'draft' unless given. */
  status?: ReflectionStatus;
  /**
   * The submitted copies, oldest first. A handed-in reflection gets one copy of its text unless
   * given; a draft none (a draft that was returned and is being rewritten may pass its history).
   */
  versions?: VersionSpec[];
  /** When it was last handed in: the last version's time, or now; null for a draft never handed in. */
  submittedAt?: Date | null;
  /** Every write bumps it; one past the number of versions unless given. */
  revision?: number;
  late?: boolean;
  excellent?: boolean;
  imported?: boolean;
  createdAt?: Date;
  updatedAt?: Date;
  readingIds?: number[];
  comments?: CommentSpec[];
  /** Written through the application's indexer after the insert (true unless given). */
  index?: boolean;
  /** Checked by 查重 as a submit would (false unless given: most tests do not need the index). */
  originality?: boolean;
}

export const SAMPLE_BODY = '全区党组织书记读书班的举办，恰逢其时。';

/** A cadre's reflection as the editor and the submit path would have left it; returns its id. */
export async function makeReflection(spec: ReflectionSpec): Promise<number> {
  const db = getDb();
  const status = spec.status ?? 'draft';
  const title = spec.title ?? '';
  const body = spec.body ?? SAMPLE_BODY;
  const versions = spec.versions ?? (status === 'draft' ? [] : [{}]);
  const now = new Date();
  const lastSubmitted = versions.at(-1)?.submittedAt;
  const submittedAt = spec.submittedAt !== undefined ? spec.submittedAt : versions.length > 0 ? (lastSubmitted ?? now) : null;
  const id = (await db
    .insert(reflections)
    .values({
      assignmentId: spec.assignmentId,
      courseId: spec.courseId ?? await courseOfAssignment(spec.assignmentId),
      authorId: spec.authorId,
      title,
      body,
      charCount: countChars(body),
      status,
      revision: spec.revision ?? versions.length + 1,
      versionCount: versions.length,
      submittedAt,
      late: spec.late ?? false,
      excellent: spec.excellent ?? false,
      imported: spec.imported ?? false,
      ...(spec.createdAt ? { createdAt: spec.createdAt } : {}),
      ...(spec.updatedAt ? { updatedAt: spec.updatedAt } : {}),
    })
    .returning({ id: reflections.id })
    .get()).id;
  if (versions.length > 0) {
    await db.insert(reflectionVersions)
      .values(
        versions.map((v, i) => {
          const vBody = v.body ?? body;
          return {
            reflectionId: id,
            version: i + 1,
            title: v.title ?? title,
            body: vBody,
            charCount: countChars(vBody),
            late: v.late ?? spec.late ?? false,
            submitKey: `fixture-${id}-${i + 1}`,
            submittedAt: v.submittedAt ?? submittedAt ?? now,
          };
        }),
      )
      .run();
  }
  if (spec.readingIds?.length) await db.insert(reflectionReadings).values(spec.readingIds.map((readingId) => ({ reflectionId: id, readingId }))).run();
  for (const c of spec.comments ?? []) await makeComment(id, c);
  if ((spec.index ?? true) && status !== 'draft') await indexReflection(db, id);
  // Its fingerprints are written through the write connection's prepared statements: in a transaction, as the queue does.
  if (spec.originality && versions.length > 0) await db.transaction(async (tx) => checkReflection(tx, id));
  return id;
}

/**
 * Many handed-in reflections at once (benches): one multi-row insert per 500 for the reflections
 * and for their single versions, no search index. Returns the ids in order.
 */
export async function makeSubmittedReflections(rows: readonly { assignmentId: number; courseId: number; authorId: number; title: string; body: string; submittedAt?: Date }[]): Promise<number[]> {
  const db = getDb();
  const ids: number[] = [];
  const now = new Date();
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    const got = (await db
      .insert(reflections)
      .values(part.map((r) => ({ assignmentId: r.assignmentId, courseId: r.courseId, authorId: r.authorId, title: r.title, body: r.body, charCount: countChars(r.body), status: 'submitted' as const, revision: 2, versionCount: 1, submittedAt: r.submittedAt ?? now })))
      .returning({ id: reflections.id })
      .all())
      .map((r) => r.id);
    await db.insert(reflectionVersions)
      .values(part.map((r, k) => ({ reflectionId: got[k] as number, version: 1, title: r.title, body: r.body, charCount: countChars(r.body), submitKey: `bulk-${got[k]}`, submittedAt: r.submittedAt ?? now })))
      .run();
    ids.push(...got);
  }
  return ids;
}

/** 评语, a decision or an internal note on a reflection. */
export async function makeComment(reflectionId: number, over: CommentSpec = {}): Promise<number> {
  return (await getDb()
    .insert(reflectionComments)
    .values({ reflectionId, body: '请结合本单位实际展开。', ...over })
    .returning({ id: reflectionComments.id })
    .get()).id;
}

/**
 * Puts a reflection in a status directly, as a decision or a resubmission elsewhere would have.
 * `bumpRevision` makes it look like a change an open page has not seen; `reindex` brings the
 * search index along (a return to draft takes it out).
 */
export async function setReflectionStatus(
  reflectionId: number,
  status: ReflectionStatus,
  opts: { bumpRevision?: boolean; reindex?: boolean } = {},
): Promise<void> {
  const db = getDb();
  const row = await db.select({ revision: reflections.revision }).from(reflections).where(eq(reflections.id, reflectionId)).get();
  if (!row) throw new Error(`no reflection ${reflectionId}`);
  await db.update(reflections)
    .set({ status, ...(opts.bumpRevision ? { revision: row.revision + 1 } : {}) })
    .where(eq(reflections.id, reflectionId))
    .run();
  if (opts.reindex) await indexReflection(db, reflectionId);
}

/** A course's 标签, optionally applied to reflections. */
export async function makeTag(courseId: number, name: string, over: { reflectionIds?: number[]; createdBy?: number | null } = {}): Promise<number> {
  const id = (await getDb().insert(tags).values({ courseId, name }).returning({ id: tags.id }).get()).id;
  if (over.reflectionIds?.length) await tagReflections(id, over.reflectionIds, over.createdBy ?? null);
  return id;
}

export async function tagReflections(tagId: number, reflectionIds: readonly number[], createdBy: number | null = null): Promise<void> {
  for (const part of chunks(reflectionIds)) {
    await getDb()
      .insert(reflectionTags)
      .values(part.map((reflectionId) => ({ reflectionId, tagId, createdBy })))
      .run();
  }
}

// ---------------------------------------------------------------------------------------------
// 简报

export type BulletinSpec = Partial<Omit<typeof bulletins.$inferInsert, 'courseId'>> & {
  /** Reflections to take as items, in order, with the heading and text they have now. */
  reflectionIds?: number[];
};

/**
 * A draft bulletin with the course's next number and default title. Publishing is left to the
 * application (publishBulletin writes the revision snapshot), so a published bulletin is made by
 * calling it on this draft.
 */
export async function makeBulletin(courseId: number, over: BulletinSpec = {}): Promise<number> {
  const db = getDb();
  const { reflectionIds = [], ...rest } = over;
  const course = await db
    .select({ name: courses.name, columnName: courses.columnName, publisher: courses.publisher })
    .from(courses)
    .where(eq(courses.id, courseId))
    .get();
  if (!course) throw new Error(`no course ${courseId}`);
  const number = rest.number ?? ((await db.select({ n: max(bulletins.number) }).from(bulletins).where(eq(bulletins.courseId, courseId)).get())?.n ?? 0) + 1;
  const id = (await db
    .insert(bulletins)
    .values({
      courseId,
      number,
      title: defaultBulletinTitle({ columnName: course.columnName, courseName: course.name, number }),
      issuedOn: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }),
      publisher: course.publisher,
      // As 新建 writes it (the column's default is the older half-width text).
      transition: DEFAULT_TRANSITION,
      ...rest,
      status: 'draft',
    })
    .returning({ id: bulletins.id })
    .get()).id;
  if (reflectionIds.length > 0) {
    const sources = await db
      .select({ id: reflections.id, body: reflections.body, revision: reflections.revision, authorId: users.id, name: users.name, title: users.title })
      .from(reflections)
      .innerJoin(users, eq(users.id, reflections.authorId))
      .where(inArray(reflections.id, reflectionIds))
      .all();
    const byId = new Map(sources.map((s) => [s.id, s]));
    await db.insert(bulletinItems)
      .values(
        reflectionIds.map((reflectionId, position) => {
          const s = byId.get(reflectionId);
          if (!s) throw new Error(`no reflection ${reflectionId}`);
          return {
            bulletinId: id,
            position,
            reflectionId,
            authorId: s.authorId,
            heading: itemHeading(s.title, s.name),
            authorName: s.name,
            authorTitle: s.title,
            body: s.body,
            sourceRevision: s.revision,
          };
        }),
      )
      .run();
  }
  return id;
}
