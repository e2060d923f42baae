import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb, getSqlite } from '@/db';
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
function everyRead(v: Viewer, courseId: number): [string, () => unknown][] {
  return [
    ['getCourse', () => getCourse(v, { id: courseId })],
    ['searchOrganizerCandidates', () => searchOrganizerCandidates(v, { courseId, q: '测试' })],
  ];
}

/** Every course change, aimed at one course: a refused change returns its failure. */
function everyChange(v: Viewer, courseId: number, userId: number): [string, () => unknown][] {
  return [
    ['updateCourse', () => updateCourse(v, { id: courseId, ...fields({ name: '改名' }) }, req)],
    ['setCourseArchived', () => setCourseArchived(v, { id: courseId, archived: 'true' }, req)],
    ['deleteCourse', () => deleteCourse(v, { id: courseId }, req)],
    ['addCourseOrganizer', () => addCourseOrganizer(v, { courseId, userId }, req)],
    ['removeCourseOrganizer', () => removeCourseOrganizer(v, { courseId, userId }, req)],
  ];
}

describe('course queries: who may do what', () => {
  useTestDatabase();

  it('a cadre is refused everything and nothing changes', () => {
    const { a, cadre } = twoCourses();
    const before = snapshot();
    expect(nextDigest(() => listCourses(cadre))).toBe(FORBIDDEN);
    expect(createCourse(cadre, fields(), req)).toMatchObject({ ok: false, code: 'forbidden' });
    for (const [name, call] of everyRead(cadre, a.courseId)) expect(nextDigest(call), name).toBe(FORBIDDEN);
    for (const [name, call] of everyChange(cadre, a.courseId, a.organizer.id)) {
      expect(call(), name).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect(snapshot()).toEqual(before);
  });

  it('an organizer who must change their password is refused', () => {
    const { a } = twoCourses();
    const v = signedIn('organizer', { mustChangePassword: true });
    getDb().insert(courseOrganizers).values({ courseId: a.courseId, userId: v.id }).run();
    expect(nextDigest(() => getCourse(v, { id: a.courseId }))).toBe(FORBIDDEN);
    expect(nextDigest(() => listCourses(v))).toBe(FORBIDDEN);
    expect(updateCourse(v, { id: a.courseId, ...fields({ name: '改名' }) }, req)).toMatchObject({
      ok: false,
      code: 'must_change_password',
    });
  });

  it('an organizer of course A gets notFound for course B, and B is unchanged', () => {
    const { a, b } = twoCourses();
    const before = snapshot();
    const v = a.organizer;
    expect(nextDigest(() => getCourse(v, { id: b.courseId }))).toBe(NOT_FOUND);
    for (const [name, call] of everyChange(v, b.courseId, b.organizer.id).filter(([n]) => !/Organizer/u.test(n))) {
      expect(call(), name).toMatchObject({ ok: false, code: 'not_found' });
    }
    // Absent and not-yours look the same.
    expect(nextDigest(() => getCourse(v, { id: 999999 }))).toBe(NOT_FOUND);
    expect(snapshot()).toEqual(before);
    const list = listCourses(v, { status: 'all' });
    expect(list.items.map((c) => c.id)).toEqual([a.courseId]);
    expect(list.total).toBe(1);
  });

  it('an organizer cannot assign or remove organizers, not even on their own course', () => {
    const { a } = twoCourses();
    const other = makeUser('organizer');
    const before = snapshot();
    const v = a.organizer;
    expect(addCourseOrganizer(v, { courseId: a.courseId, userId: other }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(removeCourseOrganizer(v, { courseId: a.courseId, userId: v.id }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(nextDigest(() => searchOrganizerCandidates(v, { courseId: a.courseId, q: '测试' }))).toBe(FORBIDDEN);
    expect(snapshot()).toEqual(before);
  });

  it('an admin sees and changes every course', () => {
    const { admin, a, b } = twoCourses();
    expect(listCourses(admin).items.map((c) => c.id).sort()).toEqual([a.courseId, b.courseId].sort());
    expect(getCourse(admin, { id: b.courseId }).organizers.map((o) => o.id)).toEqual([b.organizer.id]);
    expect(updateCourse(admin, { id: b.courseId, ...fields({ name: '乙班新名' }) }, req)).toEqual({ ok: true, id: b.courseId });
    expect(getCourse(admin, { id: b.courseId }).name).toBe('乙班新名');
  });
});

describe('creating and editing a course', () => {
  useTestDatabase();

  it('an organizer who creates a course runs it, with an audit row', () => {
    const v = signedIn('organizer');
    const result = createCourse(v, fields(), req);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const course = getCourse(v, { id: result.id });
    expect(course).toMatchObject({
      name: '2020年全区党组织书记读书班',
      columnName: '书记读书班',
      publisher: '中共樊城区委组织部',
      startsOn: '2020-05-09',
      endsOn: '2020-06-30',
      archived: false,
    });
    expect(course.organizers.map((o) => o.id)).toEqual([v.id]);
    const audit = auditOf('course.create');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: v.id, targetType: 'course', targetId: String(result.id), ip: req.ip });
  });

  it('an admin who creates a course does not become its organizer', () => {
    const admin = signedIn('admin');
    const result = createCourse(admin, fields(), req);
    if (!result.ok) throw new Error(result.message);
    expect(getCourse(admin, { id: result.id }).organizers).toEqual([]);
  });

  it('refuses an empty name or an end before the start, and stores nothing', () => {
    const v = signedIn('organizer');
    const before = snapshot();
    const noName = createCourse(v, fields({ name: '  ' }), req);
    expect(noName).toMatchObject({ ok: false, code: 'invalid', fieldErrors: { name: ['请填写名称'] } });
    const backwards = createCourse(v, fields({ startsOn: '2020-06-30', endsOn: '2020-05-09' }), req);
    expect(backwards).toMatchObject({ ok: false, fieldErrors: { endsOn: ['结束日期不能早于开始日期'] } });
    expect(snapshot()).toEqual(before);
  });

  it('an update that breaks the rules changes nothing', () => {
    const { a } = twoCourses();
    const before = snapshot();
    const result = updateCourse(a.organizer, { id: a.courseId, ...fields({ startsOn: '2020-07-01', endsOn: '2020-05-01' }) }, req);
    expect(result.ok).toBe(false);
    expect(snapshot()).toEqual(before);
  });

  it('an update records which fields changed', () => {
    const { a } = twoCourses();
    const current = getCourse(a.organizer, { id: a.courseId });
    updateCourse(
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
    expect(auditOf('course.update')[0]?.detail).toEqual({ changed: ['columnName'] });
  });

  it('the audit row is part of the change: when it cannot be written, nothing is', () => {
    const { a } = twoCourses();
    const before = snapshot();
    getSqlite().exec(`create trigger no_audit before insert on audit_log begin select raise(abort, 'audit down'); end;`);
    expect(() => createCourse(a.organizer, fields(), req)).toThrow(/audit down/u);
    expect(() => updateCourse(a.organizer, { id: a.courseId, ...fields({ name: '改名' }) }, req)).toThrow(/audit down/u);
    getSqlite().exec('drop trigger no_audit');
    expect(snapshot()).toEqual(before);
  });

  it('archives and restores; archived courses leave the everyday list', () => {
    const { a } = twoCourses();
    expect(setCourseArchived(a.organizer, { id: a.courseId, archived: 'true' }, req).ok).toBe(true);
    expect(listCourses(a.organizer).total).toBe(0);
    expect(listCourses(a.organizer, { status: 'archived' }).items.map((c) => c.id)).toEqual([a.courseId]);
    setCourseArchived(a.organizer, { id: a.courseId, archived: 'false' }, req);
    expect(listCourses(a.organizer).total).toBe(1);
    expect(auditOf('course.archive')).toHaveLength(1);
    expect(auditOf('course.unarchive')).toHaveLength(1);
  });

  it('deletes a course nobody has written in, and keeps one with reflections', () => {
    const { a, b } = twoCourses();
    addReflection(b, b.memberId, 'draft');
    const before = snapshot();
    expect(deleteCourse(b.organizer, { id: b.courseId }, req)).toMatchObject({ ok: false, message: COURSE_HAS_REFLECTIONS });
    expect(snapshot()).toEqual(before);
    expect(deleteCourse(a.organizer, { id: a.courseId }, req)).toEqual({ ok: true, id: a.courseId });
    expect(getDb().select().from(courses).where(eq(courses.id, a.courseId)).get()).toBeUndefined();
    expect(auditOf('course.delete')[0]?.detail).toEqual({ name: '2020年甲读书班' });
  });
});

describe('listing courses', () => {
  useTestDatabase();

  it('pages by 25 and searches by name or 栏目', () => {
    const admin = signedIn('admin');
    for (let i = 1; i <= 30; i++) {
      createCourse(admin, fields({ name: `第${i}期读书班`, columnName: i === 7 ? '书记读书班' : '', startsOn: '', endsOn: '' }), req);
    }
    const first = listCourses(admin, { page: 1 });
    expect(first.items).toHaveLength(PAGE_SIZE);
    expect(first).toMatchObject({ total: 30, pageCount: 2, page: 1 });
    expect(listCourses(admin, { page: 2 }).items).toHaveLength(5);
    // A page past the end shows the last page.
    expect(listCourses(admin, { page: 9 }).page).toBe(2);
    expect(listCourses(admin, { q: '第12期' }).items.map((c) => c.name)).toEqual(['第12期读书班']);
    expect(listCourses(admin, { q: '书记' }).items.map((c) => c.name)).toEqual(['第7期读书班']);
    // LIKE wildcards are literal.
    expect(listCourses(admin, { q: '%' }).total).toBe(0);
  });

  it('counts members, meetings, assignments and reflections handed in out of those expected', () => {
    const { a, b } = twoCourses();
    const db = getDb();
    const second = makeUser('cadre');
    const third = makeUser('cadre');
    const gone = makeUser('cadre');
    db.insert(courseMembers)
      .values([
        { courseId: a.courseId, userId: second },
        { courseId: a.courseId, userId: third },
      ])
      .run();
    const extra = db
      .insert(assignments)
      .values({ meetingId: a.meetingId, courseId: a.courseId, title: '第二篇', dueAt: new Date('2020-06-01T00:00:00Z') })
      .returning({ id: assignments.id })
      .get().id;
    addReflection(a, a.memberId, 'submitted');
    addReflection(a, a.memberId, 'approved', extra);
    addReflection(a, second, 'returned');
    addReflection(a, third, 'draft');
    // Someone who wrote and then left the course is not counted.
    addReflection(a, gone, 'submitted', extra);
    addReflection(b, b.memberId, 'submitted');

    const item = listCourses(a.organizer).items[0];
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
    expect(getCourse(a.organizer, { id: a.courseId })).toMatchObject({ submittedCount: 3, expectedCount: 6 });
  });
});

describe('assigning organizers (admins only)', () => {
  useTestDatabase();

  it('finds active organizers by 姓名 or 账号 and marks those already assigned', () => {
    const { admin, a } = twoCourses();
    makeUser('organizer', { name: '王晓丽', username: 'wangxl' });
    makeUser('organizer', { name: '王停用', username: 'wangty', active: false });
    makeUser('cadre', { name: '王学员', username: 'wangxy' });
    expect(searchOrganizerCandidates(admin, { courseId: a.courseId, q: '王' }).items.map((u) => u.name)).toEqual(['王晓丽']);
    expect(searchOrganizerCandidates(admin, { courseId: a.courseId, q: 'WANGXL' }).items.map((u) => u.name)).toEqual(['王晓丽']);
    expect(searchOrganizerCandidates(admin, { courseId: a.courseId, q: '' }).items).toEqual([]);
    const mine = searchOrganizerCandidates(admin, { courseId: a.courseId, q: a.organizer.username });
    expect(mine.items).toEqual([expect.objectContaining({ id: a.organizer.id, assigned: true })]);
    expect(nextDigest(() => searchOrganizerCandidates(admin, { courseId: 999999, q: '王' }))).toBe(NOT_FOUND);
  });

  it('adds and removes organizers, the last one too, with audit rows', () => {
    const { admin, a } = twoCourses();
    const other = makeUser('organizer');
    expect(addCourseOrganizer(admin, { courseId: a.courseId, userId: other }, req)).toEqual({ ok: true, id: a.courseId });
    expect(addCourseOrganizer(admin, { courseId: a.courseId, userId: other }, req)).toMatchObject({ ok: false, code: 'conflict' });
    expect(getCourse(admin, { id: a.courseId }).organizers).toHaveLength(2);
    expect(removeCourseOrganizer(admin, { courseId: a.courseId, userId: other }, req).ok).toBe(true);
    expect(removeCourseOrganizer(admin, { courseId: a.courseId, userId: a.organizer.id }, req).ok).toBe(true);
    expect(getCourse(admin, { id: a.courseId }).organizers).toEqual([]);
    expect(removeCourseOrganizer(admin, { courseId: a.courseId, userId: a.organizer.id }, req)).toMatchObject({ ok: false });
    expect(auditOf('course.organizer.add')).toHaveLength(1);
    expect(auditOf('course.organizer.remove').map((r) => r.detail?.organizersLeft)).toEqual([1, 0]);
    // The removed organizer no longer reaches the course.
    expect(nextDigest(() => getCourse(a.organizer, { id: a.courseId }))).toBe(NOT_FOUND);
  });

  it('only active organizer accounts can be assigned', () => {
    const { admin, a } = twoCourses();
    const before = snapshot();
    for (const userId of [makeUser('cadre'), makeUser('admin'), makeUser('organizer', { active: false })]) {
      expect(addCourseOrganizer(admin, { courseId: a.courseId, userId }, req)).toMatchObject({ ok: false, code: 'invalid' });
    }
    expect(addCourseOrganizer(admin, { courseId: a.courseId, userId: 999999 }, req)).toMatchObject({ ok: false });
    expect(addCourseOrganizer(admin, { courseId: 999999, userId: a.organizer.id }, req)).toMatchObject({ ok: false, code: 'not_found' });
    const after = snapshot();
    expect(after.organizers).toEqual(before.organizers);
    expect(after.audit).toEqual(before.audit);
  });
});
