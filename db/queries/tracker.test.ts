import { asc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { assignments, courseMembers, courses, notifications, reflections } from '@/db/schema';
import { addReflection, auditOf, req, twoCourses } from '@/db/queries/courses.fixtures';
import { FORBIDDEN, makeUser, NOT_FOUND, nextDigest, useTestDatabase } from '@/test/db';
import {
  exportTrackerXlsx,
  getAssignmentTracker,
  listTrackerAssignments,
  REMIND_INTERVAL_MS,
  REMIND_NONE_MISSING,
  sendReminders,
} from './tracker';

/** Course A with four more members: one on time, one late, one with only a draft, one hostile name. */
async function populated() {
  const fx = await twoCourses();
  const { a } = fx;
  const db = getDb();
  const late = await makeUser('cadre', { name: '迟交者', unitId: fx.district });
  const drafter = await makeUser('cadre', { name: '草稿者', unitId: fx.town });
  const hostile = await makeUser('cadre', { name: '=SUM(1)', title: '@cmd', unitId: null });
  const onTime = await makeUser('cadre', { name: '按时者', unitId: fx.town });
  await db.insert(courseMembers).values([late, drafter, hostile, onTime].map((userId) => ({ courseId: a.courseId, userId }))).run();
  await db.update(courseMembers).set({ groupId: a.groupId }).where(eq(courseMembers.userId, onTime)).run();
  const lateId = await addReflection(a, late, 'returned');
  await db.update(reflections).set({ late: true }).where(eq(reflections.id, lateId)).run();
  await addReflection(a, drafter, 'draft');
  await addReflection(a, onTime, 'approved');
  return { ...fx, late, drafter, hostile, onTime };
}

async function openAssignment(id: number) {
  await getDb().update(assignments).set({ dueAt: new Date(Date.now() + 86400_000) }).where(eq(assignments.id, id)).run();
}

describe('tracker: who has handed in', () => {
  useTestDatabase();

  it('lists members as submitted, late or missing, grouped by 单位 and by group with counts and rates', async () => {
    const { a, late, drafter, hostile, onTime } = await populated();
    const t = await getAssignmentTracker(a.organizer, { assignmentId: a.assignmentId });
    const status = Object.fromEntries(t.members.map((m) => [m.userId, m.status]));
    expect(status).toEqual({ [a.memberId]: 'missing', [late]: 'late', [drafter]: 'missing', [hostile]: 'missing', [onTime]: 'submitted' });
    expect(t.totals).toEqual({ total: 5, submitted: 1, late: 1, missing: 3, rate: 0.4 });
    const town = t.byUnit.find((g) => g.label === '樊城区/牛首镇');
    expect(town).toMatchObject({ total: 3, submitted: 1, late: 0, missing: 2 });
    expect(t.byUnit.find((g) => g.label === '樊城区')).toMatchObject({ total: 1, late: 1, rate: 1 });
    expect(t.byUnit.find((g) => g.label === '（未填单位）')).toMatchObject({ total: 1, missing: 1 });
    expect(t.byGroup.find((g) => g.label === '第一组')).toMatchObject({ total: 2, submitted: 1, missing: 1 });
    expect(t.byGroup.find((g) => g.label === '（未分组）')).toMatchObject({ total: 3 });
  });

  it('an organizer of course A sees nothing of course B; a cadre is refused', async () => {
    const { a, b, admin, cadre } = await populated();
    expect(await nextDigest(async () => await getAssignmentTracker(a.organizer, { assignmentId: b.assignmentId }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await getAssignmentTracker(a.organizer, { assignmentId: 999_999 }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await getAssignmentTracker(cadre, { assignmentId: a.assignmentId }))).toBe(FORBIDDEN);
    const mine = await listTrackerAssignments(a.organizer);
    expect(mine.items.map((i) => i.id)).toEqual([a.assignmentId]);
    expect(mine.items[0]).toMatchObject({ memberCount: 5, submittedCount: 2 });
    expect(mine.total).toBe(1);
    expect((await listTrackerAssignments(admin)).total).toBe(2);
    expect(await nextDigest(async () => await listTrackerAssignments(cadre))).toBe(FORBIDDEN);
  });
});

describe('tracker: export', () => {
  useTestDatabase();

  it('opens with exceljs, lists the missing cadre, and escapes cells a spreadsheet would run', async () => {
    const { a } = await populated();
    const { buffer, fileName } = await exportTrackerXlsx(a.organizer, { assignmentId: a.assignmentId });
    expect(fileName).toMatch(/^交稿情况-.*\.xlsx$/u);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    const list = wb.getWorksheet('名单');
    expect(list).toBeDefined();
    const rows: string[][] = [];
    list?.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const byName = new Map(rows.map((r) => [r[0], r]));
    expect(byName.get('甲学员')?.[4]).toBe('未交');
    expect(byName.get('草稿者')?.[4]).toBe('未交');
    expect(byName.get('迟交者')?.[4]).toBe('逾期提交');
    expect(byName.has('乙学员')).toBe(false);
    const hostile = byName.get("'=SUM(1)");
    expect(hostile?.[1]).toBe("'@cmd");
    // Written as text, never as a formula.
    list?.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    expect(wb.getWorksheet('按单位')).toBeDefined();
    expect(wb.getWorksheet('按小组')).toBeDefined();
  });

  it('refuses another course’s assignment and a cadre', async () => {
    const { a, b, cadre } = await populated();
    const digest = async (fn: () => Promise<unknown>) => fn().then(() => undefined, (e: { digest?: string }) => e.digest);
    await expect(digest(async () => await exportTrackerXlsx(a.organizer, { assignmentId: b.assignmentId }))).resolves.toBe(NOT_FOUND);
    await expect(digest(async () => await exportTrackerXlsx(cadre, { assignmentId: a.assignmentId }))).resolves.toBe(FORBIDDEN);
  });
});

describe('tracker: reminders', () => {
  useTestDatabase();

  async function notified() {
    return await getDb().select().from(notifications).orderBy(asc(notifications.userId)).all();
  }

  it('notifies exactly the missing members, with one audit row holding the count', async () => {
    const { a, b, drafter, hostile } = await populated();
    await openAssignment(a.assignmentId);
    const r = await sendReminders(a.organizer, { assignmentId: a.assignmentId }, req);
    expect(r).toEqual({ ok: true, count: 3 });
    const rows = await notified();
    expect(rows.map((n) => n.userId).sort((x, y) => x - y)).toEqual([a.memberId, drafter, hostile].sort((x, y) => x - y));
    expect(rows.every((n) => n.kind === 'reminder' && n.link === `/my/assignments/${a.assignmentId}`)).toBe(true);
    expect(rows.some((n) => n.userId === b.memberId)).toBe(false);
    const audit = await auditOf('reflection.remind');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: a.organizer.id, targetType: 'assignment', targetId: String(a.assignmentId), ip: req.ip });
    expect(audit[0]?.detail).toMatchObject({ count: 3, courseId: a.courseId });
  });

  it('refuses a second reminder within 10 minutes, and allows one after', async () => {
    const { a } = await populated();
    await openAssignment(a.assignmentId);
    expect((await sendReminders(a.organizer, { assignmentId: a.assignmentId }, req)).ok).toBe(true);
    const again = await sendReminders(a.organizer, { assignmentId: a.assignmentId }, req);
    expect(again).toMatchObject({ ok: false, code: 'too_soon' });
    expect(again.ok ? '' : again.message).toMatch(/10 分钟内不能重复提醒/u);
    expect(await notified()).toHaveLength(3);
    expect(await auditOf('reflection.remind')).toHaveLength(1);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + REMIND_INTERVAL_MS + 1000);
      expect(await sendReminders(a.organizer, { assignmentId: a.assignmentId }, req)).toEqual({ ok: true, count: 3 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('says so when nobody is missing, and refuses an archived course', async () => {
    const { b, admin } = await populated();
    await openAssignment(b.assignmentId);
    await addReflection(b, b.memberId, 'submitted');
    expect(await sendReminders(admin, { assignmentId: b.assignmentId })).toMatchObject({ ok: false, message: REMIND_NONE_MISSING });
    await getDb().update(courses).set({ archived: true }).where(eq(courses.id, b.courseId)).run();
    expect(await sendReminders(admin, { assignmentId: b.assignmentId })).toMatchObject({ ok: false, code: 'closed' });
    expect(await notified()).toHaveLength(0);
  });

  it('never reaches another course, and refuses a cadre, writing nothing', async () => {
    const { a, b, cadre } = await populated();
    await openAssignment(b.assignmentId);
    expect(await sendReminders(a.organizer, { assignmentId: b.assignmentId })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await sendReminders(cadre, { assignmentId: a.assignmentId })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await notified()).toHaveLength(0);
    expect(await auditOf('reflection.remind')).toHaveLength(0);
  });
});
