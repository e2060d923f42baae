import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { meetings, readings } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { FORBIDDEN, NOT_FOUND, nextDigest, useTestDatabase } from '@/test/db';
import { addReflection, auditOf, req, snapshot, twoCourses, type CourseFixture } from './courses.fixtures';
import { PAGE_SIZE } from './courses';
import { createMeeting, deleteMeeting, getMeeting, listMeetings, MEETING_HAS_REFLECTIONS, updateMeeting } from './meetings';

// As the form sends them: the time is a wall-clock time in Asia/Shanghai (06:30Z).
const meetingFields = (over: Partial<Parameters<typeof updateMeeting>[1]> = {}) => ({
  title: '第六次集中学习',
  startsAt: '2020-05-23T14:30',
  place: '街道社区党群服务中心',
  description: '原文导读《论党的自我革命》。',
  readingIds: [] as number[],
  ...over,
});

/** The reads, which throw forbidden() or notFound() when refused. */
function reads(v: Viewer, fx: CourseFixture): [string, () => unknown | Promise<unknown>][] {
  return [
    ['listMeetings', async () => await listMeetings(v, { courseId: fx.courseId })],
    ['getMeeting', async () => await getMeeting(v, { id: fx.meetingId })],
  ];
}

/** The changes, which return their failure when refused. */
function changes(v: Viewer, fx: CourseFixture): [string, () => unknown | Promise<unknown>][] {
  return [
    ['createMeeting', async () => await createMeeting(v, { courseId: fx.courseId, ...meetingFields() }, req)],
    ['updateMeeting', async () => await updateMeeting(v, { id: fx.meetingId, ...meetingFields() }, req)],
    ['deleteMeeting', async () => await deleteMeeting(v, { id: fx.meetingId }, req)],
  ];
}

