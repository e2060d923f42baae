import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { addReflection, auditOf, req, twoCourses } from '@/db/queries/courses.fixtures';
import { getMyAssignment, listMyAssignments, saveDraft } from '@/db/queries/reflections';
import {
  addInternalNote,
  countReviewStates,
  decideReflection,
  getQueueNeighbors,
  getReviewReflection,
  listQueueFilterOptions,
  listReviewQueue,
  nextPendingReflection,
  setReflectionExcellent,
} from '@/db/queries/review';
import { courseMembers, notifications, reflectionComments, reflections, users } from '@/db/schema';
import { decideSchema } from '@/lib/validation/review';
import { FORBIDDEN, makeUser, nextDigest, NOT_FOUND, useTestDatabase } from '@/test/db';

function decide(over: Record<string, unknown> & { reflectionId: number; expectedRevision: number }) {
  return decideSchema.parse({ decision: 'approve', comment: '', ...over });
}

function rowOf(id: number) {
  return getDb().select().from(reflections).where(eq(reflections.id, id)).get()!;
}

function allState() {
  const db = getDb();
  return {
    reflections: db.select().from(reflections).orderBy(asc(reflections.id)).all(),
    comments: db.select().from(reflectionComments).orderBy(asc(reflectionComments.id)).all(),
    notifications: db.select().from(notifications).orderBy(asc(notifications.id)).all(),
  };
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
    expect(nextDigest(() => decideReflection(cadre, decide({ reflectionId: id, expectedRevision: 1 }), req))).toBe(FORBIDDEN);
    expect(nextDigest(() => setReflectionExcellent(cadre, { reflectionId: id, expectedRevision: 1, excellent: true }, req))).toBe(FORBIDDEN);
    expect(nextDigest(() => addInternalNote(cadre, { reflectionId: id, body: '备注' }, req))).toBe(FORBIDDEN);
  });
});

