// Full-text search on PostgreSQL (issue 16 step 3, docs/decisions/0017): the twin of the FTS5 index
// (db/queries/search-index.ts) and of the hit and row queries of searchReflections
// (db/queries/search.ts), giving the same hits in the same order.
//
// The table reflections_search (db/migrations-pg/0003_search.sql, written by hand: not in
// db/pg/schema.ts) holds one row per handed-in reflection: its title, body and author segmented
// by jieba in this process, exactly as for FTS5 (segmentForIndex, the author as one word and its
// jieba words), then split into words as FTS5's unicode61 tokenizer splits them (ftsTokens below),
// turned into a tsvector by to_tsvector('simple', …) and found through a GIN index. A query word
// is split the same way; a word of several tokens is a phrase (<->), as it is in FTS5, and every
// word must be there (&). No server-side extension: the segmentation happens here.
//
// Every function takes the database or the transaction it runs in: any drizzle PostgreSQL
// database (node-postgres, pg-proxy …). Call indexReflection inside the transaction that changed
// a reflection's text, author or status, after the change; ensureSearchIndex at start-up.
import { and, desc, eq, inArray, notExists, sql, type SQL } from 'drizzle-orm';
import { customType, integer, pgTable, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { assignments, courseOrganizers, courses, reflections, users } from '@/db/pg/schema';
import type { ReflectionStatus } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { segmentForIndex } from '@/lib/search/segment';

/** A drizzle PostgreSQL database or transaction, whatever its driver and schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the driver's result kind and schema do not matter here
export type PgDb = PgDatabase<PgQueryResultHKT, any, any>;

const tsvector = customType<{ data: string; driverData: string }>({ dataType: () => 'tsvector' });

/** The index table (db/migrations-pg/0003_search.sql). */
export const reflectionsSearch = pgTable('reflections_search', {
  reflectionId: integer('reflection_id').primaryKey(),
  document: tsvector('document').notNull(),
});

// ---------------------------------------------------------------------------------------------
// Words

/** One code point, or null when a case mapping gave several. */
const single = (s: string): string | null => (s.length === 1 || (s.length === 2 && s.codePointAt(0)! > 0xffff) ? s : null);

/**
 * A character case-folded as FTS5's unicode61 folds it: Σ, σ and ς are all σ, µ is μ, ſ is s;
 * a character whose mapping is several characters (ß, İ) and the dotless ı stay as they are.
 */
function fold(ch: string): string {
  if (ch === 'ı') return ch;
  const upper = single(ch.toUpperCase());
  return single((upper ?? ch).toLowerCase()) ?? single(ch.toLowerCase()) ?? ch;
}

/**
 * A token as unicode61 sees one: a letter, digit or private-use character, then more of them or of
 * the combining diacritics FTS5 counts as part of a word (grave, acute, circumflex, tilde, macron,
 * breve, dot, diaeresis, hook, ring, caron … above and below: its list); any other mark separates.
 */
const TOKEN = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\u0300-\u0304\u0306-\u030c\u030f\u0311\u031b\u0323-\u0328\u032d\u032e\u0330\u0331]*/gu;

/**
 * Text split as FTS5's `unicode61 remove_diacritics 0` tokenizer splits it
 * (db/migrations/0004_reflections_fts.sql): tokens (TOKEN above), everything else separates, each
 * character case-folded (fold above). Checked against FTS5 itself in db/pg/search.test.ts: the
 * same for every character of the Latin, Greek, Cyrillic, CJK and full-width blocks; FTS5's
 * Unicode tables are older, so letters given a case pair later (Cherokee, Georgian Mtavruli,
 * Osage …) differ.
 */
export function ftsTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    let token = '';
    for (const ch of m[0]) token += fold(ch);
    out.push(token);
  }
  return out;
}

/** The author as indexed (as db/queries/search-index.ts): the name as one word, then its jieba words. */
function authorText(name: string): string {
  const whole = name.replace(/\s+/gu, '');
  return whole ? `${whole} ${segmentForIndex(whole)}` : '';
}

