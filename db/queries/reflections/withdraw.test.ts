import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { addOrganizer, enroll, makeAssignment, makeCourse, makeMeeting, signedIn, TIME } from '@/db/factories';
import { assignments, auditLog, reflections, reflectionVersions } from '@/db/schema';
import { addComment, courseWithAssignment, setReflectionStatus } from '@/test/course-fixtures';
import { useTestDatabase } from '@/test/db';
import { exportTrackerXlsx, getAssignmentTracker } from '../tracker';
import { getMyAssignment, listMyAssignments } from './reads';
import { submitReflection } from './submit';
import { WITHDRAW_DECIDED_MESSAGE, withdrawReflection } from './withdraw';

const req = { ip: '198.51.100.7', userAgent: 'vitest' };
const BODY = '通过这次集中学习，我深刻认识到党的自我革命是跳出历史周期率的第二个答案。';

function submission(assignmentId: number, title = '以自我革命精神推动基层治理') {
  return { assignmentId, title, body: BODY, readingIds: [], baseRevision: 0, submitKey: randomUUID(), declaration: true };
}

async function rowOf(assignmentId: number) {
  const row = await getDb().select().from(reflections).where(eq(reflections.assignmentId, assignmentId)).get();
  if (!row) throw new Error('no reflection');
  return row;
}

describe('submit: the title is optional', () => {
  useTestDatabase();

  it('an empty title becomes the assignment’s name', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id], { title: '第一次集中学习心得' });
    const r = await submitReflection(cadre, { ...submission(assignmentId, '  ') }, req);
    expect(r.ok).toBe(true);
    expect((await rowOf(assignmentId)).title).toBe('第一次集中学习心得');
    const v = await getDb().select().from(reflectionVersions).get();
    expect(v?.title).toBe('第一次集中学习心得');
  });
});

describe('撤回: the author takes a submitted reflection back', () => {
  useTestDatabase();

  it('returns it to draft with its versions kept and an audit row; it can be submitted again', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    expect((await submitReflection(cadre, submission(assignmentId), req)).ok).toBe(true);
    const r = await withdrawReflection(cadre, { assignmentId: String(assignmentId) }, req);
    expect(r).toMatchObject({ ok: true, status: 'draft', version: 1 });
    const row = await rowOf(assignmentId);
    expect(row.status).toBe('draft');
    expect(row.versionCount).toBe(1);
    expect(await getDb().select().from(reflectionVersions).all()).toHaveLength(1);
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, 'reflection.withdraw')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.targetId).toBe(String(row.id));
    expect((await getMyAssignment(cadre, { assignmentId })).writable).toBe(true);

    const again = await submitReflection(cadre, { ...submission(assignmentId), baseRevision: row.revision }, req);
    expect(again).toMatchObject({ ok: true, version: 2 });
    expect((await getDb().select().from(reflectionVersions).orderBy(asc(reflectionVersions.version)).all()).map((v) => v.version)).toEqual([1, 2]);
  });

  it('is refused after approve or return, and for a draft, writing nothing', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    await submitReflection(cadre, submission(assignmentId), req);
    const id = (await rowOf(assignmentId)).id;
    for (const status of ['approved', 'returned'] as const) {
      await setReflectionStatus(id, status);
      const before = await rowOf(assignmentId);
      expect(await withdrawReflection(cadre, { assignmentId }, req)).toMatchObject({ ok: false, message: WITHDRAW_DECIDED_MESSAGE });
      expect(await rowOf(assignmentId)).toEqual(before);
    }
    await setReflectionStatus(id, 'draft');
    expect((await withdrawReflection(cadre, { assignmentId }, req)).ok).toBe(false);
  });

  it('another cadre cannot withdraw it; a resubmission after 退回 goes back to 退回修改', async () => {
    const cadre = await signedIn('cadre');
    const other = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id, other.id]);
    await submitReflection(cadre, submission(assignmentId), req);
    expect((await withdrawReflection(other, { assignmentId }, req)).ok).toBe(false);
    expect((await rowOf(assignmentId)).status).toBe('submitted');

    const id = (await rowOf(assignmentId)).id;
    await setReflectionStatus(id, 'returned');
    await addComment(id, { decision: 'return', body: '结合实际不够紧密' });
    const row = await rowOf(assignmentId);
    await submitReflection(cadre, { ...submission(assignmentId), baseRevision: row.revision }, req);
    expect(await withdrawReflection(cadre, { assignmentId }, req)).toMatchObject({ ok: true, status: 'returned' });
  });

  it('is refused once the assignment is closed, since it could not be handed in again', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    await submitReflection(cadre, submission(assignmentId), req);
    await getDb().update(assignments).set({ dueAt: new Date(Date.now() - TIME.DAY), allowLate: false }).where(eq(assignments.id, assignmentId)).run();
    const r = await withdrawReflection(cadre, { assignmentId }, req);
    expect(r.ok).toBe(false);
    expect((await rowOf(assignmentId)).status).toBe('submitted');
  });
});

describe('late joiners: 无需提交', () => {
  useTestDatabase();

  it('an assignment closed before the cadre joined is 无需提交 on /my, not writable, and not counted by the tracker or its export', async () => {
    const early = await signedIn('cadre');
    const late = await signedIn('cadre');
    const organizer = await signedIn('organizer');
    const courseId = await makeCourse();
    await addOrganizer(courseId, organizer.id);
    const meetingId = await makeMeeting(courseId);
    const closed = await makeAssignment(meetingId, { title: '已截止的任务', dueAt: new Date(Date.now() - 5 * TIME.DAY), allowLate: false });
    const open = await makeAssignment(meetingId, { title: '进行中的任务' });
    await enroll(courseId, [early.id], { enrolledAt: new Date(Date.now() - 10 * TIME.DAY) });
    await enroll(courseId, [late.id], { enrolledAt: new Date(Date.now() - TIME.DAY) });

    const mine = (await listMyAssignments(late, { page: 1 })).items;
    expect(mine.find((i) => i.assignmentId === closed)).toMatchObject({ status: 'not_required', writable: false });
    expect(mine.find((i) => i.assignmentId === open)).toMatchObject({ status: 'not_started', writable: true });
    expect(await getMyAssignment(late, { assignmentId: closed })).toMatchObject({ status: 'not_required', writable: false });
    expect((await listMyAssignments(early, { page: 1 })).items.find((i) => i.assignmentId === closed)?.status).toBe('missed'); // expected of them, closed, never handed in: 未交

    const t = await getAssignmentTracker(organizer, { assignmentId: closed });
    expect(t.totals).toMatchObject({ total: 1, missing: 1 });
    expect(t.members.find((m) => m.userId === late.id)?.status).toBe('not_required');
    expect(t.members.find((m) => m.userId === early.id)?.status).toBe('missing');
    expect((await getAssignmentTracker(organizer, { assignmentId: open })).totals.total).toBe(2);

    const { buffer } = await exportTrackerXlsx(organizer, { assignmentId: closed });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('名单');
    const texts: string[] = [];
    sheet?.eachRow((r) => texts.push((r.values as unknown[]).filter((v) => v !== undefined && v !== null).join('|')));
    expect(texts[1]).toContain('应交 1 人');
    expect(texts.find((t) => t.includes(late.name))).toContain('无需提交');
    expect(wb.getWorksheet('按单位')?.getRow(wb.getWorksheet('按单位')?.rowCount ?? 0).getCell(2).value).toBe(1);
  });
});
