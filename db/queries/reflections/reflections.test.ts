import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { auditLog, reflectionReadings, reflections, reflectionVersions } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import {
  addComment,
  addMeetingReading,
  courseWithAssignment,
  enroll,
  makeAssignment,
  makeCourse,
  makeMeeting,
  makeReading,
  setReflectionStatus,
  TIME,
} from '@/test/course-fixtures';
import { enroll as enrollAt } from '@/db/factories';
import { FORBIDDEN, NOT_FOUND, nextDigest, signedIn, useTestDatabase } from '@/test/db';
import { saveDraft } from './drafts';
import { getMyAssignment, getMyReflectionVersion, listMyAssignments, listMyOpenAssignments, MY_ASSIGNMENTS_PAGE_SIZE } from './reads';
import { submitReflection } from './submit';

const req = { ip: '198.51.100.7', userAgent: 'vitest' };

// 60 characters of 字数.
const BODY_60 = '通过这次集中学习,我深刻认识到党的自我革命是跳出历史周期率的第二个答案。'.repeat(2).slice(0, 60);

function draft(assignmentId: number, over: Partial<Parameters<typeof saveDraft>[1]> = {}) {
  return { assignmentId, title: '以自我革命精神推动基层治理', body: BODY_60, readingIds: [], baseRevision: 0, ...over };
}

function submission(assignmentId: number, over: Partial<Parameters<typeof submitReflection>[1]> = {}) {
  return { ...draft(assignmentId), submitKey: randomUUID(), declaration: true, ...over };
}

function snapshot() {
  const db = getDb();
  return {
    reflections: db.select().from(reflections).orderBy(asc(reflections.id)).all(),
    versions: db.select().from(reflectionVersions).orderBy(asc(reflectionVersions.id)).all(),
    readings: db.select().from(reflectionReadings).all(),
    audit: db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
  };
}

function reflectionOf(viewer: Viewer, assignmentId: number) {
  return getDb()
    .select()
    .from(reflections)
    .all()
    .find((r) => r.authorId === viewer.id && r.assignmentId === assignmentId);
}

function versionsOf(reflectionId: number) {
  return getDb()
    .select()
    .from(reflectionVersions)
    .where(eq(reflectionVersions.reflectionId, reflectionId))
    .orderBy(asc(reflectionVersions.version))
    .all();
}

/** Runs a call as if the clock said `at`: the kernel's writes take their time from the clock. */
function at<T>(when: Date, fn: () => T): T {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(when);
  try {
    return fn();
  } finally {
    vi.useRealTimers();
  }
}

