import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { databasePath, getDb } from '@/db';
import { isPostgres } from '@/db/dialect';
import * as pgSchema from '@/db/pg/schema';
import { commitRosterImport } from '@/db/queries/roster/commit';
import { previewRosterImport } from '@/db/queries/roster/preview';
import { rulesInForce } from '@/db/queries/wording/rules';
import * as schema from '@/db/schema';
import { users } from '@/db/schema';
import { verifyPassword } from '@/lib/auth/password';
import { xlsxOf } from '@/lib/roster/fixtures/build';
import { discardPrehash, pendingPrehash } from '@/lib/roster/prehash';
import { checkWording } from '@/lib/wording/engine';
import { extractKeywords } from '@/lib/search/keywords';
import { segmentForIndex, segmentQuery } from '@/lib/search/segment';
import { rosterDatabasePerTest } from '@/test/roster-db';
import { signedIn, useTestDatabase } from '@/test/db';
import { takeRosterPasswordSheet } from '@/db/queries/roster/passwords';

// What one server process keeps in memory and another must not miss (docs/decisions/0014):
// the 规范提法 rules come from the database on every use, and a roster commit that reaches a
// process other than its preview's hashes the passwords itself.

describe('规范提法 rules across server processes', () => {
  useTestDatabase();

  it('a rule an admin adds in another process is in force here at the next check', async () => {
    const text = '我们要把党建引领落到实处。';
    expect(checkWording(text, await rulesInForce()).some((f) => f.code === 'c-test')).toBe(false);
    // Another server process (its own connection to the file, or to the PostgreSQL database) saves the admin's rule.
    const rule = { code: 'c-test', kind: 'literal', find: '党建引领落到', standard: '党建引领基层治理', reason: '测试' } as const;
    if (isPostgres()) {
      const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await other.connect();
      try {
        await drizzlePg(other, { schema: pgSchema }).insert(pgSchema.wordingRules).values(rule);
      } finally {
        await other.end();
      }
    } else {
      const other = new Database(databasePath());
      drizzle(other, { schema }).insert(schema.wordingRules).values(rule).run();
      other.close();
    }
    expect(checkWording(text, await rulesInForce()).some((f) => f.code === 'c-test')).toBe(true);
  });
});

describe('search segmentation across server processes', () => {
  it('a course’s tag names reach keyword suggestions but never change how the index and the search box cut text', () => {
    const text = '我们开展楼组自治，楼组自治见成效。';
    const before = { index: segmentForIndex(text), query: segmentQuery('楼组自治') };
    // One process suggests tags with the course's tag names; another never did.
    expect(extractKeywords(text, { topN: 2, userWords: ['楼组自治'] })).toContain('楼组自治');
    expect({ index: segmentForIndex(text), query: segmentQuery('楼组自治') }).toEqual(before);
  });
});

describe('roster commit on a process other than its preview’s', () => {
  rosterDatabasePerTest();

  it('finds no passwords hashed ahead, hashes them itself, and every sheet password works', async () => {
    const admin = await signedIn('admin');
    const rows = [
      ['账号', '姓名', '职务', '单位', '角色'],
      ['xiadingyang', '夏定阳', '牛首镇委书记', '樊城区/牛首镇', '学员'],
      ['zengjianhui', '曾建辉', '太平店镇镇长', '樊城区/太平店镇', '学员'],
    ];
    const p = await previewRosterImport(admin, { fileName: '名单.xlsx', bytes: await xlsxOf(rows), allowCreateUnits: true });
    if (!p.ok) throw new Error(p.message);
    // The preview's process keeps its hashes; the process the commit reaches has none.
    discardPrehash(admin.id);
    expect(pendingPrehash(admin.id)).toBeNull();
    const r = await commitRosterImport(admin, { importId: p.preview.importId, digest: p.preview.digest }, { ip: '10.0.0.8', userAgent: 'vitest' });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.counts).toMatchObject({ added: 2 });
    const sheet = takeRosterPasswordSheet(admin, { token: r.result.passwordToken as string });
    if (!sheet.ok) throw new Error(sheet.message);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(sheet.bytes as unknown as ExcelJS.Buffer);
    const passwords = new Map<string, string>();
    (wb.worksheets[0] as ExcelJS.Worksheet).eachRow((row, n) => {
      const v = (row.values as unknown[]).slice(1).map(String);
      if (n > 1) passwords.set(v[0] as string, v[2] as string);
    });
    expect([...passwords.keys()].sort()).toEqual(['xiadingyang', 'zengjianhui']);
    const stored = new Map((await getDb().select().from(users).all()).map((u) => [u.username, u.passwordHash]));
    for (const [username, password] of passwords) expect(await verifyPassword(stored.get(username) ?? null, password)).toBe(true);
  });
});
