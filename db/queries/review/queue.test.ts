import { inOrder } from '@/lib/in-order';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { addReflection, req, twoCourses } from '@/db/queries/courses.fixtures';
import { addInternalNote, decideReflection, setReflectionExcellent } from '@/db/queries/review/decisions';
import { getReviewReflection } from '@/db/queries/review/detail';
import { countReviewStates, getQueueNeighbors, listQueueFilterOptions, listReviewQueue, nextPendingReflection } from '@/db/queries/review/queue';
import { courseMembers, reflections } from '@/db/schema';
import { FORBIDDEN, makeUser, nextDigest, NOT_FOUND, useTestDatabase } from '@/test/db';

/** A decision as the form sends it (the kernel parses it). */
function decide(over: Record<string, unknown> & { reflectionId: number; expectedRevision: number }) {
  return { decision: 'approve' as const, comment: '', ...over };
}

describe('review queue', () => {
  useTestDatabase();

  it('shows an organizer only their own courses, in rows and in counts', async () => {
    const { a, b } = await twoCourses();
    const mine = await addReflection(a, a.memberId, 'submitted');
    const theirs = await addReflection(b, b.memberId, 'submitted');
    await addReflection(b, await makeUser('cadre'), 'approved');
    const queue = await listReviewQueue(a.organizer, {});
    expect(queue.items.map((r) => r.id)).toEqual([mine]);
    expect(queue.total).toBe(1);
    expect(await countReviewStates(a.organizer, {})).toEqual({ submitted: 1, returned: 0, approved: 0, all: 1 });
    // Naming the other course in the filter does not open it.
    expect((await listReviewQueue(a.organizer, { course: b.courseId })).items).toEqual([]);
    expect((await countReviewStates(a.organizer, { course: b.courseId, state: 'all' })).all).toBe(0);
    expect(await nextDigest(async () => await getReviewReflection(a.organizer, { id: theirs }))).toBe(NOT_FOUND);
    expect(await getQueueNeighbors(a.organizer, { filter: {}, reflectionId: theirs })).toEqual({ prevId: null, nextId: null });
    const options = await listQueueFilterOptions(a.organizer, { courseId: b.courseId });
    expect(options.courses.map((c) => c.id)).toEqual([a.courseId]);
    expect(options.meetings).toEqual([]);
  });

  it('never lists drafts, and filters by state, 单位, group, late and 优秀', async () => {
    const { a, town, admin } = await twoCourses();
    const draft = await addReflection(a, a.memberId, 'draft');
    const other = await makeUser('cadre', { name: '曾建辉' });
    await getDb().insert(courseMembers).values({ courseId: a.courseId, userId: other }).run();
    const approved = await addReflection(a, other, 'approved');
    await getDb().update(reflections).set({ late: true, excellent: true }).where(eq(reflections.id, approved)).run();
    expect((await listReviewQueue(a.organizer, { state: 'all' })).items.map((r) => r.id)).toEqual([approved]);
    expect(await nextDigest(async () => await getReviewReflection(a.organizer, { id: draft }))).toBe(NOT_FOUND);
    expect((await listReviewQueue(a.organizer, {})).total).toBe(0);
    expect((await listReviewQueue(a.organizer, { state: 'approved', late: '1', excellent: '1' })).total).toBe(1);
    // a.memberId sits in 牛首镇 (under 樊城区); the other cadre has no unit.
    expect((await listReviewQueue(a.organizer, { state: 'all', unit: town })).total).toBe(0);
    expect((await listReviewQueue(a.organizer, { state: 'all', group: a.groupId })).total).toBe(0);
    expect((await listReviewQueue(admin, { state: 'all' })).total).toBe(1);
  });

  it('walks the queue with j/k and finds the next one still to review', async () => {
    const { a, admin, town } = await twoCourses();
    const db = getDb();
    const ids = await inOrder([0, 1, 2], async (i) => {
      // The newest one's author sits in the town of 牛首镇 and the others have no unit.
      const author = await makeUser('cadre', i === 2 ? { unitId: town } : {});
      await db.insert(courseMembers).values({ courseId: a.courseId, userId: author }).run();
      const id = await addReflection(a, author, 'submitted');
      await db.update(reflections).set({ submittedAt: new Date(Date.UTC(2020, 4, 10 + i)) }).where(eq(reflections.id, id)).run();
      return id;
    });
    const [oldest, middle, newest] = ids as [number, number, number];
    expect((await listReviewQueue(a.organizer, {})).items.map((r) => r.id)).toEqual([newest, middle, oldest]);
    expect(await getQueueNeighbors(a.organizer, { filter: {}, reflectionId: middle })).toEqual({ prevId: newest, nextId: oldest });
    expect(await getQueueNeighbors(a.organizer, { filter: { sort: 'old' }, reflectionId: middle })).toEqual({ prevId: oldest, nextId: newest });
    // The ends have no neighbour on their outer side; an admin walks the same queue.
    expect(await getQueueNeighbors(a.organizer, { filter: {}, reflectionId: newest })).toEqual({ prevId: null, nextId: middle });
    expect(await getQueueNeighbors(admin, { filter: {}, reflectionId: oldest })).toEqual({ prevId: middle, nextId: null });
    // By 单位 (no unit first), then newest first: middle, oldest, newest.
    expect(await getQueueNeighbors(a.organizer, { filter: { sort: 'unit' }, reflectionId: oldest })).toEqual({ prevId: middle, nextId: newest });
    expect(await getQueueNeighbors(a.organizer, { filter: { sort: 'unit' }, reflectionId: middle })).toEqual({ prevId: null, nextId: oldest });
    // Within a filter: only 待审阅 ones are neighbours once the oldest is approved.
    await db.update(reflections).set({ status: 'approved' }).where(eq(reflections.id, oldest)).run();
    expect(await getQueueNeighbors(a.organizer, { filter: {}, reflectionId: middle })).toEqual({ prevId: newest, nextId: null });
    expect(await getQueueNeighbors(a.organizer, { filter: { state: 'all' }, reflectionId: middle })).toEqual({ prevId: newest, nextId: oldest });
    await db.update(reflections).set({ status: 'submitted' }).where(eq(reflections.id, oldest)).run();
    expect(await nextPendingReflection(a.organizer, { filter: {}, afterId: newest })).toBe(middle);
    // Past the end it starts again from the top, never offering the same one.
    expect(await nextPendingReflection(a.organizer, { filter: {}, afterId: oldest })).toBe(newest);
  });

  it('refuses cadres everything', async () => {
    const { a, cadre } = await twoCourses();
    const id = await addReflection(a, a.memberId, 'submitted');
    expect(await nextDigest(async () => await listReviewQueue(cadre, {}))).toBe(FORBIDDEN);
    expect(await nextDigest(() => countReviewStates(cadre, {}))).toBe(FORBIDDEN);
    expect(await nextDigest(async () => await getReviewReflection(cadre, { id }))).toBe(FORBIDDEN);
    expect(await decideReflection(cadre, decide({ reflectionId: id, expectedRevision: 1 }), req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await setReflectionExcellent(cadre, { reflectionId: id, expectedRevision: 1, excellent: 'on' }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await addInternalNote(cadre, { reflectionId: id, body: '备注' }, req)).toMatchObject({ ok: false, code: 'forbidden' });
  });
});
