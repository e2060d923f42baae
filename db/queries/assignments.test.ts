import { describe, expect, it } from 'vitest';
import { auditDown, auditUp, isAuditDown } from '@/test/audit-down';
import type { Viewer } from '@/lib/auth/viewer-type';
import { CUTOFF_BEFORE_DUE, MIN_OVER_MAX } from '@/lib/validation/courses';
import { FORBIDDEN, NOT_FOUND, makeUser, nextDigest, useTestDatabase } from '@/test/db';
import {
  ASSIGNMENT_HAS_REFLECTIONS,
  createAssignment,
  deleteAssignment,
  getAssignment,
  listAssignmentsForMeeting,
  updateAssignment,
} from './assignments';
import { addReflection, auditOf, req, snapshot, twoCourses, type CourseFixture } from './courses.fixtures';
import { getDb } from '@/db';
import { courseMembers } from '@/db/schema';

// As the form sends them: times are wall-clock times in Asia/Shanghai, 18:00 there is 10:00Z.
const due = new Date('2020-05-16T10:00:00Z');
const fields = (over: Partial<Parameters<typeof updateAssignment>[1]> = {}) => ({
  title: '第六次集中学习心得',
  prompt: '结合本职工作,谈谈学习《论党的自我革命》的体会。',
  dueAt: '2020-05-16T18:00',
  cutoffAt: '2020-05-18T18:00',
  minChars: '500',
  maxChars: '2000',
  allowLate: 'on' as const,
  readingIds: [] as number[],
  ...over,
});

/** The reads, which throw forbidden() or notFound() when refused. */
function reads(v: Viewer, fx: CourseFixture): [string, () => unknown | Promise<unknown>][] {
  return [
    ['listAssignmentsForMeeting', async () => await listAssignmentsForMeeting(v, { meetingId: fx.meetingId })],
    ['getAssignment', async () => await getAssignment(v, { id: fx.assignmentId })],
  ];
}

/** The changes, which return their failure when refused. */
function changes(v: Viewer, fx: CourseFixture): [string, () => unknown | Promise<unknown>][] {
  return [
    ['createAssignment', async () => await createAssignment(v, { meetingId: fx.meetingId, ...fields() }, req)],
    ['updateAssignment', async () => await updateAssignment(v, { id: fx.assignmentId, ...fields() }, req)],
    ['deleteAssignment', async () => await deleteAssignment(v, { id: fx.assignmentId }, req)],
  ];
}

describe('assignment queries: who may do what', () => {
  useTestDatabase();

  it('a cadre is refused everything, even in their own course', async () => {
    const { a, cadre } = await twoCourses();
    const before = await snapshot();
    for (const [name, call] of reads(cadre, a)) expect(await nextDigest(call), name).toBe(FORBIDDEN);
    for (const [name, call] of changes(cadre, a)) expect(await call(), name).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await snapshot()).toEqual(before);
  });

  it('an organizer of course A gets notFound for the assignments of course B, and nothing changes', async () => {
    const { a, b } = await twoCourses();
    const before = await snapshot();
    for (const [name, call] of reads(a.organizer, b)) expect(await nextDigest(call), name).toBe(NOT_FOUND);
    for (const [name, call] of changes(a.organizer, b)) expect(await call(), name).toMatchObject({ ok: false, code: 'not_found' });
    expect(await snapshot()).toEqual(before);
  });

  it('an admin reaches every course', async () => {
    const { admin, b } = await twoCourses();
    expect((await getAssignment(admin, { id: b.assignmentId })).title).toBe('开班心得');
    expect((await createAssignment(admin, { meetingId: b.meetingId, ...fields() }, req)).ok).toBe(true);
    expect(await listAssignmentsForMeeting(admin, { meetingId: b.meetingId })).toHaveLength(2);
  });
});

