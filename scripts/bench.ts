// npm run bench: builds large synthetic data on a temporary database and prints how long the
// data-access layer takes for the list pages (p50/p95 over repeated runs). Nothing here is a
// test; the figures go in the notes on the issues.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-bench-'));
process.env.DATABASE_PATH = path.join(dir, 'bench.db');

type Timing = { name: string; p50: number; p95: number; runs: number };

function measure(name: string, fn: () => unknown, runs = 60): Timing {
  for (let i = 0; i < 5; i++) fn(); // warm the statement cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
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
  const { getDb, getSqlite, closeDb } = await import('../db');
  const { authSessions, users } = await import('../db/schema');
  const { loadViewer } = await import('../db/queries/auth');
  const { listUsers, countUsersByRole } = await import('../db/queries/users/read');
  const { listAudit } = await import('../db/queries/audit');
  const { listCourses } = await import('../db/queries/courses');
  const { eq } = await import('drizzle-orm');

  getDb();
  const sqlite = getSqlite();
  const N_USERS = 10_000;
  const N_AUDIT = 300_000;
  const N_COURSES = 200;
  const t0 = Date.now();

  sqlite.transaction(() => {
    const unit = sqlite.prepare('insert into units (name, parent_id) values (?, ?) returning id');
    const district = (unit.get('示范区', null) as { id: number }).id;
    const leaves: number[] = [];
    for (let s = 0; s < 20; s++) {
      const street = (unit.get(`第${s + 1}街道`, district) as { id: number }).id;
      for (let c = 0; c < 10; c++) leaves.push((unit.get(`第${c + 1}社区`, street) as { id: number }).id);
    }
    const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗';
    const given = ['建华', '晓梅', '志强', '丽娟', '海涛', '春燕', '国庆', '文静', '明辉', '秀英', '俊杰', '雪莲'];
    const user = sqlite.prepare(
      `insert into users (username, name, title, unit_id, role, password_hash, must_change_password, active)
       values (?, ?, ?, ?, ?, 'x', 0, ?)`,
    );
    user.run('bench-admin', '管理员', '', null, 'admin', 1);
    for (let i = 1; i < N_USERS; i++) {
      const role = i % 50 === 0 ? 'organizer' : 'cadre';
      user.run(
        `u${String(i).padStart(5, '0')}`,
        `${surnames[i % surnames.length]}${given[i % given.length]}${i % 7 === 0 ? '' : ''}`,
        '社区党组织书记',
        leaves[i % leaves.length],
        role,
        i % 40 === 0 ? 0 : 1,
      );
    }
    const audit = sqlite.prepare('insert into audit_log (at, actor_id, actor_username, action, ip) values (?, ?, ?, ?, ?)');
    const actions = ['login.success', 'login.failure', 'logout', 'password.change', 'user.update'];
    const start = Date.now() - 365 * 86400_000;
    for (let i = 0; i < N_AUDIT; i++) {
      const actor = 1 + (i % N_USERS);
      audit.run(start + i * 100_000, actor, `u${actor}`, actions[i % actions.length], '192.0.2.1');
    }
    const course = sqlite.prepare("insert into courses (name, column_name, publisher) values (?, '读书班', '示范区委组织部') returning id");
    const org = sqlite.prepare('insert into course_organizers (course_id, user_id) values (?, ?)');
    const member = sqlite.prepare('insert into course_members (course_id, user_id) values (?, ?)');
    for (let c = 0; c < N_COURSES; c++) {
      const id = (course.get(`2026年第${c + 1}期读书班`) as { id: number }).id;
      org.run(id, 50 * (1 + (c % 199)));
      for (let m = 0; m < 50; m++) member.run(id, 2 + ((c * 50 + m) % (N_USERS - 1)));
    }
  })();
  sqlite.pragma('optimize');
  console.log(`synthetic data: ${N_USERS} accounts, ${N_AUDIT} audit rows, ${N_COURSES} courses × 50 members, built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  function viewerOf(username: string) {
    const u = getDb().select({ id: users.id }).from(users).where(eq(users.username, username)).get();
    if (!u) throw new Error(username);
    const sid = randomBytes(12).toString('hex');
    getDb().insert(authSessions).values({ id: sid, userId: u.id, expiresAt: new Date(Date.now() + 3600_000) }).run();
    const v = loadViewer(u.id, sid);
    if (!v) throw new Error(username);
    return v;
  }
  const admin = viewerOf('bench-admin');
  const organizer = viewerOf('u00050');

  print('Accounts and audit (issue 2)', [
    measure('listUsers first page', () => listUsers(admin, { page: 1 })),
    measure('listUsers page 200 (deep)', () => listUsers(admin, { page: 200 })),
    measure('listUsers role=organizer status=active', () => listUsers(admin, { role: 'organizer', status: 'active', page: 1 })),
    measure('listUsers search 王建', () => listUsers(admin, { q: '王建', page: 1 })),
    measure('listUsers search by account u0999', () => listUsers(admin, { q: 'u0999', page: 1 })),
    measure('countUsersByRole', () => countUsersByRole(admin)),
    measure('listAudit first page (300k rows)', () => listAudit(admin, { page: 1 })),
    measure('listAudit action=login.failure page 50', () => listAudit(admin, { action: 'login.failure', page: 50 })),
    measure('listAudit one month', () => listAudit(admin, { from: '2026-03-01', to: '2026-03-31', page: 1 })),
    measure('loadViewer (every request)', () => loadViewer(admin.id, admin.sessionId)),
  ]);
  print('Courses (issue 3)', [
    measure('listCourses as admin (200 courses)', () => listCourses(admin, {})),
    measure('listCourses as organizer', () => listCourses(organizer, {})),
  ]);

  // 简报: compile and export a 100-item bulletin.
  closeDb();
  await (await import('./bench-bulletin')).benchBulletin();
  // The review desk's figures (queue and search): their own temporary databases.
  closeDb();
  const { benchReview } = await import('./bench-review');
  await benchReview();
  closeDb();
  // 花名册: a 10,000-row import, on its own temporary database.
  await (await import('./bench-roster')).benchRoster();
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
