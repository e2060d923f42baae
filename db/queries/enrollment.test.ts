import { inOrder } from '@/lib/in-order';
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { courseGroups, courseMembers } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { FORBIDDEN, NOT_FOUND, makeUser, nextDigest, useTestDatabase } from '@/test/db';
import { addReflection, auditOf, req, snapshot, twoCourses, type CourseFixture } from './courses.fixtures';
import { PAGE_SIZE } from './courses';
import {
  createGroup,
  deleteGroup,
  enrollMembers,
  GROUP_NAME_TAKEN,
  listGroups,
  listMemberChoices,
  listMembers,
  removeMember,
  searchEnrollCandidates,
  setMemberGroup,
  updateGroup,
} from './enrollment';

/** The reads, which throw forbidden() or notFound() when refused. */
function reads(v: Viewer, fx: CourseFixture): [string, () => unknown | Promise<unknown>][] {
  return [
    ['listMembers', async () => await listMembers(v, { courseId: fx.courseId })],
    ['listMemberChoices', async () => await listMemberChoices(v, { courseId: fx.courseId })],
    ['searchEnrollCandidates', async () => await searchEnrollCandidates(v, { courseId: fx.courseId, q: '测试' })],
    ['listGroups', async () => await listGroups(v, { courseId: fx.courseId })],
  ];
}

/** The changes, which return their failure when refused. */
function changes(v: Viewer, fx: CourseFixture, newcomer: number): [string, () => unknown | Promise<unknown>][] {
  return [
    ['enrollMembers', async () => await enrollMembers(v, { courseId: fx.courseId, userIds: [newcomer] }, req)],
    ['setMemberGroup', async () => await setMemberGroup(v, { courseId: fx.courseId, userId: fx.memberId, groupId: '' }, req)],
    ['removeMember', async () => await removeMember(v, { courseId: fx.courseId, userId: fx.memberId }, req)],
    ['createGroup', async () => await createGroup(v, { courseId: fx.courseId, name: '第九组' }, req)],
    ['updateGroup', async () => await updateGroup(v, { id: fx.groupId, name: '改名组', leaderId: fx.memberId }, req)],
    ['deleteGroup', async () => await deleteGroup(v, { id: fx.groupId }, req)],
  ];
}

describe('enrollment and group queries: who may do what', () => {
  useTestDatabase();

  it('a cadre is refused everything, even in their own course', async () => {
    const { a, cadre } = await twoCourses();
    const newcomer = await makeUser('cadre');
    const before = await snapshot();
    for (const [name, call] of reads(cadre, a)) expect(await nextDigest(call), name).toBe(FORBIDDEN);
    for (const [name, call] of changes(cadre, a, newcomer)) expect(await call(), name).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await snapshot()).toEqual(before);
  });

  it('an organizer of course A gets notFound for the members and groups of course B, and nothing changes', async () => {
    const { a, b } = await twoCourses();
    const newcomer = await makeUser('cadre');
    const before = await snapshot();
    for (const [name, call] of reads(a.organizer, b)) expect(await nextDigest(call), name).toBe(NOT_FOUND);
    for (const [name, call] of changes(a.organizer, b, newcomer)) {
      expect(await call(), name).toMatchObject({ ok: false, code: 'not_found' });
    }
    // Nor can A's group be used to pull B's member around, or B's group for A's member.
    expect(await setMemberGroup(a.organizer, { courseId: a.courseId, userId: b.memberId, groupId: a.groupId }, req)).toMatchObject({
      ok: false,
    });
    expect(await setMemberGroup(a.organizer, { courseId: a.courseId, userId: a.memberId, groupId: b.groupId }, req)).toMatchObject({
      ok: false,
    });
    expect(await createGroup(a.organizer, { courseId: a.courseId, name: '借组长', leaderId: b.memberId }, req)).toMatchObject({ ok: false });
    expect(await snapshot()).toEqual(before);
  });

  it('an admin reaches every course', async () => {
    const { admin, b } = await twoCourses();
    const newcomer = await makeUser('cadre');
    expect(await enrollMembers(admin, { courseId: b.courseId, userIds: [newcomer], groupId: b.groupId }, req)).toEqual({
      ok: true,
      added: 1,
      already: 0,
    });
    expect((await listMembers(admin, { courseId: b.courseId })).total).toBe(2);
    expect((await createGroup(admin, { courseId: b.courseId, name: '第二组', leaderId: newcomer }, req)).ok).toBe(true);
  });
});

