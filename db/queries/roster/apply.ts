import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Tx } from '@/db';
import type { AuditValues } from '@/db/audit-chain';
import { appendAudit, type AuditAction } from '@/db/audit';
import { courseGroups, courseMembers, courseOrganizers, courses, units, users, type Role } from '@/db/schema';
import { instant } from '@/db/sql-kit';
import { fail, isFailure, type Failure } from '@/lib/action-result';
import type { Viewer } from '@/lib/auth/viewer-type';
import type { RequestInfo } from '@/lib/request';
import type { RosterFormat } from '@/lib/roster/parse';
import { ROLE_NAMES, unitPathIndex, type Enrollment, type FieldChange, type RosterPlan } from '@/lib/roster/plan';
import type { RosterTable } from '@/lib/roster/table';
import { reindexAuthor } from '../search-index';
import { enrollmentText, invalidMessage, planAgainst, STALE_MESSAGE } from './plan';

// The writes of a roster commit, inside its one transaction: the file planned again against the
// database as it is now, refused unless that is the plan the admin confirmed, then written. Run
// by the roster process on its own connection (db/queries/roster/worker.ts), so that the
// request thread keeps serving pages meanwhile (docs/decisions/0005).

export interface CommitCounts {
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
  unitsCreated: number;
  coursesCreated: number;
  groupsCreated: number;
  enrolled: number;
}

type AuditInsert = AuditValues;


interface ApplyContext {
  viewer: Pick<Viewer, 'id' | 'username'>;
  request: RequestInfo;
  now: Date;
  expiresAt: Date;
  hashes: Map<string, string>;
  fileName: string;
  format: RosterFormat;
  /** 栏目 and 编印单位 the admin gave in the preview for the 读书班 the import creates, by name. */
  courseDetails: Map<string, { columnName: string; publisher: string }>;
}

function changeDetail(changes: FieldChange[]): Record<string, { from: string | null; to: string | null }> {
  const out: Record<string, { from: string | null; to: string | null }> = {};
  for (const c of changes) {
    if (c.field === 'role') continue;
    out[c.field] = { from: c.from || null, to: c.to || null };
  }
  return out;
}

/** The id of a 读书班 the plan names: one that existed at planning, or one created above. */
function existingOrNewCourseId(p: RosterPlan, name: string, created: Map<string, number>): number {
  const fresh = created.get(name);
  if (fresh !== undefined) return fresh;
  for (const e of [...p.add.map((a) => a.enroll), ...p.change.map((c) => c.enroll)]) {
    if (e && e.courseName === name && e.courseId !== null) return e.courseId;
  }
  throw new Error(`roster plan names an unknown course: ${name}`);
}

