import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { getDb, type Tx } from '@/db';
import type { AuditValues } from '@/db/audit-chain';
import { appendAudit, type AuditAction } from '@/db/audit';
import { LOCAL_REQUEST, preparedMutation } from '@/db/mutation';
import { ONE_TIME_PASSWORD_MS } from '@/db/queries/users/shared';
import { courseGroups, courseMembers, courseOrganizers, courses, units, users, type Role } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import { hashOnPool, hashPasswordsOnWorkers } from '@/lib/auth/hash-pool';
import { generatePassword } from '@/lib/auth/password';
import type { Viewer } from '@/lib/auth/viewer-type';
import type { RequestInfo } from '@/lib/request';
import { fileStamp, toXlsx } from '@/lib/roster/export';
import { parseRosterFile, type RosterFormat } from '@/lib/roster/parse';
import { ROLE_NAMES, unitPathIndex, type Enrollment, type FieldChange, type RosterPlan } from '@/lib/roster/plan';
import { PREHASH_TTL_MS, takePrehash, type PreparsedUpload } from '@/lib/roster/prehash';
import { deleteUpload, loadUpload, savePasswordSheet, takePrehashed } from '@/lib/roster/store';
import type { RosterTable } from '@/lib/roster/table';
import { commitSchema } from '@/lib/roster/validation';
import { formatDateTime } from '@/lib/time';
import { reindexAuthor } from '../search-index';
import { enrollmentText, planAgainst, STALE_MESSAGE } from './plan';

// 花名册 import, second step: the all-or-nothing commit of an upload the admin has previewed.
// New accounts get one-time passwords, hashed before the transaction (argon2 is slow and the
// transaction is synchronous); the only copy of the passwords is a sheet for one download.

export interface CommitDto {
  counts: {
    rows: number;
    added: number;
    changed: number;
    unchanged: number;
    unitsCreated: number;
    coursesCreated: number;
    groupsCreated: number;
    enrolled: number;
  };
  /** For the one download of the password sheet; null when nobody new was added. */
  passwordToken: string | null;
  passwordCount: number;
  expiresAt: Date;
}

export type CommitResult = { ok: true; result: CommitDto } | Failure;

/**
 * Random one-time passwords and their argon2id hashes: on low-priority worker threads, one per core
 * (lib/auth/hash-pool), or with the hasher given (a benchmark measuring around the hashing).
 */
export async function hashOneTimePasswords(
  passwords: string[],
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
  hash?: (password: string) => Promise<string>,
): Promise<{ password: string; hash: string }[]> {
  if (!hash) return hashPasswordsOnWorkers(passwords, onProgress, signal);
  return hashOnPool(passwords, onProgress, signal, hash);
}

type AuditInsert = AuditValues;


