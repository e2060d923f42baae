import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { auditDown, auditUp, isAuditDown } from '@/test/audit-down';
import { assignments, courseMembers, courseOrganizers, courses } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { FORBIDDEN, NOT_FOUND, makeUser, nextDigest, signedIn, useTestDatabase } from '@/test/db';
import {
  addCourseOrganizer,
  COURSE_HAS_REFLECTIONS,
  createCourse,
  deleteCourse,
  getCourse,
  listCourses,
  PAGE_SIZE,
  removeCourseOrganizer,
  searchOrganizerCandidates,
  setCourseArchived,
  updateCourse,
} from './courses';
import { addReflection, auditOf, req, snapshot, twoCourses } from './courses.fixtures';

const fields = (over: Partial<Parameters<typeof createCourse>[1]> = {}) => ({
  name: '2020年全区党组织书记读书班',
  columnName: '书记读书班',
  publisher: '中共樊城区委组织部',
  startsOn: '2020-05-09',
  endsOn: '2020-06-30',
  description: '围绕《论党的自我革命》开展集中学习。',
  ...over,
});

/** Every course read, aimed at one course: a refused read throws forbidden() or notFound(). */
function everyRead(v: Viewer, courseId: number): [string, () => unknown | Promise<unknown>][] {
  return [
    ['getCourse', async () => await getCourse(v, { id: courseId })],
    ['searchOrganizerCandidates', async () => await searchOrganizerCandidates(v, { courseId, q: '测试' })],
  ];
}

/** Every course change, aimed at one course: a refused change returns its failure. */
function everyChange(v: Viewer, courseId: number, userId: number): [string, () => unknown | Promise<unknown>][] {
  return [
    ['updateCourse', async () => await updateCourse(v, { id: courseId, ...fields({ name: '改名' }) }, req)],
    ['setCourseArchived', async () => await setCourseArchived(v, { id: courseId, archived: 'true' }, req)],
    ['deleteCourse', async () => await deleteCourse(v, { id: courseId }, req)],
    ['addCourseOrganizer', async () => await addCourseOrganizer(v, { courseId, userId }, req)],
    ['removeCourseOrganizer', async () => await removeCourseOrganizer(v, { courseId, userId }, req)],
  ];
}

