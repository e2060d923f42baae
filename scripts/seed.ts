// npm run db:seed: loads the demo 读书班 into DATABASE_PATH (./data/xuesi.db by default).
// Demo accounts get random passwords, printed once and written to data/demo-accounts.txt (600).
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { databasePath, getDb } from '../db';
import {
  assignmentReadings,
  assignments,
  courseGroups,
  courseMembers,
  courseOrganizers,
  courses,
  meetingReadings,
  meetings,
  readings,
  reflectionComments,
  reflectionReadings,
  reflectionVersions,
  reflections,
  units,
  users,
  type ReflectionStatus,
} from '../db/schema';
import { ensureInitialAdmin } from '../db/queries/bootstrap';
import { ensureSearchIndex } from '../db/queries/search-index';
import { writeAudit } from '../lib/audit';
import { generatePassword, hashPassword } from '../lib/auth/password';
import { countChars } from '../lib/text/char-count';
import {
  DEMO_COURSE,
  DEMO_MEETINGS,
  DEMO_ORGANIZER,
  DEMO_READINGS,
  DEMO_SPEAKERS,
  DEMO_UNITS,
  GIVEN,
  PHRASES,
  POSTS,
  SURNAMES,
} from './demo-texts';

const OTHER_CADRES = 36;

// A small deterministic generator, so the demo reads the same on every machine.
let seed = 20260907;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  // The low bits of this generator cycle quickly; use the high ones.
  return Math.floor(seed / 65536) % n;
}
function pick<T>(list: readonly T[]): T {
  return list[rand(list.length)] as T;
}

function composeBody(): string {
  const points = new Set<string>();
  while (points.size < 3) points.add(pick(PHRASES.point));
  const [a, b, c] = [...points];
  return [pick(PHRASES.open), `一是${a}`, `二是${b}`, `三是${c}`, pick(PHRASES.close)].join('\n\n');
}

