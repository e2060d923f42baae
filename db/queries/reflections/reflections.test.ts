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
import { enroll as enrollAt, makeReadingText } from '@/db/factories';
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

async function snapshot() {
  const db = getDb();
  return {
    reflections: await db.select().from(reflections).orderBy(asc(reflections.id)).all(),
    versions: await db.select().from(reflectionVersions).orderBy(asc(reflectionVersions.id)).all(),
    readings: await db.select().from(reflectionReadings).all(),
    audit: await db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
  };
}

async function reflectionOf(viewer: Viewer, assignmentId: number) {
  return (await getDb()
    .select()
    .from(reflections)
    .all())
    .find((r) => r.authorId === viewer.id && r.assignmentId === assignmentId);
}

async function versionsOf(reflectionId: number) {
  return await getDb()
    .select()
    .from(reflectionVersions)
    .where(eq(reflectionVersions.reflectionId, reflectionId))
    .orderBy(asc(reflectionVersions.version))
    .all();
}

/** Runs a call as if the clock said `at`: the kernel's writes take their time from the clock. */
async function at<T>(when: Date, fn: () => T | Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(when);
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}

describe('reflections: only the author, only in their courses', () => {
  useTestDatabase();

  it('a cadre can neither read, save nor submit on an assignment of a course they are not in', async () => {
    const member = await signedIn('cadre');
    const outsider = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([member.id]);
    const before = await snapshot();

    expect(await nextDigest(async () => await getMyAssignment(outsider, { assignmentId }))).toBe(NOT_FOUND);
    expect(await saveDraft(outsider, draft(assignmentId))).toMatchObject({ ok: false, code: 'not_found' });
    expect(await submitReflection(outsider, submission(assignmentId), req)).toMatchObject({ ok: false, code: 'not_found' });
    expect((await listMyAssignments(outsider, { page: 1 })).items).toEqual([]);
    expect((await listMyAssignments(outsider, { page: 1 })).total).toBe(0);
    expect((await listMyOpenAssignments(outsider)).total).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('a cadre in the same course never reads or changes another cadre’s reflection', async () => {
    const author = await signedIn('cadre');
    const classmate = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([author.id, classmate.id]);
    const saved = await saveDraft(author, draft(assignmentId, { title: '作者的标题', body: '作者的正文' }));
    expect(saved.ok).toBe(true);
    const submitted = await submitReflection(author, submission(assignmentId, { baseRevision: 1 }), req);
    expect(submitted.ok).toBe(true);

    // The classmate sees the assignment, but as not started: none of the author's text.
    const detail = await getMyAssignment(classmate, { assignmentId });
    expect(detail.reflection).toBeNull();
    expect(detail.status).toBe('not_started');
    expect(detail.versions).toEqual([]);
    const listed = (await listMyAssignments(classmate, { page: 1 })).items;
    expect(listed).toHaveLength(1);
    expect(listed[0]?.reflection).toBeNull();
    expect(await nextDigest(async () => await getMyReflectionVersion(classmate, { assignmentId, version: 1 }))).toBe(NOT_FOUND);

    // Their own save makes their own row and leaves the author's untouched.
    const authorsBefore = await reflectionOf(author, assignmentId);
    const own = await saveDraft(classmate, draft(assignmentId, { title: '同学的标题', baseRevision: 0 }));
    expect(own.ok).toBe(true);
    expect(await reflectionOf(author, assignmentId)).toEqual(authorsBefore);
    expect((await reflectionOf(classmate, assignmentId))?.title).toBe('同学的标题');
    expect((await getMyAssignment(author, { assignmentId })).reflection?.title).toBe('以自我革命精神推动基层治理');
  });

  it('an organizer, an admin and a cadre who must change their password are refused every function', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId, courseId } = await courseWithAssignment([cadre.id]);
    await saveDraft(cadre, draft(assignmentId));
    const others = [await signedIn('organizer'), await signedIn('admin'), await signedIn('cadre', { mustChangePassword: true })];
    await enroll(courseId, others[2]!.id);
    const before = await snapshot();
    for (const v of others) {
      expect(await nextDigest(async () => await listMyAssignments(v, { page: 1 }))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await listMyOpenAssignments(v))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await getMyAssignment(v, { assignmentId }))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await getMyReflectionVersion(v, { assignmentId, version: 1 }))).toBe(FORBIDDEN);
      const refusal = v.mustChangePassword ? 'must_change_password' : 'forbidden';
      expect(await saveDraft(v, draft(assignmentId, { baseRevision: 1 }))).toMatchObject({ ok: false, code: refusal });
      expect(await submitReflection(v, submission(assignmentId, { baseRevision: 1 }), req)).toMatchObject({ ok: false, code: refusal });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('an id that does not exist is not found, the same answer as another course', async () => {
    const cadre = await signedIn('cadre');
    await courseWithAssignment([cadre.id]);
    expect(await nextDigest(async () => await getMyAssignment(cadre, { assignmentId: 999999 }))).toBe(NOT_FOUND);
    expect(await saveDraft(cadre, draft(999999))).toMatchObject({ ok: false, code: 'not_found' });
    expect(await submitReflection(cadre, submission(999999), req)).toMatchObject({ ok: false, code: 'not_found' });
  });
});

