// npm run db:copy-to-postgres (issue 16 step 4): the demo office, with a row in every table the
// demo leaves empty, copied into a throwaway PostgreSQL; every table's count and hash equal; a
// change afterwards named by --verify-only; a non-empty target refused untouched; a failure in the
// middle leaving no row; sequences, counters and triggers right after the copy.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { desc, eq, gt, sql } from 'drizzle-orm';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/db';
import { makeReadingText } from '@/db/factories';
import * as pgSchema from '@/db/pg/schema';
import {
  commentBank,
  courseWebhooks,
  courses,
  loginThrottle,
  originalityChecks,
  readings,
  reflectionQuotes,
  reflections,
  reflectionVersions,
  settings,
  totpRecoveryCodes,
  userCounts,
  users,
  wordingRules,
} from '@/db/schema';
import { startCluster, type Cluster } from '@/test/pg/cluster';
import { main, tablePlans } from './copy-to-postgres';

let cluster: Cluster;
let admin: pg.Pool;
let tmp: string;
/** The demo office plus a row in each table the demo leaves empty. */
let source: string;
/** comment_bank's last id before its last row was deleted: ids go on past it, as in SQLite. */
let deletedCommentId: number;

/** A new empty database in the cluster; its URL. */
async function newDatabase(name: string): Promise<string> {
  await admin.query(`create database ${name}`);
  return cluster.url.replace(/\/postgres$/, `/${name}`);
}

/** Runs the command in-process; its exit code and everything it printed. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {}, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Rows per table of the target. */
async function counts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, number> = {};
    for (const plan of tablePlans()) {
      result[plan.name] = (await client.query<{ n: number }>(`select count(*)::integer as n from "${plan.name}"`)).rows[0]!.n;
    }
    return result;
  } finally {
    await client.end();
  }
}

/** The report's line for a table, split into its fields. */
function lineOf(out: string, table: string): string[] {
  const line = out.split('\n').find((l) => l.trim().startsWith(`${table} `));
  return line ? line.trim().split(/\s{2,}/) : [];
}

