import { inOrder } from '@/lib/in-order';
import { describe, expect, it } from 'vitest';
import { makeBulletin, makeMeeting, makeReflection, makeTag, makeUser } from '@/db/factories';
import { twoCourses } from '@/db/queries/courses.fixtures';
import { FORBIDDEN, NOT_FOUND, nextDigest, useTestDatabase, viewerFor } from '@/test/db';
import { getComposePage } from './compose-page';
import { getBulletinDrafts } from './drafting';
import { getBulletinForEdit, listCandidateFilters, listItemOrderKeys } from './list';

describe('the compose page’s one read', () => {
  useTestDatabase();

  it('gives what the four reads give, and nothing of a bulletin outside the viewer’s reach', async () => {
    const fx = await twoCourses();
    const ids = await inOrder(['推进基层治理，要把网格建在楼道里。', '基层治理离不开三方共治。'], async (body, i) =>
      await makeReflection({ assignmentId: fx.a.assignmentId, courseId: fx.a.courseId, authorId: await makeUser('cadre', { name: `学员${'甲乙'[i]}` }), status: 'approved', body }),
    );
    await makeTag(fx.a.courseId, '基层治理', { reflectionIds: ids });
    const id = await makeBulletin(fx.a.courseId, { reflectionIds: ids });
    // Meetings on other days and two on the same day: the filters list them in their own order.
    await makeMeeting(fx.a.courseId, { title: '第二次集中学习', startsAt: new Date('2020-05-20T01:00:00Z') });
    await makeMeeting(fx.a.courseId, { title: '同日另一场', startsAt: new Date('2020-05-20T01:00:00Z') });
    await makeTag(fx.a.courseId, '作风建设');
    for (const viewer of [fx.a.organizer, fx.admin]) {
      const page = await getComposePage(viewer, { id });
      expect(page.bulletin).toEqual(await getBulletinForEdit(viewer, { id }));
      expect(page.filters).toEqual(await listCandidateFilters(viewer, { courseId: fx.a.courseId }));
      expect(page.orderKeys).toEqual(await listItemOrderKeys(viewer, { id }));
      expect(page.drafts).toEqual(await getBulletinDrafts(viewer, { id }));
      expect(page.bulletin.items).toHaveLength(2);
      expect(page.filters.meetings.map((m) => m.title)).toEqual(['开班式', '第二次集中学习', '同日另一场']);
      expect(page.drafts.meetings).toHaveLength(3);
    }
    expect(await nextDigest(async () => await getComposePage(fx.b.organizer, { id }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await getComposePage(await viewerFor(fx.a.memberId), { id }))).toBe(FORBIDDEN);
  });
});