describe('enrolling cadres', () => {
  useTestDatabase();

  it('finds active cadres by 姓名 or 账号, with 职务 and 单位 path, marking members', async () => {
    const { a, town } = await twoCourses();
    await makeUser('cadre', { name: '夏定阳', username: 'xiadingyang', title: '牛首镇委书记、长寿岛国家湿地公园党委书记', unitId: town });
    await makeUser('cadre', { name: '夏停用', username: 'xiaty', active: false });
    await makeUser('organizer', { name: '夏组织', username: 'xiazz' });
    const found = await searchEnrollCandidates(a.organizer, { courseId: a.courseId, q: '夏' });
    expect(found.items).toEqual([
      expect.objectContaining({
        name: '夏定阳',
        title: '牛首镇委书记、长寿岛国家湿地公园党委书记',
        unitPath: '樊城区/牛首镇',
        enrolled: false,
      }),
    ]);
    expect((await searchEnrollCandidates(a.organizer, { courseId: a.courseId, q: 'XIADING' })).items).toHaveLength(1);
    expect((await searchEnrollCandidates(a.organizer, { courseId: a.courseId, q: '甲学员' })).items).toEqual([
      expect.objectContaining({ id: a.memberId, enrolled: true }),
    ]);
    expect((await searchEnrollCandidates(a.organizer, { courseId: a.courseId, q: '   ' })).items).toEqual([]);
    expect((await searchEnrollCandidates(a.organizer, { courseId: a.courseId, q: '_' })).items).toEqual([]);
  });

  it('enrolls several at once into a group, skips those already in, and writes one audit row', async () => {
    const { a } = await twoCourses();
    const x = await makeUser('cadre');
    const y = await makeUser('cadre');
    const result = await enrollMembers(a.organizer, { courseId: a.courseId, userIds: [x, y, a.memberId], groupId: a.groupId }, req);
    expect(result).toEqual({ ok: true, added: 2, already: 1 });
    const members = await listMembers(a.organizer, { courseId: a.courseId });
    expect(members.total).toBe(3);
    expect(members.items.every((m) => m.groupId === a.groupId)).toBe(true);
    const audit = await auditOf('course.enroll');
    expect(audit).toHaveLength(1);
    expect((audit[0]?.detail?.userIds as number[]).sort()).toEqual([x, y].sort());
  });

  it('refuses organizers, admins, inactive accounts, unknown ids and foreign groups, and enrolls nobody', async () => {
    const { a, b } = await twoCourses();
    const before = await snapshot();
    const good = await makeUser('cadre');
    const mid = await snapshot();
    for (const bad of [await makeUser('organizer'), await makeUser('admin'), await makeUser('cadre', { active: false }), 999999]) {
      expect(await enrollMembers(a.organizer, { courseId: a.courseId, userIds: [good, bad] }, req)).toMatchObject({ ok: false });
    }
    expect(await enrollMembers(a.organizer, { courseId: a.courseId, userIds: [good], groupId: b.groupId }, req)).toMatchObject({ ok: false });
    expect(await enrollMembers(a.organizer, { courseId: a.courseId, userIds: [] }, req)).toMatchObject({ ok: false });
    const after = await snapshot();
    expect(after.members).toEqual(before.members);
    expect(after.audit).toEqual(mid.audit);
  });

  it('lists members by 姓名 with 职务, 单位 and 小组, filtered and paged', async () => {
    const { a, town } = await twoCourses();
    const ids = await inOrder(Array.from({ length: 30 }), async (_, i) => await makeUser('cadre', { name: `学员${String(i).padStart(2, '0')}`, unitId: town }));
    await enrollMembers(a.organizer, { courseId: a.courseId, userIds: ids }, req);
    const first = await listMembers(a.organizer, { courseId: a.courseId });
    expect(first).toMatchObject({ total: 31, pageCount: 2 });
    expect(first.items).toHaveLength(PAGE_SIZE);
    expect(first.items[0]).toMatchObject({ name: '学员00', unitPath: '樊城区/牛首镇', groupId: null, groupName: null });
    expect((await listMembers(a.organizer, { courseId: a.courseId, q: '甲学员' })).items).toEqual([
      expect.objectContaining({ userId: a.memberId, groupName: '第一组', title: '街道党工委副书记' }),
    ]);
    expect((await listMembers(a.organizer, { courseId: a.courseId, groupId: String(a.groupId) })).total).toBe(1);
    expect((await listMembers(a.organizer, { courseId: a.courseId, groupId: 'none' })).total).toBe(30);
  });

  it('moves a member between groups; a leader who leaves stops leading', async () => {
    const { a } = await twoCourses();
    const db = getDb();
    await db.update(courseGroups).set({ leaderId: a.memberId }).where(eq(courseGroups.id, a.groupId)).run();
    const g2 = await createGroup(a.organizer, { courseId: a.courseId, name: '第二组' }, req);
    if (!g2.ok) throw new Error(g2.message);
    expect((await setMemberGroup(a.organizer, { courseId: a.courseId, userId: a.memberId, groupId: g2.id }, req)).ok).toBe(true);
    const groups = await listGroups(a.organizer, { courseId: a.courseId });
    expect(groups.map((g) => [g.name, g.leaderId, g.memberCount])).toEqual([
      ['第一组', null, 0],
      ['第二组', null, 1],
    ]);
    expect((await setMemberGroup(a.organizer, { courseId: a.courseId, userId: a.memberId, groupId: '' }, req)).ok).toBe(true);
    expect((await listMembers(a.organizer, { courseId: a.courseId })).items[0]?.groupId).toBeNull();
    expect(await auditOf('course.member.group')).toHaveLength(2);
  });

  it('removes a member, keeping what they wrote and clearing their leadership', async () => {
    const { a } = await twoCourses();
    await getDb().update(courseGroups).set({ leaderId: a.memberId }).where(eq(courseGroups.id, a.groupId)).run();
    const reflectionId = await addReflection(a, a.memberId, 'submitted');
    expect(await removeMember(a.organizer, { courseId: a.courseId, userId: a.memberId }, req)).toEqual({ ok: true, id: a.courseId });
    expect((await listMembers(a.organizer, { courseId: a.courseId })).total).toBe(0);
    expect((await listGroups(a.organizer, { courseId: a.courseId }))[0]?.leaderId).toBeNull();
    expect((await snapshot()).reflections.map((r) => r.id)).toEqual([reflectionId]);
    expect(await removeMember(a.organizer, { courseId: a.courseId, userId: a.memberId }, req)).toMatchObject({ ok: false });
    expect(await auditOf('course.member.remove')).toHaveLength(1);
  });
});

