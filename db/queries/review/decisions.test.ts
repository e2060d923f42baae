import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { addReflection, auditOf, req, twoCourses } from '@/db/queries/courses.fixtures';
import { saveDraft } from '@/db/queries/reflections/drafts';
import { getMyAssignment, listMyAssignments } from '@/db/queries/reflections/reads';
import { addInternalNote, decideReflection, setReflectionExcellent } from '@/db/queries/review/decisions';
import { getReviewReflection } from '@/db/queries/review/detail';
import { assignmentReadings, courseMembers, notifications, reflectionComments, reflectionReadings, reflections, users } from '@/db/schema';
import { makeAssignment, makeReading, makeReflection, makeTag, makeUser } from '@/db/factories';
import { decideSchema, RETURN_NEEDS_COMMENT } from '@/lib/validation/review';
import { useTestDatabase } from '@/test/db';

/** A decision as the form sends it (the kernel parses it). */
function decide(over: Record<string, unknown> & { reflectionId: number; expectedRevision: number }) {
  return { decision: 'approve' as const, comment: '', ...over };
}

async function rowOf(id: number) {
  return (await getDb().select().from(reflections).where(eq(reflections.id, id)).get())!;
}

async function allState() {
  const db = getDb();
  return {
    reflections: await db.select().from(reflections).orderBy(asc(reflections.id)).all(),
    comments: await db.select().from(reflectionComments).orderBy(asc(reflectionComments.id)).all(),
    notifications: await db.select().from(notifications).orderBy(asc(notifications.id)).all(),
  };
}

