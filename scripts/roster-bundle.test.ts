import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { commitRosterImport } from '@/db/queries/roster/commit';
import { previewRosterImport } from '@/db/queries/roster/preview';
import { courseMembers, courses, users } from '@/db/schema';
import { csvOf } from '@/lib/roster/fixtures/build';
import { rosterProcessId, warmRosterProcess } from '@/lib/roster/off-thread';
import { rosterDatabasePerTest } from '@/test/roster-db';
import { signedIn } from '@/test/db';
import { bundleRosterWorker } from './roster-bundle';

// The production build's bundle of the roster process (scripts/roster-bundle.ts): made here as
// `npm start` makes it after `next build`, then a whole import runs in a process that loads it.
// That process registers no TypeScript loader, so the import can only work if the bundle holds
// everything it needs and finds the rest (better-sqlite3, exceljs, argon2) in node_modules.

const dir = path.resolve(`.tmp/vitest/roster-bundle-${process.pid}`);
const bundle = path.join(dir, 'roster-worker.cjs');

beforeAll(() => {
  bundleRosterWorker(process.cwd(), bundle);
  process.env.XUESI_ROSTER_BUNDLE = bundle;
}, 60_000);

afterAll(() => {
  delete process.env.XUESI_ROSTER_BUNDLE;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the roster process from its bundle', () => {
  rosterDatabasePerTest();

  it('is one CommonJS file that leaves native modules to node_modules', () => {
    const text = fs.readFileSync(bundle, 'utf8');
    expect(text).toContain('require("better-sqlite3")');
    expect(text).toContain('require("exceljs")');
    // Nothing in it loads TypeScript: the process runs it as plain JavaScript.
    expect(text).not.toMatch(/require\("tsx/u);
    expect(text).not.toMatch(/require\("[^"]+\.tsx?"\)/u);
  });

  it('started as the admin opens the page, previews and commits an import in that same process', async () => {
    const admin = await signedIn('admin', { username: 'wangxl', name: '王晓丽' });
    const courseId = (await getDb().insert(courses).values({ name: '2020年全区党组织书记读书班', columnName: '书记读书班' }).returning({ id: courses.id }).get()).id;

    warmRosterProcess();
    const warmed = rosterProcessId();
    expect(warmed).not.toBeNull();

    const file = csvOf([
      ['账号', '姓名', '读书班'],
      ['xiadingyang', '夏定阳', '2020年全区党组织书记读书班'],
      ['zengjianhui', '曾建辉', '2020年全区党组织书记读书班'],
    ]);
    const preview = await previewRosterImport(admin, { fileName: '名单.csv', bytes: file, allowCreateUnits: false });
    expect(preview.ok && preview.preview.counts).toMatchObject({ add: 2, errors: 0 });
    expect(rosterProcessId()).toBe(warmed);
    if (!preview.ok) return;

    const done = await commitRosterImport(admin, { importId: preview.preview.importId, digest: preview.preview.digest });
    expect(done.ok && done.result.counts.added).toBe(2);
    expect(rosterProcessId()).toBe(warmed);
    const rows = await getDb().select({ username: users.username }).from(users).innerJoin(courseMembers, eq(courseMembers.userId, users.id)).where(eq(courseMembers.courseId, courseId)).all();
    expect(rows.map((r) => r.username).sort()).toEqual(['xiadingyang', 'zengjianhui']);
  }, 60_000);

  it('warming twice keeps the one process', () => {
    warmRosterProcess();
    const first = rosterProcessId();
    warmRosterProcess();
    expect(rosterProcessId()).toBe(first);
  });
});