describe('assignments of a meeting', () => {
  useTestDatabase();

  it('creates an assignment under the meeting, in its course, with readings and an audit row', async () => {
    const { a } = await twoCourses();
    const result = await createAssignment(a.organizer, { meetingId: a.meetingId, ...fields({ readingIds: [a.readingId] }) }, req);
    if (!result.ok) throw new Error(result.message);
    expect(await getAssignment(a.organizer, { id: result.id })).toMatchObject({
      meetingId: a.meetingId,
      courseId: a.courseId,
      title: '第六次集中学习心得',
      dueAt: due,
      cutoffAt: new Date('2020-05-18T10:00:00Z'),
      minChars: 500,
      maxChars: 2000,
      allowLate: true,
      readings: [expect.objectContaining({ id: a.readingId })],
      // Its only member joined today, after the 2020 cut-off: not expected (db/queries/expected).
      expectedCount: 0,
      submittedCount: 0,
    });
    expect((await auditOf('assignment.create'))[0]).toMatchObject({
      actorId: a.organizer.id,
      targetId: String(result.id),
      detail: { courseId: a.courseId, meetingId: a.meetingId, title: '第六次集中学习心得' },
    });
  });

  it('refuses a cut-off before the due time, a minimum over the maximum, or an empty name, and changes nothing', async () => {
    const { a } = await twoCourses();
    const before = await snapshot();
    const early = await createAssignment(a.organizer, { meetingId: a.meetingId, ...fields({ cutoffAt: '2020-05-16T17:59' }) }, req);
    expect(early).toMatchObject({ ok: false, fieldErrors: { cutoffAt: [CUTOFF_BEFORE_DUE] } });
    const inverted = await updateAssignment(a.organizer, { id: a.assignmentId, ...fields({ minChars: '3000', maxChars: '1000' }) }, req);
    expect(inverted).toMatchObject({ ok: false, fieldErrors: { maxChars: [MIN_OVER_MAX] } });
    const unnamed = await createAssignment(a.organizer, { meetingId: a.meetingId, ...fields({ title: '' }) }, req);
    expect(unnamed).toMatchObject({ ok: false, fieldErrors: { title: ['请填写任务名称'] } });
    const badReading = await createAssignment(a.organizer, { meetingId: a.meetingId, ...fields({ readingIds: [999999] }) }, req);
    expect(badReading).toMatchObject({ ok: false });
    expect(await snapshot()).toEqual(before);
  });

  it('accepts a cut-off equal to the due time, no maximum (0) with any minimum, and no cut-off', async () => {
    const { a } = await twoCourses();
    expect((await createAssignment(a.organizer, { meetingId: a.meetingId, ...fields({ cutoffAt: '2020-05-16T18:00' }) }, req)).ok).toBe(true);
    expect((await createAssignment(a.organizer, { meetingId: a.meetingId, ...fields({ minChars: '800', maxChars: '0' }) }, req)).ok).toBe(true);
    const r = await createAssignment(a.organizer, { meetingId: a.meetingId, ...fields({ cutoffAt: '', allowLate: undefined }) }, req);
    if (!r.ok) throw new Error(r.message);
    expect(await getAssignment(a.organizer, { id: r.id })).toMatchObject({ cutoffAt: null, allowLate: false });
  });

  it('updates fields and readings', async () => {
    const { a, b } = await twoCourses();
    const r = await updateAssignment(a.organizer, { id: a.assignmentId, ...fields({ title: '新题', readingIds: [b.readingId] }) }, req);
    expect(r).toEqual({ ok: true, id: a.assignmentId });
    const got = await getAssignment(a.organizer, { id: a.assignmentId });
    expect(got.title).toBe('新题');
    expect(got.readings.map((x) => x.id)).toEqual([b.readingId]);
    expect(await auditOf('assignment.update')).toHaveLength(1);
  });

  it('counts what current members have handed in', async () => {
    const { a } = await twoCourses();
    const second = await makeUser('cadre');
    const left = await makeUser('cadre');
    await getDb().insert(courseMembers).values({ courseId: a.courseId, userId: second }).run();
    await addReflection(a, a.memberId, 'approved');
    await addReflection(a, second, 'draft');
    await addReflection(a, left, 'submitted');
    expect((await listAssignmentsForMeeting(a.organizer, { meetingId: a.meetingId }))[0]).toMatchObject({
      submittedCount: 1,
      expectedCount: 2,
    });
  });

  it('deletes an assignment nobody has written for, and keeps one with reflections', async () => {
    const { a, b } = await twoCourses();
    await addReflection(b, b.memberId, 'draft');
    const before = await snapshot();
    expect(await deleteAssignment(b.organizer, { id: b.assignmentId }, req)).toMatchObject({ ok: false, message: ASSIGNMENT_HAS_REFLECTIONS });
    expect(await snapshot()).toEqual(before);
    expect(await deleteAssignment(a.organizer, { id: a.assignmentId }, req)).toEqual({
      ok: true,
      id: a.assignmentId,
      courseId: a.courseId,
      meetingId: a.meetingId,
    });
    expect(await listAssignmentsForMeeting(a.organizer, { meetingId: a.meetingId })).toEqual([]);
  });

  it('the audit row is part of the change', async () => {
    const { a } = await twoCourses();
    const before = await snapshot();
    await auditDown();
    await expect(createAssignment(a.organizer, { meetingId: a.meetingId, ...fields() }, req)).rejects.toSatisfy(isAuditDown);
    await auditUp();
    expect(await snapshot()).toEqual(before);
  });
});
