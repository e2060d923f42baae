import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { expectedMemberSql } from '@/db/queries/expected';
import { countWhere, indexedBy } from '@/db/sql-kit';
import { courseManagedBy } from '@/db/queries/scope';
import { courses } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';

// 统计总览: one line of figures per course the viewer manages (an admin: every course), each in
// three grouped reads (members, expected pairs, and one walk of a covering index of reflections).
// The same rules as the course page (db/queries/statistics/course.ts): current members only,
// expected by db/queries/expected.ts.

export interface CourseOverviewRow {
  id: number;
  name: string;
  archived: boolean;
  members: number;
  expected: number;
  submitted: number;
  late: number;
  missing: number;
  approved: number;
  excellent: number;
  words: number;
}

export async function listCourseOverview(viewer: Viewer): Promise<CourseOverviewRow[]> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const scope = courseManagedBy(viewer, courses.id);
  const list = await db
    .select({ id: courses.id, name: courses.name, archived: courses.archived })
    .from(courses)
    .where(scope)
    .orderBy(courses.archived, sql`${courses.startsOn} desc`, courses.id)
    .all();
  if (list.length === 0) return [];
  const ids = sql.join(
    list.map((c) => sql`${c.id}`),
    sql`, `,
  );
  const byCourse = <T extends { courseId: number }>(rows: T[]) => new Map(rows.map((r) => [r.courseId, r]));
  const members = byCourse(
    await db.all<{ courseId: number; n: number }>(sql`select course_id as "courseId", count(*) as n from course_members where course_id in (${ids}) group by course_id`),
  );
  const expected = byCourse(
    await db.all<{ courseId: number; n: number }>(sql`select a.course_id as "courseId", count(*) as n
      from assignments a join course_members m on m.course_id = a.course_id
      where a.course_id in (${ids}) and ${expectedMemberSql('m', 'a')} group by a.course_id`),
  );
  // One walk of reflections_course_stats_idx (never the rows with their bodies): the handed-in
  // figures, and how many of them an expected member wrote, so that missing = expected − those.
  const handed = byCourse(
    await db.all<{ courseId: number; submitted: number; late: number; approved: number; excellent: number; words: number; ofExpected: number }>(sql`select
        r.course_id as "courseId", count(*) as submitted, ${countWhere(sql`r.late`)} as late, ${countWhere(sql`r.status = 'approved'`)} as approved,
        ${countWhere(sql`r.excellent`)} as excellent, sum(r.char_count) as words, ${countWhere(expectedMemberSql('m', 'a'))} as "ofExpected"
      from reflections r ${indexedBy('reflections_course_stats_idx')}
      join course_members m on m.course_id = r.course_id and m.user_id = r.author_id
      join assignments a on a.id = r.assignment_id
      where r.course_id in (${ids}) and r.status in ('submitted', 'returned', 'approved') group by r.course_id`),
  );
  return list.map((c) => {
    const h = handed.get(c.id);
    const e = expected.get(c.id);
    return {
      ...c,
      members: members.get(c.id)?.n ?? 0,
      expected: e?.n ?? 0,
      missing: (e?.n ?? 0) - (h?.ofExpected ?? 0),
      submitted: h?.submitted ?? 0,
      late: h?.late ?? 0,
      approved: h?.approved ?? 0,
      excellent: h?.excellent ?? 0,
      words: h?.words ?? 0,
    };
  });
}