describe('course queries: who may do what', () => {
  useTestDatabase();

  it('a cadre is refused everything and nothing changes', async () => {
    const { a, cadre } = await twoCourses();
    const before = await snapshot();
    expect(await nextDigest(async () => await listCourses(cadre))).toBe(FORBIDDEN);
    expect(await createCourse(cadre, fields(), req)).toMatchObject({ ok: false, code: 'forbidden' });
    for (const [name, call] of everyRead(cadre, a.courseId)) expect(await nextDigest(call), name).toBe(FORBIDDEN);
    for (const [name, call] of everyChange(cadre, a.courseId, a.organizer.id)) {
      expect(await call(), name).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('an organizer who must change their password is refused', async () => {
    const { a } = await twoCourses();
    const v = await signedIn('organizer', { mustChangePassword: true });
    await getDb().insert(courseOrganizers).values({ courseId: a.courseId, userId: v.id }).run();
    expect(await nextDigest(async () => await getCourse(v, { id: a.courseId }))).toBe(FORBIDDEN);
    expect(await nextDigest(async () => await listCourses(v))).toBe(FORBIDDEN);
    expect(await updateCourse(v, { id: a.courseId, ...fields({ name: '改名' }) }, req)).toMatchObject({
      ok: false,
      code: 'must_change_password',
    });
  });

  it('an organizer of course A gets notFound for course B, and B is unchanged', async () => {
    const { a, b } = await twoCourses();
    const before = await snapshot();
    const v = a.organizer;
    expect(await nextDigest(async () => await getCourse(v, { id: b.courseId }))).toBe(NOT_FOUND);
    for (const [name, call] of everyChange(v, b.courseId, b.organizer.id).filter(([n]) => !/Organizer/u.test(n))) {
      expect(await call(), name).toMatchObject({ ok: false, code: 'not_found' });
    }
    // Absent and not-yours look the same.
    expect(await nextDigest(async () => await getCourse(v, { id: 999999 }))).toBe(NOT_FOUND);
    expect(await snapshot()).toEqual(before);
    const list = await listCourses(v, { status: 'all' });
    expect(list.items.map((c) => c.id)).toEqual([a.courseId]);
    expect(list.total).toBe(1);
  });

  it('an organizer cannot assign or remove organizers, not even on their own course', async () => {
    const { a } = await twoCourses();
    const other = await makeUser('organizer');
    const before = await snapshot();
    const v = a.organizer;
    expect(await addCourseOrganizer(v, { courseId: a.courseId, userId: other }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await removeCourseOrganizer(v, { courseId: a.courseId, userId: v.id }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await nextDigest(async () => await searchOrganizerCandidates(v, { courseId: a.courseId, q: '测试' }))).toBe(FORBIDDEN);
    expect(await snapshot()).toEqual(before);
  });

  it('an admin sees and changes every course', async () => {
    const { admin, a, b } = await twoCourses();
    expect((await listCourses(admin)).items.map((c) => c.id).sort()).toEqual([a.courseId, b.courseId].sort());
    expect((await getCourse(admin, { id: b.courseId })).organizers.map((o) => o.id)).toEqual([b.organizer.id]);
    expect(await updateCourse(admin, { id: b.courseId, ...fields({ name: '乙班新名' }) }, req)).toEqual({ ok: true, id: b.courseId });
    expect((await getCourse(admin, { id: b.courseId })).name).toBe('乙班新名');
  });
});

describe('creating and editing a course', () => {
  useTestDatabase();

  it('an organizer who creates a course runs it, with an audit row', async () => {
    const v = await signedIn('organizer');
    const result = await createCourse(v, fields(), req);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const course = await getCourse(v, { id: result.id });
    expect(course).toMatchObject({
      name: '2020年全区党组织书记读书班',
      columnName: '书记读书班',
      publisher: '中共樊城区委组织部',
      startsOn: '2020-05-09',
      endsOn: '2020-06-30',
      archived: false,
    });
    expect(course.organizers.map((o) => o.id)).toEqual([v.id]);
    const audit = await auditOf('course.create');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: v.id, targetType: 'course', targetId: String(result.id), ip: req.ip });
  });

  it('an admin who creates a course does not become its organizer', async () => {
    const admin = await signedIn('admin');
    const result = await createCourse(admin, fields(), req);
    if (!result.ok) throw new Error(result.message);
    expect((await getCourse(admin, { id: result.id })).organizers).toEqual([]);
  });

  it('refuses an empty name or an end before the start, and stores nothing', async () => {
    const v = await signedIn('organizer');
    const before = await snapshot();
    const noName = await createCourse(v, fields({ name: '  ' }), req);
    expect(noName).toMatchObject({ ok: false, code: 'invalid', fieldErrors: { name: ['请填写名称'] } });
    const backwards = await createCourse(v, fields({ startsOn: '2020-06-30', endsOn: '2020-05-09' }), req);
    expect(backwards).toMatchObject({ ok: false, fieldErrors: { endsOn: ['结束日期不能早于开始日期'] } });
    expect(await snapshot()).toEqual(before);
  });

  it('an update that breaks the rules changes nothing', async () => {
    const { a } = await twoCourses();
    const before = await snapshot();
    const result = await updateCourse(a.organizer, { id: a.courseId, ...fields({ startsOn: '2020-07-01', endsOn: '2020-05-01' }) }, req);
    expect(result.ok).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it('an update records which fields changed', async () => {
    const { a } = await twoCourses();
    const current = await getCourse(a.organizer, { id: a.courseId });
    await updateCourse(
      a.organizer,
      {
        id: a.courseId,
        name: current.name,
        columnName: '新栏目',
        publisher: current.publisher,
        startsOn: current.startsOn ?? '',
        endsOn: current.endsOn ?? '',
        description: current.description,
      },
      req,
    );
    expect((await auditOf('course.update'))[0]?.detail).toEqual({ changed: ['columnName'] });
  });

  it('the audit row is part of the change: when it cannot be written, nothing is', async () => {
    const { a } = await twoCourses();
    const before = await snapshot();
    await auditDown();
    await expect(createCourse(a.organizer, fields(), req)).rejects.toSatisfy(isAuditDown);
    await expect(updateCourse(a.organizer, { id: a.courseId, ...fields({ name: '改名' }) }, req)).rejects.toSatisfy(isAuditDown);
    await auditUp();
    expect(await snapshot()).toEqual(before);
  });

  it('archives and restores; archived courses leave the everyday list', async () => {
    const { a } = await twoCourses();
    expect((await setCourseArchived(a.organizer, { id: a.courseId, archived: 'true' }, req)).ok).toBe(true);
    expect((await listCourses(a.organizer)).total).toBe(0);
    expect((await listCourses(a.organizer, { status: 'archived' })).items.map((c) => c.id)).toEqual([a.courseId]);
    await setCourseArchived(a.organizer, { id: a.courseId, archived: 'false' }, req);
    expect((await listCourses(a.organizer)).total).toBe(1);
    expect(await auditOf('course.archive')).toHaveLength(1);
    expect(await auditOf('course.unarchive')).toHaveLength(1);
  });

  it('deletes a course nobody has written in, and keeps one with reflections', async () => {
    const { a, b } = await twoCourses();
    await addReflection(b, b.memberId, 'draft');
    const before = await snapshot();
    expect(await deleteCourse(b.organizer, { id: b.courseId }, req)).toMatchObject({ ok: false, message: COURSE_HAS_REFLECTIONS });
    expect(await snapshot()).toEqual(before);
    expect(await deleteCourse(a.organizer, { id: a.courseId }, req)).toEqual({ ok: true, id: a.courseId });
    expect(await getDb().select().from(courses).where(eq(courses.id, a.courseId)).get()).toBeUndefined();
    expect((await auditOf('course.delete'))[0]?.detail).toEqual({ name: '2020年甲读书班' });
  });
});

describe('listing courses', () => {
  useTestDatabase();

  it('pages by 25 and searches by name or 栏目', async () => {
    const admin = await signedIn('admin');
    for (let i = 1; i <= 30; i++) {
      await createCourse(admin, fields({ name: `第${i}期读书班`, columnName: i === 7 ? '书记读书班' : '', startsOn: '', endsOn: '' }), req);
    }
    const first = await listCourses(admin, { page: 1 });
    expect(first.items).toHaveLength(PAGE_SIZE);
    expect(first).toMatchObject({ total: 30, pageCount: 2, page: 1 });
    expect((await listCourses(admin, { page: 2 })).items).toHaveLength(5);
    // A page past the end shows the last page.
    expect((await listCourses(admin, { page: 9 })).page).toBe(2);
    expect((await listCourses(admin, { q: '第12期' })).items.map((c) => c.name)).toEqual(['第12期读书班']);
    expect((await listCourses(admin, { q: '书记' })).items.map((c) => c.name)).toEqual(['第7期读书班']);
    // LIKE wildcards are literal.
    expect((await listCourses(admin, { q: '%' })).total).toBe(0);
  });

  it('counts members, meetings, assignments and reflections handed in out of those expected', async () => {
    const { a, b } = await twoCourses();
    const db = getDb();
    const second = await makeUser('cadre');
    const third = await makeUser('cadre');
    const gone = await makeUser('cadre');
    await db.insert(courseMembers)
      .values([
        { courseId: a.courseId, userId: second },
        { courseId: a.courseId, userId: third },
      ])
      .run();
    const extra = (await db
      .insert(assignments)
      .values({ meetingId: a.meetingId, courseId: a.courseId, title: '第二篇', dueAt: new Date('2020-06-01T00:00:00Z') })
      .returning({ id: assignments.id })
      .get()).id;
    await addReflection(a, a.memberId, 'submitted');
    await addReflection(a, a.memberId, 'approved', extra);
    await addReflection(a, second, 'returned');
    await addReflection(a, third, 'draft');
    // Someone who wrote and then left the course is not counted.
    await addReflection(a, gone, 'submitted', extra);
    await addReflection(b, b.memberId, 'submitted');

    const item = (await listCourses(a.organizer)).items[0];
    expect(item).toMatchObject({
      id: a.courseId,
      memberCount: 3,
      groupCount: 1,
      meetingCount: 1,
      assignmentCount: 2,
      submittedCount: 3,
      expectedCount: 6,
      pendingReviewCount: 1,
    });
    expect(item?.organizerNames).toEqual([a.organizer.name]);
    expect(await getCourse(a.organizer, { id: a.courseId })).toMatchObject({ submittedCount: 3, expectedCount: 6 });
  });
});

describe('assigning organizers (admins only)', () => {
  useTestDatabase();

  it('finds active organizers by 姓名 or 账号 and marks those already assigned', async () => {
    const { admin, a } = await twoCourses();
    await makeUser('organizer', { name: '王晓丽', username: 'wangxl' });
    await makeUser('organizer', { name: '王停用', username: 'wangty', active: false });
    await makeUser('cadre', { name: '王学员', username: 'wangxy' });
    expect((await searchOrganizerCandidates(admin, { courseId: a.courseId, q: '王' })).items.map((u) => u.name)).toEqual(['王晓丽']);
    expect((await searchOrganizerCandidates(admin, { courseId: a.courseId, q: 'WANGXL' })).items.map((u) => u.name)).toEqual(['王晓丽']);
    expect((await searchOrganizerCandidates(admin, { courseId: a.courseId, q: '' })).items).toEqual([]);
    const mine = await searchOrganizerCandidates(admin, { courseId: a.courseId, q: a.organizer.username });
    expect(mine.items).toEqual([expect.objectContaining({ id: a.organizer.id, assigned: true })]);
    expect(await nextDigest(async () => await searchOrganizerCandidates(admin, { courseId: 999999, q: '王' }))).toBe(NOT_FOUND);
  });

  it('adds and removes organizers, the last one too, with audit rows', async () => {
    const { admin, a } = await twoCourses();
    const other = await makeUser('organizer');
    expect(await addCourseOrganizer(admin, { courseId: a.courseId, userId: other }, req)).toEqual({ ok: true, id: a.courseId });
    expect(await addCourseOrganizer(admin, { courseId: a.courseId, userId: other }, req)).toMatchObject({ ok: false, code: 'conflict' });
    expect((await getCourse(admin, { id: a.courseId })).organizers).toHaveLength(2);
    expect((await removeCourseOrganizer(admin, { courseId: a.courseId, userId: other }, req)).ok).toBe(true);
    expect((await removeCourseOrganizer(admin, { courseId: a.courseId, userId: a.organizer.id }, req)).ok).toBe(true);
    expect((await getCourse(admin, { id: a.courseId })).organizers).toEqual([]);
    expect(await removeCourseOrganizer(admin, { courseId: a.courseId, userId: a.organizer.id }, req)).toMatchObject({ ok: false });
    expect(await auditOf('course.organizer.add')).toHaveLength(1);
    expect((await auditOf('course.organizer.remove')).map((r) => r.detail?.organizersLeft)).toEqual([1, 0]);
    // The removed organizer no longer reaches the course.
    expect(await nextDigest(async () => await getCourse(a.organizer, { id: a.courseId }))).toBe(NOT_FOUND);
  });

  it('only active organizer accounts can be assigned', async () => {
    const { admin, a } = await twoCourses();
    const before = await snapshot();
    for (const userId of [await makeUser('cadre'), await makeUser('admin'), await makeUser('organizer', { active: false })]) {
      expect(await addCourseOrganizer(admin, { courseId: a.courseId, userId }, req)).toMatchObject({ ok: false, code: 'invalid' });
    }
    expect(await addCourseOrganizer(admin, { courseId: a.courseId, userId: 999999 }, req)).toMatchObject({ ok: false });
    expect(await addCourseOrganizer(admin, { courseId: 999999, userId: a.organizer.id }, req)).toMatchObject({ ok: false, code: 'not_found' });
    const after = await snapshot();
    expect(after.organizers).toEqual(before.organizers);
    expect(after.audit).toEqual(before.audit);
  });
});
