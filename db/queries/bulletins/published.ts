import 'server-only';
import { and, desc, eq, gt, ne, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, type DB, type Tx } from '@/db';
import { courseVisibleTo } from '@/db/queries/scope';
import { jsonText, qualified } from '@/db/sql-kit';
import { bulletinRevisions, bulletins, courses } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import type { BulletinContent } from '@/lib/bulletin/format';
import { contentOf, editDto, managedBulletin, type BulletinRevisionDto } from './shared';

// What members of a course read (published revisions only), and what any viewer may export.

/** What members may read: published at least once and not withdrawn (a correction in progress still shows the last revision). */
function readableByMembers(): SQL {
  return and(gt(bulletins.publishedRevision, 0), ne(bulletins.status, 'unpublished')) as SQL;
}

export interface MyBulletinListItemDto {
  id: number;
  courseName: string;
  number: number;
  title: string;
  issuedOn: string;
  publishedRevision: number;
  publishedAt: Date | null;
}

/** The published bulletins of the courses the cadre is a member of, newest first. */
export async function listMyBulletins(viewer: Viewer): Promise<MyBulletinListItemDto[]> {
  assertRole(viewer, 'cadre');
  return await getDb()
    .select({
      id: bulletins.id,
      courseName: courses.name,
      number: bulletins.number,
      title: sql<string>`(select ${jsonText(sql`r.snapshot`, 'title')} from bulletin_revisions r
        where r.bulletin_id = ${qualified(bulletins.id)} and r.revision_no = ${qualified(bulletins.publishedRevision)})`,
      issuedOn: bulletins.issuedOn,
      publishedRevision: bulletins.publishedRevision,
      publishedAt: bulletins.publishedAt,
    })
    .from(bulletins)
    .innerJoin(courses, eq(courses.id, bulletins.courseId))
    .where(and(readableByMembers(), courseVisibleTo(viewer, bulletins.courseId)))
    .orderBy(desc(bulletins.publishedAt), desc(bulletins.id))
    .all();
}

export interface PublishedBulletinDto {
  id: number;
  revisionNo: number;
  latestRevision: number;
  content: BulletinContent;
  publishedAt: Date;
  note: string;
  revisions: BulletinRevisionDto[];
}

async function publishedDto(tx: DB | Tx, row: typeof bulletins.$inferSelect, revision?: number): Promise<PublishedBulletinDto> {
  const revisionNo = revision ?? row.publishedRevision;
  const rev = await tx
    .select()
    .from(bulletinRevisions)
    .where(and(eq(bulletinRevisions.bulletinId, row.id), eq(bulletinRevisions.revisionNo, revisionNo)))
    .get();
  if (!rev) notFound();
  const revisions = await tx
    .select({ revisionNo: bulletinRevisions.revisionNo, note: bulletinRevisions.note, publishedAt: bulletinRevisions.publishedAt, publishedBy: sql<string | null>`null` })
    .from(bulletinRevisions)
    .where(eq(bulletinRevisions.bulletinId, row.id))
    .orderBy(desc(bulletinRevisions.revisionNo))
    .all();
  return {
    id: row.id,
    revisionNo,
    latestRevision: row.publishedRevision,
    content: JSON.parse(rev.snapshot) as BulletinContent,
    publishedAt: rev.publishedAt,
    note: rev.note,
    revisions,
  };
}

/** One published bulletin for a member of its course: the latest revision or an earlier one. */
export async function getMyBulletin(viewer: Viewer, { id, revision }: { id: number; revision?: number }): Promise<PublishedBulletinDto> {
  assertRole(viewer, 'cadre');
  const db = getDb();
  const row = await db
    .select()
    .from(bulletins)
    .where(and(eq(bulletins.id, id), readableByMembers(), courseVisibleTo(viewer, bulletins.courseId)))
    .get();
  if (!row) notFound();
  return await publishedDto(db, row, revision);
}

/**
 * The content to export for this viewer: organizers get the bulletin as it stands (or a
 * published revision), members only a published revision of their own course.
 */
export async function bulletinContentForExport(viewer: Viewer, { id, revision }: { id: number; revision?: number }): Promise<BulletinContent> {
  if (viewer.role === 'cadre') return (await getMyBulletin(viewer, { id, revision })).content;
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const row = await managedBulletin(db, viewer, id);
  if (revision !== undefined) return (await publishedDto(db, row, revision)).content;
  return contentOf(await editDto(db, row));
}
