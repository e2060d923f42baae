import 'server-only';
import { and, asc, count, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import type { z } from 'zod';
import { getDb, type DB, type Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { courseManagedBy, managedCourseOrNotFound } from '@/db/queries/scope';
import { courseGroups, courseMembers, users } from '@/db/schema';
import { likeAnywhere, pageWindow, qualified, type PageDto } from '@/db/sql-kit';
import { fail } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import {
  courseUserSchema,
  createGroupSchema,
  enrollSchema,
  groupIdSchema,
  listMembersSchema,
  setMemberGroupSchema,
  updateGroupSchema,
} from '@/lib/validation/courses';

// 学员 (enrolled cadres) and 讨论小组 of a course. Only active cadres are enrolled; a group's
// leader is one of the course's members and sits in the group they lead.

/** 单位 paths (樊城区/牛首镇) for several units in one query. */
async function unitPaths(unitIds: (number | null)[]): Promise<Map<number, string>> {
  const ids = [...new Set(unitIds.filter((id): id is number => id !== null))];
  const out = new Map<number, string>();
  if (ids.length === 0) return out;
  const rows = await getDb().all<{ start: number; name: string }>(sql`
    with recursive chain(start, id, name, parent_id, depth) as (
      select id, id, name, parent_id, 0 from units where id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})
      union all
      select chain.start, u.id, u.name, u.parent_id, chain.depth + 1
      from units u join chain on u.id = chain.parent_id
      where chain.depth < 32
    )
    select start, name from chain order by start, depth desc`);
  for (const r of rows) {
    const prev = out.get(r.start);
    out.set(r.start, prev ? `${prev}/${r.name}` : r.name);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 学员

export interface MemberDto {
  userId: number;
  name: string;
  username: string;
  title: string;
  unitPath: string;
  active: boolean;
  groupId: number | null;
  groupName: string | null;
  isLeader: boolean;
  enrolledAt: Date;
}

/** One page of a course's members by 姓名; q matches 姓名 or 账号; groupId 'none' lists those in no group. */
export async function listMembers(
  viewer: Viewer,
  { courseId, ...filter }: { courseId: number } & Partial<z.input<typeof listMembersSchema>>,
): Promise<PageDto<MemberDto>> {
  assertRole(viewer, 'organizer', 'admin');
  const f = listMembersSchema.parse(filter);
  const db = getDb();
  await managedCourseOrNotFound(db, viewer, courseId);
  const conditions: (SQL | undefined)[] = [
    eq(courseMembers.courseId, courseId),
    courseManagedBy(viewer, courseMembers.courseId),
  ];
  if (f.q) conditions.push(or(likeAnywhere(users.name, f.q), likeAnywhere(users.username, f.q.toLowerCase())));
  if (f.groupId === 'none') conditions.push(isNull(courseMembers.groupId));
  else if (f.groupId !== undefined) conditions.push(eq(courseMembers.groupId, f.groupId));
  const where = and(...conditions);
  const total =
    (await db
      .select({ n: count() })
      .from(courseMembers)
      .innerJoin(users, eq(users.id, courseMembers.userId))
      .where(where)
      .get())?.n ?? 0;
  const w = pageWindow(total, f.page);
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      username: users.username,
      title: users.title,
      unitId: users.unitId,
      active: users.active,
      groupId: courseMembers.groupId,
      groupName: courseGroups.name,
      leaderId: courseGroups.leaderId,
      enrolledAt: courseMembers.enrolledAt,
    })
    .from(courseMembers)
    .innerJoin(users, eq(users.id, courseMembers.userId))
    .leftJoin(courseGroups, eq(courseGroups.id, courseMembers.groupId))
    .where(where)
    .orderBy(asc(users.name), asc(users.id))
    .limit(w.pageSize)
    .offset(w.offset)
    .all();
  const paths = await unitPaths(rows.map((r) => r.unitId));
  return {
    items: rows.map(({ unitId, leaderId, ...r }) => ({
      ...r,
      unitPath: unitId === null ? '' : (paths.get(unitId) ?? ''),
      isLeader: leaderId === r.userId,
    })),
    total,
    page: w.page,
    pageCount: w.pageCount,
    pageSize: w.pageSize,
  };
}

/** Every member as a choice (组长), by 姓名. */
export async function listMemberChoices(viewer: Viewer, { courseId }: { courseId: number }): Promise<{ id: number; name: string; title: string }[]> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  await managedCourseOrNotFound(db, viewer, courseId);
  return await db
    .select({ id: users.id, name: users.name, title: users.title })
    .from(courseMembers)
    .innerJoin(users, eq(users.id, courseMembers.userId))
    .where(and(eq(courseMembers.courseId, courseId), courseManagedBy(viewer, courseMembers.courseId)))
    .orderBy(asc(users.name), asc(users.id))
    .all();
}

export interface EnrollCandidateDto {
  id: number;
  name: string;
  username: string;
  title: string;
  unitPath: string;
  enrolled: boolean;
}

export const CANDIDATES_MAX = 30;

/**
 * Active cadres whose 姓名 or 账号 contains q, by 姓名, at most 30; those already in the course
 * are listed too, marked, so that nobody wonders why a name cannot be ticked.
 */
export async function searchEnrollCandidates(
  viewer: Viewer,
  { courseId, q }: { courseId: number; q: string },
): Promise<{ items: EnrollCandidateDto[]; more: boolean }> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  await managedCourseOrNotFound(db, viewer, courseId);
  const term = q.replace(/\s+/gu, ' ').trim().slice(0, 50);
  if (!term) return { items: [], more: false };
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      username: users.username,
      title: users.title,
      unitId: users.unitId,
      enrolled: sql<number>`exists (select 1 from course_members m where m.course_id = ${courseId} and m.user_id = ${qualified(users.id)})`,
    })
    .from(users)
    .where(
      and(
        eq(users.role, 'cadre'),
        eq(users.active, true),
        or(likeAnywhere(users.name, term), likeAnywhere(users.username, term.toLowerCase())),
      ),
    )
    .orderBy(asc(users.name), asc(users.id))
    .limit(CANDIDATES_MAX + 1)
    .all();
  const shown = rows.slice(0, CANDIDATES_MAX);
  const paths = await unitPaths(shown.map((r) => r.unitId));
  return {
    items: shown.map(({ unitId, enrolled, ...r }) => ({
      ...r,
      enrolled: !!enrolled,
      unitPath: unitId === null ? '' : (paths.get(unitId) ?? ''),
    })),
    more: rows.length > CANDIDATES_MAX,
  };
}

