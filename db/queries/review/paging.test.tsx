import { inOrder } from '@/lib/in-order';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Pager } from '@/components/ui/pager';
import { filterToParams, reviewFilterSchema } from '@/lib/validation/review';
import { enroll, makeAssignment, makeCourse, makeMeeting, makeSubmittedReflections, makeUnit, makeUsers, setReflectionStatus, viewerFor } from '@/db/factories';
import { listReviewQueue, REVIEW_PAGE_SIZE } from '@/db/queries/review/queue';
import type { Viewer } from '@/lib/auth/viewer-type';
import { signedIn, useTestDatabase } from '@/test/db';

// Keyset paging of the review queue: walking 下一页 from the first page to the last, and 上一页
// back, shows every reflection exactly once and in the list's order, although most of them were
// handed in at the same millisecond (they tie on the sort key and only the id tells them apart).

type Filter = Record<string, string>;

/** Every page by 下一页, as the Pager's links carry the cursor. */
async function walkForward(viewer: Viewer, filter: Filter) {
  const pages: { page: number; ids: number[] }[] = [];
  let after: string | undefined;
  let page = 1;
  for (let guard = 0; guard < 50; guard++) {
    const q = await listReviewQueue(viewer, { ...filter, page: String(page) }, { after });
    pages.push({ page: q.page, ids: q.items.map((r) => r.id) });
    if (!q.nextCursor) return { pages, total: q.total, pageCount: q.pageCount };
    after = q.nextCursor;
    page = q.page + 1;
  }
  throw new Error('no end');
}

/** From the last page (a page number alone) back to the first by 上一页. */
async function walkBack(viewer: Viewer, filter: Filter, pageCount: number) {
  const pages: { page: number; ids: number[] }[] = [];
  let before: string | undefined;
  let page = pageCount;
  for (let guard = 0; guard < 50; guard++) {
    const q = await listReviewQueue(viewer, { ...filter, page: String(page) }, { before });
    pages.unshift({ page: q.page, ids: q.items.map((r) => r.id) });
    if (!q.prevCursor) return pages;
    before = q.prevCursor;
    page = q.page - 1;
  }
  throw new Error('no start');
}

interface Made {
  id: number;
  submitted: number;
  unit: string;
  status: 'draft' | 'submitted' | 'returned' | 'approved';
}

async function setUp() {
  const unitA = await makeUnit('甲街道');
  const unitB = await makeUnit('乙街道');
  const organizerId = (await makeUsers([{ role: 'organizer', username: 'pager-org', name: '组织者' }]))[0]!;
  const courseId = await makeCourse({ name: '翻页读书班', organizerIds: [organizerId] });
  const unitOf = (i: number) => (i % 3 === 0 ? null : i % 2 ? unitA : unitB);
  const cadres = await makeUsers(Array.from({ length: 40 }, (_, i) => ({ role: 'cadre' as const, username: `p${i}`, name: `学员${i}`, unitId: unitOf(i) })));
  await enroll(courseId, cadres);
  const at = new Date('2026-03-01T02:00:00Z').getTime();
  const made: Made[] = [];
  for (let a = 0; a < 2; a++) {
    const meetingId = await makeMeeting(courseId, { title: `第${a + 1}次` });
    const assignmentId = await makeAssignment(meetingId, { courseId, title: `心得${a + 1}` });
    // 70 of the 80 handed in at one and the same moment; ten a second apart.
    const when = (i: number) => at + (i % 8 === 0 ? i * 1000 : 0);
    const ids = await makeSubmittedReflections(
      cadres.map((authorId, i) => ({ assignmentId, courseId, authorId, title: `体会${i}`, body: '学习体会。', submittedAt: new Date(when(i)) })),
    );
    ids.forEach((id, i) => {
      const u = unitOf(i);
      made.push({ id, submitted: when(i), unit: u === unitA ? '甲街道' : u === unitB ? '乙街道' : '', status: 'submitted' });
    });
  }
  // A mix of states for 全部; a draft that must never show.
  await inOrder(made, async (m, i) => {
    m.status = i === 3 ? 'draft' : i % 5 === 1 ? 'returned' : i % 5 === 2 ? 'approved' : 'submitted';
    if (m.status !== 'submitted') await setReflectionStatus(m.id, m.status);
  });
  /** The order the list promises, worked out here from what was made. */
  const expected = (filter: Filter) => {
    const state = filter.state ?? 'submitted';
    const rows = made.filter((m) => m.status !== 'draft' && (state === 'all' || m.status === state));
    const cmp = <T extends number | string>(x: T, y: T) => (x < y ? -1 : x > y ? 1 : 0);
    if (filter.sort === 'old') rows.sort((x, y) => cmp(x.submitted, y.submitted) || cmp(x.id, y.id));
    else if (filter.sort === 'unit') rows.sort((x, y) => cmp(x.unit, y.unit) || cmp(y.submitted, x.submitted) || cmp(y.id, x.id));
    else rows.sort((x, y) => cmp(y.submitted, x.submitted) || cmp(y.id, x.id));
    const pages: number[][] = [];
    for (let i = 0; i < rows.length; i += REVIEW_PAGE_SIZE) pages.push(rows.slice(i, i + REVIEW_PAGE_SIZE).map((r) => r.id));
    return pages;
  };
  return { organizerId, expected };
}

