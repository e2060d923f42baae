// npm run bench: builds large synthetic data on a temporary database and prints how long the
// data-access layer takes for the list pages (p50/p95 over repeated runs). Nothing here is a
// test; the figures go in the notes on the issues.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-bench-'));
process.env.DATABASE_PATH = path.join(dir, 'bench.db');

type Timing = { name: string; p50: number; p95: number; runs: number };

async function measure(name: string, fn: () => unknown | Promise<unknown>, runs = 60): Promise<Timing> {
  for (let i = 0; i < 5; i++) await fn(); // warm the statement cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { name, p50: at(0.5), p95: at(0.95), runs };
}

function print(title: string, rows: Timing[]): void {
  console.log(`\n${title}`);
  console.log(`  ${'query'.padEnd(58)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
  for (const r of rows) console.log(`  ${r.name.padEnd(58)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)}`);
}

async function main() {
  const { getDb, getWriteSqlite, closeDb } = await import('../db');
  const { loadViewer } = await import('../db/queries/auth');
  const { enroll, makeAuditEntries, makeCourse, makeUnit, makeUsers, userIdOf, viewerFor } = await import('../db/factories');
  const { listUsers, countUsersByRole } = await import('../db/queries/users/read');
  const { listAudit } = await import('../db/queries/audit');
  const { listCourses } = await import('../db/queries/courses');

  getDb();
  const sqlite = getWriteSqlite();
  const N_USERS = 10_000;
  const N_AUDIT = 300_000;
  const N_COURSES = 200;
  const t0 = Date.now();

  // The factories write on this connection: one transaction keeps the build fast.
  await getDb().transaction(async () => {
    const district = await makeUnit('示范区');
    const leaves: number[] = [];
    for (let s = 0; s < 20; s++) {
      const street = await makeUnit(`第${s + 1}街道`, district);
      for (let c = 0; c < 10; c++) leaves.push(await makeUnit(`第${c + 1}社区`, street));
    }
    const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗';
    const given = ['建华', '晓梅', '志强', '丽娟', '海涛', '春燕', '国庆', '文静', '明辉', '秀英', '俊杰', '雪莲'];
    await makeUsers([
      { role: 'admin', username: 'bench-admin', name: '管理员' },
      ...Array.from({ length: N_USERS - 1 }, (_, k) => {
        const i = k + 1;
        return {
          role: i % 50 === 0 ? ('organizer' as const) : ('cadre' as const),
          username: `u${String(i).padStart(5, '0')}`,
          name: `${surnames[i % surnames.length]}${given[i % given.length]}`,
          title: '社区党组织书记',
          unitId: leaves[i % leaves.length],
          active: i % 40 !== 0,
        };
      }),
      // 三员分立: only a 审计员 reads the audit log; last, so that every other account keeps its id.
      { role: 'auditor' as const, username: 'bench-auditor', name: '审计员' },
    ]);
    const actions = ['login.success', 'login.failure', 'logout', 'password.change', 'user.update'];
    const start = Date.now() - 365 * 86400_000;
    await makeAuditEntries(
      Array.from({ length: N_AUDIT }, (_, i) => {
        const actor = 1 + (i % N_USERS);
        return { at: new Date(start + i * 100_000), actorId: actor, actorUsername: `u${actor}`, action: actions[i % actions.length] as string, ip: '192.0.2.1' };
      }),
    );
    for (let c = 0; c < N_COURSES; c++) {
      const id = await makeCourse({ name: `2026年第${c + 1}期读书班`, columnName: '读书班', publisher: '示范区委组织部', startsOn: null, organizerIds: [50 * (1 + (c % 199))] });
      await enroll(id, Array.from({ length: 50 }, (_, m) => 2 + ((c * 50 + m) % (N_USERS - 1))));
    }
  });
  sqlite.pragma('optimize');
  console.log(`synthetic data: ${N_USERS} accounts, ${N_AUDIT} audit rows, ${N_COURSES} courses × 50 members, built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const viewerOf = async (username: string) => await viewerFor(await userIdOf(username));
  const admin = await viewerOf('bench-admin');
  const organizer = await viewerOf('u00050');
  const auditor = await viewerOf('bench-auditor');

  print('Accounts and audit (issue 2)', [
    await measure('listUsers first page', async () => await listUsers(admin, { page: 1 })),
    await measure('listUsers page 200 (deep)', async () => await listUsers(admin, { page: 200 })),
    await measure('listUsers role=organizer status=active', async () => await listUsers(admin, { role: 'organizer', status: 'active', page: 1 })),
    await measure('listUsers search 王建', async () => await listUsers(admin, { q: '王建', page: 1 })),
    await measure('listUsers search by account u0999', async () => await listUsers(admin, { q: 'u0999', page: 1 })),
    await measure('countUsersByRole', async () => await countUsersByRole(admin)),
    await measure('listAudit first page (300k rows)', async () => await listAudit(auditor, { page: 1 })),
    await measure('listAudit action=login.failure page 50', async () => await listAudit(auditor, { action: 'login.failure', page: 50 })),
    await measure('listAudit one month', async () => await listAudit(auditor, { from: '2026-03-01', to: '2026-03-31', page: 1 })),
    await measure('loadViewer (every request)', async () => await loadViewer(admin.id, admin.sessionId)),
  ]);
  print('Courses (issue 3)', [
    await measure('listCourses as admin (200 courses)', async () => await listCourses(admin, {})),
    await measure('listCourses as organizer', async () => await listCourses(organizer, {})),
  ]);

  // 简报: compile and export a 100-item bulletin.
  closeDb();
  await (await import('./bench-bulletin')).benchBulletin();
  // The review desk's figures (queue and search): their own temporary databases.
  closeDb();
  const { benchReview } = await import('./bench-review');
  // 统计 (issue 13) reuses the review bench's 100,000 reflections, kept as a file.
  const keptReview = process.env.BENCH_REVIEW_KEEP ?? path.join(dir, 'review-large.db');
  process.env.BENCH_REVIEW_KEEP = keptReview;
  await benchReview();
  await (await import('./bench-statistics')).benchStatistics(keptReview);
  closeDb();
  // The same queue and search on PostgreSQL (issue 16): that database copied into a throwaway
  // cluster; skipped, saying why, where PostgreSQL is not installed.
  await (await import('./bench-pg')).benchPg({ from: keptReview });
  closeDb();
  // 2,000 cadres autosaving and submitting through nginx to two app servers on one PostgreSQL
  // (issue 16); skipped, saying why, without nginx or PostgreSQL. A lost submission fails the run.
  if (!(await (await import('./bench-cluster')).benchCluster())) process.exitCode = 1;
  // 规范提法 (pure) and 查重 at 100,000 reflections, on its own temporary database.
  (await import('./bench-wording')).benchWording();
  await (await import('./bench-originality')).benchOriginality();
  closeDb();
  // 花名册: a 10,000-row import, on its own temporary database.
  await (await import('./bench-roster')).benchRoster();
  closeDb();
  // The same import through the routes of a production server, with /my loaded over HTTP.
  await (await import('./bench-roster-http')).benchRosterHttp();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
