import 'server-only';
import { inArray } from 'drizzle-orm';
import type { DB, Tx } from '@/db';
import { UNIT_MAX_DEPTH } from '@/db/queries/units';
import { courseGroups, courseMembers, courseOrganizers, courses, units, users } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { cleanText, planRoster, type Enrollment, type RosterPlan, type RosterSnapshot } from '@/lib/roster/plan';
import type { RosterTable } from '@/lib/roster/table';

// The database as the roster planner sees it, shared by the preview and the commit (which plans
// again inside its transaction and compares digests).

export const STALE_MESSAGE = '预览之后，名单涉及的账号、单位或读书班已有变化，请重新预览后再确认';

export const invalidMessage = (n: number) => `名单中还有 ${n} 处错误，请修改文件后重新上传`;

export function enrollmentText(e: Enrollment | null): string {
  if (!e) return '';
  if (e.as === 'organizer') return `${e.courseName}（组织者）`;
  if (!e.groupName) return e.courseName;
  return `${e.courseName} / ${e.groupName}${e.leads ? '（组长）' : ''}`;
}

async function loadSnapshot(db: DB | Tx, table: RosterTable): Promise<RosterSnapshot> {
  const userRows = await db
    .select({
      id: users.id,
      username: users.username,
      name: users.name,
      title: users.title,
      unitId: users.unitId,
      role: users.role,
      phone: users.phone,
      active: users.active,
    })
    .from(users)
    .all();
  const courseRows = await db.select({ id: courses.id, name: courses.name, archived: courses.archived }).from(courses).all();
  // Memberships matter only for the courses the file names.
  const named = new Set(table.records.map((r) => cleanText(r.values.course)).filter(Boolean));
  const courseIds = courseRows.filter((c) => named.has(cleanText(c.name))).map((c) => c.id);
  const members = new Map<string, number | null>();
  const organizers = new Set<string>();
  let groups: RosterSnapshot['groups'] = [];
  if (courseIds.length > 0) {
    for (const m of await db
      .select({ courseId: courseMembers.courseId, userId: courseMembers.userId, groupId: courseMembers.groupId })
      .from(courseMembers)
      .where(inArray(courseMembers.courseId, courseIds))
      .all()) {
      members.set(`${m.courseId}:${m.userId}`, m.groupId);
    }
    for (const o of await db
      .select({ courseId: courseOrganizers.courseId, userId: courseOrganizers.userId })
      .from(courseOrganizers)
      .where(inArray(courseOrganizers.courseId, courseIds))
      .all()) {
      organizers.add(`${o.courseId}:${o.userId}`);
    }
    groups = await db
      .select({ id: courseGroups.id, courseId: courseGroups.courseId, name: courseGroups.name, leaderId: courseGroups.leaderId })
      .from(courseGroups)
      .where(inArray(courseGroups.courseId, courseIds))
      .all();
  }
  return {
    users: new Map(userRows.map((u) => [u.username, u])),
    units: await db.select({ id: units.id, name: units.name, parentId: units.parentId }).from(units).all(),
    courses: courseRows,
    groups,
    members,
    organizers,
  };
}

/** What importing this table would do, against the database (or transaction) given. */
export async function planAgainst(db: DB | Tx, viewer: Pick<Viewer, 'id'>, table: RosterTable, allowCreateUnits: boolean): Promise<RosterPlan> {
  return planRoster(table, await loadSnapshot(db, table), {
    allowCreateUnits,
    viewerId: viewer.id,
    maxUnitDepth: UNIT_MAX_DEPTH,
  });
}
