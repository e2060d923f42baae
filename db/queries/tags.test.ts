import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { addReflection, auditOf, req, twoCourses } from '@/db/queries/courses.fixtures';
import {
  applyTagByName,
  createTag,
  deleteTag,
  listTags,
  mergeTags,
  renameTag,
  setTagOnReflections,
  suggestTags,
  tagSuggestionsFor,
} from '@/db/queries/tags';
import { getReviewReflection } from '@/db/queries/review/detail';
import { courseMembers, reflections, reflectionTags, tags } from '@/db/schema';
import { FORBIDDEN, makeUser, nextDigest, NOT_FOUND, useTestDatabase } from '@/test/db';

function applications() {
  return getDb()
    .select({ reflectionId: reflectionTags.reflectionId, tagId: reflectionTags.tagId })
    .from(reflectionTags)
    .orderBy(asc(reflectionTags.tagId), asc(reflectionTags.reflectionId))
    .all();
}

function tagId(result: { ok: boolean; id?: number }): number {
  if (!result.ok || !result.id) throw new Error('tag not made');
  return result.id;
}

describe('tags', () => {
  useTestDatabase();

  it('creates, refuses a duplicate name in the course, renames and deletes, with audit rows', () => {
    const { a, b } = twoCourses();
    const id = tagId(createTag(a.organizer, { courseId: a.courseId, name: '基层治理' }, req));
    expect(createTag(a.organizer, { courseId: a.courseId, name: '基层治理' }, req)).toMatchObject({ ok: false, message: '已有同名标签' });
    // The same name in another course is another tag.
    expect(createTag(b.organizer, { courseId: b.courseId, name: '基层治理' }, req).ok).toBe(true);
    const other = tagId(createTag(a.organizer, { courseId: a.courseId, name: '作风建设' }, req));
    expect(renameTag(a.organizer, { tagId: other, name: '基层治理' }, req)).toMatchObject({ ok: false, message: '已有同名标签' });
    expect(renameTag(a.organizer, { tagId: other, name: '作风建设年' }, req).ok).toBe(true);
    const r = addReflection(a, a.memberId, 'submitted');
    setTagOnReflections(a.organizer, { tagId: id, reflectionIds: [r], op: 'apply' }, req);
    expect(deleteTag(a.organizer, { tagId: id }, req).ok).toBe(true);
    expect(applications()).toEqual([]);
    expect(listTags(a.organizer).map((t) => t.name)).toEqual(['作风建设年']);
    expect(auditOf('tag.create')).toHaveLength(3);
    expect(auditOf('tag.rename')).toHaveLength(1);
    expect(auditOf('tag.apply')).toHaveLength(1);
    expect(auditOf('tag.delete')).toMatchObject([{ detail: { name: '基层治理', applied: 1 } }]);
  });

  it('keeps an organizer out of another course’s tags', () => {
    const { a, b, cadre } = twoCourses();
    const theirs = tagId(createTag(b.organizer, { courseId: b.courseId, name: '疫情防控' }, req));
    expect(createTag(a.organizer, { courseId: b.courseId, name: '疫情防控2' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(renameTag(a.organizer, { tagId: theirs, name: 'x' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(deleteTag(a.organizer, { tagId: theirs }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(setTagOnReflections(a.organizer, { tagId: theirs, reflectionIds: [1], op: 'apply' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(listTags(a.organizer)).toEqual([]);
    expect(nextDigest(() => listTags(cadre))).toBe(FORBIDDEN);
    expect(createTag(cadre, { courseId: a.courseId, name: '基层治理' }, req)).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('applies to a selection of its own course only, and reports the rest as skipped', () => {
    const { a, b } = twoCourses();
    const id = tagId(createTag(a.organizer, { courseId: a.courseId, name: '三方共治' }, req));
    const mine = addReflection(a, a.memberId, 'submitted');
    const draft = addReflection(a, makeUser('cadre'), 'draft');
    const theirs = addReflection(b, b.memberId, 'submitted');
    expect(setTagOnReflections(a.organizer, { tagId: id, reflectionIds: [mine, draft, theirs, 999999], op: 'apply' }, req)).toEqual({
      ok: true,
      changed: 1,
      skipped: 3,
    });
    // Applying again adds nothing; removing takes it off.
    expect(setTagOnReflections(a.organizer, { tagId: id, reflectionIds: [mine], op: 'apply' }, req)).toMatchObject({ changed: 0 });
    expect(applications()).toEqual([{ reflectionId: mine, tagId: id }]);
    expect(setTagOnReflections(a.organizer, { tagId: id, reflectionIds: [mine], op: 'remove' }, req)).toMatchObject({ changed: 1 });
    expect(applications()).toEqual([]);
    expect(auditOf('tag.remove')).toHaveLength(1);
  });

  it('merges without duplicating a reflection that carried both tags', () => {
    const { a, b } = twoCourses();
    const db = getDb();
    const second = makeUser('cadre');
    db.insert(courseMembers).values({ courseId: a.courseId, userId: second }).run();
    const r1 = addReflection(a, a.memberId, 'submitted');
    const r2 = addReflection(a, second, 'approved');
    const from = tagId(createTag(a.organizer, { courseId: a.courseId, name: '基层社会治理' }, req));
    const into = tagId(createTag(a.organizer, { courseId: a.courseId, name: '基层治理' }, req));
    setTagOnReflections(a.organizer, { tagId: from, reflectionIds: [r1, r2], op: 'apply' }, req);
    setTagOnReflections(a.organizer, { tagId: into, reflectionIds: [r1], op: 'apply' }, req);
    const elsewhere = tagId(createTag(b.organizer, { courseId: b.courseId, name: '基层治理' }, req));
    expect(mergeTags(a.organizer, { fromId: from, intoId: elsewhere }, req)).toMatchObject({ ok: false, code: 'not_found' });

    expect(mergeTags(a.organizer, { fromId: from, intoId: into }, req)).toEqual({ ok: true, id: into });
    expect(applications()).toEqual([
      { reflectionId: r1, tagId: into },
      { reflectionId: r2, tagId: into },
    ]);
    expect(db.select().from(tags).where(eq(tags.id, from)).get()).toBeUndefined();
    expect(auditOf('tag.merge')).toMatchObject([{ detail: { from: '基层社会治理', into: '基层治理', moved: 1 } }]);
  });

  it('suggests tags from the text and accepts one with a click', () => {
    const { a, b } = twoCourses();
    const r = addReflection(a, a.memberId, 'submitted');
    getDb()
      .update(reflections)
      .set({
        title: '以三方共治推进基层治理',
        body: '我们街道探索三方共治,居委会、业委会、物业公司共同协商,推动加装电梯、垃圾分类等民生实事落地。三方共治让基层治理更有温度,加装电梯的难题逐一破解。',
      })
      .where(eq(reflections.id, r))
      .run();
    const existing = tagId(createTag(a.organizer, { courseId: a.courseId, name: '基层治理' }, req));
    const s = suggestTags(a.organizer, { reflectionId: r });
    expect(s.existing).toEqual([{ id: existing, name: '基层治理' }]);
    expect(s.candidates).toContain('三方共治');
    expect(s.candidates).not.toContain('基层治理');

    const accepted = tagId(applyTagByName(a.organizer, { reflectionId: r, name: '三方共治' }, req));
    expect(getDb().select().from(tags).where(eq(tags.id, accepted)).get()).toMatchObject({ courseId: a.courseId, name: '三方共治' });
    expect(applications()).toEqual([{ reflectionId: r, tagId: accepted }]);
    // Accepting an existing tag's name reuses it.
    expect(applyTagByName(a.organizer, { reflectionId: r, name: '基层治理' }, req)).toEqual({ ok: true, id: existing });
    expect(suggestTags(a.organizer, { reflectionId: r }).existing).toEqual([]);
    // The review detail offers the same suggestions from the reflection it has already read.
    const detail = getReviewReflection(a.organizer, { id: r });
    expect(tagSuggestionsFor(a.organizer, detail)).toEqual(suggestTags(a.organizer, { reflectionId: r }));
    expect(tagSuggestionsFor(a.organizer, detail).candidates).not.toContain('三方共治');

    const theirs = addReflection(b, b.memberId, 'submitted');
    expect(nextDigest(() => suggestTags(a.organizer, { reflectionId: theirs }))).toBe(NOT_FOUND);
    expect(applyTagByName(a.organizer, { reflectionId: theirs, name: '基层治理' }, req)).toMatchObject({ ok: false, code: 'not_found' });
  });
});
