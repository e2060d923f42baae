import { inOrder } from '@/lib/in-order';
// The review desk's part of `npm run bench`: 100,000 reflections from 10,000 cadres in 200
// courses on a temporary database, the FTS index filled with jieba-segmented text, then p50/p95
// of the queue (first page, a filtered page deep in the list) and of search for a 2-character
// and a 4-character word, for that database and for the demo database, and the ratio. Figures
// only; nothing here asserts on time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Viewer } from '../lib/auth/viewer-type';

export type Timing = { name: string; p50: number; p95: number };

// Awaited: on the async data layer a query's work happens after its first await, so timing the
// call alone would time almost nothing.
async function measure(name: string, fn: () => unknown, runs = 60): Promise<Timing> {
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

// Sentences in the register of the samples; some carry the words searched for, at the rates
// real reflections of a 基层治理 course would (治理 in about a third, 基层治理 in about a sixth).
const SENTENCES = [
  '通过这次集中学习,我对党的自我革命有了更深刻的认识。',
  '坚持党建引领,把党的组织优势转化为基层治理效能。',
  '社区治理要把群众满不满意作为衡量工作的标准。',
  '要以三方共治破解老旧小区加装电梯、停车难等难题。',
  '一是强化理论武装,坚持读原著、学原文、悟原理。',
  '二是聚焦为民服务,推动接诉即办向未诉先办转变。',
  '三是锤炼过硬作风,大兴调查研究,践行四下基层。',
  '疫情防控期间,社区党员干部冲锋在前,筑牢了防线。',
  '推进网格化管理,做到小事不出网格、大事不出社区。',
  '深刻领悟两个确立的决定性意义,增强四个意识、坚定四个自信、做到两个维护。',
  '城市治理既要有速度,更要有温度。',
  '主题教育开展以来,我们围绕学思想、强党性、重实践、建新功,扎实推进各项工作。',
  '下一步,我们将把学习成果转化为推动发展的具体举措。',
  '要聚焦群众急难愁盼问题,建立问题清单、任务清单和责任清单。',
  '作风建设永远在路上,必须坚持不懈抓下去。',
  '乡村振兴离不开一支懂农业、爱农村、爱农民的干部队伍。',
];

function body(i: number): string {
  const parts: string[] = [];
  let x = i * 2654435761;
  for (let k = 0; k < 18; k++) {
    x = (x ^ (x >>> 13)) * 1274126177;
    x = x >>> 0;
    parts.push(SENTENCES[x % SENTENCES.length] as string);
  }
  // Some reflections never mention the words searched for: one sentence pool without them.
  if (i % 3 !== 0) return parts.filter((s) => !s.includes('治理')).join('');
  return parts.join('');
}

export async function viewerOf(username: string): Promise<Viewer> {
  const { getDb } = await import('../db');
  const { users } = await import('../db/schema');
  const { userIdOf, viewerFor } = await import('../db/factories');
  const { eq } = await import('drizzle-orm');
  const id = await userIdOf(username);
  // Demo accounts start with a one-time password, which the data-access layer refuses.
  await getDb().update(users).set({ mustChangePassword: false }).where(eq(users.id, id)).run();
  return await viewerFor(id);
}

export type Queue = (viewer: Viewer, filter: Record<string, unknown>) => unknown;

/** The teammate's queue when it is there; otherwise an equivalent indexed query. */
export async function queueFunction(): Promise<{ fn: Queue; source: string }> {
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'db', 'queries', 'review', 'queue.ts');
  if (fs.existsSync(file)) {
    const mod = (await import(file)) as { listReviewQueue?: Queue };
    if (mod.listReviewQueue) return { fn: mod.listReviewQueue, source: 'listReviewQueue (db/queries/review/queue.ts)' };
  }
  const { getSqlite } = await import('../db');
  return {
    source: 'an equivalent indexed query (db/queries/review/queue.ts absent)',
    fn: (viewer, filter) => {
      const page = Number(filter.page ?? 1);
      const scope = viewer.role === 'admin' ? '1 = 1' : `exists (select 1 from course_organizers co where co.course_id = r.course_id and co.user_id = ${viewer.id})`;
      const late = filter.late ? 'and r.late = 1' : '';
      const sqlite = getSqlite();
      sqlite.prepare(`select count(*) from reflections r where r.status = 'submitted' ${late} and ${scope}`).get();
      return sqlite
        .prepare(
          `select r.id, r.title, u.name, c.name from reflections r join users u on u.id = r.author_id join courses c on c.id = r.course_id
           where r.status = 'submitted' ${late} and ${scope} order by r.submitted_at desc limit 25 offset ?`,
        )
        .all((page - 1) * 25);
    },
  };
}

/**
 * The review desk's queries, timed one after another on this process's database (SQLite or
 * PostgreSQL: bench-pg.ts runs this same function on both).
 */