describe('decisions', () => {
  useTestDatabase();

  it('returns with a comment: status, comments, notification and audit together', async () => {
    const { a } = await twoCourses();
    const id = await addReflection(a, a.memberId, 'submitted');
    const result = await decideReflection(
      a.organizer,
      decide({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: '请结合分管工作展开。', internalNote: '论据偏少' }),
      req,
    );
    expect(result).toMatchObject({ ok: true, status: 'returned', revision: 2 });
    expect(await rowOf(id)).toMatchObject({ status: 'returned', revision: 2 });
    const comments = await getDb().select().from(reflectionComments).where(eq(reflectionComments.reflectionId, id)).all();
    expect(comments.map((c) => [c.decision, c.body, c.internal, c.version])).toEqual([
      ['return', '请结合分管工作展开。', false, 1],
      [null, '论据偏少', true, 1],
    ]);
    const note = await getDb().select().from(notifications).where(eq(notifications.userId, a.memberId)).all();
    expect(note).toMatchObject([{ kind: 'returned', title: '心得被退回修改', body: '请结合分管工作展开。', link: `/my/assignments/${a.assignmentId}` }]);
    expect(await auditOf('reflection.return')).toMatchObject([{ actorId: a.organizer.id, targetId: String(id) }]);
  });

  it('approves with 优秀 and tells the author', async () => {
    const { a } = await twoCourses();
    const id = await addReflection(a, a.memberId, 'submitted');
    expect(await decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 1, excellent: 'on' }), req)).toMatchObject({
      ok: true,
      status: 'approved',
    });
    expect(await rowOf(id)).toMatchObject({ status: 'approved', excellent: true });
    expect(await getDb().select().from(notifications).all()).toMatchObject([{ userId: a.memberId, kind: 'approved', title: '心得已通过' }]);
    expect(await auditOf('reflection.approve')).toHaveLength(1);
    // Approved is final.
    expect(await decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 2, decision: 'return', comment: '再改改' }), req)).toMatchObject({
      ok: false,
      code: 'not_allowed',
    });
  });

  it('changes nothing on a stale revision and reports the current state', async () => {
    const { a } = await twoCourses();
    const id = await addReflection(a, a.memberId, 'submitted');
    expect((await decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 1, comment: '很好' }), req)).ok).toBe(true);
    const before = await allState();
    const second = await decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: '请修改' }), req);
    expect(second).toMatchObject({
      ok: false,
      code: 'stale',
      message: '这篇心得刚被其他人处理过',
      current: { status: 'approved', revision: 2, lastDecision: { decision: 'approve', body: '很好' } },
    });
    expect(await allState()).toEqual(before);
    expect(await setReflectionExcellent(a.organizer, { reflectionId: id, expectedRevision: 1, excellent: 'on' }, req)).toMatchObject({ code: 'stale' });
    expect(await allState()).toEqual(before);
    // A note is only ever added: it is kept even though the reflection moved on, and moves nothing.
    expect(await addInternalNote(a.organizer, { reflectionId: id, body: '备注' }, req)).toMatchObject({ ok: true, revision: 2 });
  });

  it('refuses to return without a comment: the schema says so, and the kernel writes nothing', async () => {
    const { a } = await twoCourses();
    const id = await addReflection(a, a.memberId, 'submitted');
    expect(decideSchema.safeParse({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: ' 好 ' }).success).toBe(false);
    const before = await allState();
    expect(await decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: '' }), req)).toMatchObject({
      ok: false,
      code: 'invalid',
      fieldErrors: { comment: [RETURN_NEEDS_COMMENT] },
    });
    expect(await allState()).toEqual(before);
  });

  it('does not let an organizer decide on another course', async () => {
    const { a, b } = await twoCourses();
    const theirs = await addReflection(b, b.memberId, 'submitted');
    const before = await allState();
    expect(await decideReflection(a.organizer, decide({ reflectionId: theirs, expectedRevision: 1 }), req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await addInternalNote(a.organizer, { reflectionId: theirs, body: '备注' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await setReflectionExcellent(a.organizer, { reflectionId: theirs, expectedRevision: 1 }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await allState()).toEqual(before);
  });

  it('an internal note added while the cadre revises a returned reflection does not make their save conflict', async () => {
    const { a, cadre } = await twoCourses();
    const id = await addReflection(a, a.memberId, 'returned');
    const base = await getMyAssignment(cadre, { assignmentId: a.assignmentId });
    const revision = base.reflection?.revision ?? 0;
    expect(revision).toBeGreaterThan(0);
    expect(await addInternalNote(a.organizer, { reflectionId: id, body: '退回后再看一眼' }, req)).toMatchObject({ ok: true });
    const saved = await saveDraft(cadre, { assignmentId: a.assignmentId, title: '修改后的标题', body: '补充了具体举措。', readingIds: [], baseRevision: revision });
    expect(saved).toMatchObject({ ok: true });
  });

  it('marks 优秀 only once approved, and keeps internal notes from the cadre', async () => {
    const { a, cadre } = await twoCourses();
    const id = await addReflection(a, a.memberId, 'submitted');
    expect(await setReflectionExcellent(a.organizer, { reflectionId: id, expectedRevision: 1, excellent: 'on' }, req)).toMatchObject({ code: 'not_allowed' });
    expect(await addInternalNote(a.organizer, { reflectionId: id, body: '可选入简报' }, req)).toMatchObject({ ok: true, revision: 1 });
    await decideReflection(a.organizer, decide({ reflectionId: id, expectedRevision: 1, decision: 'return', comment: '请补充实例。', internalNote: '内部:文字偏空' }), req);
    const organizerView = await getReviewReflection(a.organizer, { id });
    expect(organizerView.comments.filter((c) => c.internal).map((c) => c.body)).toEqual(['可选入简报', '内部:文字偏空']);

    const mine = await getMyAssignment(cadre, { assignmentId: a.assignmentId });
    expect(mine.comments.map((c) => c.body)).toEqual(['请补充实例。']);
    expect(JSON.stringify(mine)).not.toContain('可选入简报');
    expect(JSON.stringify(mine)).not.toContain('文字偏空');
    const list = await listMyAssignments(cadre, { page: 1 });
    expect(JSON.stringify(list)).not.toContain('可选入简报');
    expect(JSON.stringify(list)).not.toContain('文字偏空');
    expect(list.items[0]?.latestComment?.body).toBe('请补充实例。');
    expect(await auditOf('reflection.note')).toHaveLength(1);
  });

  it('shows 单位 and group names on the detail', async () => {
    const { a } = await twoCourses();
    const id = await addReflection(a, a.memberId, 'submitted');
    const d = await getReviewReflection(a.organizer, { id });
    const author = (await getDb().select().from(users).where(eq(users.id, a.memberId)).get())!;
    expect(d.author).toMatchObject({ name: author.name, unitName: '牛首镇', groupName: '第一组' });
    expect(d.readings.map((r) => r.title)).toEqual(['《甲篇目》']);
  });

  it('shows the readings the cadre drew on, the meeting\'s readings when the assignment names none, and the tags', async () => {
    const { a, b } = await twoCourses();
    const db = getDb();
    const second = await makeReading({ title: '《乙篇目》', source: '' });
    await db.insert(assignmentReadings).values({ assignmentId: a.assignmentId, readingId: second }).run();
    const id = await addReflection(a, a.memberId, 'submitted');
    await db.insert(reflectionReadings).values({ reflectionId: id, readingId: second }).run();
    const applied = await makeTag(a.courseId, '基层治理', { reflectionIds: [id] });
    const other = await makeTag(a.courseId, '作风建设');
    await makeTag(b.courseId, '乙班标签');
    const d = await getReviewReflection(a.organizer, { id });
    expect(d.readings.map((r) => [r.title, r.source])).toEqual([['《甲篇目》', '人民出版社'], ['《乙篇目》', '']]);
    expect(d.citedReadingIds).toEqual([second]);
    expect(d.tags).toEqual([{ id: applied, name: '基层治理' }]);
    expect(d.courseTags.map((t) => t.id).sort((x, y) => x - y)).toEqual([applied, other].sort((x, y) => x - y));

    // An assignment without readings of its own: its meeting's.
    const bare = await makeAssignment(a.meetingId, { courseId: a.courseId, title: '第二篇心得' });
    const other2 = await makeUser('cadre');
    await db.insert(courseMembers).values({ courseId: a.courseId, userId: other2 }).run();
    const onBare = await makeReflection({ assignmentId: bare, authorId: other2, status: 'submitted' });
    const e = await getReviewReflection(a.organizer, { id: onBare });
    expect(e.readings.map((r) => r.title)).toEqual(['《甲篇目》']);
    expect(e.citedReadingIds).toEqual([]);
    expect(e.author.groupName).toBeNull();
    expect(e.tags).toEqual([]);
  });
});
