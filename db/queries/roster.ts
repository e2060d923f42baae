import 'server-only';
import os from 'node:os';
import { eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { getDb, type DB, type Tx } from '@/db';
import { listAudit } from '@/db/queries/audit';
import { UNIT_MAX_DEPTH } from '@/db/queries/units';
import { listUsersForExport, ONE_TIME_PASSWORD_DAYS } from '@/db/queries/users';
import { auditLog, courseGroups, courseMembers, courseOrganizers, courses, units, users, type Role } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { writeAudit, type AuditAction } from '@/db/audit';
import { assertRole } from '@/lib/auth/guard';
import { generatePassword, hashOneTimePassword } from '@/lib/auth/password';
import type { Viewer } from '@/lib/auth/viewer-type';
import type { RequestInfo } from '@/lib/request';
import { attachment, CSV_TYPE, toCsv, toXlsx, XLSX_TYPE } from '@/lib/roster/export';
import { PREVIEW_ERRORS_MAX, PREVIEW_LIST_MAX } from '@/lib/roster/limits';
import { parseRosterFile, type RosterFormat } from '@/lib/roster/parse';
import {
  cleanText,
  planRoster,
  ROLE_NAMES,
  unitPathIndex,
  type Enrollment,
  type FieldChange,
  type RosterPlan,
  type RosterSnapshot,
  type RowError,
} from '@/lib/roster/plan';
import {
  deleteUpload,
  discardUpload,
  listPasswordSheets,
  loadUpload,
  savePasswordSheet,
  saveUpload,
  takePasswordSheet,
} from '@/lib/roster/store';
import { FIELD_LABELS, type RosterTable } from '@/lib/roster/table';
import { formatDateTime, shanghaiParts } from '@/lib/time';
import type { listAuditSchema } from '@/lib/validation/audit';
import type { listUsersSchema } from '@/lib/validation/users';
import { reindexAuthor } from './search-index';

// 花名册: importing people from a spreadsheet (preview, then an all-or-nothing commit), the
// one-time password sheet, and exports of the roster and the audit log. Admin only.

const ONE_TIME_PASSWORD_MS = ONE_TIME_PASSWORD_DAYS * 24 * 60 * 60 * 1000;
/**
 * How many argon2 hashes run at once. Each is CPU- and memory-bound on one of libuv's four pool
 * threads: more than the cores only slows each down (measured: 2 at a time is fastest on two
 * cores), and at most three leaves a pool thread for the file reads of other requests.
 */
const HASH_CONCURRENCY = Math.max(1, Math.min(3, os.availableParallelism()));
const INSERT_CHUNK = 200;
/** An audit export covers at most this many rows, newest first. */
export const AUDIT_EXPORT_MAX = 20_000;

export const STALE_MESSAGE = '预览之后,名单涉及的账号、单位或读书班已有变化,请重新预览后再确认';

// ---------------------------------------------------------------------------------------------
// DTOs

export interface PreviewAddDto {
  row: number;
  username: string;
  name: string;
  title: string;
  unitPath: string;
  role: string;
  phone: string;
  course: string;
}

export interface PreviewChangeDto {
  row: number;
  username: string;
  name: string;
  changes: FieldChange[];
}

export interface RosterPreviewDto {
  importId: string;
  digest: string;
  fileName: string;
  format: RosterFormat;
  encoding: string | null;
  allowCreateUnits: boolean;
  counts: { rows: number; add: number; change: number; unchanged: number; errors: number; errorRows: number };
  columns: string[];
  unknownColumns: string[];
  unitsToCreate: string[];
  notes: string[];
  add: PreviewAddDto[];
  change: PreviewChangeDto[];
  unchanged: { row: number; username: string; name: string }[];
  errors: RowError[];
}

export type PreviewResult = { ok: true; preview: RosterPreviewDto } | Failure;

export interface CommitDto {
  counts: { rows: number; added: number; changed: number; unchanged: number; unitsCreated: number; enrolled: number };
  /** For the one download of the password sheet; null when nobody new was added. */
  passwordToken: string | null;
  passwordCount: number;
  expiresAt: Date;
}

export type CommitResult = { ok: true; result: CommitDto } | Failure;

function enrollmentText(e: Enrollment | null): string {
  if (!e) return '';
  if (e.as === 'organizer') return `${e.courseName}(组织者)`;
  return e.groupName ? `${e.courseName} / ${e.groupName}` : e.courseName;
}

function toPreview(
  importId: string,
  meta: { fileName: string; allowCreateUnits: boolean },
  parsed: { format: RosterFormat; encoding: string | null; table: RosterTable },
  plan: RosterPlan,
): RosterPreviewDto {
  return {
    importId,
    digest: plan.digest,
    fileName: meta.fileName,
    format: parsed.format,
    encoding: parsed.encoding,
    allowCreateUnits: meta.allowCreateUnits,
    counts: {
      rows: plan.rows,
      add: plan.add.length,
      change: plan.change.length,
      unchanged: plan.unchanged.length,
      errors: plan.errors.length,
      errorRows: new Set(plan.errors.map((e) => e.row)).size,
    },
    columns: parsed.table.columns.map((c) => FIELD_LABELS[c]),
    unknownColumns: parsed.table.unknownColumns,
    unitsToCreate: plan.unitsToCreate,
    notes: plan.notes,
    add: plan.add.slice(0, PREVIEW_LIST_MAX).map((a) => ({
      row: a.row,
      username: a.username,
      name: a.name,
      title: a.title,
      unitPath: a.unitPath ?? '',
      role: ROLE_NAMES[a.role],
      phone: a.phone ?? '',
      course: enrollmentText(a.enroll),
    })),
    change: plan.change.slice(0, PREVIEW_LIST_MAX).map((c) => ({ row: c.row, username: c.username, name: c.name, changes: c.changes })),
    unchanged: plan.unchanged.slice(0, PREVIEW_LIST_MAX),
    errors: plan.errors.slice(0, PREVIEW_ERRORS_MAX),
  };
}

// ---------------------------------------------------------------------------------------------
// The database as the planner sees it

function loadSnapshot(db: DB | Tx, table: RosterTable): RosterSnapshot {
  const userRows = db
    .select({
      id: users.id,
      username: users.username,
      name: users.name,
      title: users.title,
      unitId: users.unitId,
      role: users.role,
      phone: users.phone,
      active: users.active,
    })
    .from(users)
    .all();
  const courseRows = db.select({ id: courses.id, name: courses.name, archived: courses.archived }).from(courses).all();
  // Memberships matter only for the courses the file names.
  const named = new Set(table.records.map((r) => cleanText(r.values.course)).filter(Boolean));
  const courseIds = courseRows.filter((c) => named.has(cleanText(c.name))).map((c) => c.id);
  const members = new Map<string, number | null>();
  const organizers = new Set<string>();
  let groups: RosterSnapshot['groups'] = [];
  if (courseIds.length > 0) {
    for (const m of db
      .select({ courseId: courseMembers.courseId, userId: courseMembers.userId, groupId: courseMembers.groupId })
      .from(courseMembers)
      .where(inArray(courseMembers.courseId, courseIds))
      .all()) {
      members.set(`${m.courseId}:${m.userId}`, m.groupId);
    }
    for (const o of db
      .select({ courseId: courseOrganizers.courseId, userId: courseOrganizers.userId })
      .from(courseOrganizers)
      .where(inArray(courseOrganizers.courseId, courseIds))
      .all()) {
      organizers.add(`${o.courseId}:${o.userId}`);
    }
    groups = db
      .select({ id: courseGroups.id, courseId: courseGroups.courseId, name: courseGroups.name, leaderId: courseGroups.leaderId })
      .from(courseGroups)
      .where(inArray(courseGroups.courseId, courseIds))
      .all();
  }
  return {
    users: new Map(userRows.map((u) => [u.username, u])),
    units: db.select({ id: units.id, name: units.name, parentId: units.parentId }).from(units).all(),
    courses: courseRows,
    groups,
    members,
    organizers,
  };
}

function plan(db: DB | Tx, viewer: Viewer, table: RosterTable, allowCreateUnits: boolean): RosterPlan {
  return planRoster(table, loadSnapshot(db, table), {
    allowCreateUnits,
    viewerId: viewer.id,
    maxUnitDepth: UNIT_MAX_DEPTH,
  });
}

// ---------------------------------------------------------------------------------------------
// Preview

/**
 * Reads an upload and says what importing it would do; nothing is written to the database. The
 * file is kept (for an hour, readable only by this process) so that the commit reads the same
 * bytes again instead of trusting anything the browser sends back.
 */
export async function previewRosterImport(
  viewer: Viewer,
  input: { fileName: string; bytes: Uint8Array; allowCreateUnits: boolean },
): Promise<PreviewResult> {
  assertRole(viewer, 'admin');
  const fileName = input.fileName.replace(/[\\/]/gu, '_').slice(-120);
  const parsed = await parseRosterFile(fileName, input.bytes);
  if (!parsed.ok) return fail('bad_file', parsed.message);
  const result = plan(getDb(), viewer, parsed.table, input.allowCreateUnits);
  const importId = saveUpload(input.bytes, { ownerId: viewer.id, fileName, allowCreateUnits: input.allowCreateUnits });
  return { ok: true, preview: toPreview(importId, { fileName, allowCreateUnits: input.allowCreateUnits }, parsed, result) };
}

/** The preview of an upload already stored, against the database as it is now. */
export async function previewStoredImport(viewer: Viewer, { importId }: { importId: string }): Promise<PreviewResult> {
  assertRole(viewer, 'admin');
  const upload = loadUpload(importId, viewer.id);
  if (!upload) return fail('not_found', '这次上传已过期或已处理,请重新上传文件');
  const parsed = await parseRosterFile(upload.meta.fileName, upload.bytes);
  if (!parsed.ok) return fail('bad_file', parsed.message);
  const result = plan(getDb(), viewer, parsed.table, upload.meta.allowCreateUnits);
  return { ok: true, preview: toPreview(importId, upload.meta, parsed, result) };
}

export function cancelRosterImport(viewer: Viewer, { importId }: { importId: string }): { ok: true } {
  assertRole(viewer, 'admin');
  discardUpload(importId, viewer.id);
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Commit

/** Random one-time passwords and their argon2id hashes, a few at a time on libuv's thread pool. */
export async function hashOneTimePasswords(
  count: number,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
  hash: (password: string) => Promise<string> = hashOneTimePassword,
): Promise<{ password: string; hash: string }[]> {
  const out: { password: string; hash: string }[] = new Array(count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      if (signal?.aborted) return;
      const i = next++;
      const password = generatePassword();
      out[i] = { password, hash: await hash(password) };
      done += 1;
      onProgress?.(done, count);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, count) }, worker));
  return out;
}

