import fs from 'node:fs';
import { asc } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { setFaultAfterRunForTests } from '@/db/mutation';
import { auditLog, courseGroups, courseMembers, courses, units, users } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { xlsxOf, xlsxSkeleton, zipOf } from '@/lib/roster/fixtures/build';
import { rosterDatabasePerTest } from '@/test/roster-db';
import { MAX_FILE_BYTES, MESSAGES } from '@/lib/roster/limits';
import { importsDir } from '@/lib/roster/store';
import { signedIn } from '@/test/db';

// The route handlers read the sign-in through next-auth; here the viewer is whoever the test says.
const auth = vi.hoisted(() => ({ viewer: null as unknown }));
vi.mock('@/lib/auth/viewer', () => ({ currentViewer: () => Promise.resolve(auth.viewer) }));

const preview = await import('./preview/route');
const commit = await import('./commit/route');
const cancel = await import('./cancel/route');
const passwords = await import('./passwords/[token]/route');
const rosterExport = await import('./export/route');
const errorSheet = await import('./errors/route');
const auditExport = await import('../../audit/export/route');

const ORIGIN = 'http://xuesi.example:3000';
const HEADER = ['账号', '姓名', '职务', '单位', '角色', '手机', '读书班', '小组'];
const COURSE = '2020年全区党组织书记读书班';

function upload(bytes: Uint8Array, name: string, opts: { allow?: boolean; headers?: Record<string, string> } = {}): Request {
  const q = new URLSearchParams({ name, allowCreateUnits: opts.allow ? '1' : '0' });
  return new Request(`${ORIGIN}/api/admin/roster/preview?${q.toString()}`, {
    method: 'POST',
    headers: { host: 'xuesi.example:3000', origin: ORIGIN, 'content-type': 'application/octet-stream', ...opts.headers },
    body: bytes as BodyInit,
  });
}

