import 'server-only';
import { and, asc, count, desc, eq, gt, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { notFound } from 'next/navigation';
import type { z } from 'zod';
import { getDb, type DB, type Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { expectedMemberSql, isExpected, type ClosingRule } from '@/db/queries/expected';
import { pageWindow, qualified, type PageDto } from '@/db/sql-kit';
import { notify } from '@/db/queries/notifications';
import { courseManagedBy } from '@/db/queries/scope';
import {
  assignments,
  auditLog,
  courseGroups,
  courseMembers,
  courses,
  meetings,
  reflections,
  units,
  users,
  type ReflectionStatus,
} from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { escapeCell } from '@/lib/export/escape';
import { deadlineState } from '@/lib/reflection/deadline';
import { formatDateTime } from '@/lib/time';
import { assignmentRefSchema, listTrackerSchema } from '@/lib/validation/review';

// 交稿情况: for one assignment, which enrolled cadres have handed in, late or on time, and who
// has not, by 单位 and by 讨论小组; its .xlsx export; and the in-app reminder to everyone missing.
// Only current members count, as in the course figures. An assignment in a course the viewer
// does not manage is notFound(), never counted.

export const TRACKER_PAGE_SIZE = 25;
/** A second reminder for the same assignment within this long is refused. */
export const REMIND_INTERVAL_MS = 10 * 60_000;

/** not_required: joined after the assignment closed, so not expected (db/queries/expected.ts). */
export type TrackerStatus = 'submitted' | 'late' | 'missing' | 'not_required';

export const TRACKER_STATUS_LABELS: Record<TrackerStatus, string> = {
  submitted: '按时提交',
  late: '逾期提交',
  missing: '未交',
  not_required: '无需提交',
};

export interface TrackerMemberDto {
  userId: number;
  name: string;
  title: string;
  /** 手机, for 催交: the tracker is for the course's organizers and admins only. */
  phone: string | null;
  unitPath: string;
  groupName: string;
  status: TrackerStatus;
  /** The reflection's own state when handed in (已提交, 退回修改, 已通过); a draft is 'missing'. */
  reflectionStatus: ReflectionStatus | null;
  submittedAt: Date | null;
  versionCount: number;
}

export interface TrackerCounts {
  total: number;
  submitted: number;
  late: number;
  missing: number;
  /** Handed in (on time or late) out of total, 0–1; 0 when there is nobody. */
  rate: number;
}

export interface TrackerGroupDto extends TrackerCounts {
  label: string;
}

export interface TrackerDto {
  assignment: { id: number; title: string; dueAt: Date; cutoffAt: Date | null; allowLate: boolean };
  course: { id: number; name: string; archived: boolean };
  meeting: { id: number; title: string };
  members: TrackerMemberDto[];
  totals: TrackerCounts;
  byUnit: TrackerGroupDto[];
  byGroup: TrackerGroupDto[];
  lastReminder: { at: Date; count: number; by: string | null } | null;
}

export const NO_UNIT = '（未填单位）';
export const NO_GROUP = '（未分组）';

/** Counts of the expected members: those with nothing to hand in are in the list but not in the counts. */
function countsOf(members: { status: TrackerStatus }[]): TrackerCounts {
  const c = { total: 0, submitted: 0, late: 0, missing: 0, rate: 0 };
  for (const m of members) {
    if (m.status === 'not_required') continue;
    c.total += 1;
    c[m.status] += 1;
  }
  c.rate = c.total === 0 ? 0 : (c.submitted + c.late) / c.total;
  return c;
}

function grouped(members: TrackerMemberDto[], key: (m: TrackerMemberDto) => string): TrackerGroupDto[] {
  const by = new Map<string, TrackerMemberDto[]>();
  for (const m of members) {
    const k = key(m);
    const list = by.get(k);
    if (list) list.push(m);
    else by.set(k, [m]);
  }
  return [...by.entries()]
    .map(([label, list]) => ({ label, ...countsOf(list) }))
    .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
}

/** 单位 paths for every unit, from one read of the (small) unit tree. */
async function unitPaths(db: DB | Tx): Promise<Map<number, string>> {
  const rows = await db.select({ id: units.id, name: units.name, parentId: units.parentId }).from(units).all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<number, string>();
  const pathOf = (id: number): string => {
    const known = out.get(id);
    if (known !== undefined) return known;
    const names: string[] = [];
    let at = byId.get(id);
    for (let depth = 0; at && depth < 32; depth++) {
      names.unshift(at.name);
      at = at.parentId === null ? undefined : byId.get(at.parentId);
    }
    const p = names.join('/');
    out.set(id, p);
    return p;
  };
  for (const r of rows) pathOf(r.id);
  return out;
}

async function managedAssignment(db: DB | Tx, viewer: Viewer, assignmentId: number) {
  const row = await db
    .select({
      id: assignments.id,
      title: assignments.title,
      dueAt: assignments.dueAt,
      cutoffAt: assignments.cutoffAt,
      allowLate: assignments.allowLate,
      courseId: courses.id,
      courseName: courses.name,
      courseArchived: courses.archived,
      meetingId: meetings.id,
      meetingTitle: meetings.title,
    })
    .from(assignments)
    .innerJoin(courses, eq(courses.id, assignments.courseId))
    .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
    .where(and(eq(assignments.id, assignmentId), courseManagedBy(viewer, assignments.courseId)))
    .get();
  if (!row) notFound();
  return row;
}

/** Current members of the assignment's course with where each stands on it, by 单位 then name. */
async function memberRows(db: DB | Tx, a: { id: number; courseId: number } & ClosingRule): Promise<TrackerMemberDto[]> {
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      title: users.title,
      phone: users.phone,
      unitId: users.unitId,
      groupName: courseGroups.name,
      groupOrder: courseGroups.sortOrder,
      reflectionStatus: reflections.status,
      late: reflections.late,
      submittedAt: reflections.submittedAt,
      versionCount: reflections.versionCount,
      enrolledAt: courseMembers.enrolledAt,
    })
    .from(courseMembers)
    .innerJoin(users, eq(users.id, courseMembers.userId))
    .leftJoin(courseGroups, eq(courseGroups.id, courseMembers.groupId))
    .leftJoin(reflections, and(eq(reflections.assignmentId, a.id), eq(reflections.authorId, courseMembers.userId)))
    .where(eq(courseMembers.courseId, a.courseId))
    .all();
  const paths = await unitPaths(db);
  const members = rows.map((r): TrackerMemberDto => {
    const handedIn = r.reflectionStatus !== null && r.reflectionStatus !== 'draft';
    return {
      userId: r.userId,
      name: r.name,
      title: r.title,
      phone: r.phone,
      unitPath: (r.unitId !== null ? paths.get(r.unitId) : undefined) || NO_UNIT,
      groupName: r.groupName ?? NO_GROUP,
      status: handedIn ? (r.late ? 'late' : 'submitted') : isExpected(a, r.enrolledAt) ? 'missing' : 'not_required',
      reflectionStatus: handedIn ? r.reflectionStatus : null,
      submittedAt: handedIn ? r.submittedAt : null,
      versionCount: handedIn ? (r.versionCount ?? 0) : 0,
    };
  });
  const order: Record<TrackerStatus, number> = { missing: 0, late: 1, submitted: 2, not_required: 3 };
  return members.sort(
    (x, y) =>
      order[x.status] - order[y.status] ||
      x.unitPath.localeCompare(y.unitPath, 'zh-CN') ||
      x.name.localeCompare(y.name, 'zh-CN') ||
      x.userId - y.userId,
  );
}