/** Writes a plan; runs inside the commit's transaction. */
async function applyPlan(tx: Tx, p: RosterPlan, ctx: ApplyContext): Promise<CommitCounts> {
  const { viewer, request, now } = ctx;
  const audits: AuditInsert[] = [];
  const audit = (action: AuditAction, targetType: string | null, targetId: number | null, detail: Record<string, unknown>) =>
    audits.push({
      at: now,
      actorId: viewer.id,
      actorUsername: viewer.username,
      action,
      targetType,
      targetId: targetId === null ? null : String(targetId),
      detail: JSON.stringify(detail),
      ip: request.ip,
    });

  // Units, parents first.
  const unitIds = unitPathIndex(await tx.select({ id: units.id, name: units.name, parentId: units.parentId }).from(units).all());
  for (const path of p.unitsToCreate) {
    const cut = path.lastIndexOf('/');
    const parentId = cut < 0 ? null : (unitIds.get(path.slice(0, cut)) ?? null);
    const name = path.slice(cut + 1);
    const row = await tx.insert(units).values({ name, parentId }).returning({ id: units.id }).get();
    unitIds.set(path, row.id);
    audit('unit.create', 'unit', row.id, { name, path, via: 'roster' });
  }
  const unitIdOf = (path: string | null | undefined): number | null => (path ? (unitIds.get(path) ?? null) : null);

  // 读书班 and 小组 the file names that did not exist: the admin saw each as 将新建.
  const newCourseIds = new Map<string, number>();
  for (const c of p.coursesToCreate) {
    const given = ctx.courseDetails.get(c.name);
    const columnName = given?.columnName || c.columnName;
    const publisher = given?.publisher || c.publisher;
    const row = await tx
      .insert(courses)
      .values({ name: c.name, columnName, publisher, createdBy: viewer.id, createdAt: now, updatedAt: now })
      .returning({ id: courses.id })
      .get();
    newCourseIds.set(c.name, row.id);
    audit('course.create', 'course', row.id, { name: c.name, columnName, publisher, via: 'roster' });
  }
  const courseIdOf = (e: Enrollment): number => e.courseId ?? (newCourseIds.get(e.courseName) as number);
  const newGroupIds = new Map<string, number>();
  const sortOrders = new Map<number, number>();
  for (const g of p.groupsToCreate) {
    const courseId = existingOrNewCourseId(p, g.courseName, newCourseIds);
    const last =
      sortOrders.get(courseId) ??
      ((await tx
        .select({ n: sql<number>`coalesce(max(${courseGroups.sortOrder}), 0)` })
        .from(courseGroups)
        .where(eq(courseGroups.courseId, courseId))
        .get())?.n ?? 0);
    sortOrders.set(courseId, last + 1);
    const row = await tx
      .insert(courseGroups)
      .values({ courseId, name: g.name, sortOrder: last + 1 })
      .returning({ id: courseGroups.id })
      .get();
    newGroupIds.set(`${courseId}:${g.name}`, row.id);
    audit('group.create', 'group', row.id, { courseId, name: g.name, via: 'roster' });
  }
  const groupIdOf = (e: Enrollment, courseId: number): number | null =>
    e.groupId ?? (e.groupName ? (newGroupIds.get(`${courseId}:${e.groupName}`) ?? null) : null);

  // New accounts: one prepared statement run per row (drizzle builds its SQL once, not once per
  // chunk), so the write lock is held for milliseconds per thousand rows.
  const idByUsername = new Map<string, number>();
  const insertUser = tx
    .insert(users)
    .values({
      username: sql.placeholder('username'),
      name: sql.placeholder('name'),
      title: sql.placeholder('title'),
      unitId: sql.placeholder('unitId'),
      role: sql.placeholder('role'),
      phone: sql.placeholder('phone'),
      passwordHash: sql.placeholder('passwordHash'),
      mustChangePassword: true,
      passwordExpiresAt: sql.placeholder('expiresAt'),
      createdAt: sql.placeholder('now'),
      updatedAt: sql.placeholder('now'),
    })
    .returning({ id: users.id })
    .prepare();
  for (const a of p.add) {
    const row = (await insertUser.get({
      username: a.username,
      name: a.name,
      title: a.title,
      unitId: unitIdOf(a.unitPath),
      role: a.role,
      phone: a.phone,
      passwordHash: ctx.hashes.get(a.username) as string,
      expiresAt: ctx.expiresAt,
      now,
    })) as { id: number };
    idByUsername.set(a.username, row.id);
  }
  for (const a of p.add) {
    audit('user.create', 'user', idByUsername.get(a.username) ?? null, {
      username: a.username,
      name: a.name,
      title: a.title,
      unit: a.unitPath,
      role: a.role,
      course: enrollmentText(a.enroll) || undefined,
      via: 'roster',
    });
  }

  // Changed accounts: one prepared statement; a field not given keeps its value.
  const keep = (column: AnySQLiteColumn, field: string) =>
    sql`case when ${sql.placeholder(`${field}Set`)} then ${sql.placeholder(field)} else ${column} end`;
  const updateUser = tx
    .update(users)
    .set({
      name: keep(users.name, 'name'),
      title: keep(users.title, 'title'),
      unitId: keep(users.unitId, 'unitId'),
      role: keep(users.role, 'role'),
      phone: keep(users.phone, 'phone'),
      // Raw SQL, which no column encodes: given as instant() spells an instant for this database.
      updatedAt: sql`${sql.placeholder('nowInstant')}`,
    })
    .where(eq(users.id, sql.placeholder('id')))
    .prepare();
  for (const c of p.change) {
    const s = c.set;
    if (Object.keys(s).length > 0) {
      await updateUser.run({
        id: c.userId,
        nameSet: s.name !== undefined ? 1 : 0,
        name: s.name ?? null,
        titleSet: s.title !== undefined ? 1 : 0,
        title: s.title ?? null,
        unitIdSet: s.unitPath !== undefined ? 1 : 0,
        unitId: s.unitPath !== undefined ? unitIdOf(s.unitPath) : null,
        roleSet: s.role !== undefined ? 1 : 0,
        role: s.role ?? null,
        phoneSet: s.phone !== undefined ? 1 : 0,
        phone: s.phone ?? null,
        nowInstant: instant(now),
      });
      // 姓名 is in the search index: a rename must be found under the new name.
      if (s.name !== undefined) await reindexAuthor(tx, c.userId);
    }
    const detail = changeDetail(c.changes);
    if (Object.keys(detail).length > 0) {
      audit('user.update', 'user', c.userId, { username: c.username, changes: detail, via: 'roster' });
    }
    const role = c.changes.find((x) => x.field === 'role');
    if (role && s.role) {
      const from = (Object.entries(ROLE_NAMES) as [Role, string][]).find(([, label]) => label === role.from)?.[0];
      audit('user.role', 'user', c.userId, { username: c.username, from, to: s.role, via: 'roster' });
    }
  }

  // Enrollment.
  let enrolled = 0;
  const enrollments = [
    ...p.add.map((a) => ({ userId: idByUsername.get(a.username), e: a.enroll })),
    ...p.change.map((c) => ({ userId: c.userId, e: c.enroll })),
  ];
  const addOrganizer = tx
    .insert(courseOrganizers)
    .values({ courseId: sql.placeholder('courseId'), userId: sql.placeholder('userId'), createdAt: sql.placeholder('now') })
    .onConflictDoNothing()
    .prepare();
  const addMember = tx
    .insert(courseMembers)
    .values({
      courseId: sql.placeholder('courseId'),
      userId: sql.placeholder('userId'),
      groupId: sql.placeholder('groupId'),
      enrolledAt: sql.placeholder('now'),
    })
    .onConflictDoUpdate({ target: [courseMembers.courseId, courseMembers.userId], set: { groupId: sql`excluded.group_id` } })
    .prepare();
  for (const { userId, e } of enrollments) {
    if (!e || userId === undefined) continue;
    enrolled += 1;
    const courseId = courseIdOf(e);
    if (e.as === 'organizer') {
      await addOrganizer.run({ courseId, userId, now });
      continue;
    }
    const groupId = groupIdOf(e, courseId);
    await addMember.run({ courseId, userId, groupId, now });
    if (e.leads && groupId !== null) {
      await tx.update(courseGroups).set({ leaderId: userId }).where(eq(courseGroups.id, groupId)).run();
      audit('group.update', 'group', groupId, { courseId, name: e.groupName, leaderId: userId, via: 'roster' });
    }
  }

  const counts = {
    rows: p.rows,
    added: p.add.length,
    changed: p.change.length,
    unchanged: p.unchanged.length,
    unitsCreated: p.unitsToCreate.length,
    coursesCreated: p.coursesToCreate.length,
    groupsCreated: p.groupsToCreate.length,
    enrolled,
  };
  audit('roster.import', null, null, {
    file: ctx.fileName,
    format: ctx.format,
    ...counts,
    units: p.unitsToCreate.length ? p.unitsToCreate.slice(0, 20) : undefined,
  });
  await appendAudit(tx, audits);
  return counts;
}