type AuditInsert = typeof auditLog.$inferInsert;

function insertChunks<T>(rows: T[], write: (chunk: T[]) => void): void {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) write(rows.slice(i, i + INSERT_CHUNK));
}

interface ApplyContext {
  viewer: Viewer;
  req: RequestInfo;
  now: Date;
  expiresAt: Date;
  hashes: Map<string, string>;
  fileName: string;
  format: RosterFormat;
}

function changeDetail(changes: FieldChange[]): Record<string, { from: string | null; to: string | null }> {
  const out: Record<string, { from: string | null; to: string | null }> = {};
  for (const c of changes) {
    if (c.field === 'role') continue;
    out[c.field] = { from: c.from || null, to: c.to || null };
  }
  return out;
}

/** Writes a plan; runs inside the commit's transaction. */
function applyPlan(tx: Tx, p: RosterPlan, ctx: ApplyContext): CommitDto['counts'] {
  const { viewer, req, now } = ctx;
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
      ip: req.ip,
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

  // New accounts.
  const idByUsername = new Map<string, number>();
  insertChunks(p.add, (chunk) => {
    const inserted = tx
      .insert(users)
      .values(
        chunk.map((a) => ({
          username: a.username,
          name: a.name,
          title: a.title,
          unitId: unitIdOf(a.unitPath),
          role: a.role,
          phone: a.phone,
          passwordHash: ctx.hashes.get(a.username) as string,
          mustChangePassword: true,
          passwordExpiresAt: ctx.expiresAt,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning({ id: users.id, username: users.username })
      .all();
    for (const r of inserted) idByUsername.set(r.username, r.id);
  });
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

  // Changed accounts.
  for (const c of p.change) {
    const s = c.set;
    if (Object.keys(s).length > 0) {
      tx.update(users)
        .set({
          ...(s.name !== undefined ? { name: s.name } : {}),
          ...(s.title !== undefined ? { title: s.title } : {}),
          ...(s.unitPath !== undefined ? { unitId: unitIdOf(s.unitPath) } : {}),
          ...(s.role !== undefined ? { role: s.role } : {}),
          ...(s.phone !== undefined ? { phone: s.phone } : {}),
          updatedAt: now,
        })
        .where(eq(users.id, c.userId))
        .run();
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
  for (const { userId, e } of enrollments) {
    if (!e || userId === undefined) continue;
    enrolled += 1;
    if (e.as === 'organizer') {
      tx.insert(courseOrganizers).values({ courseId: e.courseId, userId, createdAt: now }).onConflictDoNothing().run();
    } else {
      tx.insert(courseMembers)
        .values({ courseId: e.courseId, userId, groupId: e.groupId, enrolledAt: now })
        .onConflictDoUpdate({ target: [courseMembers.courseId, courseMembers.userId], set: { groupId: e.groupId } })
        .run();
    }
  }

  const counts = {
    rows: p.rows,
    added: p.add.length,
    changed: p.change.length,
    unchanged: p.unchanged.length,
    unitsCreated: p.unitsToCreate.length,
    enrolled,
  };
  audit('roster.import', null, null, {
    file: ctx.fileName,
    format: ctx.format,
    ...counts,
    units: p.unitsToCreate.length ? p.unitsToCreate.slice(0, 20) : undefined,
  });
  insertChunks(audits, (chunk) => tx.insert(auditLog).values(chunk).run());
  return counts;
}

/** 20200509-0930 in Asia/Shanghai, for file names. */
function stamp(d: Date): string {
  const p = shanghaiParts(d);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}${two(p.month)}${two(p.day)}-${two(p.hour)}${two(p.minute)}`;
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
  });
}

export interface CommitOptions {
  now?: Date;
  onProgress?: (done: number, total: number) => void;
  /** Aborted (the page was closed) while hashing: nothing is written. */
  signal?: AbortSignal;
  /** The password hasher; argon2id (lib/auth/password) unless a benchmark measures around it. */
  hash?: (password: string) => Promise<string>;
}

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
  now = new Date(),
): Promise<{ ok: true; prepared: PreparedCommit } | Failure> {
  assertRole(viewer, 'admin');
  const upload = loadUpload(input.importId, viewer.id, now.getTime());
  if (!upload) return fail('not_found', '这次上传已过期或已处理,请重新上传文件');
  const parsed = await parseRosterFile(upload.meta.fileName, upload.bytes);
  if (!parsed.ok) return fail('bad_file', parsed.message);
  const p = plan(getDb(), viewer, parsed.table, upload.meta.allowCreateUnits);
  if (p.errors.length > 0) return fail('invalid', `名单中还有 ${p.errors.length} 处错误,请修改文件后重新上传`);
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

/**
 * Writes a prepared import, all or nothing. New accounts get one-time passwords, hashed before
 * the transaction (argon2 is slow and the transaction must be synchronous). Inside the
 * transaction the file is planned again; when that differs from the preview the admin confirmed
 * (someone changed an account, a unit or a course meanwhile), nothing is written. The only copy
 * of the passwords is a sheet for one download.
 */
export async function finishRosterCommit(
  viewer: Viewer,
  prepared: PreparedCommit,
  req: RequestInfo,
  opts: CommitOptions = {},
): Promise<CommitResult> {
  assertRole(viewer, 'admin');
  const now = opts.now ?? new Date();
  const first = prepared.plan;
  const secrets = await hashOneTimePasswords(first.add.length, opts.onProgress, opts.signal, opts.hash);
  if (opts.signal?.aborted) return fail('aborted', '导入已取消,没有写入任何数据');
  const hashes = new Map(first.add.map((a, i) => [a.username, (secrets[i] as { hash: string }).hash]));
  const expiresAt = new Date(now.getTime() + ONE_TIME_PASSWORD_MS);

  const outcome = getDb().transaction(
    (tx): { ok: true; counts: CommitDto['counts'] } | Failure => {
      const again = plan(tx, viewer, prepared.table, prepared.allowCreateUnits);
      if (again.digest !== first.digest || again.errors.length > 0) return fail('stale', STALE_MESSAGE);
      const counts = applyPlan(tx, again, {
        viewer,
        req,
        now,
        expiresAt,
        hashes,
        fileName: prepared.fileName,
        format: prepared.format,
      });
      return { ok: true, counts };
    },
    { behavior: 'immediate' },
  );
  if (!outcome.ok) return outcome;
  deleteUpload(prepared.importId);

  let passwordToken: string | null = null;
  if (first.add.length > 0) {
    const sheet = await passwordSheet(
      first.add.map((a, i) => ({ username: a.username, name: a.name, password: (secrets[i] as { password: string }).password })),
      expiresAt,
    );
    passwordToken = savePasswordSheet(
      sheet,
      { ownerId: viewer.id, count: first.add.length, fileName: `初始密码-${stamp(now)}.xlsx` },
      now.getTime(),
    );
  }
  return { ok: true, result: { counts: outcome.counts, passwordToken, passwordCount: first.add.length, expiresAt } };
}

/** prepareRosterCommit then finishRosterCommit. */
export async function commitRosterImport(
  viewer: Viewer,
  input: { importId: string; digest: string },
  req: RequestInfo,
  opts: CommitOptions = {},
): Promise<CommitResult> {
  const prepared = await prepareRosterCommit(viewer, input, opts.now);
  if (!prepared.ok) return prepared;
  return finishRosterCommit(viewer, prepared.prepared, req, opts);
}

// ---------------------------------------------------------------------------------------------
// The password sheet

export type DownloadResult = { ok: true; bytes: Buffer; fileName: string; contentType: string; disposition: string } | Failure;

/** The password sheet, once; only for the admin who imported. */
export function takeRosterPasswordSheet(viewer: Viewer, { token }: { token: string }): DownloadResult {
  assertRole(viewer, 'admin');
  const sheet = takePasswordSheet(token, viewer.id);
  if (!sheet) return fail('not_found', '初始密码表已下载过或已过期(只能下载一次,保留 1 小时)');
  return {
    ok: true,
    bytes: sheet.bytes,
    fileName: sheet.meta.fileName,
    contentType: XLSX_TYPE,
    disposition: attachment(sheet.meta.fileName, 'passwords.xlsx'),
  };
}

/** Sheets from this admin's imports of the last hour that were never downloaded. */
export function listPendingPasswordSheets(viewer: Viewer): { token: string; count: number; createdAt: Date }[] {
  assertRole(viewer, 'admin');
  return listPasswordSheets(viewer.id).map((s) => ({ token: s.token, count: s.count, createdAt: new Date(s.createdAt) }));
}

// ---------------------------------------------------------------------------------------------
// Exports

export const ROSTER_EXPORT_HEADER = ['账号', '姓名', '职务', '单位', '角色', '手机', '状态'];

function recordExport(viewer: Viewer, req: RequestInfo, action: 'roster.export' | 'audit.export', detail: Record<string, unknown>) {
  getDb().transaction((tx) => {
    writeAudit(tx, { actorId: viewer.id, actorUsername: viewer.username, action, detail, ip: req.ip });
  });
}

function cleanFilter(filter: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter).filter(([k, v]) => k !== 'page' && v !== undefined && v !== ''));
}

/**
 * The accounts the list's filter matches, every page, as .xlsx or .csv with the import's own
 * headers (so an exported file can be edited and imported again). Audited with the filter and count.
 */
export async function exportRoster(
  viewer: Viewer,
  filter: z.input<typeof listUsersSchema>,
  format: RosterFormat,
  req: RequestInfo,
  now = new Date(),
): Promise<DownloadResult & { count?: number }> {
  assertRole(viewer, 'admin');
  const rows = listUsersForExport(viewer, filter).map((u) => [
    u.username,
    u.name,
    u.title,
    u.unitPath,
    ROLE_NAMES[u.role],
    u.phone ?? '',
    u.active ? '正常' : '已停用',
  ]);
  const bytes =
    format === 'csv'
      ? toCsv(ROSTER_EXPORT_HEADER, rows)
      : await toXlsx({
          name: '花名册',
          columns: ROSTER_EXPORT_HEADER.map((header, i) => ({ header, width: [16, 10, 36, 28, 8, 14, 8][i] })),
          rows,
        });
  recordExport(viewer, req, 'roster.export', { format, count: rows.length, filter: cleanFilter(filter) });
  const fileName = `花名册-${stamp(now)}.${format}`;
  return {
    ok: true,
    bytes,
    fileName,
    contentType: format === 'csv' ? CSV_TYPE : XLSX_TYPE,
    disposition: attachment(fileName, `roster.${format}`),
    count: rows.length,
  };
}

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

/**
 * What the audit page shows for a filter, every page (newest first, at most AUDIT_EXPORT_MAX
 * rows), as .xlsx. Read through listAudit so that the file and the page can never disagree.
 */
export async function exportAuditLog(
  viewer: Viewer,
  filter: z.input<typeof listAuditSchema>,
  req: RequestInfo,
  now = new Date(),
): Promise<DownloadResult & { count?: number; truncated?: boolean }> {
  assertRole(viewer, 'admin');
  const seen = new Set<number>();
  const rows: string[][] = [];
  let truncated = false;
  let shown: Record<string, unknown> = {};
  for (let page = 1; ; page++) {
    const list = listAudit(viewer, { ...filter, page: String(page) });
    shown = list.filter;
    for (const r of list.items) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      rows.push([
        formatDateTime(r.at),
        r.actorUsername ?? '',
        r.actionLabel,
        r.targetLabel ?? (r.targetType ? `${r.targetType} #${r.targetId ?? ''}` : ''),
        detailText(r.detail),
        r.ip ?? '',
      ]);
    }
    if (rows.length >= AUDIT_EXPORT_MAX) {
      truncated = page < list.pageCount || rows.length > AUDIT_EXPORT_MAX;
      rows.length = Math.min(rows.length, AUDIT_EXPORT_MAX);
      break;
    }
    if (page >= list.pageCount) break;
  }
  const bytes = await toXlsx({
    name: '审计日志',
    columns: [
      { header: '时间', width: 20 },
      { header: '操作人', width: 16 },
      { header: '操作', width: 14 },
      { header: '对象', width: 24 },
      { header: '详情', width: 60 },
      { header: '来源地址', width: 16 },
    ],
    rows,
  });
  recordExport(viewer, req, 'audit.export', { format: 'xlsx', count: rows.length, filter: shown, truncated: truncated || undefined });
  const fileName = `审计日志-${stamp(now)}.xlsx`;
  return {
    ok: true,
    bytes,
    fileName,
    contentType: XLSX_TYPE,
    disposition: attachment(fileName, 'audit.xlsx'),
    count: rows.length,
    truncated,
  };
}