beforeAll(async () => {
  cluster = await startCluster();
  admin = new pg.Pool({ connectionString: cluster.url, max: 1 });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-copy-'));
  source = path.join(tmp, 'office.db');

  // The demo, as `npm run db:seed` makes it.
  execFileSync(path.resolve('node_modules/.bin/tsx'), ['-r', './scripts/server-only-shim.cjs', 'scripts/seed.ts'], {
    env: { ...process.env, DATABASE_PATH: source },
    stdio: 'pipe',
  });

  // The tables the demo leaves empty get a row each.
  process.env.DATABASE_PATH = source;
  closeDb();
  const db = getDb();
  const course = (await db.select({ id: courses.id }).from(courses).get())!;
  const user = (await db.select({ id: users.id }).from(users).where(eq(users.role, 'cadre')).get())!;
  const reading = (await db.select({ id: readings.id }).from(readings).get())!;
  const version = (await db.select({ id: reflectionVersions.id, reflectionId: reflectionVersions.reflectionId }).from(reflectionVersions).get())!;
  const [sectionId] = await makeReadingText(reading.id, [{ heading: '第一章　总论', body: '全面从严治党永远在路上。' }]);
  await db.insert(reflectionQuotes).values({ versionId: version.id, readingId: reading.id, sectionId, passage: '全面从严治党永远在路上' }).run();
  await db.insert(settings).values({ key: 'retention', value: '{"years":3}' }).run();
  await db.insert(loginThrottle).values({ key: 'ip:10.0.0.9', failures: 3, windowStartedAt: new Date(Date.UTC(2026, 11, 1, 8, 0, 0, 123)), blockedUntil: null }).run();
  await db.insert(courseWebhooks).values({ courseId: course.id, kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x', updatedBy: user.id }).run();
  await db.insert(totpRecoveryCodes).values({ userId: user.id, codeHash: 'a'.repeat(64), usedAt: null }).run();
  await db.insert(wordingRules).values({ code: 'X1', kind: 'literal', find: '抓手', standard: '措施', enabled: false }).run();
  await db
    .insert(originalityChecks)
    .values({ reflectionId: version.reflectionId, courseId: course.id, versionId: version.id, status: 'done', share: 125, quoteShare: 40, checkedAt: new Date() })
    .run();
  await db.insert(commentBank).values([{ ownerId: user.id, courseId: course.id, body: '观点鲜明，联系实际。' }, { ownerId: user.id, body: '请补充具体事例。' }]).run();
  // A deleted last row: SQLite never hands its id out again, and neither may PostgreSQL.
  const last = (await db.select({ id: commentBank.id }).from(commentBank).orderBy(desc(commentBank.id)).get())!;
  await db.delete(commentBank).where(eq(commentBank.id, last.id)).run();
  deletedCommentId = last.id;
  // A counter left at zero (a cadre deactivated, then active again): copied as it is.
  await db.update(users).set({ active: false }).where(eq(users.id, user.id)).run();
  await db.update(users).set({ active: true }).where(eq(users.id, user.id)).run();
  closeDb();
}, 120_000);

afterAll(async () => {
  closeDb();
  await admin?.end();
  await cluster?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('db:copy-to-postgres', () => {
  let target: string;

  it('fills every table but the ones it cannot (the list is empty)', () => {
    const sqlite = new Database(source, { readonly: true });
    try {
      const empty = tablePlans()
        .map((p) => p.name)
        .filter((name) => (sqlite.prepare(`select count(*) from "${name}"`).pluck().get() as number) === 0);
      expect(empty).toEqual([]);
      expect(tablePlans().length).toBe(36); // the 35 tables of db/schema.ts and originality_fingerprints
    } finally {
      sqlite.close();
    }
  });

  it('a failure in the middle of the copy leaves the target without a row', async () => {
    // An office whose last reflection holds a number PostgreSQL's integer cannot (docs/decisions/0017).
    const bad = path.join(tmp, 'bad.db');
    fs.copyFileSync(source, bad);
    const file = new Database(bad);
    const db = drizzleSqlite(file);
    const lastReflection = db.select({ id: reflections.id }).from(reflections).orderBy(desc(reflections.id)).get()!;
    db.update(reflections).set({ charCount: 2 ** 40 }).where(eq(reflections.id, lastReflection.id)).run();
    file.close();

    target = await newDatabase('office');
    const result = await run('--from', bad, '--to', target);
    expect(result.code).toBe(1);
    // Tables before it were written (inside the transaction), then reflections failed…
    expect(result.out).toMatch(/已复制 users：4\d 行/);
    expect(result.out).toMatch(/已复制 courses：1 行/);
    expect(result.out).not.toContain('已复制 reflections');
    expect(result.err).toContain('复制表 reflections 时目标库拒绝写入');
    expect(result.err).toContain('out of range for type integer');
    expect(result.err).toContain('已回滚：目标库中没有写入任何数据（表结构已建立，修正后可直接重新运行本命令）。');
    // …and nothing stayed: the schema was made (a rerun finds it current), not a row.
    const after = await counts(target);
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
    expect(Object.keys(after).length).toBe(36);
  });

  it('refuses to commit counters that differ from a recount', async () => {
    const drifted = path.join(tmp, 'drifted.db');
    fs.copyFileSync(source, drifted);
    const file = new Database(drifted);
    const db = drizzleSqlite(file);
    db.update(userCounts).set({ n: sql`${userCounts.n} + 1` }).where(eq(userCounts.role, 'admin')).run();
    file.close();

    const url = await newDatabase('drifted');
    const result = await run('--from', drifted, '--to', url);
    expect(result.code).toBe(1);
    expect(result.out).toContain('已复制 originality_fingerprints');
    expect(result.err).toMatch(/^计数表与重新统计不符：user_counts（role=admin，active=true，must_change_password=(true|false)）：计数 \d+，实有 \d+。/);
    expect(result.err).toContain('已回滚：目标库中没有写入任何数据');
    expect(Object.values(await counts(url)).every((n) => n === 0)).toBe(true);
  });

  it('copies every table; every count and hash agree', async () => {
    const started = performance.now();
    const result = await run('--from', source, '--to', target);
    const seconds = (performance.now() - started) / 1000;
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('不复制全文检索表 reflections_fts');
    for (const plan of tablePlans()) {
      const [name, rows, hash, verdict] = lineOf(result.out, plan.name);
      expect(name).toBe(plan.name);
      expect(Number(rows!.replaceAll(',', ''))).toBeGreaterThan(0);
      expect(hash).toMatch(/^[0-9a-f]{12}$/);
      expect(verdict).toBe('一致');
    }
    expect(result.out).toMatch(/合计：36 张表，共 [\d,]+ 行，全部一致。/);
    expect(result.out).toContain('计数表与重新统计一致');
    // The demo office copies in well under a few seconds (measured: see the report).
    console.log(`复制并校验演示数据：${seconds.toFixed(2)} 秒；${result.out.match(/用时 [\d.]+ 秒/)?.[0]}`);
  });

  it('leaves sequences past the copied ids, counters equal to a recount and the triggers working', async () => {
    const pool = new pg.Pool({ connectionString: target, max: 1 });
    const db = drizzlePg(pool, { schema: pgSchema });
    try {
      const maxUser = (await db.select({ id: sql<number>`max(${pgSchema.users.id})` }).from(pgSchema.users))[0]!.id;
      // An account in a bucket that has accounts already, so that removing it again restores the copy.
      const [bucket] = await db.select().from(pgSchema.userCounts).where(gt(pgSchema.userCounts.n, 0)).limit(1);
      const [fresh] = await db
        .insert(pgSchema.users)
        .values({ username: 'xinlai', name: '新来', role: bucket!.role, active: bucket!.active, mustChangePassword: bucket!.mustChangePassword, passwordHash: 'x' })
        .returning();
      expect(fresh!.id).toBe(maxUser + 1);
      // Past the deleted row's id too, as SQLite's AUTOINCREMENT would have gone on.
      const [comment] = await db.insert(pgSchema.commentBank).values({ body: '新评语' }).returning();
      expect(comment!.id).toBe(deletedCommentId + 1);

      // The insert trigger counts again after the copy; the zero row was copied as it was.
      const recount = async () =>
        (await pool.query(`select role, active, must_change_password, count(*)::integer as n from users group by 1, 2, 3 order by 1, 2, 3`)).rows;
      const kept = async () =>
        (await pool.query(`select role, active, must_change_password, n from user_counts where n <> 0 order by 1, 2, 3`)).rows;
      expect(await kept()).toEqual(await recount());
      expect((await pool.query(`select count(*)::integer as n from user_counts where n = 0`)).rows[0].n).toBe(1);
      const states = await pool.query(
        `select c.course_id, c.status, c.n, (select count(*)::integer from reflections r where r.course_id = c.course_id and r.status = c.status) as counted
         from reflection_state_counts c`,
      );
      expect(states.rows.length).toBeGreaterThan(0);
      for (const row of states.rows) expect(row.n).toBe(row.counted);

      // The audit log is still append-only.
      await expect(db.delete(pgSchema.auditLog).where(gt(pgSchema.auditLog.id, 0))).rejects.toThrow();
      await expect(pool.query('truncate audit_log cascade')).rejects.toThrow(/append-only/);

      // Undo, so that the next test starts from the copy as it was.
      await db.delete(pgSchema.users).where(eq(pgSchema.users.id, fresh!.id));
      await db.delete(pgSchema.commentBank).where(eq(pgSchema.commentBank.id, comment!.id));
    } finally {
      await pool.end();
    }
  });

  it('--verify-only names a table changed afterwards, and exits 1', async () => {
    const same = await run('--from', source, '--to', target, '--verify-only');
    expect(same.code).toBe(0);
    expect(same.out).toContain('全部一致。');

    const pool = new pg.Pool({ connectionString: target, max: 1 });
    const db = drizzlePg(pool, { schema: pgSchema });
    try {
      const first = (await db.select({ id: pgSchema.tags.id, name: pgSchema.tags.name }).from(pgSchema.tags).orderBy(pgSchema.tags.id).limit(1))[0]!;
      await db.update(pgSchema.tags).set({ name: `${first.name}（改）` }).where(eq(pgSchema.tags.id, first.id));
      const changed = await run('--from', source, '--to', target, '--verify-only');
      expect(changed.code).toBe(1);
      const [, rows, hash, verdict] = lineOf(changed.out, 'tags');
      expect(verdict).toBe('不一致');
      expect(rows).toMatch(/^\d+$/); // same count…
      expect(hash).toMatch(/^源 [0-9a-f]{12}／目标 [0-9a-f]{12}$/); // …other hash
      expect(lineOf(changed.out, 'users')[3]).toBe('一致');
      expect(changed.out).toMatch(/；1 张不一致：tags。/);
      await db.update(pgSchema.tags).set({ name: first.name }).where(eq(pgSchema.tags.id, first.id));
    } finally {
      await pool.end();
    }
  });

  it('refuses a second copy into the now non-empty target, changing nothing', async () => {
    const before = await counts(target);
    const baseline = await run('--from', source, '--to', target, '--verify-only');
    const again = await run('--from', source, '--to', target);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^目标库不是空库：表 \S+ 等 36 张表已有数据。本命令只向空库写入，未写入任何数据。$/);
    expect(again.out).not.toContain('已复制');
    expect(await counts(target)).toEqual(before);
    const after = await run('--from', source, '--to', target, '--verify-only');
    expect(after.out).toBe(baseline.out);
    expect(after.code).toBe(0);
  });

  it('refuses a target with another schema, an older one, and a source with migrations missing', async () => {
    // Tables that are not ours, without our migration record.
    const foreign = await newDatabase('other');
    const other = new pg.Client({ connectionString: foreign });
    await other.connect();
    await other.query('create table ledger (id integer primary key)');
    await other.end();
    const refusedForeign = await run('--from', source, '--to', foreign);
    expect(refusedForeign.code).toBe(1);
    expect(refusedForeign.err).toContain('目标库不是空库：已有表 ledger，但没有本门户的迁移记录。');
    const nothingToVerify = await run('--from', source, '--to', foreign, '--verify-only');
    expect(nothingToVerify.code).toBe(1);
    expect(nothingToVerify.err).toMatch(/没有本门户的表结构：没有可校验的副本。$/);

    // Our first migration only.
    const partial = (from: string, count: number) => {
      const dir = fs.mkdtempSync(path.join(tmp, 'migrations-'));
      fs.mkdirSync(path.join(dir, 'meta'));
      const journal = JSON.parse(fs.readFileSync(path.join(from, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
      journal.entries = journal.entries.slice(0, count);
      for (const e of journal.entries) fs.copyFileSync(path.join(from, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
      fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
      return dir;
    };
    const older = await newDatabase('older');
    const olderPool = new pg.Pool({ connectionString: older, max: 1 });
    await migratePg(drizzlePg(olderPool), { migrationsFolder: partial(path.resolve('db/migrations-pg'), 1) });
    await olderPool.end();
    const refusedOlder = await run('--from', source, '--to', older);
    expect(refusedOlder.code).toBe(1);
    expect(refusedOlder.err).toMatch(/^目标库的表结构比本程序旧：\d+ 个迁移中缺 \d+ 个。/);

    // A SQLite file that has not had the latest migrations.
    const behind = path.join(tmp, 'behind.db');
    const file = new Database(behind);
    const entries = (JSON.parse(fs.readFileSync('db/migrations/meta/_journal.json', 'utf8')) as { entries: unknown[] }).entries.length;
    migrateSqlite(drizzleSqlite(file), { migrationsFolder: partial(path.resolve('db/migrations'), entries - 1) });
    file.close();
    const refusedSource = await run('--from', behind, '--to', older);
    expect(refusedSource.code).toBe(1);
    expect(refusedSource.err).toMatch(/^源库的迁移未全部应用（\d+ 个中缺 1 个）：请先用本版本运行 npm run db:migrate/);

    // Arguments: a clear message, no stack.
    const noTarget = await run('--from', source);
    expect(noTarget.code).toBe(1);
    expect(noTarget.err).toMatch(/^没有目标库：请用 --to postgres:\/\/… 或环境变量 DATABASE_URL 指定。\n用法：/);
    const missing = await run('--from', path.join(tmp, 'nope.db'), '--to', older);
    expect(missing.err).toMatch(/^源库文件不存在（.*nope\.db）。/);
    const notSqlite = path.join(tmp, 'notes.txt');
    fs.writeFileSync(notSqlite, '这不是数据库文件。'.repeat(100));
    const wrongFile = await run('--from', notSqlite, '--to', older);
    expect(wrongFile.code).toBe(1);
    expect(wrongFile.err).toMatch(/^无法以只读方式打开源库 .*notes\.txt（是 SQLite 数据库文件吗？）：/);
    const unknown = await run('--form', source);
    expect(unknown.err).toMatch(/^参数有误（/);
    expect(unknown.err).not.toMatch(/\n\s+at /);
  });
});