describe('saving drafts', () => {
  useTestDatabase();

  it('opening the editor makes no row; the first save makes the draft, later saves bump the revision', async () => {
    const cadre = await signedIn('cadre');
    const r1 = await makeReading('《论党的自我革命》');
    const r2 = await makeReading('《习近平关于城市工作论述摘编》');
    const { assignmentId } = await courseWithAssignment([cadre.id], { readingIds: [r1, r2] });

    const opened = await getMyAssignment(cadre, { assignmentId });
    expect(opened.reflection).toBeNull();
    expect(opened.readings.map((r) => r.title)).toEqual(['《论党的自我革命》', '《习近平关于城市工作论述摘编》']);
    expect(await getDb().select().from(reflections).all()).toHaveLength(0);

    const first = await saveDraft(cadre, draft(assignmentId, { title: '初稿', body: '第一段', readingIds: [r2] }));
    expect(first).toMatchObject({ ok: true, revision: 1, created: true });
    const second = await saveDraft(cadre, draft(assignmentId, { title: '初稿', body: '第一段\n第二段 COVID-19', baseRevision: 1, readingIds: [r1, r2] }));
    expect(second).toMatchObject({ ok: true, revision: 2, created: false });

    const row = await reflectionOf(cadre, assignmentId);
    expect(row).toMatchObject({ status: 'draft', revision: 2, body: '第一段\n第二段 COVID-19', charCount: 7, versionCount: 0 });
    expect((await getMyAssignment(cadre, { assignmentId })).reflection?.readingIds).toEqual([r1, r2]);
    expect(await getDb().select().from(auditLog).where(eq(auditLog.action, 'reflection.create')).all()).toHaveLength(1);
  });

  it('saving the same text twice is harmless: no new revision, even from a stale base', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    await saveDraft(cadre, draft(assignmentId));
    const again = await saveDraft(cadre, draft(assignmentId, { baseRevision: 1 }));
    expect(again).toMatchObject({ ok: true, revision: 1 });
    const retried = await saveDraft(cadre, draft(assignmentId, { baseRevision: 0 }));
    expect(retried).toMatchObject({ ok: true, revision: 1 });
    expect((await reflectionOf(cadre, assignmentId))?.revision).toBe(1);
  });

  it('a stale base revision is a conflict with the server copy, and the stored text is unchanged', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    await saveDraft(cadre, draft(assignmentId, { body: '第一个窗口写的' }));
    await saveDraft(cadre, draft(assignmentId, { body: '第一个窗口又改了', baseRevision: 1 }));
    const before = await snapshot();

    const stale = await saveDraft(cadre, draft(assignmentId, { body: '第二个窗口写的', baseRevision: 1 }));
    expect(stale).toMatchObject({
      ok: false,
      code: 'conflict',
      server: { body: '第一个窗口又改了', revision: 2, status: 'draft' },
    });
    expect(await snapshot()).toEqual(before);

    // 保留我的: save again on the server's revision.
    const kept = await saveDraft(cadre, draft(assignmentId, { body: '第二个窗口写的', baseRevision: 2 }));
    expect(kept).toMatchObject({ ok: true, revision: 3 });
    expect((await reflectionOf(cadre, assignmentId))?.body).toBe('第二个窗口写的');
  });

  it('a second first save (another tab, base 0) is a conflict, not a second row', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    await saveDraft(cadre, draft(assignmentId, { body: '甲' }));
    expect(await saveDraft(cadre, draft(assignmentId, { body: '乙' }))).toMatchObject({ ok: false, code: 'conflict' });
    expect(await getDb().select().from(reflections).all()).toHaveLength(1);
  });

  it('readings the assignment does not offer are dropped', async () => {
    const cadre = await signedIn('cadre');
    const offered = await makeReading('《论党的自我革命》');
    const other = await makeReading('《别的篇目》');
    const { assignmentId } = await courseWithAssignment([cadre.id], { readingIds: [offered] });
    await saveDraft(cadre, draft(assignmentId, { readingIds: [offered, other] }));
    expect((await getMyAssignment(cadre, { assignmentId })).reflection?.readingIds).toEqual([offered]);
  });

  it('the meeting’s readings are offered when the assignment names none', async () => {
    const cadre = await signedIn('cadre');
    const courseId = await makeCourse();
    const meetingId = await makeMeeting(courseId);
    const reading = await makeReading('《习近平关于城市工作论述摘编》');
    await addMeetingReading(meetingId, reading);
    const assignmentId = await makeAssignment(meetingId);
    await enroll(courseId, cadre.id);
    expect((await getMyAssignment(cadre, { assignmentId })).readings).toEqual([{ id: reading, title: '《习近平关于城市工作论述摘编》' }]);
    expect((await getMyAssignment(cadre, { assignmentId })).readingsWithText).toEqual([]);
    // Once its text is entered, the reader offers it; an assignment with its own readings offers those alone.
    await makeReadingText(reading, [{ body: '城市是人民的城市。' }]);
    expect((await getMyAssignment(cadre, { assignmentId })).readingsWithText).toEqual([reading]);
    const own = await makeReading('《论党的自我革命》');
    const listing = await makeAssignment(meetingId, { readingIds: [own] });
    expect(await getMyAssignment(cadre, { assignmentId: listing })).toMatchObject({ readings: [{ id: own, title: '《论党的自我革命》' }], readingsWithText: [] });
  });

  it('a submitted or approved reflection cannot be saved over', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    const done = await submitReflection(cadre, submission(assignmentId), req);
    expect(done.ok).toBe(true);
    const before = await snapshot();
    expect(await saveDraft(cadre, draft(assignmentId, { body: '改一改', baseRevision: 1 }))).toMatchObject({
      ok: false,
      code: 'locked',
      status: 'submitted',
    });
    await setReflectionStatus((await reflectionOf(cadre, assignmentId))!.id, 'approved');
    const r = await saveDraft(cadre, draft(assignmentId, { body: '改一改', baseRevision: 1 }));
    expect(r).toMatchObject({ ok: false, code: 'locked', status: 'approved' });
    expect((await snapshot()).versions).toEqual(before.versions);
    expect((await reflectionOf(cadre, assignmentId))?.body).toBe(BODY_60);
  });
});