describe('meeting queries: who may do what', () => {
  useTestDatabase();

  it('a cadre is refused everything, even in their own course', async () => {
    const { a, cadre } = await twoCourses();
    const before = await snapshot();
    for (const [name, call] of reads(cadre, a)) expect(await nextDigest(call), name).toBe(FORBIDDEN);
    for (const [name, call] of changes(cadre, a)) expect(await call(), name).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await snapshot()).toEqual(before);
  });

  it('an organizer of course A gets notFound for the meetings of course B, and nothing changes', async () => {
    const { a, b } = await twoCourses();
    const before = await snapshot();
    for (const [name, call] of reads(a.organizer, b)) expect(await nextDigest(call), name).toBe(NOT_FOUND);
    for (const [name, call] of changes(a.organizer, b)) expect(await call(), name).toMatchObject({ ok: false, code: 'not_found' });
    // Their own readings do not open a door into B either.
    expect(await updateMeeting(a.organizer, { id: b.meetingId, ...meetingFields({ readingIds: [a.readingId] }) }, req)).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('an admin reaches the meetings of every course', async () => {
    const { admin, b } = await twoCourses();
    expect((await getMeeting(admin, { id: b.meetingId })).title).toBe('开班式');
    expect((await updateMeeting(admin, { id: b.meetingId, ...meetingFields() }, req)).ok).toBe(true);
  });
});

describe('meetings of a course', () => {
  useTestDatabase();

  it('creates a meeting with its readings and an audit row', async () => {
    const { a, b } = await twoCourses();
    const result = await createMeeting(a.organizer, { courseId: a.courseId, ...meetingFields({ readingIds: [a.readingId, b.readingId] }) }, req);
    if (!result.ok) throw new Error(result.message);
    const m = await getMeeting(a.organizer, { id: result.id });
    expect(m).toMatchObject({
      courseId: a.courseId,
      courseName: '2020年甲读书班',
      title: '第六次集中学习',
      startsAt: new Date('2020-05-23T06:30:00Z'),
      place: '街道社区党群服务中心',
    });
    // Readings are a shared library: any reading may be used.
    expect(m.readings.map((r) => r.id).sort()).toEqual([a.readingId, b.readingId].sort());
    expect((await auditOf('meeting.create'))[0]).toMatchObject({ actorId: a.organizer.id, targetId: String(result.id) });
  });

  it('the datetime-local value is read in Asia/Shanghai', async () => {
    const { a } = await twoCourses();
    const result = await createMeeting(
      a.organizer,
      { courseId: String(a.courseId), title: '开班式', startsAt: '2020-05-09T09:00', place: '', description: '' },
      req,
    );
    if (!result.ok) throw new Error(result.message);
    expect((await getMeeting(a.organizer, { id: result.id })).startsAt?.toISOString()).toBe('2020-05-09T01:00:00.000Z');
  });

  it('replaces the readings on update', async () => {
    const { a } = await twoCourses();
    const other = (await getDb().insert(readings).values({ title: '《习近平关于城市工作论述摘编》' }).returning({ id: readings.id }).get()).id;
    expect((await updateMeeting(a.organizer, { id: a.meetingId, ...meetingFields({ readingIds: [other] }) }, req)).ok).toBe(true);
    expect((await getMeeting(a.organizer, { id: a.meetingId })).readings.map((r) => r.id)).toEqual([other]);
    await updateMeeting(a.organizer, { id: a.meetingId, ...meetingFields({ readingIds: [] }) }, req);
    expect((await getMeeting(a.organizer, { id: a.meetingId })).readings).toEqual([]);
    expect(await auditOf('meeting.update')).toHaveLength(2);
  });

  it('refuses an empty title or a reading that does not exist, and changes nothing', async () => {
    const { a } = await twoCourses();
    const before = await snapshot();
    expect(await createMeeting(a.organizer, { courseId: a.courseId, ...meetingFields({ title: ' ' }) }, req)).toMatchObject({
      ok: false,
      fieldErrors: { title: ['请填写标题'] },
    });
    expect(await updateMeeting(a.organizer, { id: a.meetingId, ...meetingFields({ readingIds: [a.readingId, 999999] }) }, req)).toMatchObject({
      ok: false,
      fieldErrors: { readingIds: expect.any(Array) as unknown },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('lists meetings in the order they are held, those without a time last, 25 a page', async () => {
    const { a } = await twoCourses();
    const db = getDb();
    await db.insert(meetings).values({ courseId: a.courseId, title: '待定' }).run();
    await db.insert(meetings).values({ courseId: a.courseId, title: '第二次', startsAt: new Date('2020-05-16T01:00:00Z') }).run();
    expect((await listMeetings(a.organizer, { courseId: a.courseId })).items.map((m) => m.title)).toEqual(['开班式', '第二次', '待定']);
    const first = (await listMeetings(a.organizer, { courseId: a.courseId })).items[0];
    expect(first).toMatchObject({ assignmentCount: 1, readings: [expect.objectContaining({ id: a.readingId })] });
    for (let i = 0; i < 30; i++) await db.insert(meetings).values({ courseId: a.courseId, title: `第${i}次` }).run();
    const page = await listMeetings(a.organizer, { courseId: a.courseId, page: 2 });
    expect(page).toMatchObject({ total: 33, pageCount: 2, page: 2 });
    expect(page.items).toHaveLength(33 - PAGE_SIZE);
  });

  it('deletes a meeting nobody has written for, and keeps one with reflections', async () => {
    const { a, b } = await twoCourses();
    await addReflection(b, b.memberId, 'draft');
    const before = await snapshot();
    expect(await deleteMeeting(b.organizer, { id: b.meetingId }, req)).toMatchObject({ ok: false, message: MEETING_HAS_REFLECTIONS });
    expect(await snapshot()).toEqual(before);
    expect(await deleteMeeting(a.organizer, { id: a.meetingId }, req)).toEqual({ ok: true, id: a.meetingId, courseId: a.courseId });
    expect(await nextDigest(async () => await getMeeting(a.organizer, { id: a.meetingId }))).toBe(NOT_FOUND);
    expect(await auditOf('meeting.delete')).toHaveLength(1);
  });
});