function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { host: 'xuesi.example:3000', origin: ORIGIN, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function get(path: string): Request {
  return new Request(`${ORIGIN}${path}`, { headers: { host: 'xuesi.example:3000' } });
}

async function state() {
  const db = getDb();
  return {
    users: await db.select().from(users).orderBy(asc(users.id)).all(),
    units: await db.select().from(units).all(),
    members: await db.select().from(courseMembers).all(),
    audit: await db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
  };
}

/** Reads an NDJSON commit answer (or a plain JSON one) down to its result. */
async function commitResult(res: Response): Promise<{ lines: Record<string, unknown>[]; result: Record<string, unknown> }> {
  const text = await res.text();
  if (!(res.headers.get('content-type') ?? '').includes('ndjson')) return { lines: [], result: JSON.parse(text) as Record<string, unknown> };
  const lines = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { lines, result: lines[lines.length - 1] as Record<string, unknown> };
}

describe('roster route handlers', () => {
  rosterDatabasePerTest();

  let admin: Viewer;
  beforeEach(async () => {
    admin = await signedIn('admin', { username: 'wangxl' });
    auth.viewer = admin;
    const db = getDb();
    const f = (await db.insert(units).values({ name: '樊城区' }).returning({ id: units.id }).get()).id;
    await db.insert(units).values({ name: '牛首镇', parentId: f }).run();
    const courseId = (await db.insert(courses).values({ name: COURSE }).returning({ id: courses.id }).get()).id;
    await db.insert(courseGroups).values({ courseId, name: '第一组' }).run();
  });

  it('upload → preview with errors → fixed upload → commit (streamed) → password sheet once', async () => {
    const bad = await xlsxOf([HEADER, ['xiadingyang', '夏定阳', '牛首镇委书记', '樊城区/牛首镇', '学员', '13907101234', COURSE, '第一组'], ['zengjh', '', '', '', '', '12345', '', '']]);
    const r1 = await preview.POST(upload(bad, '名单.xlsx'));
    expect(r1.status).toBe(200);
    const b1 = (await r1.json()) as { ok: true; preview: { importId: string; digest: string; counts: { errors: number }; errors: unknown[] } };
    expect(b1.preview.errors).toEqual([
      { row: 3, column: '姓名', message: '缺少姓名' },
      { row: 3, column: '手机', message: '手机号“12345”格式不正确，应为 11 位手机号' },
    ]);
    const refused = await commit.POST(postJson('/api/admin/roster/commit', { importId: b1.preview.importId, digest: b1.preview.digest }));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ ok: false, code: 'invalid' });
    expect((await cancel.POST(postJson('/api/admin/roster/cancel', { importId: b1.preview.importId }))).status).toBe(200);

    const good = await xlsxOf([HEADER, ['xiadingyang', '夏定阳', '牛首镇委书记', '樊城区/牛首镇', '学员', '13907101234', COURSE, '第一组'], ['zengjh', '曾建辉', '', '', '', '', '', '']]);
    const r2 = await preview.POST(upload(good, '名单.xlsx'));
    const b2 = (await r2.json()) as { preview: { importId: string; digest: string; counts: Record<string, number> } };
    expect(b2.preview.counts).toMatchObject({ add: 2, errors: 0 });

    const ref = { importId: b2.preview.importId, digest: b2.preview.digest };
    const r3 = await commit.POST(postJson('/api/admin/roster/commit', ref, { accept: 'application/x-ndjson' }));
    expect(r3.status).toBe(200);
    expect(r3.headers.get('cache-control')).toContain('no-transform');
    const { lines, result } = await commitResult(r3);
    expect(lines.filter((l) => l.type === 'progress').at(-1)).toEqual({ type: 'progress', done: 2, total: 2 });
    expect(result).toMatchObject({ type: 'result', ok: true, passwordCount: 2, counts: { added: 2, enrolled: 1 } });
    expect((await state()).users.map((u) => u.username)).toEqual(['wangxl', 'xiadingyang', 'zengjh']);

    const token = result.passwordToken as string;
    const sheet = await passwords.GET(get(`/api/admin/roster/passwords/${token}`), { params: Promise.resolve({ token }) });
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(sheet.headers.get('cache-control')).toBe('no-store');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await sheet.arrayBuffer()) as unknown as ExcelJS.Buffer);
    expect((wb.worksheets[0] as ExcelJS.Worksheet).getRow(1).values).toEqual([undefined, '账号', '姓名', '初始密码', '有效期至']);
    const again = await passwords.GET(get(`/api/admin/roster/passwords/${token}`), { params: Promise.resolve({ token }) });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ ok: false, message: '初始密码表已下载过或已过期（只能下载一次，保留 1 小时）' });
    const junk = await passwords.GET(get('/api/admin/roster/passwords/..%2F..%2Fxuesi.db'), { params: Promise.resolve({ token: '../../xuesi.db' }) });
    expect(junk.status).toBe(404);
  });

  it('a failure after the write, while streaming, answers server_error in the stream and writes nothing', async () => {
    const file = await xlsxOf([HEADER, ['a1', '甲', '', '', '', '', '', '']]);
    const b = (await (await preview.POST(upload(file, 'a.xlsx'))).json()) as { preview: { importId: string; digest: string } };
    const before = await state();
    setFaultAfterRunForTests(() => {
      throw new Error('forced after the write');
    });
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const ref = { importId: b.preview.importId, digest: b.preview.digest };
      const res = await commit.POST(postJson('/api/admin/roster/commit', ref, { accept: 'application/x-ndjson' }));
      expect(res.status).toBe(200);
      expect((await commitResult(res)).result).toMatchObject({ type: 'result', ok: false, code: 'server_error' });
    } finally {
      setFaultAfterRunForTests(null);
      error.mockRestore();
    }
    expect(await state()).toEqual(before);
    // The upload is still there, with the passwords its preview hashed: the admin can confirm again.
    const id = b.preview.importId;
    expect(fs.readdirSync(importsDir()).sort()).toEqual([`${id}.bin`, `${id}.hashed`, `${id}.json`]);
  });

  it('refuses cross-origin and Origin-less posts, and writes or stores nothing', async () => {
    const before = await state();
    const file = await xlsxOf([HEADER, ['a1', '甲', '', '', '', '', '', '']]);
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }]) {
      const r = await preview.POST(upload(file, 'a.xlsx', { headers }));
      expect(r.status).toBe(403);
      expect(await r.json()).toMatchObject({ ok: false, code: 'cross_origin' });
      for (const [route, path] of [
        [commit, '/api/admin/roster/commit'],
        [cancel, '/api/admin/roster/cancel'],
      ] as const) {
        const res = await route.POST(postJson(path, { importId: 'x'.repeat(32), digest: '0'.repeat(64) }, headers));
        expect(res.status).toBe(403);
      }
    }
    const noOrigin = new Request(`${ORIGIN}/api/admin/roster/preview?name=a.xlsx`, {
      method: 'POST',
      headers: { host: 'xuesi.example:3000', 'content-type': 'application/octet-stream' },
      body: file as BodyInit,
    });
    expect((await preview.POST(noOrigin)).status).toBe(403);
    expect(await state()).toEqual(before);
    expect(fs.readdirSync(importsDir())).toEqual([]);
  });

  it('answers 401 signed out and 403 to other roles and to an admin who must change the password, for every route', async () => {
    const before = await state();
    const file = await xlsxOf([HEADER, ['a1', '甲', '', '', '', '', '', '']]);
    const calls = () => [
      preview.POST(upload(file, 'a.xlsx')),
      commit.POST(postJson('/api/admin/roster/commit', { importId: 'x'.repeat(32), digest: '0'.repeat(64) })),
      cancel.POST(postJson('/api/admin/roster/cancel', { importId: 'x'.repeat(32) })),
      passwords.GET(get(`/api/admin/roster/passwords/${'x'.repeat(32)}`), { params: Promise.resolve({ token: 'x'.repeat(32) }) }),
      rosterExport.GET(get('/api/admin/roster/export?format=csv')),
      errorSheet.GET(get(`/api/admin/roster/errors?importId=${'x'.repeat(32)}`)),
      auditExport.GET(get('/api/audit/export')),
    ];
    auth.viewer = null;
    for (const r of await Promise.all(calls())) {
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ ok: false, code: 'unauthenticated' });
    }
    for (const v of [await signedIn('organizer'), await signedIn('cadre'), await signedIn('admin', { mustChangePassword: true })]) {
      auth.viewer = v;
      for (const r of await Promise.all(calls())) {
        expect(r.status).toBe(403);
        expect(r.headers.get('content-type')).toContain('application/json');
      }
    }
    const after = await state();
    expect(after.audit).toEqual(before.audit);
    expect(after.units).toEqual(before.units);
    expect(fs.readdirSync(importsDir())).toEqual([]);
  });

  it('refuses oversized bodies, hostile files and malformed input with 4xx JSON and Chinese messages', async () => {
    const before = await state();
    const big = await preview.POST(upload(Buffer.alloc(MAX_FILE_BYTES + 1, 0x61), 'big.csv'));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'too_large', message: MESSAGES.tooLarge });

    const bomb = zipOf([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), claimSize: 0xfffffff0 }]);
    const r = await preview.POST(upload(bomb, 'bomb.xlsx'));
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ ok: false, code: 'bad_file', message: MESSAGES.zipTooLarge });

    const renamed = await preview.POST(upload(Buffer.from('not a spreadsheet'), 'a.xlsx'));
    expect(await renamed.json()).toMatchObject({ message: MESSAGES.xlsxNotZip });

    const noName = new Request(`${ORIGIN}/api/admin/roster/preview`, {
      method: 'POST',
      headers: { host: 'xuesi.example:3000', origin: ORIGIN, 'content-type': 'application/octet-stream' },
      body: Buffer.from('x') as BodyInit,
    });
    expect((await preview.POST(noName)).status).toBe(400);
    const form = await preview.POST(upload(Buffer.from('x'), 'a.csv', { headers: { 'content-type': 'multipart/form-data; boundary=x' } }));
    expect(form.status).toBe(415);
    const badJson = await commit.POST(new Request(`${ORIGIN}/api/admin/roster/commit`, {
      method: 'POST',
      headers: { host: 'xuesi.example:3000', origin: ORIGIN, 'content-type': 'application/json' },
      body: '{"importId":',
    }));
    expect(badJson.status).toBe(400);
    const extra = await commit.POST(postJson('/api/admin/roster/commit', { importId: 'x'.repeat(32), digest: '0'.repeat(64), admin: true }));
    expect(extra.status).toBe(400);
    const traversal = await commit.POST(postJson('/api/admin/roster/commit', { importId: '../../../../etc/passwd', digest: '0'.repeat(64) }));
    expect(traversal.status).toBe(400);
    const gone = await commit.POST(postJson('/api/admin/roster/commit', { importId: 'x'.repeat(32), digest: '0'.repeat(64) }));
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ message: '这次上传已过期或已处理，请重新上传文件' });
    expect(await state()).toEqual(before);
    expect(fs.readdirSync(importsDir())).toEqual([]);
  });

  it('the error sheet: every row with its problems beside it, for the uploading admin only', async () => {
    const file = await xlsxOf([
      HEADER,
      ['xiadingyang', '夏定阳', '牛首镇委书记', '樊城区/牛首镇', '学员', '13907101234', COURSE, '第一组'],
      ['zengjh', '', '', '', '班长', '12345', '', ''],
      ['xiadingyang', '夏定阳', '', '', '', '', '', ''],
    ]);
    const b = (await (await preview.POST(upload(file, '名单.xlsx'))).json()) as { preview: { importId: string } };
    const path = `/api/admin/roster/errors?importId=${b.preview.importId}`;
    const others = [await signedIn('admin'), await signedIn('organizer'), await signedIn('cadre')];
    const before = await state();
    for (const v of others) {
      auth.viewer = v;
      const refused = await errorSheet.GET(get(path));
      expect(refused.status).toBe(v.role === 'admin' ? 404 : 403);
    }
    auth.viewer = admin;
    const res = await errorSheet.GET(get(path));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('名单-错误清单.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    const rows: string[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(rows[0]).toEqual([...HEADER, '错误', '原行号']);
    expect(rows[1]?.[8]).toBe('');
    expect(rows[2]?.[8]).toBe('姓名：缺少姓名；角色：角色“班长”无法识别，应为 学员、组织者 或 管理员；手机：手机号“12345”格式不正确，应为 11 位手机号');
    expect(rows[3]?.slice(8)).toEqual(['账号：账号“xiadingyang”与第 2 行重复', '4']);
    expect(await state()).toEqual(before);
    expect(fs.readdirSync(importsDir())).toHaveLength(2);
  });

  it('another admin cannot commit or cancel my upload', async () => {
    const file = await xlsxOf([HEADER, ['a1', '甲', '', '', '', '', '', '']]);
    const b = (await (await preview.POST(upload(file, 'a.xlsx'))).json()) as { preview: { importId: string; digest: string } };
    auth.viewer = await signedIn('admin');
    const r = await commit.POST(postJson('/api/admin/roster/commit', { importId: b.preview.importId, digest: b.preview.digest }));
    expect(r.status).toBe(404);
    await cancel.POST(postJson('/api/admin/roster/cancel', { importId: b.preview.importId }));
    // My upload is still there (its hashed passwords may have joined it meanwhile).
    expect(fs.readdirSync(importsDir())).toEqual(expect.arrayContaining([`${b.preview.importId}.bin`, `${b.preview.importId}.json`]));
    auth.viewer = admin;
    const mine = await commit.POST(postJson('/api/admin/roster/commit', { importId: b.preview.importId, digest: b.preview.digest }));
    expect((await commitResult(mine)).result).toMatchObject({ ok: true });
  });

  it('exports the roster with the list filter and the audit log with its filter', async () => {
    await getDb().insert(users).values({ username: 'evil', name: '=1+2', role: 'cadre', passwordHash: 'x' }).run();
    const csv = await rosterExport.GET(get('/api/admin/roster/export?format=csv&role=cadre'));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="roster\.csv"; filename\*=UTF-8''/u);
    const text = Buffer.from(await csv.arrayBuffer()).subarray(3).toString('utf8');
    expect(text).toBe("账号,姓名,职务,单位,角色,手机,状态\r\nevil,'=1+2,,,学员,,正常\r\n");
    const bad = await rosterExport.GET(get('/api/admin/roster/export?format=pdf'));
    expect(bad.status).toBe(400);
    // 三员分立: the admin who exported the roster cannot export the audit log; the 审计员 can.
    expect((await auditExport.GET(get('/api/audit/export?action=roster.export'))).status).toBe(403);
    auth.viewer = await signedIn('auditor');
    const audit = await auditExport.GET(get('/api/audit/export?action=roster.export'));
    expect(audit.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await audit.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.actualRowCount).toBe(2);
    expect(ws.getCell('C2').value).toBe('导出花名册');
    expect((await state()).audit.map((a) => a.action)).toEqual(['roster.export', 'audit.export']);
  });
});