describe('reflections: only the author, only in their courses', () => {
  useTestDatabase();

  it('a cadre can neither read, save nor submit on an assignment of a course they are not in', () => {
    const member = signedIn('cadre');
    const outsider = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([member.id]);
    const before = snapshot();

    expect(nextDigest(() => getMyAssignment(outsider, { assignmentId }))).toBe(NOT_FOUND);
    expect(saveDraft(outsider, draft(assignmentId))).toMatchObject({ ok: false, code: 'not_found' });
    expect(submitReflection(outsider, submission(assignmentId), req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(listMyAssignments(outsider, { page: 1 }).items).toEqual([]);
    expect(listMyAssignments(outsider, { page: 1 }).total).toBe(0);
    expect(listMyOpenAssignments(outsider).total).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  it('a cadre in the same course never reads or changes another cadre’s reflection', () => {
    const author = signedIn('cadre');
    const classmate = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([author.id, classmate.id]);
    const saved = saveDraft(author, draft(assignmentId, { title: '作者的标题', body: '作者的正文' }));
    expect(saved.ok).toBe(true);
    const submitted = submitReflection(author, submission(assignmentId, { baseRevision: 1 }), req);
    expect(submitted.ok).toBe(true);

    // The classmate sees the assignment, but as not started: none of the author's text.
    const detail = getMyAssignment(classmate, { assignmentId });
    expect(detail.reflection).toBeNull();
    expect(detail.status).toBe('not_started');
    expect(detail.versions).toEqual([]);
    const listed = listMyAssignments(classmate, { page: 1 }).items;
    expect(listed).toHaveLength(1);
    expect(listed[0]?.reflection).toBeNull();
    expect(nextDigest(() => getMyReflectionVersion(classmate, { assignmentId, version: 1 }))).toBe(NOT_FOUND);

    // Their own save makes their own row and leaves the author's untouched.
    const authorsBefore = reflectionOf(author, assignmentId);
    const own = saveDraft(classmate, draft(assignmentId, { title: '同学的标题', baseRevision: 0 }));
    expect(own.ok).toBe(true);
    expect(reflectionOf(author, assignmentId)).toEqual(authorsBefore);
    expect(reflectionOf(classmate, assignmentId)?.title).toBe('同学的标题');
    expect(getMyAssignment(author, { assignmentId }).reflection?.title).toBe('以自我革命精神推动基层治理');
  });

  it('an organizer, an admin and a cadre who must change their password are refused every function', () => {
    const cadre = signedIn('cadre');
    const { assignmentId, courseId } = courseWithAssignment([cadre.id]);
    saveDraft(cadre, draft(assignmentId));
    const others = [signedIn('organizer'), signedIn('admin'), signedIn('cadre', { mustChangePassword: true })];
    enroll(courseId, others[2]!.id);
    const before = snapshot();
    for (const v of others) {
      expect(nextDigest(() => listMyAssignments(v, { page: 1 }))).toBe(FORBIDDEN);
      expect(nextDigest(() => listMyOpenAssignments(v))).toBe(FORBIDDEN);
      expect(nextDigest(() => getMyAssignment(v, { assignmentId }))).toBe(FORBIDDEN);
      expect(nextDigest(() => getMyReflectionVersion(v, { assignmentId, version: 1 }))).toBe(FORBIDDEN);
      const refusal = v.mustChangePassword ? 'must_change_password' : 'forbidden';
      expect(saveDraft(v, draft(assignmentId, { baseRevision: 1 }))).toMatchObject({ ok: false, code: refusal });
      expect(submitReflection(v, submission(assignmentId, { baseRevision: 1 }), req)).toMatchObject({ ok: false, code: refusal });
    }
    expect(snapshot()).toEqual(before);
  });

  it('an id that does not exist is not found, the same answer as another course', () => {
    const cadre = signedIn('cadre');
    courseWithAssignment([cadre.id]);
    expect(nextDigest(() => getMyAssignment(cadre, { assignmentId: 999999 }))).toBe(NOT_FOUND);
    expect(saveDraft(cadre, draft(999999))).toMatchObject({ ok: false, code: 'not_found' });
    expect(submitReflection(cadre, submission(999999), req)).toMatchObject({ ok: false, code: 'not_found' });
  });
});

describe('saving drafts', () => {
  useTestDatabase();

  it('opening the editor makes no row; the first save makes the draft, later saves bump the revision', () => {
    const cadre = signedIn('cadre');
    const r1 = makeReading('《论党的自我革命》');
    const r2 = makeReading('《习近平关于城市工作论述摘编》');
    const { assignmentId } = courseWithAssignment([cadre.id], { readingIds: [r1, r2] });

    const opened = getMyAssignment(cadre, { assignmentId });
    expect(opened.reflection).toBeNull();
    expect(opened.readings.map((r) => r.title)).toEqual(['《论党的自我革命》', '《习近平关于城市工作论述摘编》']);
    expect(getDb().select().from(reflections).all()).toHaveLength(0);

    const first = saveDraft(cadre, draft(assignmentId, { title: '初稿', body: '第一段', readingIds: [r2] }));
    expect(first).toMatchObject({ ok: true, revision: 1, created: true });
    const second = saveDraft(cadre, draft(assignmentId, { title: '初稿', body: '第一段\n第二段 COVID-19', baseRevision: 1, readingIds: [r1, r2] }));
    expect(second).toMatchObject({ ok: true, revision: 2, created: false });

    const row = reflectionOf(cadre, assignmentId);
    expect(row).toMatchObject({ status: 'draft', revision: 2, body: '第一段\n第二段 COVID-19', charCount: 7, versionCount: 0 });
    expect(getMyAssignment(cadre, { assignmentId }).reflection?.readingIds).toEqual([r1, r2]);
    expect(getDb().select().from(auditLog).where(eq(auditLog.action, 'reflection.create')).all()).toHaveLength(1);
  });

  it('saving the same text twice is harmless: no new revision, even from a stale base', () => {
    const cadre = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([cadre.id]);
    saveDraft(cadre, draft(assignmentId));
    const again = saveDraft(cadre, draft(assignmentId, { baseRevision: 1 }));
    expect(again).toMatchObject({ ok: true, revision: 1 });
    const retried = saveDraft(cadre, draft(assignmentId, { baseRevision: 0 }));
    expect(retried).toMatchObject({ ok: true, revision: 1 });
    expect(reflectionOf(cadre, assignmentId)?.revision).toBe(1);
  });

  it('a stale base revision is a conflict with the server copy, and the stored text is unchanged', () => {
    const cadre = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([cadre.id]);
    saveDraft(cadre, draft(assignmentId, { body: '第一个窗口写的' }));
    saveDraft(cadre, draft(assignmentId, { body: '第一个窗口又改了', baseRevision: 1 }));
    const before = snapshot();

    const stale = saveDraft(cadre, draft(assignmentId, { body: '第二个窗口写的', baseRevision: 1 }));
    expect(stale).toMatchObject({
      ok: false,
      code: 'conflict',
      server: { body: '第一个窗口又改了', revision: 2, status: 'draft' },
    });
    expect(snapshot()).toEqual(before);

    // 保留我的: save again on the server's revision.
    const kept = saveDraft(cadre, draft(assignmentId, { body: '第二个窗口写的', baseRevision: 2 }));
    expect(kept).toMatchObject({ ok: true, revision: 3 });
    expect(reflectionOf(cadre, assignmentId)?.body).toBe('第二个窗口写的');
  });

  it('a second first save (another tab, base 0) is a conflict, not a second row', () => {
    const cadre = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([cadre.id]);
    saveDraft(cadre, draft(assignmentId, { body: '甲' }));
    expect(saveDraft(cadre, draft(assignmentId, { body: '乙' }))).toMatchObject({ ok: false, code: 'conflict' });
    expect(getDb().select().from(reflections).all()).toHaveLength(1);
  });

  it('readings the assignment does not offer are dropped', () => {
    const cadre = signedIn('cadre');
    const offered = makeReading('《论党的自我革命》');
    const other = makeReading('《别的篇目》');
    const { assignmentId } = courseWithAssignment([cadre.id], { readingIds: [offered] });
    saveDraft(cadre, draft(assignmentId, { readingIds: [offered, other] }));
    expect(getMyAssignment(cadre, { assignmentId }).reflection?.readingIds).toEqual([offered]);
  });

  it('the meeting’s readings are offered when the assignment names none', () => {
    const cadre = signedIn('cadre');
    const courseId = makeCourse();
    const meetingId = makeMeeting(courseId);
    const reading = makeReading('《习近平关于城市工作论述摘编》');
    addMeetingReading(meetingId, reading);
    const assignmentId = makeAssignment(meetingId);
    enroll(courseId, cadre.id);
    expect(getMyAssignment(cadre, { assignmentId }).readings).toEqual([{ id: reading, title: '《习近平关于城市工作论述摘编》' }]);
  });

  it('a submitted or approved reflection cannot be saved over', () => {
    const cadre = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([cadre.id]);
    const done = submitReflection(cadre, submission(assignmentId), req);
    expect(done.ok).toBe(true);
    const before = snapshot();
    expect(saveDraft(cadre, draft(assignmentId, { body: '改一改', baseRevision: 1 }))).toMatchObject({
      ok: false,
      code: 'locked',
      status: 'submitted',
    });
    setReflectionStatus(reflectionOf(cadre, assignmentId)!.id, 'approved');
    const r = saveDraft(cadre, draft(assignmentId, { body: '改一改', baseRevision: 1 }));
    expect(r).toMatchObject({ ok: false, code: 'locked', status: 'approved' });
    expect(snapshot().versions).toEqual(before.versions);
    expect(reflectionOf(cadre, assignmentId)?.body).toBe(BODY_60);
  });
});

describe('submitting', () => {
  useTestDatabase();

  it('submits straight from an unsaved editor: one row, version 1, audited', () => {
    const cadre = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([cadre.id], { minChars: 10, maxChars: 100 });
    const r = submitReflection(cadre, submission(assignmentId, { title: '  标题  ', body: '\n\n' + BODY_60 + '\n\n' }), req);
    expect(r).toMatchObject({ ok: true, version: 1, status: 'submitted', late: false, repeated: false });
    const row = reflectionOf(cadre, assignmentId)!;
    expect(row).toMatchObject({ status: 'submitted', versionCount: 1, title: '标题', body: BODY_60, charCount: 60 });
    expect(versionsOf(row.id)).toHaveLength(1);
    const audit = getDb().select().from(auditLog).where(eq(auditLog.action, 'reflection.submit')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: cadre.id, targetId: String(row.id), ip: req.ip });
  });

  it('the same submitKey twice (double click, retry after a timeout) makes one version', () => {
    const cadre = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([cadre.id]);
    saveDraft(cadre, draft(assignmentId));
    const input = submission(assignmentId, { baseRevision: 1 });
    const first = submitReflection(cadre, input, req);
    const second = submitReflection(cadre, input, req);
    expect(first).toMatchObject({ ok: true, version: 1, repeated: false });
    expect(second).toMatchObject({ ok: true, version: 1, repeated: true });
    if (first.ok && second.ok) expect(second.submittedAt).toBe(first.submittedAt);
    const row = reflectionOf(cadre, assignmentId)!;
    expect(versionsOf(row.id)).toHaveLength(1);
    expect(row.versionCount).toBe(1);
    expect(getDb().select().from(auditLog).where(eq(auditLog.action, 'reflection.submit')).all()).toHaveLength(1);
  });

  it('a second submit with a new key while submitted (a second tab) is refused and makes no version', () => {
    const cadre = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([cadre.id]);
    expect(submitReflection(cadre, submission(assignmentId), req).ok).toBe(true);
    const before = snapshot();
    const again = submitReflection(cadre, submission(assignmentId, { baseRevision: 1, body: BODY_60 + '补充' }), req);
    expect(again).toMatchObject({ ok: false, code: 'locked', status: 'submitted' });
    expect(again.ok ? '' : again.message).toContain('这篇心得已提交');
    expect(snapshot()).toEqual(before);
    expect(versionsOf(reflectionOf(cadre, assignmentId)!.id)).toHaveLength(1);
  });

  it('refuses after the cut-off, and after the due time when late work is not allowed; nothing changes', () => {
    const cadre = signedIn('cadre');
    const now = new Date();
    const { assignmentId: cutOff } = courseWithAssignment([cadre.id], {
      dueAt: new Date(now.getTime() - 2 * TIME.DAY),
      cutoffAt: new Date(now.getTime() - TIME.HOUR),
    });
    const { assignmentId: noLate } = courseWithAssignment([cadre.id], {
      dueAt: new Date(now.getTime() - TIME.HOUR),
      allowLate: false,
    });
    saveDraft(cadre, draft(cutOff));
    const before = snapshot();
    const a = at(now, () => submitReflection(cadre, submission(cutOff, { baseRevision: 1 }), req));
    expect(a).toMatchObject({ ok: false, code: 'closed' });
    expect(a.ok ? '' : a.message).toContain('已过截止时间');
    const b = at(now, () => submitReflection(cadre, submission(noLate), req));
    expect(b).toMatchObject({ ok: false, code: 'closed' });
    expect(b.ok ? '' : b.message).toContain('不接受逾期提交');
    expect(snapshot()).toEqual(before);
    expect(getMyAssignment(cadre, { assignmentId: cutOff }, now)).toMatchObject({ writable: false, deadline: { kind: 'closed' } });
  });

  it('refuses 字数 under the minimum and over the maximum, saying the count and the limits', () => {
    const cadre = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([cadre.id], { minChars: 100, maxChars: 200 });
    const before = snapshot();
    const short = submitReflection(cadre, submission(assignmentId), req);
    expect(short).toMatchObject({ ok: false, code: 'invalid' });
    expect(short.ok ? '' : short.message).toContain('字数 60，要求 100–200 字');
    expect(short.ok ? undefined : short.fieldErrors?.body?.[0]).toContain('还差 40 字');
    const long = submitReflection(cadre, submission(assignmentId, { body: BODY_60.repeat(4) }), req);
    expect(long.ok ? '' : long.message).toContain('字数 240，要求 100–200 字，超出 40 字');
    expect(snapshot()).toEqual(before);
  });

  it('refuses an empty body and a missing declaration, each named (an empty title is allowed)', () => {
    const cadre = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([cadre.id]);
    saveDraft(cadre, draft(assignmentId));
    const before = snapshot();
    const r = submitReflection(cadre, submission(assignmentId, { title: '  ', body: ' \n ', declaration: false, baseRevision: 1 }), req);
    expect(r).toMatchObject({
      ok: false,
      code: 'invalid',
      fieldErrors: { body: ['请填写正文'], declaration: ['请勾选“本人承诺所交心得为本人撰写”'] },
    });
    const noDeclaration = submitReflection(cadre, submission(assignmentId, { declaration: false, baseRevision: 1 }), req);
    expect(noDeclaration.ok ? undefined : noDeclaration.fieldErrors).toEqual({
      declaration: ['请勾选“本人承诺所交心得为本人撰写”'],
    });
    expect(snapshot()).toEqual(before);
  });

  it('flags a submission after the due time as late when late work is allowed', () => {
    const cadre = signedIn('cadre');
    const now = new Date();
    const { assignmentId } = courseWithAssignment([cadre.id], { dueAt: new Date(now.getTime() - TIME.HOUR) });
    const r = at(now, () => submitReflection(cadre, submission(assignmentId), req));
    expect(r).toMatchObject({ ok: true, late: true });
    const row = reflectionOf(cadre, assignmentId)!;
    expect(row.late).toBe(true);
    expect(versionsOf(row.id)[0]?.late).toBe(true);
    expect(listMyAssignments(cadre, { page: 1 }, now).items[0]?.reflection?.late).toBe(true);
  });

  it('a submit from a stale tab whose text differs is a conflict and writes nothing', () => {
    const cadre = signedIn('cadre');
    const { assignmentId } = courseWithAssignment([cadre.id]);
    saveDraft(cadre, draft(assignmentId, { body: '旧的' }));
    saveDraft(cadre, draft(assignmentId, { body: '另一个窗口的新内容', baseRevision: 1 }));
    const before = snapshot();
    const r = submitReflection(cadre, submission(assignmentId, { body: '旧的', baseRevision: 1 }), req);
    expect(r).toMatchObject({ ok: false, code: 'conflict', server: { body: '另一个窗口的新内容', revision: 2 } });
    expect(snapshot()).toEqual(before);
  });

  it('after 退回修改 the cadre edits and resubmits: version 2, version 1 kept and readable', () => {
    const cadre = signedIn('cadre');
    const now = new Date();
    const { assignmentId } = courseWithAssignment([cadre.id], { dueAt: new Date(now.getTime() - TIME.DAY), allowLate: false });
    const first = at(new Date(now.getTime() - 2 * TIME.DAY), () => submitReflection(cadre, submission(assignmentId), req));
    expect(first.ok).toBe(true);
    const row = reflectionOf(cadre, assignmentId)!;
    setReflectionStatus(row.id, 'returned');
    addComment(row.id, { body: '请补充本单位的具体做法。', decision: 'return', version: 1 });
    addComment(row.id, { body: '内部:此人上次也敷衍', internal: true });

    const detail = getMyAssignment(cadre, { assignmentId }, now);
    expect(detail).toMatchObject({ status: 'returned', writable: true });
    expect(detail.comments.map((c) => c.body)).toEqual(['请补充本单位的具体做法。']);
    expect(listMyAssignments(cadre, { page: 1 }, now).items[0]?.latestComment?.body).toBe('请补充本单位的具体做法。');

    const saved = saveDraft(cadre, draft(assignmentId, { body: BODY_60 + '补充:我们社区建立了三方共治议事会。', baseRevision: row.revision }));
    expect(saved).toMatchObject({ ok: true });
    const revision = saved.ok ? saved.revision : 0;
    expect(reflectionOf(cadre, assignmentId)?.status).toBe('returned');

    // Past the due time with no late work allowed, yet a return may always be resubmitted.
    const second = at(now, () =>
      submitReflection(cadre, submission(assignmentId, { body: BODY_60 + '补充:我们社区建立了三方共治议事会。', baseRevision: revision }), req),
    );
    expect(second).toMatchObject({ ok: true, version: 2, status: 'submitted', late: false });
    const versions = versionsOf(row.id);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]?.body).toBe(BODY_60);
    expect(getMyReflectionVersion(cadre, { assignmentId, version: 1 }).body).toBe(BODY_60);
    expect(getMyReflectionVersion(cadre, { assignmentId, version: 2 }).body).toContain('三方共治议事会');
    expect(getMyAssignment(cadre, { assignmentId }, now).versions.map((v) => v.version)).toEqual([2, 1]);
    expect(nextDigest(() => getMyReflectionVersion(cadre, { assignmentId, version: 3 }))).toBe(NOT_FOUND);
  });

  it('an archived course takes no more submissions', () => {
    const cadre = signedIn('cadre');
    const courseId = makeCourse({ archived: true });
    const assignmentId = makeAssignment(makeMeeting(courseId));
    enroll(courseId, cadre.id);
    expect(submitReflection(cadre, submission(assignmentId), req)).toMatchObject({ ok: false, code: 'closed' });
    expect(getMyAssignment(cadre, { assignmentId }).writable).toBe(false);
  });
});

describe('the /my list', () => {
  useTestDatabase();

  it('lists every assignment of the cadre’s courses, newest course first, 20 a page, with state', () => {
    const cadre = signedIn('cadre');
    const now = new Date();
    const older = makeCourse({ name: '2019年读书班', startsOn: '2019-03-01' });
    const newer = makeCourse({ name: '2020年读书班', startsOn: '2020-05-09' });
    const notMine = makeCourse({ name: '别人的读书班' });
    enroll(older, cadre.id);
    enroll(newer, cadre.id);
    const m1 = makeMeeting(newer, { title: '开班式', startsAt: new Date('2020-05-09T01:00:00Z') });
    const m2 = makeMeeting(newer, { title: '第六次集中学习', startsAt: new Date('2020-06-20T01:00:00Z') });
    const m0 = makeMeeting(older);
    makeAssignment(makeMeeting(notMine));
    for (let i = 0; i < 12; i++) makeAssignment(m1, { title: `开班式心得${i}` });
    for (let i = 0; i < 6; i++) makeAssignment(m2, { title: `第六次心得${i}`, dueAt: new Date(now.getTime() + i * TIME.HOUR + TIME.DAY) });
    for (let i = 0; i < 4; i++) makeAssignment(m0, { title: `往年心得${i}`, dueAt: new Date(now.getTime() - TIME.DAY) });

    const p1 = listMyAssignments(cadre, { page: 1 }, now);
    expect(p1.total).toBe(22);
    expect(p1.pageCount).toBe(2);
    expect(p1.items).toHaveLength(MY_ASSIGNMENTS_PAGE_SIZE);
    expect(p1.items[0]).toMatchObject({ title: '第六次心得0', status: 'not_started', deadline: { kind: 'open' } });
    expect(p1.items.slice(0, 6).every((i) => i.meeting.title === '第六次集中学习')).toBe(true);
    expect(p1.items[6]?.meeting.title).toBe('开班式');
    const p2 = listMyAssignments(cadre, { page: 2 }, now);
    expect(p2.items.map((i) => i.course.name)).toEqual(['2019年读书班', '2019年读书班']);
    expect(p2.items[0]?.deadline.kind).toBe('late');
    // A page past the end shows the last page.
    expect(listMyAssignments(cadre, { page: 99 }, now).page).toBe(2);
    expect(listMyAssignments(cadre, { page: 1 }, now).items.some((i) => i.course.name === '别人的读书班')).toBe(false);
  });

  it('shows draft, submitted and returned states, and lists what is still to do', () => {
    const cadre = signedIn('cadre');
    const courseId = makeCourse();
    // Enrolled before 丁 closed: it was theirs to write (a later joiner would see 无需提交).
    enrollAt(courseId, [cadre.id], { enrolledAt: new Date(Date.now() - 2 * TIME.DAY) });
    const meetingId = makeMeeting(courseId);
    const a1 = makeAssignment(meetingId, { title: '甲' });
    const a2 = makeAssignment(meetingId, { title: '乙' });
    const a3 = makeAssignment(meetingId, { title: '丙' });
    makeAssignment(meetingId, { title: '丁', dueAt: new Date(Date.now() - TIME.DAY), cutoffAt: new Date(Date.now() - TIME.HOUR) });
    saveDraft(cadre, draft(a1));
    submitReflection(cadre, submission(a2), req);
    submitReflection(cadre, submission(a3), req);
    setReflectionStatus(reflectionOf(cadre, a3)!.id, 'returned');
    const byTitle = Object.fromEntries(listMyAssignments(cadre, { page: 1 }).items.map((i) => [i.title, i]));
    expect(byTitle['甲']).toMatchObject({ status: 'draft', writable: true });
    expect(byTitle['乙']).toMatchObject({ status: 'submitted', writable: false });
    expect(byTitle['丙']).toMatchObject({ status: 'returned', writable: true });
    expect(byTitle['丁']).toMatchObject({ status: 'missed', writable: false, deadline: { kind: 'closed' } });
    const open = listMyOpenAssignments(cadre);
    expect(open.total).toBe(2);
    expect(open.items.map((i) => i.title).sort()).toEqual(['丙', '甲']);
  });
});
