import { inOrder } from '@/lib/in-order';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { isPostgres } from '@/db/dialect';
import { reflections } from '@/db/schema';
import { addReflection, twoCourses } from '@/db/queries/courses.fixtures';
import { setReflectionStatus } from '@/test/course-fixtures';
import { FORBIDDEN, makeUser, NOT_FOUND, nextDigest, signedIn, useTestDatabase } from '@/test/db';
import { saveDraft } from './reflections/drafts';
import { submitReflection } from './reflections/submit';
import { getUserDetail } from './users/read';
import { updateUser } from './users/write';
import { enroll, makeUsers } from '@/db/factories';
import { ensureSearchIndex, indexReflection, listSearchCourses, SEARCH_RESULT_CAP, searchReflections } from './search';

const req = { ip: '198.51.100.7', userAgent: 'vitest' };

async function setText(id: number, title: string, body: string) {
  await getDb().update(reflections).set({ title, body }).where(eq(reflections.id, id)).run();
  await indexReflection(getDb(), id);
}

// The index itself: FTS5's reflections_fts on SQLite, reflections_search (a tsvector per
// reflection, db/pg/search.ts) on PostgreSQL.

async function indexedIds(): Promise<number[]> {
  const q = isPostgres()
    ? sql`select reflection_id as id from reflections_search order by reflection_id`
    : sql`select rowid as id from reflections_fts order by rowid`;
  return (await getDb().all<{ id: number }>(q)).map((r) => r.id);
}

/** An index row written by hand for reflection `id`, its body the given words. */
async function writeIndexRow(id: number, body: string): Promise<void> {
  await getDb().run(
    isPostgres()
      ? sql`insert into reflections_search (reflection_id, document) values (${id}, to_tsvector('simple', ${body}))`
      : sql`insert into reflections_fts (rowid, title, body, author) values (${id}, '', ${body}, '')`,
  );
}

/** True when reflection `id`'s index row still holds exactly the hand-written body. */
async function indexRowIs(id: number, body: string): Promise<boolean> {
  const q = isPostgres()
    ? sql`select document = to_tsvector('simple', ${body}) as same from reflections_search where reflection_id = ${id}`
    : sql`select body = ${body} as same from reflections_fts where rowid = ${id}`;
  return Boolean((await getDb().get<{ same: number | boolean }>(q))?.same);
}

function titles(r: Awaited<ReturnType<typeof searchReflections>>) {
  return r.items.map((i) => i.title);
}

describe('search: Chinese words inside longer words, highlighted from the original text', () => {
  useTestDatabase();

  it('finds 治理 inside 基层治理 and 党建 inside 党建引领, and marks the passage', async () => {
    const { a } = await twoCourses();
    const one = await addReflection(a, a.memberId, 'submitted');
    await setText(one, '学习体会', '这次读书班让我认识到,坚持党建引领、推进基层治理现代化,是新时代社区工作的根本遵循。');
    const r1 = await searchReflections(a.organizer, { q: '治理', page: 1 });
    expect(titles(r1)).toEqual(['学习体会']);
    const hits = r1.items[0]?.excerpt.segments.filter((s) => s.hit).map((s) => s.text);
    expect(hits).toEqual(['治理']);
    expect(r1.items[0]?.excerpt.segments.map((s) => s.text).join('')).toContain('推进基层治理现代化');
    expect(titles(await searchReflections(a.organizer, { q: '党建', page: 1 }))).toEqual(['学习体会']);
    expect(titles(await searchReflections(a.organizer, { q: '基层治理', page: 1 }))).toEqual(['学习体会']);
    expect(titles(await searchReflections(a.organizer, { q: '三方共治', page: 1 }))).toEqual([]);
  });

  it('finds by title and by author name', async () => {
    const { a } = await twoCourses();
    const one = await addReflection(a, a.memberId, 'approved');
    await setText(one, '以三方共治破解小区停车难', '正文。');
    expect(titles(await searchReflections(a.organizer, { q: '三方共治', page: 1 }))).toEqual(['以三方共治破解小区停车难']);
    expect((await searchReflections(a.organizer, { q: '三方共治', page: 1 })).items[0]?.titleSegments).toContainEqual({ text: '三方共治', hit: true });
    expect(titles(await searchReflections(a.organizer, { q: '甲学员', page: 1 }))).toEqual(['以三方共治破解小区停车难']);
  });

  it('follows a rename of the author: found under the new name, no longer under the old', async () => {
    const { a } = await twoCourses();
    const one = await addReflection(a, a.memberId, 'approved');
    await setText(one, '以三方共治破解小区停车难', '正文。');
    const admin = await signedIn('admin');
    const current = await getUserDetail(admin, { id: a.memberId });
    const renamed = await updateUser(
      admin,
      { id: a.memberId, username: current.username, name: '邵晓燕', title: current.title, unitId: current.unitId, role: current.role },
      req,
    );
    expect(renamed).toMatchObject({ ok: true, changed: true });
    expect(titles(await searchReflections(a.organizer, { q: '邵晓燕', page: 1 }))).toEqual(['以三方共治破解小区停车难']);
    expect(titles(await searchReflections(a.organizer, { q: '甲学员', page: 1 }))).toEqual([]);
  });

  it('reads FTS syntax in the query as plain words', async () => {
    const { a } = await twoCourses();
    const one = await addReflection(a, a.memberId, 'submitted');
    await setText(one, '体会', '推进基层治理');
    for (const q of ['治理 OR *', '"治理', '治理"', 'NEAR(治理 基层)', '治理 NOT 基层', 'title:治理', '治理*', '^治理', '(治理', '治理 AND', "'; drop table reflections; --", '"""', '*', '-', '  ']) {
      await expect(searchReflections(a.organizer, { q, page: 1 })).resolves.toBeDefined();
    }
    expect(titles(await searchReflections(a.organizer, { q: '治理 OR *', page: 1 }))).toEqual([]);
    expect(titles(await searchReflections(a.organizer, { q: '(治理', page: 1 }))).toEqual(['体会']);
    expect((await searchReflections(a.organizer, { q: '*', page: 1 })).total).toBe(0);
  });

  it('refuses a query longer than 50 characters', async () => {
    const { a } = await twoCourses();
    await expect(searchReflections(a.organizer, { q: '治'.repeat(51), page: 1 })).rejects.toThrow();
  });
});