describe('discussion groups', () => {
  useTestDatabase();

  it('creates a group with a leader, who is seated in it', async () => {
    const { a } = await twoCourses();
    const leader = await makeUser('cadre', { name: '邵晓燕' });
    await enrollMembers(a.organizer, { courseId: a.courseId, userIds: [leader], groupId: a.groupId }, req);
    const r = await createGroup(a.organizer, { courseId: a.courseId, name: '第二组', leaderId: leader }, req);
    if (!r.ok) throw new Error(r.message);
    expect((await listGroups(a.organizer, { courseId: a.courseId })).find((g) => g.id === r.id)).toMatchObject({
      leaderName: '邵晓燕',
      memberCount: 1,
    });
    const seat = await getDb()
      .select({ groupId: courseMembers.groupId })
      .from(courseMembers)
      .where(and(eq(courseMembers.courseId, a.courseId), eq(courseMembers.userId, leader)))
      .get();
    expect(seat?.groupId).toBe(r.id);
    expect((await auditOf('group.create'))[0]?.detail).toMatchObject({ name: '第二组', leaderId: leader });
  });

  it('refuses an empty or duplicate name, or a leader who is not a member, and changes nothing', async () => {
    const { a } = await twoCourses();
    const outsider = await makeUser('cadre');
    const before = await snapshot();
    expect(await createGroup(a.organizer, { courseId: a.courseId, name: ' ' }, req)).toMatchObject({ ok: false });
    expect(await createGroup(a.organizer, { courseId: a.courseId, name: '第一组' }, req)).toMatchObject({
      ok: false,
      message: GROUP_NAME_TAKEN,
    });
    expect(await createGroup(a.organizer, { courseId: a.courseId, name: '第二组', leaderId: outsider }, req)).toMatchObject({ ok: false });
    expect(await updateGroup(a.organizer, { id: a.groupId, name: '第一组', leaderId: outsider }, req)).toMatchObject({ ok: false });
    expect(await snapshot()).toEqual(before);
  });

  it('renames a group and changes its leader; the same name in another course is fine', async () => {
    const { a, b } = await twoCourses();
    expect((await updateGroup(a.organizer, { id: a.groupId, name: '第一小组', leaderId: a.memberId }, req)).ok).toBe(true);
    expect((await listGroups(a.organizer, { courseId: a.courseId }))[0]).toMatchObject({ name: '第一小组', leaderId: a.memberId });
    expect((await updateGroup(b.organizer, { id: b.groupId, name: '第一小组' }, req)).ok).toBe(true);
    expect(await auditOf('group.update')).toHaveLength(2);
  });

  it('deletes a group; its members stay in the course without a group', async () => {
    const { a } = await twoCourses();
    expect(await deleteGroup(a.organizer, { id: a.groupId }, req)).toEqual({ ok: true, id: a.groupId, courseId: a.courseId });
    expect(await listGroups(a.organizer, { courseId: a.courseId })).toEqual([]);
    expect((await listMembers(a.organizer, { courseId: a.courseId })).items).toEqual([
      expect.objectContaining({ userId: a.memberId, groupId: null }),
    ]);
    expect(await auditOf('group.delete')).toHaveLength(1);
  });

  it('lists the course members as leader choices', async () => {
    const { a } = await twoCourses();
    expect((await listMemberChoices(a.organizer, { courseId: a.courseId })).map((m) => m.id)).toEqual([a.memberId]);
  });
});
