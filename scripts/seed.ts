import { inOrder } from '@/lib/in-order';
// npm run db:seed: loads the demo 读书班 into DATABASE_PATH (./data/xuesi.db by default), or into
// the PostgreSQL database of DATABASE_URL (postgres://…).
// Demo accounts get random passwords, printed once and written to data/demo-accounts.txt (600).
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { databasePath, getDb } from '../db';
import { assignments, courses, reflections, users, type ReflectionStatus } from '../db/schema';
import { writeAudit } from '../db/audit';
import {
  enroll,
  makeAssignment,
  makeCourse,
  makeGroup,
  makeMeeting,
  makeReading,
  makeReflection,
  makeUnit,
  makeUser,
  viewerFor,
} from '../db/factories';
import { generatePassword, hashPassword } from '../lib/auth/password';
import { DEFAULT_TRANSITION } from '../lib/bulletin/format';
import { createInitialAdmin } from './initial-admin';
import { ROLE_LABELS } from '../lib/validation/users';
import {
  DEMO_BULLETIN,
  DEMO_TAGS,
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
  if (await db.select({ id: courses.id }).from(courses).where(eq(courses.name, DEMO_COURSE.name)).get()) {
    console.log(`演示数据已存在（${DEMO_COURSE.name}），未重复写入。`);
    return;
  }
  // On an empty database, the same first admin `npm start` would create, announced the same way.
  // The account files go beside DATABASE_PATH (./data by default), which on PostgreSQL nothing
  // else has created.
  fs.mkdirSync(path.dirname(databasePath()), { recursive: true, mode: 0o700 });
  await createInitialAdmin(databasePath());

  // Accounts first (hashing is slow and async), then everything else in one transaction.
  const people: { username: string; name: string; title: string; role: 'organizer' | 'cadre' | 'auditor'; password: string; hash: string }[] = [];
  const add = async (p: { username: string; name: string; title: string }, role: 'organizer' | 'cadre' | 'auditor') => {
    const password = generatePassword();
    people.push({ ...p, role, password, hash: await hashPassword(password) });
  };
  await add(DEMO_ORGANIZER, 'organizer');
  for (const s of DEMO_SPEAKERS) await add(s, 'cadre');
  const usedNames = new Set(DEMO_SPEAKERS.map((s) => s.name));
  // 三员分立: the audit log is read by a 审计员, not by the admin (docs/decisions/0013-three-duties.md).
  await add({ username: 'shenji', name: '严明', title: '审计管理员' }, 'auditor');
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

  // The factories write on this connection, so everything below is one transaction.
  const seeded = await db.transaction(async (tx) => {
    const district = await makeUnit(DEMO_UNITS.district);
    const street = await makeUnit(DEMO_UNITS.street, district);
    const communityIds = await inOrder(DEMO_UNITS.communities, async (name, i) => await makeUnit(name, street, { sortOrder: i }));

    const ids = new Map<string, number>();
    await inOrder(people, async (p, i) => {
      const unitId = i <= DEMO_SPEAKERS.length ? street : (communityIds[i % communityIds.length] as number);
      ids.set(p.username, await makeUser(p.role, { username: p.username, name: p.name, title: p.title, unitId, passwordHash: p.hash }));
    });
    const organizerId = ids.get(DEMO_ORGANIZER.username) as number;
    const courseId = await makeCourse({ ...DEMO_COURSE, createdBy: organizerId, organizerIds: [organizerId] });

    // Each group is led by one of the first cadres, who are members of it.
    const cadres = people.filter((p) => p.role === 'cadre');
    const groupIds = await inOrder(['第一小组', '第二小组', '第三小组'], async (name, i) => {
      const leader = cadres[i];
      return await makeGroup(courseId, { name, sortOrder: i, leaderId: leader ? ids.get(leader.username) : null });
    });
    await inOrder(cadres, async (p, i) => await enroll(courseId, [ids.get(p.username) as number], { groupId: groupIds[i % groupIds.length], enrolledAt: start }));

    const readingIds = await inOrder(DEMO_READINGS, async (r) => await makeReading({ ...r, createdBy: organizerId }));

    await inOrder(DEMO_MEETINGS, async (m, mi) => {
      const startsAt = new Date(start.getTime() + m.daysAfterStart * 86400_000);
      const sixth = mi === DEMO_MEETINGS.length - 1;
      const meetingReadingIds = (sixth ? [readingIds[0], readingIds[1]] : [readingIds[mi % readingIds.length]]) as number[];
      const meetingId = await makeMeeting(courseId, { title: m.title, startsAt, place: m.place, description: m.description, readingIds: meetingReadingIds });

      const dueAt = new Date(startsAt.getTime() + 7 * 86400_000 + 9 * 3600_000);
      const assignmentId = await makeAssignment(meetingId, {
        courseId,
        title: `${m.title}学习心得`,
        prompt: '结合本次学习内容和分管工作，谈谈学习体会和下一步打算，做到观点鲜明、联系实际。',
        dueAt,
        cutoffAt: new Date(dueAt.getTime() + 3 * 86400_000),
        minChars: 200,
        maxChars: 3000,
        allowLate: true,
        readingIds: meetingReadingIds,
      });

      // Who wrote what: every speaker at the sixth meeting; most cadres at earlier meetings.
      const writers = sixth
        ? DEMO_SPEAKERS.map((s) => ({ username: s.username, title: s.reflectionTitle, body: s.body.join('\n\n') }))
        : cadres
            .filter(() => rand(10) < 8)
            .map((p) => ({ username: p.username, title: `${m.title}学习体会`, body: composeBody() }));
      await inOrder(writers, async (w, wi) => {
        const status: ReflectionStatus = sixth
          ? (['approved', 'approved', 'approved', 'approved', 'approved', 'submitted'] as const)[wi] ?? 'submitted'
          : dueAt.getTime() > now
            ? pick(['draft', 'submitted'] as const)
            : pick(['approved', 'approved', 'approved', 'submitted', 'returned'] as const);
        const submittedAt = new Date(Math.min(now, dueAt.getTime() - rand(96) * 3600_000));
        const excellent = status === 'approved' && rand(4) === 0;
        const reviewed = new Date(submittedAt.getTime() + 86400_000);
        const decision =
          status === 'returned'
            ? [{ authorId: organizerId, decision: 'return' as const, body: '请结合分管工作补充具体举措和下一步打算，字数可适当增加。', version: 1, createdAt: reviewed }]
            : status === 'approved'
              ? [{ authorId: organizerId, decision: 'approve' as const, body: '联系实际，举措具体。', version: 1, createdAt: reviewed }]
              : [];
        await makeReflection({
          assignmentId,
          courseId,
          authorId: ids.get(w.username) as number,
          title: w.title,
          body: w.body,
          status,
          versions: status === 'draft' ? [] : [{ submittedAt }],
          excellent,
          createdAt: submittedAt,
          updatedAt: submittedAt,
          readingIds: meetingReadingIds,
          comments: decision,
        });
        reflectionCount += 1;
      });
    });

    await writeAudit(tx, { actorId: null, actorUsername: 'system', action: 'seed.demo', targetType: 'course', targetId: courseId, detail: { course: DEMO_COURSE.name } });
    return { courseId, organizerId };
  });
  const bulletin = await showcase(seeded.courseId, seeded.organizerId);

  const dir = path.dirname(databasePath());
  const file = path.join(dir, 'demo-accounts.txt');
  const lines = people.map((p) => `${ROLE_LABELS[p.role]}\t${p.username}\t${p.name}\t${p.password}`);
  fs.writeFileSync(file, `角色\t账号\t姓名\t密码\n${lines.join('\n')}\n`, { mode: 0o600 });
  console.log(`已载入演示读书班「${DEMO_COURSE.name}」：${DEMO_MEETINGS.length} 次集中学习，${people.filter((p) => p.role === 'cadre').length} 名学员，${reflectionCount} 篇心得，已发布简报第${bulletin.number}期（${bulletin.items} 篇发言）。`);
  console.log('演示账号（密码只显示这一次，也已写入 ' + file + '，权限 600）：');
  for (const l of lines.slice(0, 8)) console.log('  ' + l);
  console.log(`  ……其余 ${lines.length - 8} 个账号见上述文件。`);
}