describe('submitting', () => {
  useTestDatabase();

  it('submits straight from an unsaved editor: one row, version 1, audited', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id], { minChars: 10, maxChars: 100 });
    const r = await submitReflection(cadre, submission(assignmentId, { title: '  标题  ', body: '\n\n' + BODY_60 + '\n\n' }), req);
    expect(r).toMatchObject({ ok: true, version: 1, status: 'submitted', late: false, repeated: false });
    const row = (await reflectionOf(cadre, assignmentId))!;
    expect(row).toMatchObject({ status: 'submitted', versionCount: 1, title: '标题', body: BODY_60, charCount: 60 });
    expect(await versionsOf(row.id)).toHaveLength(1);
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, 'reflection.submit')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: cadre.id, targetId: String(row.id), ip: req.ip });
  });

  it('the same submitKey twice (double click, retry after a timeout) makes one version', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    await saveDraft(cadre, draft(assignmentId));
    const input = submission(assignmentId, { baseRevision: 1 });
    const first = await submitReflection(cadre, input, req);
    const second = await submitReflection(cadre, input, req);
    expect(first).toMatchObject({ ok: true, version: 1, repeated: false });
    expect(second).toMatchObject({ ok: true, version: 1, repeated: true });
    if (first.ok && second.ok) expect(second.submittedAt).toBe(first.submittedAt);
    const row = (await reflectionOf(cadre, assignmentId))!;
    expect(await versionsOf(row.id)).toHaveLength(1);
    expect(row.versionCount).toBe(1);
    expect(await getDb().select().from(auditLog).where(eq(auditLog.action, 'reflection.submit')).all()).toHaveLength(1);
  });

  it('a second submit with a new key while submitted (a second tab) is refused and makes no version', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    expect((await submitReflection(cadre, submission(assignmentId), req)).ok).toBe(true);
    const before = await snapshot();
    const again = await submitReflection(cadre, submission(assignmentId, { baseRevision: 1, body: BODY_60 + '补充' }), req);
    expect(again).toMatchObject({ ok: false, code: 'locked', status: 'submitted' });
    expect(again.ok ? '' : again.message).toContain('这篇心得已提交');
    expect(await snapshot()).toEqual(before);
    expect(await versionsOf((await reflectionOf(cadre, assignmentId))!.id)).toHaveLength(1);
  });

  it('refuses after the cut-off, and after the due time when late work is not allowed; nothing changes', async () => {
    const cadre = await signedIn('cadre');
    const now = new Date();
    const { assignmentId: cutOff } = await courseWithAssignment([cadre.id], {
      dueAt: new Date(now.getTime() - 2 * TIME.DAY),
      cutoffAt: new Date(now.getTime() - TIME.HOUR),
    });
    const { assignmentId: noLate } = await courseWithAssignment([cadre.id], {
      dueAt: new Date(now.getTime() - TIME.HOUR),
      allowLate: false,
    });
    await saveDraft(cadre, draft(cutOff));
    const before = await snapshot();
    const a = await at(now, async () => await submitReflection(cadre, submission(cutOff, { baseRevision: 1 }), req));
    expect(a).toMatchObject({ ok: false, code: 'closed' });
    expect(a.ok ? '' : a.message).toContain('已过截止时间');
    const b = await at(now, async () => await submitReflection(cadre, submission(noLate), req));
    expect(b).toMatchObject({ ok: false, code: 'closed' });
    expect(b.ok ? '' : b.message).toContain('不接受逾期提交');
    expect(await snapshot()).toEqual(before);
    expect(await getMyAssignment(cadre, { assignmentId: cutOff }, now)).toMatchObject({ writable: false, deadline: { kind: 'closed' } });
  });

  it('refuses 字数 under the minimum and over the maximum, saying the count and the limits', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id], { minChars: 100, maxChars: 200 });
    const before = await snapshot();
    const short = await submitReflection(cadre, submission(assignmentId), req);
    expect(short).toMatchObject({ ok: false, code: 'invalid' });
    expect(short.ok ? '' : short.message).toContain('字数 60，要求 100–200 字');
    expect(short.ok ? undefined : short.fieldErrors?.body?.[0]).toContain('还差 40 字');
    const long = await submitReflection(cadre, submission(assignmentId, { body: BODY_60.repeat(4) }), req);
    expect(long.ok ? '' : long.message).toContain('字数 240，要求 100–200 字，超出 40 字');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an empty body and a missing declaration, each named (an empty title is allowed)', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    await saveDraft(cadre, draft(assignmentId));
    const before = await snapshot();
    const r = await submitReflection(cadre, submission(assignmentId, { title: '  ', body: ' \n ', declaration: false, baseRevision: 1 }), req);
    expect(r).toMatchObject({
      ok: false,
      code: 'invalid',
      fieldErrors: { body: ['请填写正文'], declaration: ['请勾选“本人承诺所交心得为本人撰写”'] },
    });
    const noDeclaration = await submitReflection(cadre, submission(assignmentId, { declaration: false, baseRevision: 1 }), req);
    expect(noDeclaration.ok ? undefined : noDeclaration.fieldErrors).toEqual({
      declaration: ['请勾选“本人承诺所交心得为本人撰写”'],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('flags a submission after the due time as late when late work is allowed', async () => {
    const cadre = await signedIn('cadre');
    const now = new Date();
    const { assignmentId } = await courseWithAssignment([cadre.id], { dueAt: new Date(now.getTime() - TIME.HOUR) });
    const r = await at(now, async () => await submitReflection(cadre, submission(assignmentId), req));
    expect(r).toMatchObject({ ok: true, late: true });
    const row = (await reflectionOf(cadre, assignmentId))!;
    expect(row.late).toBe(true);
    expect((await versionsOf(row.id))[0]?.late).toBe(true);
    expect((await listMyAssignments(cadre, { page: 1 }, now)).items[0]?.reflection?.late).toBe(true);
  });

  it('a submit from a stale tab whose text differs is a conflict and writes nothing', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    await saveDraft(cadre, draft(assignmentId, { body: '旧的' }));
    await saveDraft(cadre, draft(assignmentId, { body: '另一个窗口的新内容', baseRevision: 1 }));
    const before = await snapshot();
    const r = await submitReflection(cadre, submission(assignmentId, { body: '旧的', baseRevision: 1 }), req);
    expect(r).toMatchObject({ ok: false, code: 'conflict', server: { body: '另一个窗口的新内容', revision: 2 } });
    expect(await snapshot()).toEqual(before);
  });

  it('after 退回修改 the cadre edits and resubmits: version 2, version 1 kept and readable', async () => {
    const cadre = await signedIn('cadre');
    const now = new Date();
    const { assignmentId } = await courseWithAssignment([cadre.id], { dueAt: new Date(now.getTime() - TIME.DAY), allowLate: false });
    const first = await at(new Date(now.getTime() - 2 * TIME.DAY), async () => await submitReflection(cadre, submission(assignmentId), req));
    expect(first.ok).toBe(true);
    const row = (await reflectionOf(cadre, assignmentId))!;
    await setReflectionStatus(row.id, 'returned');
    await addComment(row.id, { body: '请补充本单位的具体做法。', decision: 'return', version: 1 });
    await addComment(row.id, { body: '内部:此人上次也敷衍', internal: true });

    const detail = await getMyAssignment(cadre, { assignmentId }, now);
    expect(detail).toMatchObject({ status: 'returned', writable: true });
    expect(detail.comments.map((c) => c.body)).toEqual(['请补充本单位的具体做法。']);
    expect((await listMyAssignments(cadre, { page: 1 }, now)).items[0]?.latestComment?.body).toBe('请补充本单位的具体做法。');

    const saved = await saveDraft(cadre, draft(assignmentId, { body: BODY_60 + '补充:我们社区建立了三方共治议事会。', baseRevision: row.revision }));
    expect(saved).toMatchObject({ ok: true });
    const revision = saved.ok ? saved.revision : 0;
    expect((await reflectionOf(cadre, assignmentId))?.status).toBe('returned');

    // Past the due time with no late work allowed, yet a return may always be resubmitted.
    const second = await at(now, async () =>
      await submitReflection(cadre, submission(assignmentId, { body: BODY_60 + '补充:我们社区建立了三方共治议事会。', baseRevision: revision }), req),
    );
    expect(second).toMatchObject({ ok: true, version: 2, status: 'submitted', late: false });
    const versions = await versionsOf(row.id);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]?.body).toBe(BODY_60);
    expect((await getMyReflectionVersion(cadre, { assignmentId, version: 1 })).body).toBe(BODY_60);
    expect((await getMyReflectionVersion(cadre, { assignmentId, version: 2 })).body).toContain('三方共治议事会');
    expect((await getMyAssignment(cadre, { assignmentId }, now)).versions.map((v) => v.version)).toEqual([2, 1]);
    expect(await nextDigest(async () => await getMyReflectionVersion(cadre, { assignmentId, version: 3 }))).toBe(NOT_FOUND);
  });

  it('an archived course takes no more submissions', async () => {
    const cadre = await signedIn('cadre');
    const courseId = await makeCourse({ archived: true });
    const assignmentId = await makeAssignment(await makeMeeting(courseId));
    await enroll(courseId, cadre.id);
    expect(await submitReflection(cadre, submission(assignmentId), req)).toMatchObject({ ok: false, code: 'closed' });
    expect((await getMyAssignment(cadre, { assignmentId })).writable).toBe(false);
  });
});

