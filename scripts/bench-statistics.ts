import { inOrder } from '@/lib/in-order';
// 统计 (issue 13) in `npm run bench`: the course statistics and the overview across courses on
// the review bench's 100,000 reflections (200 courses of 50 cadres and 10 assignments, kept by
// bench-review through BENCH_REVIEW_KEEP), with tags, return decisions and a published 简报 per
// course added here, and on the demo database; p50/p95 and the large/demo ratio. Figures only.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Viewer } from '../lib/auth/viewer-type';

type Timing = { name: string; p50: number; p95: number };

async function measure(name: string, fn: () => unknown | Promise<unknown>, runs = 60): Promise<Timing> {
  for (let i = 0; i < 5; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { name, p50: at(0.5), p95: at(0.95) };
}

async function viewerOf(username: string): Promise<Viewer> {
  const { getDb } = await import('../db');
  const { users } = await import('../db/schema');
  const { userIdOf, viewerFor } = await import('../db/factories');
  const { eq } = await import('drizzle-orm');
  const id = await userIdOf(username);
  await getDb().update(users).set({ mustChangePassword: false }).where(eq(users.id, id)).run();
  return await viewerFor(id);
}

async function timeAll(label: string, organizer: Viewer, admin: Viewer, courseId: number): Promise<Timing[]> {
  const { getCourseStatistics } = await import('../db/queries/statistics/course');
  const { listCourseOverview } = await import('../db/queries/statistics/overview');
  const rows = [
    await measure('course statistics (organizer)', async () => await getCourseStatistics(organizer, { courseId })),
    await measure('course statistics (admin)', async () => await getCourseStatistics(admin, { courseId })),
    await measure('overview of every course (admin)', async () => await listCourseOverview(admin), 20),
  ];
  console.log(`\n${label}`);
  console.log(`  ${'query'.padEnd(58)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
  for (const r of rows) console.log(`  ${r.name.padEnd(58)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)}`);
  return rows;
}

/** `largeFile`: the review bench's 100,000-reflection database (a copy is used). */
export async function benchStatistics(largeFile: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-bench-stats-'));
  const previous = process.env.DATABASE_PATH;
  try {
    const { getDb, getSqlite, getWriteSqlite, closeDb } = await import('../db');
    const { and, eq, sql } = await import('drizzle-orm');
    const { bulletins, courses, reflections } = await import('../db/schema');
    const { makeBulletin, makeComment, makeTag } = await import('../db/factories');
    closeDb();
    const file = path.join(dir, 'large.db');
    fs.copyFileSync(largeFile, file);
    process.env.DATABASE_PATH = file;
    getDb();
    const t0 = Date.now();
    await getDb().transaction(async () => {
      const db = getDb();
      for (const { id: courseId } of await db.select({ id: courses.id }).from(courses).all()) {
        const rows = await db
          .select({ id: reflections.id, status: reflections.status })
          .from(reflections)
          .where(and(eq(reflections.courseId, courseId), sql`${reflections.status} != 'draft'`))
          .all();
        for (const r of rows) if (r.status === 'returned') await makeComment(r.id, { decision: 'return', body: '请补充具体举措', version: 1 });
        await inOrder(['基层治理', '作风建设', '三方共治'], async (name, k) => await makeTag(courseId, name, { reflectionIds: rows.filter((_, i) => i % 5 === k).map((r) => r.id) }));
        const approved = rows.filter((r) => r.status === 'approved').slice(0, 6).map((r) => r.id);
        const b = await makeBulletin(courseId, { reflectionIds: approved });
        await db.update(bulletins).set({ status: 'published', publishedRevision: 1, publishedAt: new Date() }).where(eq(bulletins.id, b)).run();
      }
    });
    getWriteSqlite().pragma('optimize');
    const n = getSqlite().prepare('select count(*) as n from reflections').get() as { n: number };
    console.log(`\n统计 (issue 13): ${n.n} reflections in 200 courses; tags, return decisions and a published 简报 per course added in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const courseOf = getSqlite().prepare('select course_id as id from course_organizers o join users u on u.id = o.user_id where u.username = ?').get('org000') as { id: number };
    const large = await timeAll('统计, 100,000 reflections', await viewerOf('org000'), await viewerOf('bench-admin'), courseOf.id);
    closeDb();

    const demoFile = path.join(dir, 'demo.db');
    const seeded = spawnSync('npx', ['tsx', '-r', './scripts/server-only-shim.cjs', 'scripts/seed.ts'], {
      env: { ...process.env, DATABASE_PATH: demoFile },
      encoding: 'utf8',
    });
    if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
    process.env.DATABASE_PATH = demoFile;
    const { DEMO_ORGANIZER, DEMO_COURSE } = await import('./demo-texts');
    const sqlite = getSqlite();
    const demoAdmin = sqlite.prepare("select username from users where role = 'admin' order by id limit 1").get() as { username: string };
    const demoCourse = sqlite.prepare('select id from courses where name = ?').get(DEMO_COURSE.name) as { id: number };
    const small = await timeAll('统计, demo database', await viewerOf(DEMO_ORGANIZER.username), await viewerOf(demoAdmin.username), demoCourse.id);
    closeDb();

    console.log('\n统计, large / demo');
    console.log(`  ${'query'.padEnd(58)} ${'p50 ×'.padStart(8)} ${'p95 ×'.padStart(8)}`);
    for (let i = 0; i < large.length; i++) {
      const l = large[i] as Timing;
      const s = small[i] as Timing;
      const ratio = (a: number, b: number) => (a / Math.max(b, 0.001)).toFixed(2).padStart(8);
      console.log(`  ${l.name.padEnd(58)} ${ratio(l.p50, s.p50)} ${ratio(l.p95, s.p95)}`);
    }
  } finally {
    const { closeDb } = await import('../db');
    closeDb();
    if (previous === undefined) delete process.env.DATABASE_PATH;
    else process.env.DATABASE_PATH = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run on its own: BENCH_REVIEW_KEEP=/path/large.db npx tsx -r ./scripts/server-only-shim.cjs scripts/bench-statistics.ts
if (process.argv[1]?.endsWith('bench-statistics.ts') && process.env.BENCH_REVIEW_KEEP) {
  benchStatistics(process.env.BENCH_REVIEW_KEEP).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