describe('search: scope', () => {
  useTestDatabase();

  it('an organizer of course A never finds course B; the admin finds both; a cadre is refused', async () => {
    const { a, b, admin, cadre } = await twoCourses();
    const inA = await addReflection(a, a.memberId, 'submitted');
    const inB = await addReflection(b, b.memberId, 'submitted');
    await setText(inA, '甲班体会', '基层治理');
    await setText(inB, '乙班体会', '基层治理');
    expect(titles(await searchReflections(a.organizer, { q: '治理', page: 1 }))).toEqual(['甲班体会']);
    expect((await searchReflections(a.organizer, { q: '治理', page: 1 })).total).toBe(1);
    expect(titles(await searchReflections(b.organizer, { q: '治理', page: 1 }))).toEqual(['乙班体会']);
    expect(titles(await searchReflections(admin, { q: '治理', page: 1 })).sort()).toEqual(['乙班体会', '甲班体会']);
    expect(await nextDigest(() => searchReflections(a.organizer, { q: '治理', courseId: b.courseId, page: 1 }))).toBe(NOT_FOUND);
    expect(titles(await searchReflections(a.organizer, { q: '治理', courseId: a.courseId, page: 1 }))).toEqual(['甲班体会']);
    expect(await nextDigest(() => searchReflections(cadre, { q: '治理', page: 1 }))).toBe(FORBIDDEN);
    expect((await listSearchCourses(a.organizer)).map((c) => c.id)).toEqual([a.courseId]);
    expect(await nextDigest(() => listSearchCourses(cadre))).toBe(FORBIDDEN);
  });

  it('never finds a draft, even one whose row is in the index', async () => {
    const { a } = await twoCourses();
    const d = await addReflection(a, a.memberId, 'draft');
    await getDb().update(reflections).set({ body: '基层治理' }).where(eq(reflections.id, d)).run();
    await indexReflection(getDb(), d);
    expect(await indexedIds()).toEqual([]);
    // Even a stray index row (written by hand) does not make a draft findable.
    await writeIndexRow(d, '基层 治理 基层治理');
    expect((await searchReflections(a.organizer, { q: '治理', page: 1 })).total).toBe(0);
  });
});