async function lastReminder(db: DB | Tx, assignmentId: number) {
  const row = await db
    .select({ at: auditLog.at, detail: auditLog.detail, by: auditLog.actorUsername })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'reflection.remind'), eq(auditLog.targetType, 'assignment'), eq(auditLog.targetId, String(assignmentId))))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(1)
    .get();
  if (!row) return null;
  let n = 0;
  try {
    n = Number((JSON.parse(row.detail ?? '{}') as { count?: unknown }).count) || 0;
  } catch {
    n = 0;
  }
  return { at: row.at, count: n, by: row.by };
}

/** 交稿情况 of one assignment in a course this viewer manages. */
export async function getAssignmentTracker(viewer: Viewer, input: z.input<typeof assignmentRefSchema>): Promise<TrackerDto> {
  assertRole(viewer, 'organizer', 'admin');
  const { assignmentId } = assignmentRefSchema.parse(input);
  const db = getDb();
  const a = await managedAssignment(db, viewer, assignmentId);
  const members = await memberRows(db, a);
  return {
    assignment: { id: a.id, title: a.title, dueAt: a.dueAt, cutoffAt: a.cutoffAt, allowLate: a.allowLate },
    course: { id: a.courseId, name: a.courseName, archived: a.courseArchived },
    meeting: { id: a.meetingId, title: a.meetingTitle },
    members,
    totals: countsOf(members),
    byUnit: grouped(members, (m) => m.unitPath),
    byGroup: grouped(members, (m) => m.groupName),
    lastReminder: await lastReminder(db, a.id),
  };
}

