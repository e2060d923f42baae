import 'server-only';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/db';
import { expectedMemberSql } from '@/db/queries/expected';
import { courseManagedBy } from '@/db/queries/scope';
import { courses } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { idSchema } from '@/lib/validation/common';

// The lists behind the statistics' 学员, 应交 and 未交 figures: who they are, by the same rules
// and the same filters (集中学习, 单位 with its sub-units, 讨论小组). Reflections behind the
// other figures are listed by the review queue with its query-string filters.

export const PEOPLE_KINDS = ['members', 'expected', 'missing'] as const;
export type PeopleKind = (typeof PEOPLE_KINDS)[number];
export const PEOPLE_KIND_LABELS: Record<PeopleKind, string> = { members: '学员', expected: '应交', missing: '未交' };

const optionalId = idSchema.optional().catch(undefined);
export const statisticsPeopleSchema = z.object({
  courseId: idSchema,
  kind: z.enum(PEOPLE_KINDS).catch('members'),
  meeting: optionalId,
  unit: optionalId,
  group: optionalId,
});

export interface PersonRow {
  userId: number;
  name: string;
  title: string;
  unitName: string;
  groupName: string;
  /** For 应交 and 未交: which assignment. */
  assignmentTitle: string | null;
  meetingTitle: string | null;
  handedIn: boolean | null;
}

export interface StatisticsPeopleDto {
  course: { id: number; name: string };
  kind: PeopleKind;
  filterLabels: string[];
  rows: PersonRow[];
}

export async function listStatisticsPeople(viewer: Viewer, input: z.input<typeof statisticsPeopleSchema>): Promise<StatisticsPeopleDto> {
  assertRole(viewer, 'organizer', 'admin');
  const f = statisticsPeopleSchema.parse(input);
  const db = getDb();
  const course = await db
    .select({ id: courses.id, name: courses.name })
    .from(courses)
    .where(and(eq(courses.id, f.courseId), courseManagedBy(viewer, courses.id)))
    .get();
  if (!course) notFound();
  const labels: string[] = [];
  const where: SQL[] = [sql`m.course_id = ${course.id}`];
  if (f.unit) {
    where.push(sql`u.unit_id in (with recursive below(id, depth) as (
        select id, 0 from units where id = ${f.unit}
        union all select c.id, below.depth + 1 from units c join below on c.parent_id = below.id where below.depth < 32
      ) select id from below)`);
    const name = (await db.get<{ name: string }>(sql`select name from units where id = ${f.unit}`))?.name;
    if (name) labels.push(`单位：${name}（含下级单位）`);
  }
  if (f.group) {
    where.push(sql`m.group_id = ${f.group}`);
    const name = (await db.get<{ name: string }>(sql`select name from course_groups where id = ${f.group} and course_id = ${course.id}`))?.name;
    if (name) labels.push(`讨论小组：${name}`);
  }
  const base = sql`select u.id as "userId", u.name as name, u.title as title, coalesce(un.name, '') as "unitName",
      coalesce(g.name, '') as "groupName"`;
  const joins = sql`from course_members m join users u on u.id = m.user_id
      left join units un on un.id = u.unit_id left join course_groups g on g.id = m.group_id`;
  let rows: PersonRow[];
  if (f.kind === 'members') {
    rows = (await db
      .all<Omit<PersonRow, 'assignmentTitle' | 'meetingTitle' | 'handedIn'>>(sql`${base} ${joins} where ${sql.join(where, sql` and `)} order by un.name, u.name, u.id`))
      .map((r) => ({ ...r, assignmentTitle: null, meetingTitle: null, handedIn: null }));
  } else {
    if (f.meeting) {
      where.push(sql`a.meeting_id = ${f.meeting}`);
      const name = (await db.get<{ title: string }>(sql`select title from meetings where id = ${f.meeting} and course_id = ${course.id}`))?.title;
      if (name) labels.push(`集中学习：${name}`);
    }
    const handed = sql`exists (select 1 from reflections r where r.assignment_id = a.id and r.author_id = m.user_id
        and r.status in ('submitted', 'returned', 'approved'))`;
    if (f.kind === 'missing') where.push(sql`not ${handed}`);
    rows = (await db
      .all<Omit<PersonRow, 'handedIn'> & { handedIn: number }>(sql`${base}, a.title as "assignmentTitle", mt.title as "meetingTitle",
          ${handed} as "handedIn"
        ${joins} join assignments a on a.course_id = m.course_id join meetings mt on mt.id = a.meeting_id
        where ${sql.join(where, sql` and `)} and ${expectedMemberSql('m', 'a')}
        order by mt.starts_at, a.due_at, a.id, un.name, u.name, u.id`))
      .map((r) => ({ ...r, handedIn: !!r.handedIn }));
  }
  return { course, kind: f.kind, filterLabels: labels, rows };
}
