import fs from 'node:fs';
import { asc } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import type * as HashPool from '@/lib/auth/hash-pool';
import { setFaultAfterRunForTests } from '@/db/mutation';
import { commitRosterImport } from '@/db/queries/roster/commit';
import { takeRosterPasswordSheet } from '@/db/queries/roster/passwords';
import { cancelRosterImport, previewRosterImport, previewStoredImport, type RosterPreviewDto } from '@/db/queries/roster/preview';
import { auditLog, courseGroups, courseMembers, courseOrganizers, courses, units, users } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { verifyPassword } from '@/lib/auth/password';
import { xlsxOf } from '@/lib/roster/fixtures/build';
import { pendingPrehash, PREHASH_TTL_MS } from '@/lib/roster/prehash';
import { dropHashing, importsDir, markHashing, savePrehashed } from '@/lib/roster/store';
import { rosterDatabasePerTest } from '@/test/roster-db';
import { signedIn } from '@/test/db';

// The one-time passwords a preview hashes in the background for its commit (lib/roster/prehash):
// used by the commit that follows, gone when the preview is abandoned, and a failed commit leaves
// every table as it was.

// Every batch of passwords sent to the hashing threads, counted.
const hashed = vi.hoisted(() => ({ calls: [] as number[] }));
vi.mock('@/lib/auth/hash-pool', async (importOriginal) => {
  const real = await importOriginal<typeof HashPool>();
  return {
    ...real,
    hashPasswordsOnWorkers: (passwords: string[], ...rest: Parameters<typeof real.hashPasswordsOnWorkers> extends [unknown, ...infer R] ? R : never) => {
      hashed.calls.push(passwords.length);
      return real.hashPasswordsOnWorkers(passwords, ...rest);
    },
  };
});

const REQ = { ip: '10.0.0.8', userAgent: 'vitest' };
const COURSE = '2021年全区党组织书记读书班';
const ROWS = [
  ['账号', '姓名', '职务', '单位', '角色', '读书班', '小组'],
  ['xiadingyang', '夏定阳', '牛首镇委书记', '樊城区/牛首镇', '学员', COURSE, '第一组'],
  ['zengjianhui', '曾建辉', '太平店镇镇长', '樊城区/太平店镇', '学员', COURSE, '第二组'],
  ['zhouzz', '周组织', '区委组织部干部', '樊城区', '组织者', COURSE, ''],
];

async function state() {
  const db = getDb();
  return {
    users: await db.select().from(users).orderBy(asc(users.id)).all(),
    units: await db.select().from(units).orderBy(asc(units.id)).all(),
    courses: await db.select().from(courses).orderBy(asc(courses.id)).all(),
    groups: await db.select().from(courseGroups).orderBy(asc(courseGroups.id)).all(),
    members: await db.select().from(courseMembers).orderBy(asc(courseMembers.userId)).all(),
    organizers: await db.select().from(courseOrganizers).all(),
    audit: await db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
  };
}

async function preview(admin: Viewer, rows = ROWS): Promise<RosterPreviewDto> {
  const r = await previewRosterImport(admin, { fileName: '名单.xlsx', bytes: await xlsxOf(rows), allowCreateUnits: true });
  if (!r.ok) throw new Error(r.message);
  return r.preview;
}

async function sheetPasswords(admin: Viewer, token: string): Promise<Map<string, string>> {
  const sheet = takeRosterPasswordSheet(admin, { token });
  if (!sheet.ok) throw new Error(sheet.message);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(sheet.bytes as unknown as ExcelJS.Buffer);
  const out = new Map<string, string>();
  (wb.worksheets[0] as ExcelJS.Worksheet).eachRow((row, n) => {
    const v = (row.values as unknown[]).slice(1).map(String);
    if (n > 1) out.set(v[0] as string, v[2] as string);
  });
  return out;
}

