import 'server-only';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, type DB, type Tx } from '@/db';
import { allPrepared, idList } from './statements';
import { inIds } from '@/db/sql-kit';
import { courseManagedBy } from '@/db/queries/scope';
import { reflections, reflectionTags, tags, type ReflectionStatus } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';

// What every part of the review desk shares: which reflections it sees at all (handed in, of a
// course this viewer manages) and the tags shown beside them. Drafts are the cadre's private
// working copy and never appear on the desk; another course's reflection is "not found".

export const HANDED_IN: ReflectionStatus[] = ['submitted', 'returned', 'approved'];

export type Reader = DB | Tx;

export interface TagRef {
  id: number;
  name: string;
}

export async function tagsOf(db: Reader, reflectionIds: number[]): Promise<Map<number, TagRef[]>> {
  const out = new Map<number, TagRef[]>();
  if (reflectionIds.length === 0) return out;
  // Prepared once (statements.ts) when read outside a transaction, as the queue's pages do.
  const rows =
    db === getDb()
      ? await allPrepared<{ reflectionId: number; id: number; name: string }>(
          'review:tags-of',
          () =>
            sql`select ${reflectionTags.reflectionId} as "reflectionId", ${tags.id} as id, ${tags.name} as name
                from ${reflectionTags} join ${tags} on ${tags.id} = ${reflectionTags.tagId}
                where ${inIds(reflectionTags.reflectionId, sql.placeholder('ids'))}
                order by ${tags.name} asc`,
          { ids: idList(reflectionIds) },
        )
      : await db
          .select({ reflectionId: reflectionTags.reflectionId, id: tags.id, name: tags.name })
          .from(reflectionTags)
          .innerJoin(tags, eq(tags.id, reflectionTags.tagId))
          .where(inArray(reflectionTags.reflectionId, reflectionIds))
          .orderBy(asc(tags.name))
          .all();
  for (const { reflectionId, ...t } of rows) {
    const list = out.get(reflectionId);
    if (list) list.push(t);
    else out.set(reflectionId, [t]);
  }
  return out;
}

export interface ScopedRow {
  id: number;
  courseId: number;
  assignmentId: number;
  authorId: number;
  title: string;
  status: ReflectionStatus;
  revision: number;
  versionCount: number;
  excellent: boolean;
}

/** The reflection when this viewer manages its course and it has been handed in; notFound() otherwise. */
export async function reviewableReflection(tx: Reader, viewer: Viewer, id: number): Promise<ScopedRow> {
  const row = await tx
    .select({
      id: reflections.id,
      courseId: reflections.courseId,
      assignmentId: reflections.assignmentId,
      authorId: reflections.authorId,
      title: reflections.title,
      status: reflections.status,
      revision: reflections.revision,
      versionCount: reflections.versionCount,
      excellent: reflections.excellent,
    })
    .from(reflections)
    .where(and(eq(reflections.id, id), courseManagedBy(viewer, reflections.courseId), inArray(reflections.status, HANDED_IN)))
    .get();
  if (!row) notFound();
  return row;
}