describe('search: paging', () => {
  useTestDatabase();

  /** n handed-in reflections of course a holding 治理, titled 体会1 … 体会n in the order written; their ids. */
  async function manyHits(fx: Awaited<ReturnType<typeof twoCourses>>['a'], n: number): Promise<number[]> {
    const cadres = await makeUsers(Array.from({ length: n }, (_, i) => ({ role: 'cadre' as const, username: `s${i}`, name: `学员${i}` })));
    await enroll(fx.courseId, cadres);
    return await inOrder(cadres, async (c, i) => {
      const id = await addReflection(fx, c, i % 3 === 0 ? 'approved' : 'submitted');
      await setText(id, `体会${i + 1}`, '推进基层治理');
      return id;
    });
  }

  it('pages 45 results newest first, 20 a page, each once; a page past the end shows the last', async () => {
    const { a, b } = await twoCourses();
    const ids = await manyHits(a, 45);
    const inB = await addReflection(b, b.memberId, 'submitted');
    await setText(inB, '乙班体会', '基层治理');
    const pages = await Promise.all([1, 2, 3].map((page) => searchReflections(a.organizer, { q: '治理', page })));
    expect(pages.map((p) => [p.total, p.pageCount, p.page, p.capped])).toEqual([
      [45, 3, 1, false],
      [45, 3, 2, false],
      [45, 3, 3, false],
    ]);
    expect(pages.map((p) => p.items.length)).toEqual([20, 20, 5]);
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual([...ids].reverse());
    expect(pages[2]!.items.map((i) => i.title)).toEqual(['体会5', '体会4', '体会3', '体会2', '体会1']);
    expect((await searchReflections(a.organizer, { q: '治理', page: 9 })).items.map((i) => i.id)).toEqual(pages[2]!.items.map((i) => i.id));
    // The admin's plan (every course, no scope list) pages the same way and finds course B's too.
    const admin = await signedIn('admin');
    const all = (await Promise.all([1, 2, 3].map((page) => searchReflections(admin, { q: '治理', page })))).flatMap((p) => p.items.map((i) => i.id));
    expect(all).toEqual([inB, ...[...ids].reverse()]);
  });

  it(`counts at most ${SEARCH_RESULT_CAP} and says there are more`, async () => {
    const { a } = await twoCourses();
    await manyHits(a, SEARCH_RESULT_CAP + 1);
    const last = await searchReflections(a.organizer, { q: '治理', page: 999 });
    expect([last.total, last.capped, last.page, last.items.length]).toEqual([SEARCH_RESULT_CAP, true, SEARCH_RESULT_CAP / 20, 20]);
    // The last page counted ends with the 500th newest: the oldest one is past the cap.
    expect(last.items.at(-1)?.title).toBe('体会2');
  });
});

describe('search: the index follows the cadre’s writing', () => {
  useTestDatabase();

  it('follows a submit, a save after 退回修改 and a resubmission', async () => {
    const { a, cadre } = await twoCourses();
    const first = await submitReflection(
      cadre,
      { assignmentId: a.assignmentId, title: '学习心得', body: '坚持党建引领,做实网格服务。'.repeat(25), readingIds: [], baseRevision: 0, submitKey: randomUUID(), declaration: true },
      req,
    );
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(titles(await searchReflections(a.organizer, { q: '党建', page: 1 }))).toEqual(['学习心得']);
    expect((await searchReflections(a.organizer, { q: '疫情防控', page: 1 })).total).toBe(0);

    await setReflectionStatus(first.reflectionId, 'returned');
    const saved = await saveDraft(cadre, { assignmentId: a.assignmentId, title: '学习心得', body: '筑牢疫情防控防线,守护群众健康。'.repeat(25), readingIds: [], baseRevision: first.revision });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect((await searchReflections(a.organizer, { q: '党建', page: 1 })).total).toBe(0);
    expect((await searchReflections(a.organizer, { q: '疫情防控', page: 1 })).total).toBe(1);

    const again = await submitReflection(
      cadre,
      { assignmentId: a.assignmentId, title: '修改后的心得', body: '推进三方共治,共建美好家园。'.repeat(25), readingIds: [], baseRevision: saved.revision, submitKey: randomUUID(), declaration: true },
      req,
    );
    expect(again.ok).toBe(true);
    expect((await searchReflections(a.organizer, { q: '疫情防控', page: 1 })).total).toBe(0);
    expect(titles(await searchReflections(a.organizer, { q: '三方共治', page: 1 }))).toEqual(['修改后的心得']);
    expect(await indexedIds()).toEqual([first.reflectionId]);
  });

  it('a draft saved by the cadre stays out of the index', async () => {
    const { a, cadre } = await twoCourses();
    const saved = await saveDraft(cadre, { assignmentId: a.assignmentId, title: '草稿', body: '基层治理', readingIds: [], baseRevision: 0 });
    expect(saved.ok).toBe(true);
    await saveDraft(cadre, { assignmentId: a.assignmentId, title: '草稿', body: '基层治理再写', readingIds: [], baseRevision: 1 });
    expect(await indexedIds()).toEqual([]);
    expect((await searchReflections(a.organizer, { q: '治理', page: 1 })).total).toBe(0);
  });
});

describe('ensureSearchIndex', () => {
  useTestDatabase();

  it('indexes only what is missing, leaves existing rows alone and drops rows of drafts', async () => {
    const { a, b } = await twoCourses();
    const x = await addReflection(a, a.memberId, 'submitted');
    const y = await addReflection(b, b.memberId, 'approved');
    const d = await addReflection(a, await makeUser('cadre'), 'draft');
    // A stray row for the draft (as an old build might have left) is dropped.
    await writeIndexRow(d, '草稿');
    // x is indexed by hand with text that differs from the row, to show it is not rewritten.
    await writeIndexRow(x, '手写 索引');
    expect(await ensureSearchIndex()).toEqual({ added: 1, removed: 1 });
    expect(await indexedIds()).toEqual([x, y]);
    expect(await indexRowIs(x, '手写 索引')).toBe(true);
    expect(await ensureSearchIndex()).toEqual({ added: 0, removed: 0 });
  });
});