export interface TrackerAssignmentItemDto {
  id: number;
  title: string;
  dueAt: Date;
  course: { id: number; name: string; archived: boolean };
  meetingTitle: string;
  memberCount: number;
  submittedCount: number;
}

/** The assignments of the courses this viewer manages, latest due first, with handed in / members. */
export async function listTrackerAssignments(viewer: Viewer, input: z.input<typeof listTrackerSchema> = {}): Promise<PageDto<TrackerAssignmentItemDto>> {
  assertRole(viewer, 'organizer', 'admin');
  const f = listTrackerSchema.parse(input);
  const db = getDb();
  const where = courseManagedBy(viewer, assignments.courseId);
  const total = (await db.select({ n: count() }).from(assignments).where(where).get())?.n ?? 0;
  const w = pageWindow(total, f.page, TRACKER_PAGE_SIZE);
  const rows = await db
    .select({
      id: assignments.id,
      title: assignments.title,
      dueAt: assignments.dueAt,
      courseId: courses.id,
      courseName: courses.name,
      courseArchived: courses.archived,
      meetingTitle: meetings.title,
      memberCount: sql<number>`(select count(*) from course_members m where m.course_id = ${qualified(assignments.courseId)}
        and ${expectedMemberSql('m', 'assignments')})`,
      submittedCount: sql<number>`(select count(*) from reflections r
        join course_members rm on rm.course_id = r.course_id and rm.user_id = r.author_id
        where r.assignment_id = ${qualified(assignments.id)} and r.status != 'draft')`,
    })
    .from(assignments)
    .innerJoin(courses, eq(courses.id, assignments.courseId))
    .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
    .where(where)
    .orderBy(asc(courses.archived), desc(assignments.dueAt), desc(assignments.id))
    .limit(w.pageSize)
    .offset(w.offset)
    .all();
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      dueAt: r.dueAt,
      course: { id: r.courseId, name: r.courseName, archived: r.courseArchived },
      meetingTitle: r.meetingTitle,
      memberCount: r.memberCount,
      submittedCount: r.submittedCount,
    })),
    total,
    page: w.page,
    pageCount: w.pageCount,
    pageSize: w.pageSize,
  };
}