describe('the /my list', () => {
  useTestDatabase();

  it('lists every assignment of the cadre’s courses, newest course first, 20 a page, with state', async () => {
    const cadre = await signedIn('cadre');
    const now = new Date();
    const older = await makeCourse({ name: '2019年读书班', startsOn: '2019-03-01' });
    const newer = await makeCourse({ name: '2020年读书班', startsOn: '2020-05-09' });
    const notMine = await makeCourse({ name: '别人的读书班' });
    await enroll(older, cadre.id);
    await enroll(newer, cadre.id);
    const m1 = await makeMeeting(newer, { title: '开班式', startsAt: new Date('2020-05-09T01:00:00Z') });
    const m2 = await makeMeeting(newer, { title: '第六次集中学习', startsAt: new Date('2020-06-20T01:00:00Z') });
    const m0 = await makeMeeting(older);
    await makeAssignment(await makeMeeting(notMine));
    for (let i = 0; i < 12; i++) await makeAssignment(m1, { title: `开班式心得${i}` });
    for (let i = 0; i < 6; i++) await makeAssignment(m2, { title: `第六次心得${i}`, dueAt: new Date(now.getTime() + i * TIME.HOUR + TIME.DAY) });
    for (let i = 0; i < 4; i++) await makeAssignment(m0, { title: `往年心得${i}`, dueAt: new Date(now.getTime() - TIME.DAY) });

    const p1 = await listMyAssignments(cadre, { page: 1 }, now);
    expect(p1.total).toBe(22);
    expect(p1.pageCount).toBe(2);
    expect(p1.items).toHaveLength(MY_ASSIGNMENTS_PAGE_SIZE);
    expect(p1.items[0]).toMatchObject({ title: '第六次心得0', status: 'not_started', deadline: { kind: 'open' } });
    expect(p1.items.slice(0, 6).every((i) => i.meeting.title === '第六次集中学习')).toBe(true);
    expect(p1.items[6]?.meeting.title).toBe('开班式');
    const p2 = await listMyAssignments(cadre, { page: 2 }, now);
    expect(p2.items.map((i) => i.course.name)).toEqual(['2019年读书班', '2019年读书班']);
    expect(p2.items[0]?.deadline.kind).toBe('late');
    // A page past the end shows the last page.
    expect(await listMyAssignments(cadre, { page: 99 }, now)).toMatchObject({ page: 2, total: 22, pageCount: 2, items: p2.items });
    expect((await listMyAssignments(cadre, { page: 1 }, now)).items.some((i) => i.course.name === '别人的读书班')).toBe(false);
  });

  it('shows draft, submitted and returned states, and lists what is still to do', async () => {
    const cadre = await signedIn('cadre');
    const courseId = await makeCourse();
    // Enrolled before 丁 closed: it was theirs to write (a later joiner would see 无需提交).
    await enrollAt(courseId, [cadre.id], { enrolledAt: new Date(Date.now() - 2 * TIME.DAY) });
    const meetingId = await makeMeeting(courseId);
    const a1 = await makeAssignment(meetingId, { title: '甲' });
    const a2 = await makeAssignment(meetingId, { title: '乙' });
    const a3 = await makeAssignment(meetingId, { title: '丙' });
    await makeAssignment(meetingId, { title: '丁', dueAt: new Date(Date.now() - TIME.DAY), cutoffAt: new Date(Date.now() - TIME.HOUR) });
    await saveDraft(cadre, draft(a1));
    await submitReflection(cadre, submission(a2), req);
    await submitReflection(cadre, submission(a3), req);
    await setReflectionStatus((await reflectionOf(cadre, a3))!.id, 'returned');
    const byTitle = Object.fromEntries((await listMyAssignments(cadre, { page: 1 })).items.map((i) => [i.title, i]));
    expect(byTitle['甲']).toMatchObject({ status: 'draft', writable: true });
    expect(byTitle['乙']).toMatchObject({ status: 'submitted', writable: false });
    expect(byTitle['丙']).toMatchObject({ status: 'returned', writable: true });
    expect(byTitle['丁']).toMatchObject({ status: 'missed', writable: false, deadline: { kind: 'closed' } });
    const open = await listMyOpenAssignments(cadre);
    expect(open.total).toBe(2);
    expect(open.items.map((i) => i.title).sort()).toEqual(['丙', '甲']);
    // The first few, and how many in all.
    const first = await listMyOpenAssignments(cadre, new Date(), 1);
    expect(first.total).toBe(2);
    expect(first.items).toHaveLength(1);
  });
});
