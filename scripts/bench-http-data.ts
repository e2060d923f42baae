import { inOrder } from '@/lib/in-order';
// The databases `npm run bench:http` measures (scripts/bench-http.ts): the demo (scripts/seed.ts,
// run as `npm run db:seed` runs it) or 100,000 reflections in the shape of the review bench
// (scripts/bench-review.ts: 200 courses × 50 cadres × 10 assignments), and on either the same
// "bench layer": the accounts the bench signs in as, an open assignment with a reading, a draft
// 简报 to compose, and 100 cadres for the deadline burst. Everything through db/factories.ts.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { encode } from 'next-auth/jwt';

export interface Fixture {
  dbFile: string;
  /** The courses the measured organizer runs: the demo 读书班, or the first of the 200. */
  courseId: number;
  cadre: Account;
  organizer: Account;
  admin: Account;
  /** Open, in the bench course; the measured cadre has a draft in it. */
  openAssignmentId: number;
  readingId: number;
  /** A handed-in reflection in the organizer's course (the review detail page). */
  reviewReflectionId: number;
  /** A draft 简报 of the organizer's course with up to eight items (the composer). */
  bulletinId: number;
  burst: { assignmentId: number; cadres: Account[] };
}

export interface Account {
  id: number;
  username: string;
  /** The Cookie header of a signed-in session. */
  cookie: string;
}

/** The demo, made by the seed script in a child process exactly as `npm run db:seed` makes it. */
export function seedDemo(dbFile: string): void {
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', '-r', './scripts/server-only-shim.cjs', 'scripts/seed.ts'], {
    env: { ...process.env, DATABASE_PATH: dbFile },
    encoding: 'utf8',
  });
  if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
}

// Sentences in the register of the samples; 治理 in about a third of the reflections, as a
// 基层治理 course's would have it (the same proportions as the review bench).
const SENTENCES = [
  '通过这次集中学习，我对党的自我革命有了更深刻的认识。',
  '坚持党建引领，把党的组织优势转化为基层治理效能。',
  '社区治理要把群众满不满意作为衡量工作的标准。',
  '一是强化理论武装，坚持读原著、学原文、悟原理。',
  '二是聚焦为民服务，推动接诉即办向未诉先办转变。',
  '三是锤炼过硬作风，大兴调查研究，践行四下基层。',
  '推进网格化管理，做到小事不出网格、大事不出社区。',
  '城市治理既要有速度，更要有温度。',
  '下一步，我们将把学习成果转化为推动发展的具体举措。',
  '要聚焦群众急难愁盼问题，建立问题清单、任务清单和责任清单。',
  '作风建设永远在路上，必须坚持不懈抓下去。',
  '乡村振兴离不开一支懂农业、爱农村、爱农民的干部队伍。',
];

function body(i: number): string {
  const parts: string[] = [];
  let x = i * 2654435761;
  for (let k = 0; k < 18; k++) {
    x = ((x ^ (x >>> 13)) * 1274126177) >>> 0;
    parts.push(SENTENCES[x % SENTENCES.length] as string);
  }
  return i % 3 === 0 ? parts.join('') : parts.filter((s) => !s.includes('治理')).join('');
}

/**
 * 100,000 reflections from 10,000 cadres in 200 courses, with the review bench's mix of states
 * (5 % drafts, 60 % waiting for review, 15 % returned, 20 % approved), built in one transaction
 * with the factories' multi-row inserts. The search index is filled afterwards.
 */