async function groupOfCourse(tx: DB | Tx, courseId: number, groupId: number) {
  return await tx
    .select({ id: courseGroups.id, name: courseGroups.name, leaderId: courseGroups.leaderId })
    .from(courseGroups)
    .where(and(eq(courseGroups.id, groupId), eq(courseGroups.courseId, courseId)))
    .get();
}

const GROUP_MISSING = '所选小组已不存在，请刷新后重选';

/** Enrolls the chosen active cadres; those already in the course are left as they are. */
export const enrollMembers = mutation({
  roles: ['organizer', 'admin'],
  schema: enrollSchema,
  async run(tx, { viewer, request }, input) {
    await managedCourseOrNotFound(tx, viewer, input.courseId);
    const ids = input.userIds;
    if (input.groupId !== null && !await groupOfCourse(tx, input.courseId, input.groupId)) {
      return fail('invalid', GROUP_MISSING, { groupId: [GROUP_MISSING] });
    }
    const eligible = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, ids), eq(users.role, 'cadre'), eq(users.active, true)))
      .all();
    if (eligible.length !== ids.length) {
      return fail('invalid', '只能加入在用的学员账号，请刷新后重选', { userIds: ['只能加入在用的学员账号'] });
    }
    const added = await tx
      .insert(courseMembers)
      .values(ids.map((userId) => ({ courseId: input.courseId, userId, groupId: input.groupId })))
      .onConflictDoNothing()
      .returning({ userId: courseMembers.userId })
      .all();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'course.enroll',
      targetType: 'course',
      targetId: input.courseId,
      detail: { userIds: added.map((r) => r.userId), groupId: input.groupId },
    });
    return { ok: true as const, added: added.length, already: ids.length - added.length };
  },
});

