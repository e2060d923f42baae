import { describe, expect, it } from 'vitest';
import { makeBulletin, makeReflection, makeTag, makeUser } from '@/db/factories';
import { twoCourses } from '@/db/queries/courses.fixtures';
import { FORBIDDEN, NOT_FOUND, nextDigest, useTestDatabase, viewerFor } from '@/test/db';
import { getComposePage } from './compose-page';
import { getBulletinDrafts } from './drafting';
import { getBulletinForEdit, listCandidateFilters, listItemOrderKeys } from './list';

describe('the compose page’s one read', () => {
  useTestDatabase();

  it('gives what the four reads give, and nothing of a bulletin outside the viewer’s reach', () => {
    const fx = twoCourses();
    const ids = ['推进基层治理，要把网格建在楼道里。', '基层治理离不开三方共治。'].map((body, i) =>
      makeReflection({ assignmentId: fx.a.assignmentId, courseId: fx.a.courseId, authorId: makeUser('cadre', { name: `学员${'甲乙'[i]}` }), status: 'approved', body }),
    );
    makeTag(fx.a.courseId, '基层治理', { reflectionIds: ids });
    const id = makeBulletin(fx.a.courseId, { reflectionIds: ids });
    for (const viewer of [fx.a.organizer, fx.admin]) {
      const page = getComposePage(viewer, { id });
      expect(page.bulletin).toEqual(getBulletinForEdit(viewer, { id }));
      expect(page.filters).toEqual(listCandidateFilters(viewer, { courseId: fx.a.courseId }));
      expect(page.orderKeys).toEqual(listItemOrderKeys(viewer, { id }));
      expect(page.drafts).toEqual(getBulletinDrafts(viewer, { id }));
      expect(page.bulletin.items).toHaveLength(2);
    }
    expect(nextDigest(() => getComposePage(fx.b.organizer, { id }))).toBe(NOT_FOUND);
    expect(nextDigest(() => getComposePage(viewerFor(fx.a.memberId), { id }))).toBe(FORBIDDEN);
  });
});