export async function buildLarge(): Promise<void> {
  const { getDb, getWriteSqlite } = await import('../db');
  const f = await import('../db/factories');
  const { ensureSearchIndex } = await import('../db/queries/search-index');
  const N_COURSES = 200;
  const PER_COURSE = 50;
  const ASSIGNMENTS = 10;
  const start = Date.UTC(2025, 0, 1);
  await getDb().transaction(async () => {
    const district = await f.makeUnit('示范区');
    const leaves = await inOrder(Array.from({ length: 20 }), async (_, s) => await f.makeUnit(`第${s + 1}街道`, district));
    let cadre = 0;
    let n = 0;
    for (let c = 0; c < N_COURSES; c++) {
      const organizerId = await f.makeUser('organizer', { username: `org${String(c).padStart(3, '0')}`, name: `组织者${c}`, title: '组织委员', unitId: leaves[c % leaves.length] });
      const courseId = await f.makeCourse({ name: `2026年第${c + 1}期读书班`, columnName: '读书班', startsOn: `2025-${String(1 + (c % 12)).padStart(2, '0')}-01`, organizerIds: [organizerId] });
      const groups = await inOrder([1, 2, 3, 4, 5], async (g) => await f.makeGroup(courseId, { name: `第${g}组`, sortOrder: g }));
      const members = await f.makeUsers(
        Array.from({ length: PER_COURSE }, () => {
          cadre += 1;
          return { role: 'cadre' as const, username: `c${String(cadre).padStart(5, '0')}`, name: `学员${cadre}`, title: '社区党组织书记', unitId: leaves[cadre % leaves.length] };
        }),
      );
      await inOrder(members, async (id, i) => await f.enroll(courseId, [id], { groupId: groups[i % groups.length] }));
      for (let a = 0; a < ASSIGNMENTS; a++) {
        const due = start + (c * ASSIGNMENTS + a) * 3_600_000;
        const meetingId = await f.makeMeeting(courseId, { title: `第${a + 1}次集中学习`, startsAt: new Date(due - 86400_000) });
        const assignmentId = await f.makeAssignment(meetingId, { courseId, title: `第${a + 1}次学习心得`, prompt: '', dueAt: new Date(due) });
        const ids = await f.makeSubmittedReflections(
          members.map((authorId) => {
            n += 1;
            return { assignmentId, courseId, authorId, title: n % 7 === 0 ? '以党建引领推进基层治理' : `第${a + 1}次集中学习体会`, body: body(n), submittedAt: new Date(due - 3_600_000 + (n % 3600) * 1000) };
          }),
        );
        await inOrder(ids, async (id, k) => {
          const roll = (n - members.length + k + 1) % 20;
          if (roll === 0) await f.setReflectionStatus(id, 'draft');
          else if (roll >= 13) await f.setReflectionStatus(id, roll < 16 ? 'returned' : 'approved');
        });
      }
    }
  });
  await ensureSearchIndex();
  getWriteSqlite().pragma('optimize');
}

/**
 * The 查重 queue that `npm start` would work through in the background while the bench measures.
 * The demo's checks run here for real. The 100,000 synthetic texts, all made of the same twelve
 * sentences, are marked checked without a finding instead: checking them would take longer than
 * the whole bench and would say nothing about the pages.
 */
export async function settleOriginality(kind: 'demo' | 'large'): Promise<void> {
  const { getDb, getWriteSqlite } = await import('../db');
  const { enqueueUnchecked, processPending } = await import('../db/queries/originality');
  const db = getDb();
  await db.transaction(async (tx) => await enqueueUnchecked(tx));
  if (kind === 'large') {
    getWriteSqlite().exec("update originality_checks set status = 'done' where status = 'pending'");
    return;
  }
  while ((await db.transaction(async (tx) => await processPending(tx, { limit: 100 }))).left > 0);
}

/** A signed-in session for an account: a sign-in row and next-auth's cookie minted for it. */
export async function signIn(id: number, username: string, secret: string): Promise<Account> {
  const { makeSession } = await import('../db/factories');
  const { SESSION_MAX_AGE_S } = await import('../db/queries/auth');
  const { SESSION_COOKIE } = await import('../lib/auth/cookie');
  const { getDb } = await import('../db');
  const { users } = await import('../db/schema');
  const { eq } = await import('drizzle-orm');
  // Demo and initial accounts start with a one-time password; the bench's accounts are past that.
  await getDb().update(users).set({ mustChangePassword: false }).where(eq(users.id, id)).run();
  const now = Date.now();
  const sid = await makeSession(id, { createdAt: new Date(now), expiresAt: new Date(now + SESSION_MAX_AGE_S * 1000), ip: '127.0.0.1', userAgent: 'bench:http' });
  const role = (await getDb().select({ role: users.role }).from(users).where(eq(users.id, id)).get())?.role;
  const token = await encode({ token: { sub: String(id), uid: id, sid, role }, secret, maxAge: SESSION_MAX_AGE_S });
  return { id, username, cookie: `${SESSION_COOKIE}=${token}` };
}

/**
 * The bench layer, the same on both databases. Sign-in: a sign-in row made by the factories and
 * next-auth's JWT minted with the server's NEXTAUTH_SECRET, exactly as lib/auth/start-session.ts
 * mints it after a sign-in. The admin's two-factor step (issue 14) is thereby skipped on purpose:
 * it guards the sign-in form, which is not what is measured, and a session row is all a signed-in
 * request checks.
 */