async function main() {
  const db = getDb();
  if (db.select({ id: courses.id }).from(courses).where(eq(courses.name, DEMO_COURSE.name)).get()) {
    console.log(`演示数据已存在(${DEMO_COURSE.name}),未重复写入。`);
    return;
  }
  const admin = await ensureInitialAdmin();
  if (admin.created && admin.password) console.log(`初始管理员 ${admin.username} 的一次性密码:${admin.password}`);

  // Accounts first (hashing is slow and async), then everything else in one transaction.
  const people: { username: string; name: string; title: string; role: 'organizer' | 'cadre'; password: string; hash: string }[] = [];
  const add = async (p: { username: string; name: string; title: string }, role: 'organizer' | 'cadre') => {
    const password = generatePassword();
    people.push({ ...p, role, password, hash: await hashPassword(password) });
  };
  await add(DEMO_ORGANIZER, 'organizer');
  for (const s of DEMO_SPEAKERS) await add(s, 'cadre');
  const usedNames = new Set(DEMO_SPEAKERS.map((s) => s.name));
  for (let i = 1; i <= OTHER_CADRES; i++) {
    let name = '';
    do name = pick(SURNAMES) + pick(GIVEN);
    while (usedNames.has(name));
    usedNames.add(name);
    await add({ username: `xueyuan${String(i).padStart(2, '0')}`, name, title: pick(POSTS) }, 'cadre');
  }

  const start = new Date(`${DEMO_COURSE.startsOn}T09:00:00+08:00`);
  const now = Date.now();
  let reflectionCount = 0;

  db.transaction((tx) => {
    const district = tx.insert(units).values({ name: DEMO_UNITS.district }).returning({ id: units.id }).get();
    const street = tx.insert(units).values({ name: DEMO_UNITS.street, parentId: district.id }).returning({ id: units.id }).get();
    const communityIds = DEMO_UNITS.communities.map(
      (name, i) => tx.insert(units).values({ name, parentId: street.id, sortOrder: i }).returning({ id: units.id }).get().id,
    );

    const ids = new Map<string, number>();
    people.forEach((p, i) => {
      const unitId = i <= DEMO_SPEAKERS.length ? street.id : (communityIds[i % communityIds.length] as number);
      const row = tx
        .insert(users)
        .values({ username: p.username, name: p.name, title: p.title, role: p.role, unitId, passwordHash: p.hash, mustChangePassword: false })
        .returning({ id: users.id })
        .get();
      ids.set(p.username, row.id);
    });
    const organizerId = ids.get(DEMO_ORGANIZER.username) as number;

    const course = tx
      .insert(courses)
      .values({ ...DEMO_COURSE, createdBy: organizerId })
      .returning({ id: courses.id })
      .get();
    tx.insert(courseOrganizers).values({ courseId: course.id, userId: organizerId }).run();

    const groupIds = ['第一小组', '第二小组', '第三小组'].map(
      (name, i) => tx.insert(courseGroups).values({ courseId: course.id, name, sortOrder: i }).returning({ id: courseGroups.id }).get().id,
    );
    const cadres = people.filter((p) => p.role === 'cadre');
    cadres.forEach((p, i) => {
      tx.insert(courseMembers)
        .values({ courseId: course.id, userId: ids.get(p.username) as number, groupId: groupIds[i % groupIds.length] })
        .run();
    });
    groupIds.forEach((g, i) => {
      const leader = cadres[i];
      if (leader) tx.update(courseGroups).set({ leaderId: ids.get(leader.username) }).where(eq(courseGroups.id, g)).run();
    });

    const readingIds = DEMO_READINGS.map(
      (r) => tx.insert(readings).values({ ...r, createdBy: organizerId }).returning({ id: readings.id }).get().id,
    );

    DEMO_MEETINGS.forEach((m, mi) => {
      const startsAt = new Date(start.getTime() + m.daysAfterStart * 86400_000);
      const meeting = tx
        .insert(meetings)
        .values({ courseId: course.id, title: m.title, startsAt, place: m.place, description: m.description })
        .returning({ id: meetings.id })
        .get();
      const sixth = mi === DEMO_MEETINGS.length - 1;
      const meetingReadingIds = sixth ? [readingIds[0], readingIds[1]] : [readingIds[mi % readingIds.length]];
      for (const r of meetingReadingIds) tx.insert(meetingReadings).values({ meetingId: meeting.id, readingId: r as number }).run();

      const dueAt = new Date(startsAt.getTime() + 7 * 86400_000 + 9 * 3600_000);
      const assignment = tx
        .insert(assignments)
        .values({
          meetingId: meeting.id,
          courseId: course.id,
          title: `${m.title}学习心得`,
          prompt: '结合本次学习内容和分管工作,谈谈学习体会和下一步打算,做到观点鲜明、联系实际。',
          dueAt,
          cutoffAt: new Date(dueAt.getTime() + 3 * 86400_000),
          minChars: 200,
          maxChars: 3000,
          allowLate: true,
        })
        .returning({ id: assignments.id })
        .get();
      for (const r of meetingReadingIds) tx.insert(assignmentReadings).values({ assignmentId: assignment.id, readingId: r as number }).run();

      // Who wrote what: every speaker at the sixth meeting; most cadres at earlier meetings.
      const writers = sixth
        ? DEMO_SPEAKERS.map((s) => ({ username: s.username, title: s.reflectionTitle, body: s.body.join('\n\n') }))
        : cadres
            .filter(() => rand(10) < 8)
            .map((p) => ({ username: p.username, title: `${m.title}学习体会`, body: composeBody() }));
      writers.forEach((w, wi) => {
        const authorId = ids.get(w.username) as number;
        const status: ReflectionStatus = sixth
          ? (['approved', 'approved', 'submitted', 'approved', 'returned', 'submitted'] as const)[wi] ?? 'submitted'
          : dueAt.getTime() > now
            ? pick(['draft', 'submitted'] as const)
            : pick(['approved', 'approved', 'approved', 'submitted', 'returned'] as const);
        const submittedAt = new Date(Math.min(now, dueAt.getTime() - rand(96) * 3600_000));
        const submitted = status !== 'draft';
        const charCount = countChars(w.body);
        const reflection = tx
          .insert(reflections)
          .values({
            assignmentId: assignment.id,
            courseId: course.id,
            authorId,
            title: w.title,
            body: w.body,
            charCount,
            status,
            revision: submitted ? 2 : 1,
            versionCount: submitted ? 1 : 0,
            submittedAt: submitted ? submittedAt : null,
            excellent: status === 'approved' && rand(4) === 0,
            createdAt: submittedAt,
            updatedAt: submittedAt,
          })
          .returning({ id: reflections.id })
          .get();
        reflectionCount += 1;
        for (const r of meetingReadingIds) tx.insert(reflectionReadings).values({ reflectionId: reflection.id, readingId: r as number }).run();
        if (submitted) {
          tx.insert(reflectionVersions)
            .values({ reflectionId: reflection.id, version: 1, title: w.title, body: w.body, charCount, submitKey: `seed-${reflection.id}`, submittedAt })
            .run();
        }
        if (status === 'returned') {
          tx.insert(reflectionComments)
            .values({
              reflectionId: reflection.id,
              authorId: organizerId,
              decision: 'return',
              body: '请结合分管工作补充具体举措和下一步打算,字数可适当增加。',
              version: 1,
              createdAt: new Date(submittedAt.getTime() + 86400_000),
            })
            .run();
        } else if (status === 'approved') {
          tx.insert(reflectionComments)
            .values({ reflectionId: reflection.id, authorId: organizerId, decision: 'approve', body: '联系实际,举措具体。', version: 1, createdAt: new Date(submittedAt.getTime() + 86400_000) })
            .run();
        }
      });
    });

    writeAudit(tx, { actorId: null, actorUsername: 'system', action: 'seed.demo', targetType: 'course', targetId: course.id, detail: { course: DEMO_COURSE.name } });
  });
  ensureSearchIndex();

  const dir = path.dirname(databasePath());
  const file = path.join(dir, 'demo-accounts.txt');
  const lines = people.map((p) => `${p.role === 'organizer' ? '组织者' : '学员'}\t${p.username}\t${p.name}\t${p.password}`);
  fs.writeFileSync(file, `角色\t账号\t姓名\t密码\n${lines.join('\n')}\n`, { mode: 0o600 });
  console.log(`已载入演示读书班「${DEMO_COURSE.name}」:${DEMO_MEETINGS.length} 次集中学习,${people.length - 1} 名学员,${reflectionCount} 篇心得。`);
  console.log('演示账号(密码只显示这一次,也已写入 ' + file + ',权限 600):');
  for (const l of lines.slice(0, 8)) console.log('  ' + l);
  console.log(`  ……其余 ${lines.length - 8} 个账号见上述文件。`);
}

main().catch((e: unknown) => {
  console.error('载入演示数据失败:', e instanceof Error ? e.message : e);
  process.exit(1);
});