describe('review queue keyset paging', () => {
  useTestDatabase();

  const cases: [string, Filter][] = [
    ['全部, newest first', { state: 'all' }],
    ['全部, oldest first', { state: 'all', sort: 'old' }],
    ['全部, by 单位', { state: 'all', sort: 'unit' }],
    ['待审阅, newest first', {}],
  ];

  for (const [name, filter] of cases) {
    it(`${name}: 下一页 and 上一页 show every reflection once, in order, across ties`, async () => {
      const { organizerId, expected } = await setUp();
      const byNumber = expected(filter);
      expect(byNumber.length).toBeGreaterThan(1);
      for (const viewer of [await signedIn('admin'), await viewerFor(organizerId)]) {
        const first = await listReviewQueue(viewer, filter);
        expect(first.total).toBe(byNumber.flat().length);
        expect(first.pageCount).toBe(byNumber.length);
        // By page number (OFFSET from the nearer end), as a typed or bookmarked URL reads it.
        expect(await inOrder(byNumber, async (_, i) => (await listReviewQueue(viewer, { ...filter, page: String(i + 1) })).items.map((r) => r.id))).toEqual(byNumber);

        const forward = await walkForward(viewer, filter);
        expect(forward.pages.map((p) => p.page)).toEqual(byNumber.map((_, i) => i + 1));
        expect(forward.pages.map((p) => p.ids)).toEqual(byNumber);

        const back = await walkBack(viewer, filter, first.pageCount);
        expect(back.map((p) => p.page)).toEqual(byNumber.map((_, i) => i + 1));
        expect(back.map((p) => p.ids)).toEqual(byNumber);
      }
    });
  }

  it('keeps the total and the next page right when the page before was reviewed meanwhile', async () => {
    await setUp();
    const admin = await signedIn('admin');
    const one = await listReviewQueue(admin, { state: 'all' });
    const two = await listReviewQueue(admin, { state: 'all', page: '2' }, { after: one.nextCursor });
    expect(two.items.map((r) => r.id)).toEqual((await listReviewQueue(admin, { state: 'all', page: '2' })).items.map((r) => r.id));
    // A reflection of page 1 goes back to draft (withdrawn): page 2 by its cursor starts where it did.
    await setReflectionStatus(one.items[0]!.id, 'draft');
    const again = await listReviewQueue(admin, { state: 'all', page: '2' }, { after: one.nextCursor });
    expect(again.items.map((r) => r.id)).toEqual(two.items.map((r) => r.id));
    expect(again.total).toBe(one.total - 1);
  });

  it('ignores a cursor that is not one, and one made for another sort', async () => {
    await setUp();
    const admin = await signedIn('admin');
    const page2 = (await listReviewQueue(admin, { state: 'all', page: '2' })).items.map((r) => r.id);
    for (const after of ['x', 'bm90IGpzb24', Buffer.from('[1,"a"]').toString('base64url'), Buffer.from('["甲街道",1,2]').toString('base64url')]) {
      expect((await listReviewQueue(admin, { state: 'all', page: '2' }, { after })).items.map((r) => r.id)).toEqual(page2);
    }
  });

  it('reads a typed deep page number from the nearer end with the same rows', async () => {
    await setUp();
    const admin = await signedIn('admin');
    const q = await listReviewQueue(admin, { state: 'all' });
    const forward = await walkForward(admin, { state: 'all' });
    expect((await listReviewQueue(admin, { state: 'all', page: String(q.pageCount) })).items.map((r) => r.id)).toEqual(forward.pages.at(-1)!.ids);
    expect((await listReviewQueue(admin, { state: 'all', page: '999' })).page).toBe(q.pageCount);
  });

  it('the 上一页 / 下一页 links carry the filter and the cursor, and lead to the pages before and after', async () => {
    await setUp();
    const admin = await signedIn('admin');
    const filter = { state: 'all', sort: 'old' };
    const page2 = await listReviewQueue(admin, { ...filter, page: '2' });
    const html = renderToStaticMarkup(
      <Pager
        page={page2.page}
        pageCount={page2.pageCount}
        total={page2.total}
        basePath="/review"
        params={filterToParams(reviewFilterSchema.parse(filter))}
        cursors={{ prev: page2.prevCursor, next: page2.nextCursor }}
      />,
    );
    expect(html).toContain(`共 ${page2.total} 条，第 2 / ${page2.pageCount} 页`);
    const hrefs = [...html.matchAll(/href="([^"]+)"/gu)].map((m) => new URL(m[1]!.replaceAll('&amp;', '&'), 'http://x'));
    expect(hrefs.map((u) => u.pathname)).toEqual(['/review', '/review']);
    const [prev, next] = hrefs.map((u) => Object.fromEntries(u.searchParams));
    expect(prev).toMatchObject({ state: 'all', sort: 'old', page: '1', before: page2.prevCursor });
    expect(next).toMatchObject({ state: 'all', sort: 'old', page: '3', after: page2.nextCursor });
    // What the page does with those URLs.
    const open = async (q: Record<string, string>) => await listReviewQueue(admin, q, { after: q.after, before: q.before });
    expect((await open(prev!)).items.map((r) => r.id)).toEqual((await listReviewQueue(admin, { ...filter, page: '1' })).items.map((r) => r.id));
    expect((await open(next!)).items.map((r) => r.id)).toEqual((await listReviewQueue(admin, { ...filter, page: '3' })).items.map((r) => r.id));
    expect((await open(next!)).page).toBe(3);
  });
});