export async function addBenchLayer(kind: 'demo' | 'large', secret: string, dbFile: string): Promise<Fixture> {
  const { getDb } = await import('../db');
  const f = await import('../db/factories');
  const { courseOrganizers, reflections } = await import('../db/schema');
  const { and, asc, eq, inArray } = await import('drizzle-orm');
  const { DEMO_ORGANIZER } = await import('./demo-texts');
  const db = getDb();
  const organizerName = kind === 'demo' ? DEMO_ORGANIZER.username : 'org000';
  const cadreName = kind === 'demo' ? 'xueyuan01' : 'c00001';
  const organizerId = await f.userIdOf(organizerName);
  const cadreId = await f.userIdOf(cadreName);
  const courseId = (await db.select({ id: courseOrganizers.courseId }).from(courseOrganizers).where(eq(courseOrganizers.userId, organizerId)).orderBy(asc(courseOrganizers.courseId)).get())?.id;
  if (!courseId) throw new Error(`${organizerName} runs no course`);

  const built = await db.transaction(async () => {
    const adminId = await f.makeUser('admin', { username: 'bench-admin', name: '压测管理员' });
    const readingId = await f.makeReading({ title: '《论党的自我革命》（压测）' });
    await f.makeReadingText(readingId, Array.from({ length: 12 }, (_, i) => ({ heading: `第${i + 1}篇`, body: `${body(i)}\n${body(i + 1)}` })));
    const benchCourse = await f.makeCourse({ name: '压力测试读书班', columnName: '读书班', startsOn: '2026-11-01', organizerIds: [organizerId] });
    const meetingId = await f.makeMeeting(benchCourse, { title: '截止前集中学习', startsAt: new Date(Date.now() - 86400_000), readingIds: [readingId] });
    const openAssignmentId = await f.makeAssignment(meetingId, { courseId: benchCourse, title: '截止前学习心得', dueAt: new Date(Date.now() + 7 * 86400_000), readingIds: [readingId] });
    const burstIds = await f.makeUsers(Array.from({ length: 100 }, (_, i) => ({ role: 'cadre' as const, username: `burst${String(i + 1).padStart(3, '0')}`, name: `冲刺学员${i + 1}` })));
    await f.enroll(benchCourse, [cadreId, ...burstIds]);
    await f.makeReflection({ assignmentId: openAssignmentId, courseId: benchCourse, authorId: cadreId, title: '截止前的学习体会', body: body(7) });
    const handedIn = (await db
      .select({ id: reflections.id })
      .from(reflections)
      .where(and(eq(reflections.courseId, courseId), inArray(reflections.status, ['submitted', 'approved'])))
      .orderBy(asc(reflections.id))
      .limit(8)
      .all())
      .map((r) => r.id);
    const reviewReflectionId = handedIn[0];
    if (reviewReflectionId === undefined) throw new Error('no handed-in reflection to review');
    const bulletinId = await f.makeBulletin(courseId, { reflectionIds: handedIn });
    return { adminId, readingId, openAssignmentId, burstIds, reviewReflectionId, bulletinId };
  });

  return {
    dbFile,
    courseId,
    cadre: await signIn(cadreId, cadreName, secret),
    organizer: await signIn(organizerId, organizerName, secret),
    admin: await signIn(built.adminId, 'bench-admin', secret),
    openAssignmentId: built.openAssignmentId,
    readingId: built.readingId,
    reviewReflectionId: built.reviewReflectionId,
    bulletinId: built.bulletinId,
    burst: {
      assignmentId: built.openAssignmentId,
      cadres: await Promise.all(await inOrder(built.burstIds, async (id, i) => await signIn(id, `burst${String(i + 1).padStart(3, '0')}`, secret))),
    },
  };
}

/** A fresh NEXTAUTH_SECRET for one server run. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the burst left in the database: counted, not assumed. */
export async function countBurst(assignmentId: number, authorIds: readonly number[]): Promise<{ reflections: number; submitted: number; versions: number }> {
  const { getDb } = await import('../db');
  const { reflections, reflectionVersions } = await import('../db/schema');
  const { and, eq, inArray, sql } = await import('drizzle-orm');
  const db = getDb();
  const mine = and(eq(reflections.assignmentId, assignmentId), inArray(reflections.authorId, [...authorIds]));
  const r = await db.select({ n: sql<number>`count(*)`, submitted: sql<number>`coalesce(sum(${reflections.status} = 'submitted'), 0)` }).from(reflections).where(mine).get();
  const v = await db.select({ n: sql<number>`count(*)` }).from(reflectionVersions).innerJoin(reflections, eq(reflections.id, reflectionVersions.reflectionId)).where(mine).get();
  return { reflections: r?.n ?? 0, submitted: r?.submitted ?? 0, versions: v?.n ?? 0 };
}