/**
 * Between two columns' words: a lexeme no query can hold (ftsTokens never yields a hyphen), one
 * position long, so that a phrase never runs from the end of the title into the body, as in FTS5,
 * whose phrases stay within a column. (tsvector || shifts the right side past the left's last
 * position: without it the body's first word would follow the title's last.)
 */
export const COLUMN_GAP = '-';

/** The document of one reflection: title, body and author, each segmented then tokenized. */
function documentOf(title: string, body: string, author: string): SQL {
  const part = (text: string) => sql`to_tsvector('simple', ${ftsTokens(text).join(' ')})`;
  const gap = sql`${`'${COLUMN_GAP}':1`}::tsvector`;
  return sql`${part(segmentForIndex(title))} || ${gap} || ${part(segmentForIndex(body))} || ${gap} || ${part(authorText(author))}`;
}

/**
 * The tsquery text (for to_tsquery('simple', …)) finding documents that hold every word:
 * the twin of ftsQuery (lib/search/segment.ts). Each token is quoted (it holds letters, digits
 * and marks only, so nothing a user types is read as query syntax); a word of several tokens is
 * a phrase. null when there is nothing to look for.
 */
export function tsQuery(words: string[]): string | null {
  const parts: string[] = [];
  for (const w of words) {
    const tokens = ftsTokens(w);
    if (tokens.length === 0) continue;
    const phrase = tokens.map((t) => `'${t}'`).join(' <-> ');
    parts.push(tokens.length > 1 ? `(${phrase})` : phrase);
  }
  return parts.length > 0 ? parts.join(' & ') : null;
}

// ---------------------------------------------------------------------------------------------
// Writing the index

/**
 * Makes the index row of one reflection agree with its current title, body, author and status:
 * written when it has been handed in, removed when it is a draft or gone. An upsert, so that two
 * app servers indexing the same reflection at once both succeed (the later commit wins).
 */
export async function indexReflection(db: PgDb, reflectionId: number): Promise<void> {
  const [row] = await db
    .select({ title: reflections.title, body: reflections.body, status: reflections.status, author: users.name })
    .from(reflections)
    .innerJoin(users, eq(users.id, reflections.authorId))
    .where(eq(reflections.id, reflectionId));
  if (!row || row.status === 'draft') {
    await removeFromIndex(db, reflectionId);
    return;
  }
  await db
    .insert(reflectionsSearch)
    .values({ reflectionId, document: documentOf(row.title, row.body, row.author) })
    .onConflictDoUpdate({ target: reflectionsSearch.reflectionId, set: { document: sql`excluded.document` } });
}

/** Re-indexes every reflection of one author: their 姓名 is indexed, so a rename must follow. */
export async function reindexAuthor(db: PgDb, authorId: number): Promise<void> {
  for (const r of await db.select({ id: reflections.id }).from(reflections).where(eq(reflections.authorId, authorId))) {
    await indexReflection(db, r.id);
  }
}

/** Takes a reflection out of the index (before deleting it, or when it goes back to draft). */
export async function removeFromIndex(db: PgDb, reflectionId: number): Promise<void> {
  await db.delete(reflectionsSearch).where(eq(reflectionsSearch.reflectionId, reflectionId));
}

/**
 * Indexes every handed-in reflection that the index lacks (after a copy from SQLite, a restore,
 * an import), and drops index rows of drafts; rows already there are left as they are. In batches,
 * each one INSERT, so that a large backlog holds no long transaction; a row another server wrote
 * meanwhile is kept (it is at least as new). Returns what it did.
 */