/**
 * What the organizer would have done by now, done through the data-access layer as the organizer:
 * theme tags on the reflections that speak of them, and 第1期 of the bulletin compiled from the
 * sixth meeting's approved speakers and published to the course.
 */
async function showcase(courseId: number, organizerId: number): Promise<{ number: number; items: number }> {
  const { and, asc, eq } = await import('drizzle-orm');
  const { meetings: meetingsTable } = await import('../db/schema');
  const { createTag, setTagOnReflections } = await import('../db/queries/tags');
  const { candidateHeading, getBulletinForEdit } = await import('../db/queries/bulletins/list');
  const { createBulletin, saveBulletin } = await import('../db/queries/bulletins/compose');
  const { publishBulletin } = await import('../db/queries/bulletins/publish');
  const db = getDb();
  const viewer = await viewerFor(organizerId);
  const req = { ip: 'seed', userAgent: 'npm run db:seed' };

  const handedIn = (await db
    .select({ id: reflections.id, title: reflections.title, body: reflections.body })
    .from(reflections)
    .where(and(eq(reflections.courseId, courseId)))
    .all())
    .filter((r) => r.body.length > 0);
  for (const t of DEMO_TAGS) {
    const tag = await createTag(viewer, { courseId, name: t.name }, req);
    if (!tag.ok) throw new Error(tag.message);
    const ids = handedIn.filter((r) => t.words.some((w) => r.title.includes(w) || r.body.includes(w))).map((r) => r.id);
    if (ids.length) await setTagOnReflections(viewer, { tagId: tag.id, reflectionIds: ids, op: 'apply' }, req);
  }

  const sixth = await db
    .select({ id: meetingsTable.id })
    .from(meetingsTable)
    .where(and(eq(meetingsTable.courseId, courseId), eq(meetingsTable.title, '第六次集中学习')))
    .get();
  const speakers = await db
    .select({ id: reflections.id, body: reflections.body, name: users.name, title: users.title })
    .from(reflections)
    .innerJoin(users, eq(users.id, reflections.authorId))
    .innerJoin(assignments, eq(assignments.id, reflections.assignmentId))
    .where(and(eq(assignments.meetingId, sixth?.id ?? 0), eq(reflections.status, 'approved')))
    .orderBy(asc(reflections.id))
    .all();

  const created = await createBulletin(viewer, { courseId }, req);
  if (!created.ok) throw new Error(created.message);
  const draft = await getBulletinForEdit(viewer, { id: created.id });
  const saved = await saveBulletin(
    viewer,
    {
      id: created.id,
      expectedRevision: draft.revision,
      number: draft.number,
      title: draft.title,
      editor: DEMO_BULLETIN.editor,
      issuedOn: '2026-11-17',
      publisher: DEMO_COURSE.publisher,
      lead: DEMO_BULLETIN.lead,
      summary: DEMO_BULLETIN.summary,
      transition: DEFAULT_TRANSITION,
      reportTo: DEMO_BULLETIN.reportTo,
      sendTo: DEMO_BULLETIN.sendTo,
      issueTo: DEMO_BULLETIN.issueTo,
      copies: DEMO_BULLETIN.copies,
      items: speakers.map((s) => ({ reflectionId: s.id, heading: candidateHeading({ authorTitle: s.title, authorName: s.name }), body: s.body })),
    },
    req,
  );
  if (!saved.ok) throw new Error(saved.message);
  const current = await getBulletinForEdit(viewer, { id: created.id });
  const published = await publishBulletin(viewer, { id: created.id, expectedRevision: current.revision }, req);
  if (!published.ok) throw new Error(published.message);
  return { number: draft.number, items: speakers.length };
}

main().catch((e: unknown) => {
  console.error('载入演示数据失败：', e instanceof Error ? e.message : e);
  process.exit(1);
});
