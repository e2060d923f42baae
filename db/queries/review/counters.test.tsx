import { inOrder } from '@/lib/in-order';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { addOrganizer, makeUnit } from '@/db/factories';
import { submitReflection } from '@/db/queries/reflections/submit';
import { withdrawReflection } from '@/db/queries/reflections/withdraw';
import { decideReflection } from '@/db/queries/review/decisions';
import { countReviewStates, listReviewQueue } from '@/db/queries/review/queue';
import { countUsersByRole, listUsers } from '@/db/queries/users/read';
import { setUserActive } from '@/db/queries/users/access';
import { createUser, updateUser } from '@/db/queries/users/write';
import { courses, reflections, reflectionStateCounts, userCounts, users } from '@/db/schema';
import { StateChips } from '@/components/review/queue-filters';
import { UserSummary } from '@/components/admin/users-panel';
import { courseWithAssignment } from '@/test/course-fixtures';
import { signedIn, useTestDatabase } from '@/test/db';
import { reviewFilterSchema } from '@/lib/validation/review';

// The counters behind the admin's 账号统计 and the review state chips (issue 15) are kept by
// triggers in the same transaction as each change. Whatever changes, each counter equals a
// COUNT(*) over its table, and the pages show those numbers.

const req = { ip: '198.51.100.7', userAgent: 'vitest' };
const BODY = '通过这次集中学习，我深刻认识到党的自我革命是跳出历史周期率的第二个答案。';

function sorted<T>(rows: T[]): T[] {
  return rows.map((r) => JSON.stringify(r)).sort().map((s) => JSON.parse(s) as T);
}

async function expectUserCountersRight() {
  const db = getDb();
  const kept = (await db.select().from(userCounts).all()).filter((r) => r.n !== 0);
  // Raw rows: booleans are 0/1 on SQLite, true/false on PostgreSQL; both read as 0/1 here.
  const counted = await db.all<{ role: string; active: number | boolean; mustChangePassword: number | boolean; n: number }>(
    'select role, active, must_change_password as "mustChangePassword", count(*) as n from users group by 1, 2, 3',
  );
  const asBits = <R extends { active: unknown; mustChangePassword: unknown }>(r: R) => ({ ...r, active: r.active ? 1 : 0, mustChangePassword: r.mustChangePassword ? 1 : 0 });
  expect(sorted(kept.map(asBits))).toEqual(sorted(counted.map(asBits)));
}

async function expectReflectionCountersRight() {
  const db = getDb();
  const kept = (await db.select().from(reflectionStateCounts).all()).filter((r) => r.n !== 0);
  const counted = await db.all<{ courseId: number; status: string; n: number }>('select course_id as "courseId", status, count(*) as n from reflections group by 1, 2');
  expect(sorted(kept)).toEqual(sorted(counted));
}

async function countWhere(status: string): Promise<number> {
  const where = status === 'all' ? "status != 'draft'" : `status = '${status}'`;
  return (await getDb().all<{ n: number }>(`select count(*) as n from reflections where ${where}`))[0]!.n;
}