interface ApplyContext {
  viewer: Viewer;
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
function applyPlan(tx: Tx, p: RosterPlan, ctx: ApplyContext): CommitDto['counts'] {
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
  const unitIds = unitPathIndex(tx.select({ id: units.id, name: units.name, parentId: units.parentId }).from(units).all());
  for (const path of p.unitsToCreate) {
    const cut = path.lastIndexOf('/');
    const parentId = cut < 0 ? null : (unitIds.get(path.slice(0, cut)) ?? null);
    const name = path.slice(cut + 1);
    const row = tx.insert(units).values({ name, parentId }).returning({ id: units.id }).get();
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
    const row = tx
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
      (tx
        .select({ n: sql<number>`coalesce(max(${courseGroups.sortOrder}), 0)` })
        .from(courseGroups)
        .where(eq(courseGroups.courseId, courseId))
        .get()?.n ?? 0);
    sortOrders.set(courseId, last + 1);
    const row = tx
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
    const row = insertUser.get({
      username: a.username,
      name: a.name,
      title: a.title,
      unitId: unitIdOf(a.unitPath),
      role: a.role,
      phone: a.phone,
      passwordHash: ctx.hashes.get(a.username) as string,
      expiresAt: ctx.expiresAt,
      now,
    }) as { id: number };
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
      // Raw SQL, so given as the stored number (timestamp_ms).
      updatedAt: sql`${sql.placeholder('nowMs')}`,
    })
    .where(eq(users.id, sql.placeholder('id')))
    .prepare();
  for (const c of p.change) {
    const s = c.set;
    if (Object.keys(s).length > 0) {
      updateUser.run({
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
        nowMs: now.getTime(),
      });
      // 姓名 is in the search index: a rename must be found under the new name.
      if (s.name !== undefined) reindexAuthor(tx, c.userId);
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
      addOrganizer.run({ courseId, userId, now });
      continue;
    }
    const groupId = groupIdOf(e, courseId);
    addMember.run({ courseId, userId, groupId, now });
    if (e.leads && groupId !== null) {
      tx.update(courseGroups).set({ leaderId: userId }).where(eq(courseGroups.id, groupId)).run();
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
  appendAudit(tx, audits);
  return counts;
}

async function passwordSheet(rows: { username: string; name: string; password: string }[], expiresAt: Date): Promise<Buffer> {
  const until = formatDateTime(expiresAt);
  return toXlsx({
    name: '初始密码',
    columns: [
      { header: '账号', width: 18 },
      { header: '姓名', width: 12 },
      { header: '初始密码', width: 18 },
      { header: '有效期至', width: 24 },
    ],
    rows: rows.map((r) => [r.username, r.name, r.password, until]),
  }, { offThread: true });
}

const invalidMessage = (n: number) => `名单中还有 ${n} 处错误，请修改文件后重新上传`;

export interface PreparedCommit {
  importId: string;
  fileName: string;
  allowCreateUnits: boolean;
  format: RosterFormat;
  table: RosterTable;
  plan: RosterPlan;
  /** How many one-time passwords the commit will hash (the slow part). */
  newAccounts: number;
}

/**
 * The checks of a commit that need no hashing: the upload is this admin's and still there, it
 * parses, has no errors, and plans exactly what the admin was shown (same digest).
 */
export async function prepareRosterCommit(
  viewer: Viewer,
  input: { importId: string; digest: string },
  preparsed?: PreparsedUpload,
): Promise<{ ok: true; prepared: PreparedCommit } | Failure> {
  assertRole(viewer, 'admin');
  const upload = loadUpload(input.importId, viewer.id);
  if (!upload) return fail('not_found', '这次上传已过期或已处理，请重新上传文件');
  // Parsed and planned at the preview (lib/roster/prehash): the transaction plans again anyway.
  const parsed = preparsed ? ({ ok: true, ...preparsed } as const) : await parseRosterFile(upload.meta.fileName, upload.bytes);
  if (!parsed.ok) return fail('bad_file', parsed.message);
  const p = preparsed?.plan ?? planAgainst(getDb(), viewer, parsed.table, upload.meta.allowCreateUnits);
  if (p.errors.length > 0) return fail('invalid', invalidMessage(p.errors.length));
  if (p.digest !== input.digest) return fail('stale', STALE_MESSAGE);
  return {
    ok: true,
    prepared: {
      importId: input.importId,
      fileName: upload.meta.fileName,
      allowCreateUnits: upload.meta.allowCreateUnits,
      format: parsed.format,
      table: parsed.table,
      plan: p,
      newAccounts: p.add.length,
    },
  };
}


/** What a request may hook into the commit: progress while hashing, and a way to stop it. */
export interface CommitHooks {
  /** Hashing is about to start for this many new accounts (not called when there are none). */
  onHashing?: (total: number) => void;
  onProgress?: (done: number, total: number) => void;
  /** Aborted (the page was closed) while hashing: nothing is written. */
  signal?: AbortSignal;
  /** The password hasher; argon2id (lib/auth/password) unless a benchmark measures around it. */
  hash?: (password: string) => Promise<string>;
}

interface Hashed {
  checked: PreparedCommit;
  secrets: { password: string; hash: string }[];
  /** The password sheet, built while the worker threads hashed; kept only if the commit succeeds. */
  sheet: Buffer | null;
  now: Date;
  expiresAt: Date;
}

/**
 * The database half of a commit, as a kernel mutation built for one request's hooks. Inside the
 * transaction the file is planned again; when that differs from the preview the admin confirmed
 * (someone changed an account, a unit or a course meanwhile), nothing is written.
 */
function commitMutation(hooks: CommitHooks) {
  return preparedMutation({
    roles: ['admin'],
    schema: commitSchema,
    async prepare({ viewer }, input): Promise<Hashed | Failure> {
      // What the preview started (parsed file, passwords hashing meanwhile), unless a benchmark
      // brings its own hasher.
      const pre = takePrehash(viewer.id, input.importId);
      if (pre && hooks.hash) pre.discard();
      const ready = pre && !hooks.hash ? pre : null;
      const checked = await prepareRosterCommit(viewer, input, ready?.parsed);
      if (!checked.ok) {
        ready?.discard();
        return checked;
      }
      const total = checked.prepared.newAccounts;
      if (total > 0) hooks.onHashing?.(total);
      const now = new Date();
      const expiresAt = new Date(now.getTime() + ONE_TIME_PASSWORD_MS);
      const usable = ready && ready.passwords.length === total;
      if (ready && !usable) ready.discard();
      // Previewed in another server process: its passwords, when it has hashed them all.
      const elsewhere = ready || hooks.hash ? null : takePrehashed(input.importId, viewer.id, PREHASH_TTL_MS);
      const fromElsewhere = elsewhere && elsewhere.length === total ? elsewhere : null;
      const passwords = usable
        ? ready.passwords
        : fromElsewhere
          ? fromElsewhere.map((s) => s.password)
          : Array.from({ length: total }, () => generatePassword());
      // The sheet needs only the passwords: this thread writes it while the workers hash them.
      const add = checked.prepared.plan.add;
      // Not hashed ahead (expired, another process, a worker failed): hashed now.
      const hashNow = () => hashOneTimePasswords(passwords, hooks.onProgress, hooks.signal, hooks.hash);
      const [secrets, sheet] = await Promise.all([
        usable
          ? ready.hashed(hooks.onProgress, hooks.signal).then((h) => h ?? hashNow())
          : fromElsewhere
            ? Promise.resolve(fromElsewhere).then((h) => {
                hooks.onProgress?.(total, total);
                return h;
              })
            : hashNow(),
        total > 0 ? passwordSheet(add.map((a, i) => ({ username: a.username, name: a.name, password: passwords[i] as string })), expiresAt) : null,
      ]);
      if (hooks.signal?.aborted) return fail('aborted', '导入已取消，没有写入任何数据');
      return { checked: checked.prepared, secrets, sheet, now, expiresAt };
    },
    run(tx, { viewer, request }, input, { checked, secrets, sheet, now, expiresAt }) {
      const first = checked.plan;
      const again = planAgainst(tx, viewer, checked.table, checked.allowCreateUnits);
      // The preview's plan may have come from memory (lib/roster/prehash): this is the check.
      if (again.errors.length > 0) return fail('invalid', invalidMessage(again.errors.length));
      if (again.digest !== first.digest) return fail('stale', STALE_MESSAGE);
      const hashes = new Map(first.add.map((a, i) => [a.username, (secrets[i] as { hash: string }).hash]));
      const courseDetails = new Map((input.courses ?? []).map((c) => [c.name, { columnName: c.columnName, publisher: c.publisher }]));
      const counts = applyPlan(tx, again, {
        viewer,
        request,
        now,
        expiresAt,
        hashes,
        fileName: checked.fileName,
        format: checked.format,
        courseDetails,
      });
      return { ok: true as const, counts, issued: first.add.length, sheet, now, expiresAt };
    },
  });
}

/**
 * Commits a previewed upload (input as sent: {importId, digest}; the kernel parses it), then
 * removes the upload and keeps the password sheet for one download. Files are touched only after
 * the transaction has committed.
 */
export async function commitRosterImport(
  viewer: Viewer,
  input: unknown,
  request: RequestInfo = LOCAL_REQUEST,
  hooks: CommitHooks = {},
): Promise<CommitResult> {
  const { result, input: parsed } = await commitMutation(hooks).invoke(viewer, input, request);
  if (!result.ok || parsed === null) return result as Failure;
  const { counts, issued, sheet, now, expiresAt } = result;
  deleteUpload(parsed.importId);
  let passwordToken: string | null = null;
  if (issued > 0 && sheet) {
    passwordToken = savePasswordSheet(
      sheet,
      { ownerId: viewer.id, count: issued, fileName: `初始密码-${fileStamp(now)}.xlsx` },
      now.getTime(),
    );
  }
  return { ok: true, result: { counts, passwordToken, passwordCount: issued, expiresAt } };
}