describe('roster import: passwords hashed while the admin reads the preview', () => {
  rosterDatabasePerTest();
  afterEach(() => {
    setFaultAfterRunForTests(null);
    vi.useRealTimers();
    hashed.calls.length = 0;
  });

  it('hashes the new accounts’ passwords after the preview, and the commit uses them', async () => {
    const admin = await signedIn('admin');
    const p = await preview(admin);
    expect(p.counts.add).toBe(3);
    expect(pendingPrehash(admin.id)).toEqual({ importId: p.importId, count: 3 });
    expect(hashed.calls).toEqual([3]);
    const progress: number[] = [];
    const r = await commitRosterImport(admin, { importId: p.importId, digest: p.digest }, REQ, {
      onProgress: (done) => progress.push(done),
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.counts).toMatchObject({ added: 3, coursesCreated: 1, groupsCreated: 2, unitsCreated: 3, enrolled: 3 });
    expect(progress.at(-1)).toBe(3);
    // Hashed once, after the preview; not again by the commit.
    expect(hashed.calls).toEqual([3]);
    // Taken by the commit: nothing of it stays in memory.
    expect(pendingPrehash(admin.id)).toBeNull();
    const passwords = await sheetPasswords(admin, r.result.passwordToken as string);
    const stored = new Map((await state()).users.map((u) => [u.username, u.passwordHash]));
    expect([...passwords.keys()].sort()).toEqual(['xiadingyang', 'zengjianhui', 'zhouzz']);
    for (const [username, password] of passwords) {
      expect(await verifyPassword(stored.get(username) ?? null, password)).toBe(true);
    }
    expect(new Set(passwords.values()).size).toBe(3);
  });

  it('a commit that reaches another server process uses the passwords the preview hashed', async () => {
    const admin = await signedIn('admin');
    const p = await preview(admin);
    // Once all are hashed they are also beside the upload.
    const file = `${p.importId}.hashed`;
    await vi.waitFor(() => expect(fs.readdirSync(importsDir())).toContain(file));
    const written = JSON.parse(fs.readFileSync(`${importsDir()}/${file}`, 'utf8')) as { secrets: { password: string; hash: string }[] };
    expect((fs.statSync(`${importsDir()}/${file}`).mode & 0o777).toString(8)).toBe('600');
    // Another process: no memory of the preview (npm start runs one per core).
    (globalThis as Record<symbol, Map<number, unknown>>)[Symbol.for('xuesi.roster.prehash')]?.delete(admin.id);
    expect(pendingPrehash(admin.id)).toBeNull();

    const r = await commitRosterImport(admin, { importId: p.importId, digest: p.digest }, REQ);
    if (!r.ok) throw new Error(r.message);
    expect(r.result.counts.added).toBe(3);
    // Not hashed again: the accounts hold exactly the hashes written at the preview.
    expect(hashed.calls).toEqual([3]);
    const stored = (await state()).users.filter((u) => u.mustChangePassword).map((u) => u.passwordHash).sort();
    expect(stored).toEqual(written.secrets.map((x) => x.hash).sort());
    const passwords = await sheetPasswords(admin, r.result.passwordToken as string);
    expect([...passwords.values()].sort()).toEqual(written.secrets.map((x) => x.password).sort());
    // Gone with the upload.
    expect(fs.readdirSync(importsDir()).filter((f) => f.startsWith(p.importId))).toEqual([]);
  });

  it('a commit that reaches another server process while the preview’s process still hashes waits for those hashes', async () => {
    const admin = await signedIn('admin');
    const p = await preview(admin);
    const file = `${importsDir()}/${p.importId}.hashed`;
    await vi.waitFor(() => expect(fs.existsSync(file)).toBe(true));
    const secrets = (JSON.parse(fs.readFileSync(file, 'utf8')) as { secrets: { password: string; hash: string }[] }).secrets;
    // As another process sees it while the preview's process is still hashing: no hashes yet, its
    // mark (a live process that is not this one), and no memory of the preview here.
    fs.rmSync(file);
    (globalThis as Record<symbol, Map<number, unknown>>)[Symbol.for('xuesi.roster.prehash')]?.delete(admin.id);
    markHashing(p.importId, { ownerId: admin.id, pid: process.ppid, done: 1, total: 3 });
    const progress: number[] = [];
    const committing = commitRosterImport(admin, { importId: p.importId, digest: p.digest }, REQ, { onProgress: (done) => progress.push(done) });
    await new Promise((r) => setTimeout(r, 300));
    expect((await state()).users.some((u) => u.username === 'xiadingyang')).toBe(false);
    // The preview's process finishes: its hashes beside the upload, its mark gone.
    savePrehashed(p.importId, admin.id, secrets);
    dropHashing(p.importId);
    const r = await committing;
    if (!r.ok) throw new Error(r.message);
    expect(r.result.counts.added).toBe(3);
    expect(progress).toContain(1);
    expect(progress.at(-1)).toBe(3);
    // Hashed once, by the preview's process.
    expect(hashed.calls).toEqual([3]);
    const stored = (await state()).users.filter((u) => u.mustChangePassword).map((u) => u.passwordHash).sort();
    expect(stored).toEqual(secrets.map((x) => x.hash).sort());
    const passwords = await sheetPasswords(admin, r.result.passwordToken as string);
    expect([...passwords.values()].sort()).toEqual(secrets.map((x) => x.password).sort());
    expect(fs.readdirSync(importsDir()).filter((f) => f.startsWith(p.importId))).toEqual([]);
  });

  it('a commit hashes afresh when the mark of another process’s hashing has stalled', async () => {
    const admin = await signedIn('admin');
    const p = await preview(admin);
    await vi.waitFor(() => expect(fs.existsSync(`${importsDir()}/${p.importId}.hashed`)).toBe(true));
    fs.rmSync(`${importsDir()}/${p.importId}.hashed`);
    (globalThis as Record<symbol, Map<number, unknown>>)[Symbol.for('xuesi.roster.prehash')]?.delete(admin.id);
    markHashing(p.importId, { ownerId: admin.id, pid: process.ppid, done: 1, total: 3 }, Date.now() - 60_000);
    const r = await commitRosterImport(admin, { importId: p.importId, digest: p.digest }, REQ);
    if (!r.ok) throw new Error(r.message);
    expect(hashed.calls).toEqual([3, 3]);
    const passwords = await sheetPasswords(admin, r.result.passwordToken as string);
    const stored = new Map((await state()).users.map((u) => [u.username, u.passwordHash]));
    for (const [username, password] of passwords) expect(await verifyPassword(stored.get(username) ?? null, password)).toBe(true);
    expect(fs.readdirSync(importsDir()).filter((f) => f.startsWith(p.importId))).toEqual([]);
  });

  it('leaves nothing behind when the preview is abandoned: 取消, a newer preview, or time', async () => {
    const admin = await signedIn('admin');
    const before = await state();
    const p = await preview(admin);
    cancelRosterImport(admin, { importId: p.importId });
    expect(pendingPrehash(admin.id)).toBeNull();
    expect(fs.readdirSync(importsDir())).toEqual([]);
    expect(await state()).toEqual(before);

    // A newer preview takes the place of the older; the older still commits, hashing afresh.
    const older = await preview(admin);
    const newer = await preview(admin, ROWS.slice(0, 3));
    expect(pendingPrehash(admin.id)).toEqual({ importId: newer.importId, count: 2 });
    const r = await commitRosterImport(admin, { importId: older.importId, digest: older.digest }, REQ);
    if (!r.ok) throw new Error(r.message);
    expect(r.result.counts.added).toBe(3);
    expect(hashed.calls).toEqual([3, 3, 2, 3]);
    const passwords = await sheetPasswords(admin, r.result.passwordToken as string);
    const stored = new Map((await state()).users.map((u) => [u.username, u.passwordHash]));
    expect(await verifyPassword(stored.get('zhouzz') ?? null, passwords.get('zhouzz') as string)).toBe(true);
    // The newer one is still waiting for its own commit (now stale: its accounts exist).
    expect(pendingPrehash(admin.id)).toEqual({ importId: newer.importId, count: 2 });

    // Left alone past PREHASH_TTL_MS, the passwords are dropped.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const later = await previewStoredImport(admin, { importId: newer.importId });
    expect(later.ok && later.preview.counts).toMatchObject({ add: 0, unchanged: 2 });
    expect(pendingPrehash(admin.id)).toEqual({ importId: newer.importId, count: 0 });
    vi.advanceTimersByTime(PREHASH_TTL_MS + 1);
    expect(pendingPrehash(admin.id)).toBeNull();
  });

  it('keeps nothing for a file with errors', async () => {
    const admin = await signedIn('admin');
    await preview(admin, [...ROWS, ['xiadingyang', '重复', '', '', '学员', COURSE, '']]);
    expect(pendingPrehash(admin.id)).toBeNull();
  });

  it('a failure after the write leaves every table unchanged and no password sheet', async () => {
    const admin = await signedIn('admin');
    const p = await preview(admin);
    const before = await state();
    setFaultAfterRunForTests(() => {
      throw new Error('forced failure after the write');
    });
    await expect(commitRosterImport(admin, { importId: p.importId, digest: p.digest }, REQ)).rejects.toThrow('forced failure');
    expect(await state()).toEqual(before);
    expect(pendingPrehash(admin.id)).toBeNull();
    expect(fs.readdirSync(importsDir()).filter((f) => f.includes('.pw'))).toEqual([]);

    // Confirmed again, it hashes afresh and writes everything.
    setFaultAfterRunForTests(null);
    const r = await commitRosterImport(admin, { importId: p.importId, digest: p.digest }, REQ);
    expect(r.ok && r.result.counts.added).toBe(3);
  });

  it('a page closed while the preview’s hashing runs writes nothing', async () => {
    const admin = await signedIn('admin');
    const p = await preview(admin);
    const before = await state();
    const stop = new AbortController();
    const r = await commitRosterImport(admin, { importId: p.importId, digest: p.digest }, REQ, {
      onHashing: () => stop.abort(),
      signal: stop.signal,
    });
    expect(r).toMatchObject({ ok: false, code: 'aborted' });
    expect(await state()).toEqual(before);
    expect(pendingPrehash(admin.id)).toBeNull();
  });
});