describe('decisions', () => {
  useTestDatabase();

  it('returns with a comment: status, comments, notification and audit together', () => {
    const { a } = twoCourses();
    const id = addReflection(a, a.memberId, 'submitted');
    const result = decideReflection(
      a.organizer,
      decide({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: '请结合分管工作展开。', internalNote: '论据偏少' }),
      req,
    );
    expect(result).toMatchObject({ ok: true, status: 'returned', revision: 2 });
    expect(rowOf(id)).toMatchObject({ status: 'returned', revision: 2 });
    const comments = getDb().select().from(reflectionComments).where(eq(reflectionComments.reflectionId, id)).all();
    expect(comments.map((c) => [c.decision, c.body, c.internal, c.version])).toEqual([
      ['return', '请结合分管工作展开。', false, 1],
      [null, '论据偏少', true, 1],
    ]);
    const note = getDb().select().from(notifications).where(eq(notifications.userId, a.memberId)).all();
    expect(note).toMatchObject([{ kind: 'returned', title: '心得被退回修改', body: '请结合分管工作展开。', link: `/my/assignments/${a.assignmentId}` }]);
    expect(auditOf('reflection.return')).toMatchObject([{ actorId: a.organizer.id, targetId: String(id) }]);
  });

  it('approves with 优秀 and tells the author', () => {
    const { a } = twoCourses();
    const id = addReflection(a, a.memberId, 'submitted');
    expect(decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 1, excellent: 'on' }), req)).toMatchObject({
      ok: true,
      status: 'approved',
    });
    expect(rowOf(id)).toMatchObject({ status: 'approved', excellent: true });
    expect(getDb().select().from(notifications).all()).toMatchObject([{ userId: a.memberId, kind: 'approved', title: '心得已通过' }]);
    expect(auditOf('reflection.approve')).toHaveLength(1);
    // Approved is final.
    expect(decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 2, decision: 'return', comment: '再改改' }), req)).toMatchObject({
      ok: false,
      code: 'not_allowed',
    });
  });

  it('changes nothing on a stale revision and reports the current state', () => {
    const { a } = twoCourses();
    const id = addReflection(a, a.memberId, 'submitted');
    expect(decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 1, comment: '很好' }), req).ok).toBe(true);
    const before = allState();
    const second = decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: '请修改' }), req);
    expect(second).toMatchObject({
      ok: false,
      code: 'stale',
      message: '这篇心得刚被其他人处理过',
      current: { status: 'approved', revision: 2, lastDecision: { decision: 'approve', body: '很好' } },
    });
    expect(allState()).toEqual(before);
    expect(setReflectionExcellent(a.organizer, { reflectionId: id, expectedRevision: 1, excellent: true }, req)).toMatchObject({ code: 'stale' });
    expect(allState()).toEqual(before);
    // A note is only ever added: it is kept even though the reflection moved on, and moves nothing.
    expect(addInternalNote(a.organizer, { reflectionId: id, body: '备注' }, req)).toMatchObject({ ok: true, revision: 2 });
  });

  it('refuses to return without a comment, in the schema and in the query', () => {
    const { a } = twoCourses();
    const id = addReflection(a, a.memberId, 'submitted');
    expect(decideSchema.safeParse({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: ' 好 ' }).success).toBe(false);
    const before = allState();
    const raw = { reflectionId: id, expectedRevision: 1, decision: 'return' as const, comment: '', internalNote: '', excellent: false };
    expect(decideReflection(a.organizer, raw, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(allState()).toEqual(before);
  });

  it('does not let an organizer decide on another course', () => {
    const { a, b } = twoCourses();
    const theirs = addReflection(b, b.memberId, 'submitted');
    const before = allState();
    expect(nextDigest(() => decideReflection(a.organizer, decide({ reflectionId: theirs, expectedRevision: 1 }), req))).toBe(NOT_FOUND);
    expect(nextDigest(() => addInternalNote(a.organizer, { reflectionId: theirs, body: '备注' }, req))).toBe(NOT_FOUND);
    expect(allState()).toEqual(before);
  });

  it('an internal note added while the cadre revises a returned reflection does not make their save conflict', () => {
    const { a, cadre } = twoCourses();
    const id = addReflection(a, a.memberId, 'returned');
    const base = getMyAssignment(cadre, { assignmentId: a.assignmentId });
    const revision = base.reflection?.revision ?? 0;
    expect(revision).toBeGreaterThan(0);
    expect(addInternalNote(a.organizer, { reflectionId: id, body: '退回后再看一眼' }, req)).toMatchObject({ ok: true });
    const saved = saveDraft(cadre, { assignmentId: a.assignmentId, title: '修改后的标题', body: '补充了具体举措。', readingIds: [], baseRevision: revision });
    expect(saved).toMatchObject({ ok: true });
  });

  it('marks 优秀 only once approved, and keeps internal notes from the cadre', () => {
    const { a, cadre } = twoCourses();
    const id = addReflection(a, a.memberId, 'submitted');
    expect(setReflectionExcellent(a.organizer, { reflectionId: id, expectedRevision: 1, excellent: true }, req)).toMatchObject({ code: 'not_allowed' });
    expect(addInternalNote(a.organizer, { reflectionId: id, body: '可选入简报' }, req)).toMatchObject({ ok: true, revision: 1 });
    decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: '请补充实例。', internalNote: '内部:文字偏空' }), req);
    const organizerView = getReviewReflection(a.organizer, { id });
    expect(organizerView.comments.filter((c) => c.internal).map((c) => c.body)).toEqual(['可选入简报', '内部:文字偏空']);

    const mine = getMyAssignment(cadre, { assignmentId: a.assignmentId });
    expect(mine.comments.map((c) => c.body)).toEqual(['请补充实例。']);
    expect(JSON.stringify(mine)).not.toContain('可选入简报');
    expect(JSON.stringify(mine)).not.toContain('文字偏空');
    const list = listMyAssignments(cadre, { page: 1 });
    expect(JSON.stringify(list)).not.toContain('可选入简报');
    expect(JSON.stringify(list)).not.toContain('文字偏空');
    expect(list.items[0]?.latestComment?.body).toBe('请补充实例。');
    expect(auditOf('reflection.note')).toHaveLength(1);
  });

  it('shows 单位 and group names on the detail', () => {
    const { a } = twoCourses();
    const id = addReflection(a, a.memberId, 'submitted');
    const d = getReviewReflection(a.organizer, { id });
    const author = getDb().select().from(users).where(eq(users.id, a.memberId)).get()!;
    expect(d.author).toMatchObject({ name: author.name, unitName: '牛首镇', groupName: '第一组' });
    expect(d.readings.map((r) => r.title)).toEqual(['《甲篇目》']);
  });
});
