import { changesOf } from '@/db';
import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { getDb, type DB, type Tx } from '@/db';
import { reflections, users } from '@/db/schema';
import { segmentForIndex } from '@/lib/search/segment';
import { isPostgres } from '@/db/dialect';
import * as pgSearch from '@/db/pg/search';
import type { PgDb } from '@/db/pg/search';

// On PostgreSQL the index is db/pg/search.ts's tsvector table (issue 16 step 3): each function
// below hands over to its twin there.
const onPg = (db: Tx | DB) => db as unknown as PgDb;

// Writing the search index (reflections_fts). Kept apart from the search itself so that
// scripts (start, seed) can call it without loading Next's request-time modules.

/** The author as indexed: the name as one token (so 王建华 finds it) and its jieba words. */
function authorTokens(name: string): string {
  const whole = name.replace(/\s+/gu, '');
  return whole ? `${whole} ${segmentForIndex(whole)}` : '';
}

/**
 * Makes the index row of one reflection agree with its current title, body, author and status:
 * replaced when it has been handed in, removed when it is a draft or gone. Call it inside the
 * transaction that made the change, after the change.
 */
export async function indexReflection(tx: Tx | DB, reflectionId: number): Promise<void> {
  if (isPostgres()) return pgSearch.indexReflection(onPg(tx), reflectionId);
  const row = await tx
    .select({ title: reflections.title, body: reflections.body, status: reflections.status, author: users.name })
    .from(reflections)
    .innerJoin(users, eq(users.id, reflections.authorId))
    .where(eq(reflections.id, reflectionId))
    .get();
  await tx.run(sql`delete from reflections_fts where rowid = ${reflectionId}`);
  if (!row || row.status === 'draft') return;
  await tx.run(
    sql`insert into reflections_fts (rowid, title, body, author)
        values (${reflectionId}, ${segmentForIndex(row.title)}, ${segmentForIndex(row.body)}, ${authorTokens(row.author)})`,
  );
}

/** Re-indexes every reflection of one author: their 姓名 is indexed, so a rename must follow. */
export async function reindexAuthor(tx: Tx | DB, authorId: number): Promise<void> {
  if (isPostgres()) return pgSearch.reindexAuthor(onPg(tx), authorId);
  for (const r of await tx.select({ id: reflections.id }).from(reflections).where(eq(reflections.authorId, authorId)).all()) {
    await indexReflection(tx, r.id);
  }
}

/** Takes a reflection out of the index (before deleting it, or when it goes back to draft). */
export async function removeFromIndex(tx: Tx | DB, reflectionId: number): Promise<void> {
  if (isPostgres()) return pgSearch.removeFromIndex(onPg(tx), reflectionId);
  await tx.run(sql`delete from reflections_fts where rowid = ${reflectionId}`);
}

/**
 * Indexes every handed-in reflection that the index lacks, and drops index rows whose
 * reflection is gone or a draft; rows already there are left as they are. Runs in batches
 * so that a large backlog does not hold the write lock for long. Returns what it did.
 */
export async function ensureSearchIndex(batch = 500): Promise<{ added: number; removed: number }> {
  const db = getDb();
  if (isPostgres()) return pgSearch.ensureSearchIndex(onPg(db), batch);
  const removed = changesOf((await db.run(
    sql`delete from reflections_fts where rowid not in (select id from reflections where status != 'draft')`,
  )));
  let added = 0;
  for (;;) {
    const ids = (await db
      .all<{ id: number }>(
        sql`select r.id from reflections r
            where r.status != 'draft' and not exists (select 1 from reflections_fts f where f.rowid = r.id)
            order by r.id limit ${batch}`,
      ))
      .map((r) => r.id);
    if (ids.length === 0) break;
    await db.transaction(async (tx) => {
      for (const id of ids) await indexReflection(tx, id);
    });
    added += ids.length;
  }
  return { added, removed };
}
