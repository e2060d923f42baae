import { describe, expect, it } from 'vitest';
import { auditOf, req, twoCourses } from '@/db/queries/courses.fixtures';
import { addCommentBankEntry, deleteCommentBankEntry, listCommentBank } from '@/db/queries/comment-bank';
import { getDb } from '@/db';
import { listDecisionBank } from '@/db/queries/review/detail';
import { courseOrganizers } from '@/db/schema';
import { FORBIDDEN, nextDigest, signedIn, useTestDatabase } from '@/test/db';

function idOf(result: { ok: boolean; id?: number }): number {
  if (!result.ok || !result.id) throw new Error('entry not added');
  return result.id;
}

describe('评语库', () => {
  useTestDatabase();

  it('keeps personal entries personal and course entries to the course’s organizers', async () => {
    const { a, b, cadre } = await twoCourses();
    const colleague = await signedIn('organizer');
    await getDb().insert(courseOrganizers).values({ courseId: a.courseId, userId: colleague.id }).run();
    const personal = idOf(await addCommentBankEntry(a.organizer, { body: '结合实际不够，请补充本单位做法。' }, req));
    const shared = idOf(await addCommentBankEntry(a.organizer, { body: '观点鲜明，事例具体。', courseId: a.courseId }, req));
    await addCommentBankEntry(b.organizer, { body: '乙班评语', courseId: b.courseId }, req);

    expect((await listCommentBank(a.organizer)).map((e) => e.id).sort()).toEqual([personal, shared].sort());
    expect((await listCommentBank(colleague)).map((e) => e.id)).toEqual([shared]);
    expect((await listCommentBank(b.organizer)).map((e) => e.body)).toEqual(['乙班评语']);
    expect((await listCommentBank(a.organizer, { courseId: a.courseId })).map((e) => e.id).sort()).toEqual([personal, shared].sort());
    // The decision form of a reflection in course a offers the same entries, each named by scope;
    // another course's organizer sees only their own, whatever course they name.
    expect(await listDecisionBank(a.organizer, { courseId: a.courseId })).toEqual([
      { id: personal, body: '结合实际不够，请补充本单位做法。', scope: '个人' },
      { id: shared, body: '观点鲜明，事例具体。', scope: '本班' },
    ]);
    expect((await listDecisionBank(colleague, { courseId: a.courseId })).map((e) => e.id)).toEqual([shared]);
    expect(await listDecisionBank(b.organizer, { courseId: a.courseId })).toEqual([]);
    expect(await nextDigest(() => listDecisionBank(cadre, { courseId: a.courseId }))).toBe(FORBIDDEN);

    expect(await addCommentBankEntry(a.organizer, { body: '越权', courseId: b.courseId }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await deleteCommentBankEntry(b.organizer, { id: personal }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await deleteCommentBankEntry(colleague, { id: personal }, req)).toMatchObject({ ok: false, code: 'not_found' });
    // A colleague running the course may tidy its shared comments.
    expect(await deleteCommentBankEntry(colleague, { id: shared }, req)).toEqual({ ok: true, id: shared });
    expect(await auditOf('commentBank.create')).toHaveLength(3);
    expect(await auditOf('commentBank.delete')).toHaveLength(1);

    expect(await nextDigest(async () => await listCommentBank(cadre))).toBe(FORBIDDEN);
    expect(await addCommentBankEntry(cadre, { body: '学员', courseId: '' }, req)).toMatchObject({ ok: false, code: 'forbidden' });
  });
});
