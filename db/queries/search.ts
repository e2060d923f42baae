import 'server-only';
import { sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { allPrepared, idList, managedCourse } from '@/db/queries/review/statements';
import { inIds } from '@/db/sql-kit';
import { getDb } from '@/db';
import { isPostgres } from '@/db/dialect';
import * as pgSearch from '@/db/pg/search';
import type { PgDb } from '@/db/pg/search';
import { courses, reflections, type ReflectionStatus } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { excerptAround, markWords, type Excerpt, type ExcerptSegment } from '@/lib/search/excerpt';
import { ftsQuery, segmentQuery } from '@/lib/search/segment';
import { searchReflectionsSchema, type SearchReflectionsInput } from '@/lib/search/validation';

// Full-text search over reflections. The FTS5 table reflections_fts (rowid = reflections.id)
// holds jieba-segmented title, body and author name, written by ./search-index (re-exported
// here): indexReflection inside every transaction that changes a reflection's text or status,
// ensureSearchIndex at start-up for rows written by other means (seed, import, restore).
// Only reflections handed in at least once are in the index; a draft is nobody's business
// but its author's.

export { ensureSearchIndex, indexReflection, removeFromIndex } from './search-index';

export const SEARCH_PAGE_SIZE = 20;
/** Results counted and paged at most: past this, narrowing the words is the better answer. */
export const SEARCH_RESULT_CAP = 500;

const P = (name: string) => sql.placeholder(name);

export interface SearchResultDto {
  id: number;
  title: string;
  titleSegments: ExcerptSegment[];
  author: string;
  course: { id: number; name: string };
  assignmentTitle: string;
  status: ReflectionStatus;
  submittedAt: Date | null;
  excerpt: Excerpt;
}

export interface SearchPageDto {
  q: string;
  words: string[];
  courseId: number | null;
  items: SearchResultDto[];
  /** Matches counted, at most SEARCH_RESULT_CAP. */
  total: number;
  /** True when there are more matches than were counted. */
  capped: boolean;
  page: number;
  pageCount: number;
}

/**
 * Reflections in the courses this viewer manages whose title, body or author holds every word
 * of q, newest first, with the passage around the first hit. A course filter naming a course
 * the viewer does not manage is notFound(), the same as one that does not exist.
 */
export async function searchReflections(viewer: Viewer, input: SearchReflectionsInput): Promise<SearchPageDto> {
  assertRole(viewer, 'organizer', 'admin');
  const f = searchReflectionsSchema.parse(input);
  const role = viewer.role;
  const viewerId = viewer.id;
  if (isPostgres()) return searchOnPostgres(getDb() as unknown as PgDb, viewer, f);
  if (f.courseId !== undefined) {
    const managed = await allPrepared<{ id: number }>(
      `search:manages:${role}`,
      () => sql`select ${courses.id} as id from ${courses} where ${courses.id} = ${P('course')} and ${managedCourse(role, courses.id)}`,
      { course: f.courseId, viewerId },
    );
    if (managed.length === 0) notFound();
  }
  const words = f.q ? segmentQuery(f.q) : [];
  const match = ftsQuery(words);
  const empty: SearchPageDto = { q: f.q, words, courseId: f.courseId ?? null, items: [], total: 0, capped: false, page: 1, pageCount: 1 };
  if (!match) return empty;

  // Two plans for one answer. Across every course (an admin), walk the index newest first and
  // stop at the cap. Within some courses (an organizer, or a course filter), check each hit
  // against the set of those courses' handed-in reflections, built once: joining every hit to
  // its reflection and testing its course costs 50–80 ms at 100,000 reflections; this ~1 ms.
  // Each plan is built and prepared once (review/statements.ts), the viewer, the course and the
  // words as values: building and preparing cost more than running at the demo's size.
  //
  // One walk of the index, newest first, stopping at the cap, gives both how many there are (at
  // most SEARCH_RESULT_CAP, then 以上) and the page's ids, where a count and an offset read would
  // walk the same hits twice. Bounded whatever the data: at most CAP + 1 ids, then the page's 20
  // rows.
  const withinCourses = f.courseId !== undefined || role !== 'admin';
  const handedIn = sql`${reflections.status} != 'draft' and ${managedCourse(role, reflections.courseId)}`;
  const found = withinCourses
    ? await allPrepared<{ id: number }>(
        `search:hits:courses:${role}:${f.courseId !== undefined ? 'one' : 'managed'}`,
        () =>
          // The unary + stops SQLite from probing the FTS index once per course reflection (~25 µs each).
          sql`select reflections_fts.rowid as id from reflections_fts
              where reflections_fts match ${P('match')}
                and +reflections_fts.rowid in (
                  select ${reflections.id} from ${reflections}
                  where ${handedIn} and ${reflections.courseId} in (${
                    f.courseId !== undefined
                      ? P('course')
                      : sql`select co.course_id from course_organizers co where co.user_id = ${P('viewerId')}`
                  }))
              order by reflections_fts.rowid desc limit ${P('limit')}`,
        { match, course: f.courseId, viewerId, limit: SEARCH_RESULT_CAP + 1 },
      )
    : await allPrepared<{ id: number }>(
        `search:hits:all:${role}`,
        () =>
          sql`select reflections_fts.rowid as id from reflections_fts join ${reflections} on ${reflections.id} = reflections_fts.rowid
              where reflections_fts match ${P('match')} and ${handedIn}
              order by reflections_fts.rowid desc limit ${P('limit')}`,
        { match, viewerId, limit: SEARCH_RESULT_CAP + 1 },
      );
  const total = Math.min(found.length, SEARCH_RESULT_CAP);
  const pageCount = Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE));
  const page = Math.min(Math.max(1, f.page), pageCount);
  if (total === 0) return empty;
  const hits = found.slice((page - 1) * SEARCH_PAGE_SIZE, page * SEARCH_PAGE_SIZE).map((r) => r.id);

  const rows = await allPrepared<SearchRow>(
    'search:rows',
    () =>
      sql`select r.id as id, r.title as title, r.body as body, r.status as status, r.submitted_at as "submittedAt",
            u.name as author, c.id as "courseId", c.name as "courseName", a.title as "assignmentTitle"
          from reflections r
          join users u on u.id = r.author_id
          join courses c on c.id = r.course_id
          join assignments a on a.id = r.assignment_id
          where ${inIds(sql`r.id`, P('ids'))}
          order by r.id desc`,
    { ids: idList(hits) },
  );
  return pageOf(f, words, found.length, page, pageCount, rows);
}