export async function timeReviewQueries(organizer: Viewer, admin: Viewer, queue: Queue): Promise<Timing[]> {
  const { searchReflections } = await import('../db/queries/search');
  const deepAdmin = ((await queue(admin, { state: 'all', late: '1', page: 1 })) as { pageCount?: number }).pageCount ?? 1;
  const deepOrg = ((await queue(organizer, { state: 'all', page: 1 })) as { pageCount?: number }).pageCount ?? 1;
  // One after another: timings taken concurrently would measure each other.
  const rows = await inOrder([
    () => measure('queue first page (organizer)', () => queue(organizer, {})),
    () => measure('queue first page (admin, all courses)', () => queue(admin, {})),
    () => measure(`queue state=all late, page ${Math.ceil(deepAdmin * 0.8)} of ${deepAdmin} (admin)`, () =>
      queue(admin, { state: 'all', late: '1', page: Math.ceil(deepAdmin * 0.8) }),
    ),
    () => measure(`queue state=all, last page ${deepOrg} (organizer)`, () => queue(organizer, { state: 'all', page: deepOrg })),
    () => measure('search 治理 (organizer)', () => searchReflections(organizer, { q: '治理', page: 1 })),
    () => measure('search 治理 (admin)', () => searchReflections(admin, { q: '治理', page: 1 })),
    () => measure('search 基层治理 (organizer)', () => searchReflections(organizer, { q: '基层治理', page: 1 })),
    () => measure('search 基层治理 (admin)', () => searchReflections(admin, { q: '基层治理', page: 1 })),
    () => measure('search 治理 — last capped page (admin)', () => searchReflections(admin, { q: '治理', page: 25 })),
  ], (m) => m());
  return rows;
}

async function timeAll(label: string, organizer: Viewer, admin: Viewer, queue: Queue): Promise<Timing[]> {
  const rows = await timeReviewQueries(organizer, admin, queue);
  console.log(`\n${label}`);
  console.log(`  ${'query'.padEnd(58)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
  for (const r of rows) console.log(`  ${r.name.padEnd(58)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)}`);
  return rows;
}

/**
 * The review desk's large database, written into this process's SQLite file (DATABASE_PATH):
 * `courses` courses of 50 cadres and 10 assignments each (200: 100,000 reflections), indexed for
 * FTS5; with `reuse`, a kept copy (BENCH_REVIEW_KEEP) already there is only counted. Kept as a
 * file when BENCH_REVIEW_KEEP names one. bench-pg.ts builds its database with this too.
 */
export async function buildReviewDatabase({ courses = 200, reuse = false }: { courses?: number; reuse?: boolean } = {}): Promise<void> {
  const { getDb, getWriteSqlite } = await import('../db');
  const factories = await import('../db/factories');
  const { indexReflection } = await import('../db/queries/search-index');
  getDb();
  const sqlite = getWriteSqlite();
  const N_COURSES = courses;
  const PER_COURSE = 50;
  const ASSIGNMENTS = 10;
  const t0 = Date.now();
  let indexMs = 0;
  // The factories write on this connection: one transaction keeps the build fast.
  if (!reuse) await getDb().transaction(async () => {
    const { enroll, makeAssignment, makeCourse, makeGroup, makeMeeting, makeReflection, makeUnit, makeUser, makeUsers } = factories;
    const district = await makeUnit('示范区');
    const leaves: number[] = [];
    for (let s = 0; s < 20; s++) {
      const street = await makeUnit(`第${s + 1}街道`, district);
      for (let c = 0; c < 10; c++) leaves.push(await makeUnit(`第${c + 1}社区`, street));
    }
    await makeUser('admin', { username: 'bench-admin', name: '管理员' });
    const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗';
    const given = ['建华', '晓梅', '志强', '丽娟', '海涛', '春燕', '国庆', '文静', '明辉', '秀英', '俊杰', '雪莲'];
    const start = Date.UTC(2024, 0, 1);
    let cadre = 0;
    let n = 0;
    for (let c = 0; c < N_COURSES; c++) {
      const organizerId = await makeUser('organizer', { username: `org${String(c).padStart(3, '0')}`, name: `组织者${c}`, title: '组织委员', unitId: leaves[c % leaves.length] });
      const courseId = await makeCourse({
        name: `2026年第${c + 1}期读书班`,
        columnName: '读书班',
        startsOn: `2026-${String(1 + (c % 12)).padStart(2, '0')}-01`,
        organizerIds: [organizerId],
      });
      const groups = await inOrder([1, 2, 3, 4, 5], async (g) => await makeGroup(courseId, { name: `第${g}组`, sortOrder: g }));
      const specs = Array.from({ length: PER_COURSE }, () => {
        cadre += 1;
        return {
          role: 'cadre' as const,
          username: `c${String(cadre).padStart(5, '0')}`,
          name: `${surnames[cadre % surnames.length]}${given[cadre % given.length]}`,
          title: '社区党组织书记',
          unitId: leaves[cadre % leaves.length],
        };
      });
      const members = (await makeUsers(specs)).map((id, m) => ({ id, name: specs[m]?.name ?? '' }));
      await inOrder(members, async (m, i) => await enroll(courseId, [m.id], { groupId: groups[i % groups.length] }));
      for (let a = 0; a < ASSIGNMENTS; a++) {
        const due = start + (c * ASSIGNMENTS + a) * 3_600_000;
        const meetingId = await makeMeeting(courseId, { title: `第${a + 1}次集中学习`, startsAt: new Date(due - 86400_000) });
        const assignmentId = await makeAssignment(meetingId, { courseId, title: `第${a + 1}次学习心得`, prompt: '', dueAt: new Date(due) });
        for (const m of members) {
          n += 1;
          const roll = n % 20;
          const status = roll === 0 ? 'draft' : roll < 13 ? 'submitted' : roll < 16 ? 'returned' : 'approved';
          const at = new Date(due - 3_600_000 + (n % 3600) * 1000);
          const id = await makeReflection({
            assignmentId,
            courseId,
            authorId: m.id,
            title: n % 7 === 0 ? '以党建引领推进基层治理' : `第${a + 1}次集中学习体会`,
            body: body(n),
            status,
            versions: status === 'draft' ? [] : [{ submittedAt: at }],
            late: n % 10 === 0,
            createdAt: at,
            updatedAt: at,
            // Indexed below, timed on its own: jieba is most of the build.
            index: false,
          });
          if (status === 'draft') continue;
          const s0 = process.hrtime.bigint();
          await indexReflection(getDb(), id);
          indexMs += Number(process.hrtime.bigint() - s0) / 1e6;
        }
      }
    }
  });
  sqlite.pragma('optimize');
  if (process.env.BENCH_REVIEW_KEEP) sqlite.exec(`vacuum into '${process.env.BENCH_REVIEW_KEEP.replace(/'/gu, "''")}'`);
  const counts = sqlite.prepare("select count(*) as n, sum(status != 'draft') as handed from reflections").get() as { n: number; handed: number };
  const withWord = sqlite.prepare(`select count(*) as n from reflections_fts where reflections_fts match '"治理"'`).get() as { n: number };
  console.log(
    `\nReview desk (issue 4): ${counts.n} reflections (${counts.handed} handed in, ${withWord.n} holding “治理”) from ${N_COURSES * PER_COURSE} cadres in ${N_COURSES} courses, built in ${((Date.now() - t0) / 1000).toFixed(1)} s;` +
      ` indexing (jieba and FTS) ${(indexMs / 1000).toFixed(1)} s (${(indexMs / counts.handed).toFixed(3)} ms a reflection)`,
  );
}

