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

  it('shows an organizer only their own courses, in rows and in counts', () => {
    const { a, b } = twoCourses();
    const mine = addReflection(a, a.memberId, 'submitted');
    const theirs = addReflection(b, b.memberId, 'submitted');
    addReflection(b, makeUser('cadre'), 'approved');
    const queue = listReviewQueue(a.organizer, {});
    expect(queue.items.map((r) => r.id)).toEqual([mine]);
    expect(queue.total).toBe(1);
    expect(countReviewStates(a.organizer, {})).toEqual({ submitted: 1, returned: 0, approved: 0, all: 1 });
    // Naming the other course in the filter does not open it.
    expect(listReviewQueue(a.organizer, { course: b.courseId }).items).toEqual([]);
    expect(countReviewStates(a.organizer, { course: b.courseId, state: 'all' }).all).toBe(0);
    expect(nextDigest(() => getReviewReflection(a.organizer, { id: theirs }))).toBe(NOT_FOUND);
    expect(getQueueNeighbors(a.organizer, { filter: {}, reflectionId: theirs })).toEqual({ prevId: null, nextId: null });
    const options = listQueueFilterOptions(a.organizer, { courseId: b.courseId });
    expect(options.courses.map((c) => c.id)).toEqual([a.courseId]);
    expect(options.meetings).toEqual([]);
  });

  it('never lists drafts, and filters by state, 单位, group, late and 优秀', () => {
    const { a, town, admin } = twoCourses();
    const draft = addReflection(a, a.memberId, 'draft');
    const other = makeUser('cadre', { name: '曾建辉' });
    getDb().insert(courseMembers).values({ courseId: a.courseId, userId: other }).run();
    const approved = addReflection(a, other, 'approved');
    getDb().update(reflections).set({ late: true, excellent: true }).where(eq(reflections.id, approved)).run();
    expect(listReviewQueue(a.organizer, { state: 'all' }).items.map((r) => r.id)).toEqual([approved]);
    expect(nextDigest(() => getReviewReflection(a.organizer, { id: draft }))).toBe(NOT_FOUND);
    expect(listReviewQueue(a.organizer, {}).total).toBe(0);
    expect(listReviewQueue(a.organizer, { state: 'approved', late: '1', excellent: '1' }).total).toBe(1);
    // a.memberId sits in 牛首镇 (under 樊城区); the other cadre has no unit.
    expect(listReviewQueue(a.organizer, { state: 'all', unit: town }).total).toBe(0);
    expect(listReviewQueue(a.organizer, { state: 'all', group: a.groupId }).total).toBe(0);
    expect(listReviewQueue(admin, { state: 'all' }).total).toBe(1);
  });

  it('walks the queue with j/k and finds the next one still to review', () => {
    const { a } = twoCourses();
    const db = getDb();
    const ids = [0, 1, 2].map((i) => {
      const author = makeUser('cadre');
      db.insert(courseMembers).values({ courseId: a.courseId, userId: author }).run();
      const id = addReflection(a, author, 'submitted');
      db.update(reflections).set({ submittedAt: new Date(Date.UTC(2020, 4, 10 + i)) }).where(eq(reflections.id, id)).run();
      return id;
    });
    const [oldest, middle, newest] = ids as [number, number, number];
    expect(listReviewQueue(a.organizer, {}).items.map((r) => r.id)).toEqual([newest, middle, oldest]);
    expect(getQueueNeighbors(a.organizer, { filter: {}, reflectionId: middle })).toEqual({ prevId: newest, nextId: oldest });
    expect(getQueueNeighbors(a.organizer, { filter: { sort: 'old' }, reflectionId: middle })).toEqual({ prevId: oldest, nextId: newest });
    expect(nextPendingReflection(a.organizer, { filter: {}, afterId: newest })).toBe(middle);
    // Past the end it starts again from the top, never offering the same one.
    expect(nextPendingReflection(a.organizer, { filter: {}, afterId: oldest })).toBe(newest);
  });

  it('refuses cadres everything', () => {
    const { a, cadre } = twoCourses();
    const id = addReflection(a, a.memberId, 'submitted');
    expect(nextDigest(() => listReviewQueue(cadre, {}))).toBe(FORBIDDEN);
    expect(nextDigest(() => countReviewStates(cadre, {}))).toBe(FORBIDDEN);
    expect(nextDigest(() => getReviewReflection(cadre, { id }))).toBe(FORBIDDEN);
    expect(decideReflection(cadre, decide({ reflectionId: id, expectedRevision: 1 }), req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(setReflectionExcellent(cadre, { reflectionId: id, expectedRevision: 1, excellent: 'on' }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(addInternalNote(cadre, { reflectionId: id, body: '备注' }, req)).toMatchObject({ ok: false, code: 'forbidden' });
  });
});