/** A found reflection's row, the same on both databases (db/pg/search.ts returns this shape). */
type SearchRow = pgSearch.SearchRow;

/** The page as the search page shows it, from the page's rows and how many were found. */
function pageOf(f: ReturnType<typeof searchReflectionsSchema.parse>, words: string[], found: number, page: number, pageCount: number, rows: SearchRow[]): SearchPageDto {
  return {
    q: f.q,
    words,
    courseId: f.courseId ?? null,
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      titleSegments: markWords(r.title, words),
      author: r.author,
      course: { id: r.courseId, name: r.courseName },
      assignmentTitle: r.assignmentTitle,
      status: r.status,
      submittedAt: r.submittedAt === null ? null : new Date(r.submittedAt),
      excerpt: excerptAround(r.body, words),
    })),
    total: Math.min(found, SEARCH_RESULT_CAP),
    capped: found > SEARCH_RESULT_CAP,
    page,
    pageCount,
  };
}

/**
 * The same search on PostgreSQL (issue 16 step 3, db/pg/search.ts): the index is a tsvector of
 * the same jieba words, the scope, order, cap and page the same; db/pg/search.test.ts compares
 * every page with FTS5's.
 */
export async function searchOnPostgres(db: PgDb, viewer: Viewer, f: ReturnType<typeof searchReflectionsSchema.parse>): Promise<SearchPageDto> {
  const scope = { role: viewer.role, viewerId: viewer.id, courseId: f.courseId };
  if (f.courseId !== undefined && !(await pgSearch.managesCourse(db, { ...scope, courseId: f.courseId }))) notFound();
  const words = f.q ? segmentQuery(f.q) : [];
  const found = await pgSearch.searchHitIds(db, scope, words, SEARCH_RESULT_CAP + 1);
  const total = Math.min(found.length, SEARCH_RESULT_CAP);
  const pageCount = Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE));
  const page = Math.min(Math.max(1, f.page), pageCount);
  if (total === 0) return { q: f.q, words, courseId: f.courseId ?? null, items: [], total: 0, capped: false, page: 1, pageCount: 1 };
  const rows = await pgSearch.searchRows(db, found.slice((page - 1) * SEARCH_PAGE_SIZE, page * SEARCH_PAGE_SIZE));
  return pageOf(f, words, found.length, page, pageCount, rows);
}

/** The courses this viewer manages, for the course filter: newest first. */
export async function listSearchCourses(viewer: Viewer): Promise<{ id: number; name: string; archived: boolean }[]> {
  assertRole(viewer, 'organizer', 'admin');
  const role = viewer.role;
  // archived: 0/1 from SQLite, true/false from PostgreSQL.
  return (await allPrepared<{ id: number; name: string; archived: number | boolean }>(
    `search:courses:${role}`,
    () =>
      sql`select ${courses.id} as id, ${courses.name} as name, ${courses.archived} as archived from ${courses}
          where ${managedCourse(role, courses.id)}
          order by ${courses.archived} asc, ${courses.startsOn} desc, ${courses.id} desc limit 500`,
    { viewerId: viewer.id },
  )).map((c) => ({ id: c.id, name: c.name, archived: Boolean(c.archived) }));
}
