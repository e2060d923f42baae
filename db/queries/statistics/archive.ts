import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/db';
import type { ReflectionStatus } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { idSchema } from '@/lib/validation/common';

// 学习档案: one cadre's record on one printable page — what they handed in, the decisions and
// 评语 on it, 优秀, and where it was printed in a published 简报. Who may read it: the cadre
// (their own, 评语 only, never internal notes); an organizer, for the courses they run in which
// the cadre is enrolled (nothing from other courses); an admin, everything. Anyone else gets
// the same notFound() as for an absent person.

export const archiveSchema = z.object({ userId: idSchema });

export interface ArchiveCommentDto {
  decision: 'approve' | 'return' | null;
  body: string;
  internal: boolean;
  authorName: string | null;
  version: number | null;
  createdAt: Date;
}

export interface ArchiveReflectionDto {
  id: number;
  courseName: string;
  meetingTitle: string;
  assignmentTitle: string;
  title: string;
  status: ReflectionStatus;
  submittedAt: Date | null;
  late: boolean;
  excellent: boolean;
  charCount: number;
  versionCount: number;
  comments: ArchiveCommentDto[];
  bulletins: { number: number; title: string; issuedOn: string }[];
}

export interface ArchiveDto {
  person: { id: number; name: string; title: string; unitPath: string };
  ownView: boolean;
  counts: { submitted: number; late: number; approved: number; excellent: number; words: number; inBulletins: number; returns: number };
  reflections: ArchiveReflectionDto[];
}

/** Which courses' records this viewer may see of this person; null for all (admin, self). */
async function visibleCourses(viewer: Viewer, userId: number): Promise<SQL | null | 'none'> {
  if (viewer.role === 'admin') return null;
  if (viewer.role === 'cadre') return viewer.id === userId ? null : 'none';
  if (viewer.role !== 'organizer') return 'none';
  const shared = await getDb().get<{ n: number }>(sql`select count(*) as n from course_members m
      join course_organizers o on o.course_id = m.course_id
      where m.user_id = ${userId} and o.user_id = ${viewer.id}`);
  if (!shared?.n) return 'none';
  return sql`r.course_id in (select o.course_id from course_organizers o where o.user_id = ${viewer.id})`;
}

export async function getLearningArchive(viewer: Viewer, input: z.input<typeof archiveSchema>): Promise<ArchiveDto> {
  const { userId } = archiveSchema.parse(input);
  const scope = await visibleCourses(viewer, userId);
  if (scope === 'none') notFound();
  const db = getDb();
  const person = await db.get<{ id: number; name: string; title: string; unitId: number | null; role: string }>(
    sql`select id, name, title, unit_id as "unitId", role from users where id = ${userId}`,
  );
  if (!person || person.role !== 'cadre') notFound();
  const unitPath = person.unitId
    ? (await db
        .all<{ name: string }>(sql`with recursive up(id, name, parent_id, depth) as (
            select id, name, parent_id, 0 from units where id = ${person.unitId}
            union all select u.id, u.name, u.parent_id, up.depth + 1 from units u join up on u.id = up.parent_id where up.depth < 32
          ) select name from up order by depth desc`))
        .map((r) => r.name)
        .join('/')
    : '';
  const rows = await db.all<{
    id: number;
    courseName: string;
    meetingTitle: string;
    assignmentTitle: string;
    title: string;
    status: ReflectionStatus;
    submittedAt: number | null;
    late: number;
    excellent: number;
    charCount: number;
    versionCount: number;
  }>(sql`select r.id, c.name as "courseName", mt.title as "meetingTitle", a.title as "assignmentTitle", r.title, r.status,
      r.submitted_at as "submittedAt", r.late, r.excellent, r.char_count as "charCount", r.version_count as "versionCount"
    from reflections r join assignments a on a.id = r.assignment_id join meetings mt on mt.id = a.meeting_id
    join courses c on c.id = r.course_id
    where r.author_id = ${userId} and r.status in ('submitted', 'returned', 'approved') ${scope ? sql`and ${scope}` : sql``}
    order by c.starts_on, c.id, a.due_at, a.id`);
  const ids = rows.map((r) => r.id);
  const inList = ids.length ? sql.join(ids.map((id) => sql`${id}`), sql`, `) : sql`null`;
  const ownView = viewer.id === userId;
  const comments = await db.all<{ reflectionId: number; decision: 'approve' | 'return' | null; body: string; internal: number; authorName: string | null; version: number | null; createdAt: number }>(
    sql`select rc.reflection_id as "reflectionId", rc.decision, rc.body, rc.internal, u.name as "authorName", rc.version, rc.created_at as "createdAt"
      from reflection_comments rc left join users u on u.id = rc.author_id
      where rc.reflection_id in (${inList}) ${ownView || viewer.role === 'cadre' ? sql`and not rc.internal` : sql``}
      order by rc.created_at, rc.id`,
  );
  const bulletins = await db.all<{ reflectionId: number; number: number; title: string; issuedOn: string }>(
    sql`select distinct bi.reflection_id as "reflectionId", b.number, b.title, b.issued_on as "issuedOn"
      from bulletin_items bi join bulletins b on b.id = bi.bulletin_id
      where bi.reflection_id in (${inList}) and b.status = 'published' order by b.number`,
  );
  const reflections: ArchiveReflectionDto[] = rows.map((r) => ({
    ...r,
    submittedAt: r.submittedAt === null ? null : new Date(r.submittedAt),
    late: !!r.late,
    excellent: !!r.excellent,
    comments: comments
      .filter((c) => c.reflectionId === r.id && (c.body.trim() || c.decision))
      .map((c) => ({ decision: c.decision, body: c.body, internal: !!c.internal, authorName: c.authorName, version: c.version, createdAt: new Date(c.createdAt) })),
    bulletins: bulletins.filter((b) => b.reflectionId === r.id).map((b) => ({ number: b.number, title: b.title, issuedOn: b.issuedOn })),
  }));
  return {
    person: { id: person.id, name: person.name, title: person.title, unitPath },
    ownView,
    counts: {
      submitted: reflections.length,
      late: reflections.filter((r) => r.late).length,
      approved: reflections.filter((r) => r.status === 'approved').length,
      excellent: reflections.filter((r) => r.excellent).length,
      words: reflections.reduce((a, r) => a + r.charCount, 0),
      inBulletins: reflections.filter((r) => r.bulletins.length > 0).length,
      returns: reflections.reduce((a, r) => a + r.comments.filter((c) => c.decision === 'return').length, 0),
    },
    reflections,
  };
}