describe('counters kept by triggers', () => {
  useTestDatabase();

  it('账号统计 equals a count of users after creating, changing, stopping and deleting accounts, and the page shows it', async () => {
    const admin = await signedIn('admin');
    const unit = await makeUnit('樊城区');
    await expectUserCountersRight();
    const made: number[] = [];
    for (const [username, role] of [['zhang01', 'cadre'], ['li02', 'cadre'], ['wang03', 'organizer'], ['zhao04', 'cadre']] as const) {
      const r = await createUser(admin, { username, name: username, title: '', unitId: String(unit), role }, req);
      if (!r.ok) throw new Error(r.message);
      made.push(r.id);
    }
    await expectUserCountersRight();
    expect(await updateUser(admin, { id: String(made[1]), username: 'li02', name: '李二', title: '', unitId: String(unit), role: 'organizer' }, req)).toMatchObject({ ok: true });
    expect(await setUserActive(admin, { id: String(made[0]), active: false }, req)).toMatchObject({ ok: true });
    await getDb().update(users).set({ mustChangePassword: false }).where(eq(users.id, made[2] as number)).run();
    await getDb().delete(users).where(eq(users.id, made[3] as number)).run();
    await expectUserCountersRight();

    const summary = await countUsersByRole(admin);
    expect(summary.cadre).toEqual({ total: 1, active: 0 });
    expect(summary.organizer).toEqual({ total: 2, active: 2 });
    expect(summary.total).toBe((await getDb().select().from(users).all()).length);
    expect((await listUsers(admin, { role: 'organizer', status: 'active', page: '1' })).total).toBe(2);
    expect((await listUsers(admin, { page: '1' })).total).toBe(summary.total);
    const html = renderToStaticMarkup(<UserSummary summary={summary} />);
    expect(html).toContain('aria-label="查看全部组织者（2 个）"');
    expect(html).toContain('aria-label="查看全部学员（1 个）"');
    expect(html).toContain('其中 1 人尚未改密');
  });

  it('the review state chips equal a count of reflections after submitting, deciding, withdrawing and deleting', async () => {
    const admin = await signedIn('admin');
    const organizer = await signedIn('organizer');
    const cadres = [await signedIn('cadre'), await signedIn('cadre'), await signedIn('cadre'), await signedIn('cadre')];
    const mine = await courseWithAssignment(cadres.map((c) => c.id));
    const other = await courseWithAssignment([cadres[0]!.id]);
    await addOrganizer(mine.courseId, organizer.id);
    const submit = async (cadre: (typeof cadres)[number], assignmentId: number) => {
      const r = await submitReflection(cadre, { assignmentId, title: '以自我革命精神推动基层治理', body: BODY, readingIds: [], baseRevision: 0, submitKey: randomUUID(), declaration: true }, req);
      if (!r.ok) throw new Error(r.message);
      return r.reflectionId;
    };
    const ids = await inOrder(cadres, async (c) => await submit(c, mine.assignmentId));
    await submit(cadres[0]!, other.assignmentId);
    await expectReflectionCountersRight();
    const revisionOf = async (id: number) => (await getDb().select({ r: reflections.revision }).from(reflections).where(eq(reflections.id, id)).get())!.r;
    const decide = async (id: number, decision: 'approve' | 'return') =>
      expect(await decideReflection(organizer, { reflectionId: id, expectedRevision: await revisionOf(id), decision, comment: '请结合本单位实际再充实。' }, req)).toMatchObject({ ok: true });
    await decide(ids[0]!, 'approve');
    await decide(ids[1]!, 'return');
    expect(await withdrawReflection(cadres[2]!, { assignmentId: String(mine.assignmentId) }, req)).toMatchObject({ ok: true });
    await expectReflectionCountersRight();

    const forOrganizer = await countReviewStates(organizer, {});
    expect(forOrganizer).toEqual({ submitted: 1, returned: 1, approved: 1, all: 3 });
    const forAdmin = await countReviewStates(admin, {});
    expect(forAdmin).toEqual({ submitted: await countWhere('submitted'), returned: await countWhere('returned'), approved: await countWhere('approved'), all: await countWhere('all') });
    expect(forAdmin.submitted).toBe(2);
    expect((await listReviewQueue(admin, { state: 'all' })).total).toBe(4);
    // A filter the counters do not cover is still counted over the rows.
    expect(await countReviewStates(admin, { late: '1' })).toEqual({ submitted: 0, returned: 0, approved: 0, all: 0 });
    const html = renderToStaticMarkup(<StateChips filter={reviewFilterSchema.parse({})} counts={forAdmin} />);
    expect(html.replace(/<[^>]+>/gu, ' ').replace(/\s+/gu, ' ')).toContain('待审阅 2 退回修改 1 已通过 1 全部 4');

    await getDb().delete(courses).where(eq(courses.id, other.courseId)).run();
    await expectReflectionCountersRight();
    expect(await countReviewStates(admin, {})).toEqual({ submitted: 1, returned: 1, approved: 1, all: 3 });
  });
});