async function memberOrFail(tx: Tx, courseId: number, userId: number) {
  return await tx
    .select({ userId: courseMembers.userId, groupId: courseMembers.groupId, name: users.name })
    .from(courseMembers)
    .innerJoin(users, eq(users.id, courseMembers.userId))
    .where(and(eq(courseMembers.courseId, courseId), eq(courseMembers.userId, userId)))
    .get();
}

const NOT_A_MEMBER = '这位学员已不在这个读书班，请刷新页面';

/** Moves a member to a group, or out of every group (groupId null). A leader who leaves their group stops leading it. */
export const setMemberGroup = mutation({
  roles: ['organizer', 'admin'],
  schema: setMemberGroupSchema,
  async run(tx, { viewer, request }, input) {
    await managedCourseOrNotFound(tx, viewer, input.courseId);
    const member = await memberOrFail(tx, input.courseId, input.userId);
    if (!member) return fail('not_found', NOT_A_MEMBER);
    if (input.groupId !== null && !await groupOfCourse(tx, input.courseId, input.groupId)) {
      return fail('invalid', GROUP_MISSING, { groupId: [GROUP_MISSING] });
    }
    await tx.update(courseMembers)
      .set({ groupId: input.groupId })
      .where(and(eq(courseMembers.courseId, input.courseId), eq(courseMembers.userId, input.userId)))
      .run();
    if (member.groupId !== null && member.groupId !== input.groupId) {
      await tx.update(courseGroups)
        .set({ leaderId: null })
        .where(and(eq(courseGroups.id, member.groupId), eq(courseGroups.leaderId, input.userId)))
        .run();
    }
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'course.member.group',
      targetType: 'course',
      targetId: input.courseId,
      detail: { userId: input.userId, from: member.groupId, to: input.groupId },
    });
    return { ok: true as const, id: input.courseId };
  },
});

/** Takes a member out of the course. What they wrote stays, so that bulletins keep their sources. */
export const removeMember = mutation({
  roles: ['organizer', 'admin'],
  schema: courseUserSchema,
  async run(tx, { viewer, request }, input) {
    await managedCourseOrNotFound(tx, viewer, input.courseId);
    const member = await memberOrFail(tx, input.courseId, input.userId);
    if (!member) return fail('not_found', NOT_A_MEMBER);
    await tx.update(courseGroups)
      .set({ leaderId: null })
      .where(and(eq(courseGroups.courseId, input.courseId), eq(courseGroups.leaderId, input.userId)))
      .run();
    await tx.delete(courseMembers)
      .where(and(eq(courseMembers.courseId, input.courseId), eq(courseMembers.userId, input.userId)))
      .run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'course.member.remove',
      targetType: 'course',
      targetId: input.courseId,
      detail: { userId: input.userId, name: member.name },
    });
    return { ok: true as const, id: input.courseId };
  },
});

// ---------------------------------------------------------------------------------------------
// 讨论小组

export interface GroupDto {
  id: number;
  name: string;
  leaderId: number | null;
  leaderName: string | null;
  memberCount: number;
}

export const GROUPS_MAX = 200;

/** A course's groups in the order they were made. */
export async function listGroups(viewer: Viewer, { courseId }: { courseId: number }): Promise<GroupDto[]> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  await managedCourseOrNotFound(db, viewer, courseId);
  return await db
    .select({
      id: courseGroups.id,
      name: courseGroups.name,
      leaderId: courseGroups.leaderId,
      leaderName: users.name,
      memberCount: sql<number>`(select count(*) from course_members m where m.group_id = ${qualified(courseGroups.id)})`,
    })
    .from(courseGroups)
    .leftJoin(users, eq(users.id, courseGroups.leaderId))
    .where(and(eq(courseGroups.courseId, courseId), courseManagedBy(viewer, courseGroups.courseId)))
    .orderBy(asc(courseGroups.sortOrder), asc(courseGroups.id))
    .limit(GROUPS_MAX)
    .all();
}

export const GROUP_NAME_TAKEN = '这个读书班已有同名的小组';
const LEADER_NOT_MEMBER = '组长须是本读书班的学员';

/** The course's unique index on 小组名称 answers for a taken name, however the race is run. */
const nameTaken = () => fail('conflict', GROUP_NAME_TAKEN, { name: [GROUP_NAME_TAKEN] });