export async function benchReview(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-bench-review-'));
  const previous = process.env.DATABASE_PATH;
  try {
    const { getDb, closeDb } = await import('../db');
    closeDb();
    process.env.DATABASE_PATH = path.join(dir, 'large.db');
    // BENCH_REVIEW_FROM: a database an earlier run kept (BENCH_REVIEW_KEEP), timed without building it again.
    const from = process.env.BENCH_REVIEW_FROM;
    if (from) fs.copyFileSync(from, process.env.DATABASE_PATH);
    await buildReviewDatabase({ reuse: Boolean(from) });
    const { fn: queue, source } = await queueFunction();
    console.log(`  queue timed with ${source}`);
    const large = await timeAll('Review desk, 100,000 reflections', await viewerOf('org000'), await viewerOf('bench-admin'), queue);
    closeDb();

    // The demo database, made by the seed script in a child process on its own temporary file.
    const demoFile = path.join(dir, 'demo.db');
    const seeded = spawnSync('npx', ['tsx', '-r', './scripts/server-only-shim.cjs', 'scripts/seed.ts'], {
      env: { ...process.env, DATABASE_PATH: demoFile },
      encoding: 'utf8',
    });
    if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
    process.env.DATABASE_PATH = demoFile;
    const { DEMO_ORGANIZER } = await import('./demo-texts');
    const demoAdmin = await getDb().get<{ username: string }>(
      (await import('drizzle-orm')).sql`select username from users where role = 'admin' order by id limit 1`,
    );
    if (!demoAdmin) throw new Error('the demo database has no admin');
    const small = await timeAll('Review desk, demo database', await viewerOf(DEMO_ORGANIZER.username), await viewerOf(demoAdmin.username), queue);
    closeDb();

    // Sub-millisecond figures on the demo database make the ratio noisy: both p50 and p95 are shown.
    console.log('\nReview desk, large / demo');
    console.log(`  ${'query'.padEnd(58)} ${'p50 ×'.padStart(8)} ${'p95 ×'.padStart(8)}`);
    for (let i = 0; i < large.length; i++) {
      const l = large[i] as Timing;
      const s = small[i] as Timing;
      const ratio = (a: number, b: number) => (a / Math.max(b, 0.001)).toFixed(2).padStart(8);
      console.log(`  ${l.name.replace(/, (last )?page.*$/u, '').padEnd(58)} ${ratio(l.p50, s.p50)} ${ratio(l.p95, s.p95)}`);
    }
  } finally {
    const { closeDb } = await import('../db');
    closeDb();
    if (previous === undefined) delete process.env.DATABASE_PATH;
    else process.env.DATABASE_PATH = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench-review.ts')) {
  benchReview().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