export async function ensureSearchIndex(db: PgDb, batch = 500): Promise<{ added: number; removed: number }> {
  const removed = (
    await db
      .delete(reflectionsSearch)
      .where(sql`${reflectionsSearch.reflectionId} not in (select ${reflections.id} from ${reflections} where ${reflections.status} != 'draft')`)
      .returning({ id: reflectionsSearch.reflectionId })
  ).length;
  let added = 0;
  for (;;) {
    const rows = await db
      .select({ id: reflections.id, title: reflections.title, body: reflections.body, author: users.name })
      .from(reflections)
      .innerJoin(users, eq(users.id, reflections.authorId))
      .where(
        and(
          sql`${reflections.status} != 'draft'`,
          notExists(db.select({ one: sql`1` }).from(reflectionsSearch).where(eq(reflectionsSearch.reflectionId, reflections.id))),
        ),
      )
      .orderBy(reflections.id)
      .limit(batch);
    if (rows.length === 0) break;
    const written = await db
      .insert(reflectionsSearch)
      .values(rows.map((r) => ({ reflectionId: r.id, document: documentOf(r.title, r.body, r.author) })))
      .onConflictDoNothing({ target: reflectionsSearch.reflectionId })
      .returning({ id: reflectionsSearch.reflectionId });
    added += written.length;
  }
  return { added, removed };
}

// ---------------------------------------------------------------------------------------------
// Searching: the queries of searchReflections (db/queries/search.ts)

export interface SearchScope {
  role: Viewer['role'];
  viewerId: number;
  /** The course filter (already checked with managesCourse), or undefined for every managed course. */
  courseId?: number;
}

/** The courses a role manages, as managedCourse (db/queries/review/statements.ts) says it. */
function managed(scope: SearchScope, courseId: SQL | typeof reflections.courseId): SQL {
  if (scope.role === 'admin') return sql`true`;
  if (scope.role !== 'organizer') return sql`false`;
  return sql`${courseId} in (select ${courseOrganizers.courseId} from ${courseOrganizers} where ${courseOrganizers.userId} = ${scope.viewerId})`;
}

/** True when the course exists and this viewer manages it (else searchReflections is notFound()). */
export async function managesCourse(db: PgDb, scope: SearchScope & { courseId: number }): Promise<boolean> {
  const rows = await db
    .select({ id: courses.id })
    .from(courses)
    .where(and(eq(courses.id, scope.courseId), managed(scope, sql`${courses.id}`)));
  return rows.length > 0;
}

/**
 * The ids of the handed-in reflections in scope holding every word, newest first (by id, as
 * FTS5's rowid order), at most `limit` (searchReflections asks for SEARCH_RESULT_CAP + 1: the
 * count, the 以上 and the page come from this one list). [] when the words hold nothing to look for.
 */
export async function searchHitIds(db: PgDb, scope: SearchScope, words: string[], limit: number): Promise<number[]> {
  const query = tsQuery(words);
  if (!query) return [];
  const rows = await db
    .select({ id: reflectionsSearch.reflectionId })
    .from(reflectionsSearch)
    .innerJoin(reflections, eq(reflections.id, reflectionsSearch.reflectionId))
    .where(
      and(
        sql`${reflectionsSearch.document} @@ to_tsquery('simple', ${query})`,
        sql`${reflections.status} != 'draft'`,
        managed(scope, reflections.courseId),
        scope.courseId !== undefined ? eq(reflections.courseId, scope.courseId) : undefined,
      ),
    )
    .orderBy(desc(reflectionsSearch.reflectionId))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** A found reflection as the SQLite query returns it (submittedAt in epoch milliseconds). */
export interface SearchRow {
  id: number;
  title: string;
  body: string;
  status: ReflectionStatus;
  submittedAt: number | null;
  author: string;
  courseId: number;
  courseName: string;
  assignmentTitle: string;
}

/** The rows of one page of hits, newest first, for the excerpt and highlighting code. */
export async function searchRows(db: PgDb, ids: number[]): Promise<SearchRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: reflections.id,
      title: reflections.title,
      body: reflections.body,
      status: reflections.status,
      submittedAt: reflections.submittedAt,
      author: users.name,
      courseId: courses.id,
      courseName: courses.name,
      assignmentTitle: assignments.title,
    })
    .from(reflections)
    .innerJoin(users, eq(users.id, reflections.authorId))
    .innerJoin(courses, eq(courses.id, reflections.courseId))
    .innerJoin(assignments, eq(assignments.id, reflections.assignmentId))
    .where(inArray(reflections.id, ids))
    .orderBy(desc(reflections.id));
  return rows.map((r) => ({ ...r, submittedAt: r.submittedAt === null ? null : r.submittedAt.getTime() }));
}