/** Puts the leader into the group they lead (a leader of another group stops leading that one). */
async function seatLeader(tx: Tx, courseId: number, groupId: number, leaderId: number): Promise<void> {
  const member = await memberOrFail(tx, courseId, leaderId);
  if (member?.groupId != null && member.groupId !== groupId) {
    await tx.update(courseGroups)
      .set({ leaderId: null })
      .where(and(eq(courseGroups.id, member.groupId), eq(courseGroups.leaderId, leaderId)))
      .run();
  }
  await tx.update(courseMembers)
    .set({ groupId })
    .where(and(eq(courseMembers.courseId, courseId), eq(courseMembers.userId, leaderId)))
    .run();
}

async function leaderProblem(tx: Tx, courseId: number, leaderId: number | null) {
  if (leaderId !== null && !await memberOrFail(tx, courseId, leaderId)) {
    return fail('invalid', LEADER_NOT_MEMBER, { leaderId: [LEADER_NOT_MEMBER] });
  }
  return null;
}

export const createGroup = mutation({
  roles: ['organizer', 'admin'],
  schema: createGroupSchema,
  onUniqueViolation: nameTaken,
  async run(tx, { viewer, request }, input) {
    await managedCourseOrNotFound(tx, viewer, input.courseId);
    const problem = await leaderProblem(tx, input.courseId, input.leaderId);
    if (problem) return problem;
    const last =
      (await tx
        .select({ n: sql<number>`coalesce(max(${courseGroups.sortOrder}), 0)` })
        .from(courseGroups)
        .where(eq(courseGroups.courseId, input.courseId))
        .get())?.n ?? 0;
    const { id } = await tx
      .insert(courseGroups)
      .values({ courseId: input.courseId, name: input.name, leaderId: input.leaderId, sortOrder: last + 1 })
      .returning({ id: courseGroups.id })
      .get();
    if (input.leaderId !== null) await seatLeader(tx, input.courseId, id, input.leaderId);
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'group.create',
      targetType: 'group',
      targetId: id,
      detail: { courseId: input.courseId, name: input.name, leaderId: input.leaderId },
    });
    return { ok: true as const, id };
  },
});

async function managedGroupOrNotFound(tx: Tx, viewer: Viewer, id: number) {
  const row = await tx
    .select({ id: courseGroups.id, courseId: courseGroups.courseId, name: courseGroups.name, leaderId: courseGroups.leaderId })
    .from(courseGroups)
    .where(and(eq(courseGroups.id, id), courseManagedBy(viewer, courseGroups.courseId)))
    .get();
  if (!row) notFound();
  return row;
}

export const updateGroup = mutation({
  roles: ['organizer', 'admin'],
  schema: updateGroupSchema,
  onUniqueViolation: nameTaken,
  async run(tx, { viewer, request }, input) {
    const group = await managedGroupOrNotFound(tx, viewer, input.id);
    const problem = await leaderProblem(tx, group.courseId, input.leaderId);
    if (problem) return problem;
    await tx.update(courseGroups)
      .set({ name: input.name, leaderId: input.leaderId })
      .where(eq(courseGroups.id, group.id))
      .run();
    if (input.leaderId !== null) await seatLeader(tx, group.courseId, group.id, input.leaderId);
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'group.update',
      targetType: 'group',
      targetId: group.id,
      detail: { courseId: group.courseId, name: input.name, was: group.name, leaderId: input.leaderId },
    });
    return { ok: true as const, id: group.id };
  },
});

/** Deletes a group; its members stay in the course without a group. */
export const deleteGroup = mutation({
  roles: ['organizer', 'admin'],
  schema: groupIdSchema,
  async run(tx, { viewer, request }, { id }) {
    const group = await managedGroupOrNotFound(tx, viewer, id);
    await tx.update(courseMembers).set({ groupId: null }).where(eq(courseMembers.groupId, id)).run();
    await tx.delete(courseGroups).where(eq(courseGroups.id, id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'group.delete',
      targetType: 'group',
      targetId: id,
      detail: { courseId: group.courseId, name: group.name },
    });
    return { ok: true as const, id, courseId: group.courseId };
  },
});
