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

async function applications() {
  return await getDb()
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

  it('creates, refuses a duplicate name in the course, renames and deletes, with audit rows', async () => {
    const { a, b } = await twoCourses();
    const id = tagId(await createTag(a.organizer, { courseId: a.courseId, name: '基层治理' }, req));
    expect(await createTag(a.organizer, { courseId: a.courseId, name: '基层治理' }, req)).toMatchObject({ ok: false, message: '已有同名标签' });
    // The same name in another course is another tag.
    expect((await createTag(b.organizer, { courseId: b.courseId, name: '基层治理' }, req)).ok).toBe(true);
    const other = tagId(await createTag(a.organizer, { courseId: a.courseId, name: '作风建设' }, req));
    expect(await renameTag(a.organizer, { tagId: other, name: '基层治理' }, req)).toMatchObject({ ok: false, message: '已有同名标签' });
    expect((await renameTag(a.organizer, { tagId: other, name: '作风建设年' }, req)).ok).toBe(true);
    const r = await addReflection(a, a.memberId, 'submitted');
    await setTagOnReflections(a.organizer, { tagId: id, reflectionIds: [r], op: 'apply' }, req);
    expect((await deleteTag(a.organizer, { tagId: id }, req)).ok).toBe(true);
    expect(await applications()).toEqual([]);
    expect((await listTags(a.organizer)).map((t) => t.name)).toEqual(['作风建设年']);
    expect(await auditOf('tag.create')).toHaveLength(3);
    expect(await auditOf('tag.rename')).toHaveLength(1);
    expect(await auditOf('tag.apply')).toHaveLength(1);
    expect(await auditOf('tag.delete')).toMatchObject([{ detail: { name: '基层治理', applied: 1 } }]);
  });

  it('keeps an organizer out of another course’s tags', async () => {
    const { a, b, cadre } = await twoCourses();
    const theirs = tagId(await createTag(b.organizer, { courseId: b.courseId, name: '疫情防控' }, req));
    expect(await createTag(a.organizer, { courseId: b.courseId, name: '疫情防控2' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await renameTag(a.organizer, { tagId: theirs, name: 'x' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await deleteTag(a.organizer, { tagId: theirs }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await setTagOnReflections(a.organizer, { tagId: theirs, reflectionIds: [1], op: 'apply' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await listTags(a.organizer)).toEqual([]);
    expect(await nextDigest(async () => await listTags(cadre))).toBe(FORBIDDEN);
    expect(await createTag(cadre, { courseId: a.courseId, name: '基层治理' }, req)).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('applies to a selection of its own course only, and reports the rest as skipped', async () => {
    const { a, b } = await twoCourses();
    const id = tagId(await createTag(a.organizer, { courseId: a.courseId, name: '三方共治' }, req));
    const mine = await addReflection(a, a.memberId, 'submitted');
    const draft = await addReflection(a, await makeUser('cadre'), 'draft');
    const theirs = await addReflection(b, b.memberId, 'submitted');
    expect(await setTagOnReflections(a.organizer, { tagId: id, reflectionIds: [mine, draft, theirs, 999999], op: 'apply' }, req)).toEqual({
      ok: true,
      changed: 1,
      skipped: 3,
    });
    // Applying again adds nothing; removing takes it off.
    expect(await setTagOnReflections(a.organizer, { tagId: id, reflectionIds: [mine], op: 'apply' }, req)).toMatchObject({ changed: 0 });
    expect(await applications()).toEqual([{ reflectionId: mine, tagId: id }]);
    expect(await setTagOnReflections(a.organizer, { tagId: id, reflectionIds: [mine], op: 'remove' }, req)).toMatchObject({ changed: 1 });
    expect(await applications()).toEqual([]);
    expect(await auditOf('tag.remove')).toHaveLength(1);
  });

  it('merges without duplicating a reflection that carried both tags', async () => {
    const { a, b } = await twoCourses();
    const db = getDb();
    const second = await makeUser('cadre');
    await db.insert(courseMembers).values({ courseId: a.courseId, userId: second }).run();
    const r1 = await addReflection(a, a.memberId, 'submitted');
    const r2 = await addReflection(a, second, 'approved');
    const from = tagId(await createTag(a.organizer, { courseId: a.courseId, name: '基层社会治理' }, req));
    const into = tagId(await createTag(a.organizer, { courseId: a.courseId, name: '基层治理' }, req));
    await setTagOnReflections(a.organizer, { tagId: from, reflectionIds: [r1, r2], op: 'apply' }, req);
    await setTagOnReflections(a.organizer, { tagId: into, reflectionIds: [r1], op: 'apply' }, req);
    const elsewhere = tagId(await createTag(b.organizer, { courseId: b.courseId, name: '基层治理' }, req));
    expect(await mergeTags(a.organizer, { fromId: from, intoId: elsewhere }, req)).toMatchObject({ ok: false, code: 'not_found' });

    expect(await mergeTags(a.organizer, { fromId: from, intoId: into }, req)).toEqual({ ok: true, id: into });
    expect(await applications()).toEqual([
      { reflectionId: r1, tagId: into },
      { reflectionId: r2, tagId: into },
    ]);
    expect(await db.select().from(tags).where(eq(tags.id, from)).get()).toBeUndefined();
    expect(await auditOf('tag.merge')).toMatchObject([{ detail: { from: '基层社会治理', into: '基层治理', moved: 1 } }]);
  });

  it('suggests tags from the text and accepts one with a click', async () => {
    const { a, b } = await twoCourses();
    const r = await addReflection(a, a.memberId, 'submitted');
    await getDb()
      .update(reflections)
      .set({
        title: '以三方共治推进基层治理',
        body: '我们街道探索三方共治,居委会、业委会、物业公司共同协商,推动加装电梯、垃圾分类等民生实事落地。三方共治让基层治理更有温度,加装电梯的难题逐一破解。',
      })
      .where(eq(reflections.id, r))
      .run();
    const existing = tagId(await createTag(a.organizer, { courseId: a.courseId, name: '基层治理' }, req));
    const s = await suggestTags(a.organizer, { reflectionId: r });
    expect(s.existing).toEqual([{ id: existing, name: '基层治理' }]);
    expect(s.candidates).toContain('三方共治');
    expect(s.candidates).not.toContain('基层治理');

    const accepted = tagId(await applyTagByName(a.organizer, { reflectionId: r, name: '三方共治' }, req));
    expect(await getDb().select().from(tags).where(eq(tags.id, accepted)).get()).toMatchObject({ courseId: a.courseId, name: '三方共治' });
    expect(await applications()).toEqual([{ reflectionId: r, tagId: accepted }]);
    // Accepting an existing tag's name reuses it.
    expect(await applyTagByName(a.organizer, { reflectionId: r, name: '基层治理' }, req)).toEqual({ ok: true, id: existing });
    expect((await suggestTags(a.organizer, { reflectionId: r })).existing).toEqual([]);
    // The review detail offers the same suggestions from the reflection it has already read.
    const detail = await getReviewReflection(a.organizer, { id: r });
    expect(tagSuggestionsFor(a.organizer, detail)).toEqual(await suggestTags(a.organizer, { reflectionId: r }));
    expect(tagSuggestionsFor(a.organizer, detail).candidates).not.toContain('三方共治');

    const theirs = await addReflection(b, b.memberId, 'submitted');
    expect(await nextDigest(async () => await suggestTags(a.organizer, { reflectionId: theirs }))).toBe(NOT_FOUND);
    expect(await applyTagByName(a.organizer, { reflectionId: theirs, name: '基层治理' }, req)).toMatchObject({ ok: false, code: 'not_found' });
  });
});