// ---------------------------------------------------------------------------------------------
// Export

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** The file name for a download: 交稿情况-{assignment}.xlsx, without characters file systems refuse. */
export function trackerFileName(t: Pick<TrackerDto, 'assignment' | 'course'>): string {
  const clean = (s: string) => s.replace(/[\\/:*?"<>|\r\n\t]/gu, '').slice(0, 60);
  return `交稿情况-${clean(t.course.name)}-${clean(t.assignment.title)}.xlsx`;
}

/**
 * The tracker as an .xlsx: every member with their standing, then the counts by 单位 and by
 * 讨论小组. Every text cell is escaped so that a spreadsheet never runs it as a formula.
 */
export async function exportTrackerXlsx(viewer: Viewer, input: z.input<typeof assignmentRefSchema>): Promise<{ buffer: Buffer; fileName: string }> {
  const t = await getAssignmentTracker(viewer, input);
  const wb = new ExcelJS.Workbook();
  wb.creator = '学思';
  wb.created = new Date();
  const s = (v: string) => escapeCell(v);

  const list = wb.addWorksheet('名单');
  list.addRow([s(`${t.course.name} · ${t.meeting.title} · ${t.assignment.title}`)]);
  list.addRow([s(`截止时间：${formatDateTime(t.assignment.dueAt)}  应交 ${t.totals.total} 人，按时 ${t.totals.submitted} 人，逾期 ${t.totals.late} 人，未交 ${t.totals.missing} 人，提交率 ${percent(t.totals.rate)}`)]);
  const header = list.addRow(['姓名', '职务', '单位', '讨论小组', '状态', '提交时间', '版本数']);
  header.font = { bold: true };
  for (const m of t.members) {
    list.addRow([
      s(m.name),
      s(m.title),
      s(m.unitPath),
      s(m.groupName),
      TRACKER_STATUS_LABELS[m.status],
      m.submittedAt ? formatDateTime(m.submittedAt) : '',
      m.versionCount,
    ]);
  }
  list.columns.forEach((c, i) => {
    c.width = [10, 28, 28, 14, 10, 18, 8][i] ?? 12;
  });
  list.views = [{ state: 'frozen', ySplit: 3 }];

  for (const [name, rows] of [
    ['按单位', t.byUnit],
    ['按小组', t.byGroup],
  ] as const) {
    const ws = wb.addWorksheet(name);
    const h = ws.addRow([name === '按单位' ? '单位' : '讨论小组', '应交', '按时提交', '逾期提交', '未交', '提交率']);
    h.font = { bold: true };
    for (const g of rows) ws.addRow([s(g.label), g.total, g.submitted, g.late, g.missing, percent(g.rate)]);
    ws.addRow(['合计', t.totals.total, t.totals.submitted, t.totals.late, t.totals.missing, percent(t.totals.rate)]);
    ws.columns.forEach((c, i) => {
      c.width = i === 0 ? 30 : 10;
    });
  }
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer, fileName: trackerFileName(t) };
}

// ---------------------------------------------------------------------------------------------
// Reminders

export type RemindResult = { ok: true; count: number } | Failure;

export const REMIND_NONE_MISSING = '所有学员都已提交，没有需要提醒的人';
export const REMIND_ARCHIVED = '这个读书班已经归档，不能再发提醒';
export const REMIND_CLOSED = '这项任务已截止，学员已不能提交，不发提醒';

/**
 * An in-app reminder to every member who has not handed in, with one audit row, in one
 * transaction. A second reminder for the same assignment within 10 minutes is refused.
 */
export const sendReminders = mutation({
  roles: ['organizer', 'admin'],
  schema: assignmentRefSchema,
  async run(tx, { viewer, request }, { assignmentId }): Promise<RemindResult> {
    const now = new Date();
    const a = await managedAssignment(tx, viewer, assignmentId);
    if (a.courseArchived) return fail('closed', REMIND_ARCHIVED);
    if (deadlineState(a, now).kind === 'closed') return fail('closed', REMIND_CLOSED);
    const recent = await tx
      .select({ at: auditLog.at })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'reflection.remind'),
          eq(auditLog.targetType, 'assignment'),
          eq(auditLog.targetId, String(a.id)),
          gt(auditLog.at, new Date(now.getTime() - REMIND_INTERVAL_MS)),
        ),
      )
      .orderBy(desc(auditLog.at))
      .limit(1)
      .get();
    if (recent) {
      const wait = Math.max(1, Math.ceil((recent.at.getTime() + REMIND_INTERVAL_MS - now.getTime()) / 60_000));
      return fail('too_soon', `${formatDateTime(recent.at)} 已提醒过，10 分钟内不能重复提醒，请 ${wait} 分钟后再试`);
    }
    const missing = (await memberRows(tx, a)).filter((m) => m.status === 'missing');
    if (missing.length === 0) return fail('nothing', REMIND_NONE_MISSING);
    await notify(
      tx,
      missing.map((m) => m.userId),
      {
        kind: 'reminder',
        title: `请提交学习心得：${a.title}`,
        body: `${a.courseName} · ${a.meetingTitle}，截止时间 ${formatDateTime(a.dueAt)}。`,
        link: `/my/assignments/${a.id}`,
      },
    );
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reflection.remind',
      targetType: 'assignment',
      targetId: a.id,
      detail: { courseId: a.courseId, count: missing.length },
    });
    return { ok: true, count: missing.length };
  },
});