/** What the commit writes with, all of it plain data (it crosses to the worker thread). */
export interface RosterWrite {
  viewer: Pick<Viewer, 'id' | 'username'>;
  request: RequestInfo;
  table: RosterTable;
  allowCreateUnits: boolean;
  /** The digest of the plan the admin confirmed. */
  digest: string;
  /** The new accounts' usernames in the confirmed plan's order, and their password hashes. */
  usernames: string[];
  hashes: string[];
  nowMs: number;
  expiresAtMs: number;
  fileName: string;
  format: RosterFormat;
  courseDetails: [string, { columnName: string; publisher: string }][];
}

/**
 * The file planned against the database as `db` sees it (inside the commit's transaction), refused
 * unless that is the plan the admin confirmed (no errors, same digest).
 */
export async function planWrite(db: Tx, w: RosterWrite): Promise<RosterPlan | Failure> {
  const again = await planAgainst(db, w.viewer, w.table, w.allowCreateUnits);
  if (again.errors.length > 0) return fail('invalid', invalidMessage(again.errors.length));
  if (again.digest !== w.digest) return fail('stale', STALE_MESSAGE);
  return again;
}

/** Writes a plan that planWrite made in the same transaction. */
export async function applyWrite(tx: Tx, planned: RosterPlan, w: RosterWrite): Promise<CommitCounts> {
  const hashes = new Map(w.usernames.map((u, i) => [u, w.hashes[i] as string]));
  return await applyPlan(tx, planned, {
    viewer: w.viewer,
    request: w.request,
    now: new Date(w.nowMs),
    expiresAt: new Date(w.expiresAtMs),
    hashes,
    fileName: w.fileName,
    format: w.format,
    courseDetails: new Map(w.courseDetails),
  });
}

/** Plans the file again inside the transaction and writes it when that is the plan confirmed. */
export async function writeRoster(tx: Tx, w: RosterWrite): Promise<CommitCounts | Failure> {
  const planned = await planWrite(tx, w);
  return isFailure(planned) ? planned : await applyWrite(tx, planned, w);
}
