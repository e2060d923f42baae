import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { addReflection, auditOf, req, twoCourses } from '@/db/queries/courses.fixtures';
import { saveDraft } from '@/db/queries/reflections/drafts';
import { getMyAssignment, listMyAssignments } from '@/db/queries/reflections/reads';
import { addInternalNote, decideReflection, setReflectionExcellent } from '@/db/queries/review/decisions';
import { getReviewReflection } from '@/db/queries/review/detail';
import { notifications, reflectionComments, reflections, users } from '@/db/schema';
import { decideSchema, RETURN_NEEDS_COMMENT } from '@/lib/validation/review';
import { useTestDatabase } from '@/test/db';

/** A decision as the form sends it (the kernel parses it). */
function decide(over: Record<string, unknown> & { reflectionId: number; expectedRevision: number }) {
  return { decision: 'approve' as const, comment: '', ...over };
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
    expect(setReflectionExcellent(a.organizer, { reflectionId: id, expectedRevision: 1, excellent: 'on' }, req)).toMatchObject({ code: 'stale' });
    expect(allState()).toEqual(before);
    // A note is only ever added: it is kept even though the reflection moved on, and moves nothing.
    expect(addInternalNote(a.organizer, { reflectionId: id, body: '备注' }, req)).toMatchObject({ ok: true, revision: 2 });
  });

  it('refuses to return without a comment: the schema says so, and the kernel writes nothing', () => {
    const { a } = twoCourses();
    const id = addReflection(a, a.memberId, 'submitted');
    expect(decideSchema.safeParse({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: ' 好 ' }).success).toBe(false);
    const before = allState();
    expect(decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: '' }), req)).toMatchObject({
      ok: false,
      code: 'invalid',
      fieldErrors: { comment: [RETURN_NEEDS_COMMENT] },
    });
    expect(allState()).toEqual(before);
  });

  it('does not let an organizer decide on another course', () => {
    const { a, b } = twoCourses();
    const theirs = addReflection(b, b.memberId, 'submitted');
    const before = allState();
    expect(decideReflection(a.organizer, decide({ reflectionId: theirs, expectedRevision: 1 }), req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(addInternalNote(a.organizer, { reflectionId: theirs, body: '备注' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(setReflectionExcellent(a.organizer, { reflectionId: theirs, expectedRevision: 1 }, req)).toMatchObject({ ok: false, code: 'not_found' });
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
    expect(setReflectionExcellent(a.organizer, { reflectionId: id, expectedRevision: 1, excellent: 'on' }, req)).toMatchObject({ code: 'not_allowed' });
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
