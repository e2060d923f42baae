import { inOrder } from '@/lib/in-order';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { originalityChecks } from '@/db/schema';
import { enroll, makeAssignment, makeCourse, makeMeeting, makeReading, makeReadingText, makeReflection, setReflectionStatus, signedIn } from '@/db/factories';
import { FORBIDDEN, NOT_FOUND, nextDigest, useTestDatabase } from '@/test/db';
import { listReviewQueue } from '../review/queue';
import { submitReflection } from '../reflections/submit';
import { workQueuedChecksNow } from './index';
import { getOriginalityForReview, listSimilarPairs } from './reads';

const req = { ip: '198.51.100.7', userAgent: 'vitest' };

// Paragraphs written for this test, in the register of a study meeting.
const A1 =
  '基层治理是国家治理的基石，社区是服务群众的最后一公里。我们街道坚持党建引领，把支部建在网格上，让党员亮身份、作表率，群众有事找得到人、办得成事，矛盾纠纷化解在萌芽状态。';
const A2 =
  '通过这次读书班的学习，我深刻认识到作风建设永远在路上，必须把纪律挺在前面，从小事小节抓起，防微杜渐，以钉钉子精神抓好各项任务的落实，绝不搞形式主义、官僚主义那一套。';
const A3 = '下一步，我将带头深入一线调研，围绕老旧小区改造、停车难等问题建立问题清单、责任清单，定期对账销号。';
const B_OWN1 = '作为分管城市管理的干部，我负责辖区市容环境和违法建设治理工作，这次学习让我对自己的岗位职责有了新的思考。';
const B_OWN2 = '今后我要把学习成果转化为为民办实事的具体举措，向组织和群众交出一份满意的答卷。';
const READING = [
  '全面从严治党永远在路上，党的自我革命永远在路上，决不能有松劲歇脚、疲劳厌战的情绪，必须持之以恒、善作善成，把全面从严治党的政治引领和政治保障作用充分发挥出来。',
  '我们党作为世界上最大的马克思主义执政党，要始终赢得人民拥护、巩固长期执政地位，必须时刻保持解决大党独有难题的清醒和坚定。',
].join('\n');
const C_OWN = '读了原文，我体会最深的是这样两段话，对照检查自己，在抓落实上还有差距，今后要在社区工作中把这些要求落到实处。';
const EARLIER =
  '回顾一年来的工作，我们在为民服务中心推行一窗通办、帮办代办，企业和群众办事平均时间缩短了一半以上，这背后是干部作风的转变，也是学习成果的转化。';

async function setup() {
  const organizer = await signedIn('organizer');
  const otherOrganizer = await signedIn('organizer');
  const courseId = await makeCourse({ name: '2026年处级干部读书班', startsOn: '2026-09-01', organizerIds: [organizer.id] });
  await makeCourse({ name: '别的读书班', startsOn: '2026-09-01', organizerIds: [otherOrganizer.id] });
  const readingId = await makeReading('《论党的自我革命》');
  await makeReadingText(readingId, [{ heading: '第一篇', body: READING }]);
  const assignmentId = await makeAssignment(await makeMeeting(courseId), { readingIds: [readingId], dueAt: new Date(Date.now() + 86_400_000) });
  const [alice, bob, carol, dave, frank] = await inOrder([1, 2, 3, 4, 5], async () => await signedIn('cadre'));
  await enroll(courseId, [alice!.id, bob!.id, carol!.id, dave!.id, frank!.id]);
  return { organizer, otherOrganizer, courseId, assignmentId, alice: alice!, bob: bob!, carol: carol!, dave: dave!, frank: frank! };
}

async function submit(viewer: Awaited<ReturnType<typeof signedIn>>, assignmentId: number, title: string, body: string) {
  const r = await submitReflection(viewer, { assignmentId, title, body, readingIds: [], baseRevision: 0, submitKey: randomUUID(), declaration: true }, req);
  if (!r.ok) throw new Error(r.message);
  // The check is queued by the submit and worked right after it (see the describe below); here at once.
  await workQueuedChecksNow();
  return r.reflectionId;
}

describe('查重 on submit', () => {
  useTestDatabase();

  it('flags two copied paragraphs with small edits and aligns both; the queue filter and the course report list it', async () => {
    const s = await setup();
    await submit(s.alice, s.assignmentId, '以党建引领基层治理', [A1, A2, A3].join('\n'));
    const copied = [
      B_OWN1,
      A1.replace('最后一公里', '最后一米').replace('亮身份', '亮明身份'),
      A2.replace('永远在路上', '始终在路上').replace('钉钉子精神', '钉钉子的精神'),
      B_OWN2,
    ].join('\n');
    const bobId = await submit(s.bob, s.assignmentId, '学习体会', copied);
    const daveId = await submit(s.dave, s.assignmentId, '我的体会', `${B_OWN2}${C_OWN}`);

    const view = await getOriginalityForReview(s.organizer, { id: bobId });
    expect(view).not.toBeNull();
    expect(view!.flagged).toBe(true);
    expect(view!.share).toBeGreaterThan(500);
    const [top] = view!.sources;
    expect(top!.kind).toBe('reflection');
    expect(top!.quote).toBe(false);
    expect(top!.passages).toHaveLength(2);
    expect(top!.passages[0]!.ours.match).toContain('最后一米');
    expect(top!.passages[0]!.theirs.match).toContain('最后一公里');
    expect(top!.passages[1]!.ours.match).toContain('始终在路上');
    expect(top!.passages[1]!.theirs.match).toContain('永远在路上');

    const dave = await getOriginalityForReview(s.organizer, { id: daveId });
    expect(dave!.flagged).toBe(false);

    const queue = await listReviewQueue(s.organizer, { course: s.courseId, similar: '1' });
    expect(queue.items.map((i) => i.id)).toEqual([bobId]);
    expect(queue.items[0]!.similarity).toBe(view!.share);

    const report = await listSimilarPairs(s.organizer, { courseId: s.courseId });
    expect(report.pairs.map((p) => p.reflectionId)).toEqual([bobId]);
    expect(report.pairs[0]!.source!.href).toMatch(/^\/review\/\d+$/u);
  });

  it('a long quote of the assigned reading is 引用原文, not copying', async () => {
    const s = await setup();
    const id = await submit(s.carol, s.assignmentId, '对照原文找差距', `${C_OWN}\n${READING}\n${B_OWN2}`);
    const view = await getOriginalityForReview(s.organizer, { id });
    expect(view!.flagged).toBe(false);
    expect(view!.share).toBe(0);
    expect(view!.quoteShare).toBeGreaterThan(400);
    expect(view!.sources).toHaveLength(1);
    expect(view!.sources[0]).toMatchObject({ kind: 'section', quote: true, label: '《论党的自我革命》 第一篇' });
    expect(view!.sources[0]!.passages[0]!.theirs.match).toContain('全面从严治党永远在路上');
  });

  it('a colleague quoting the same reading is not a source of copying', async () => {
    const s = await setup();
    await submit(s.alice, s.assignmentId, '原文摘抄', `${READING}\n${A3}`);
    const id = await submit(s.carol, s.assignmentId, '对照原文找差距', `${C_OWN}\n${READING}\n${B_OWN2}`);
    const view = await getOriginalityForReview(s.organizer, { id });
    expect(view!.share).toBe(0);
    expect(view!.sources.filter((x) => !x.quote)).toEqual([]);
  });

  it('finds a reflection of an earlier course as a source', async () => {
    const s = await setup();
    const earlierCourse = await makeCourse({ name: '2025年处级干部读书班', startsOn: '2025-09-01' });
    const eve = await signedIn('cadre');
    await enroll(earlierCourse, [eve.id]);
    const earlier = await makeReflection({
      assignmentId: await makeAssignment(await makeMeeting(earlierCourse)),
      authorId: eve.id,
      title: '去年的心得',
      body: `${EARLIER}\n${A3}`,
      status: 'approved',
      originality: true,
    });
    const id = await submit(s.frank, s.assignmentId, '今年的心得', `${B_OWN1}\n${EARLIER}`);
    const view = await getOriginalityForReview(s.organizer, { id });
    expect(view!.sources[0]).toMatchObject({ kind: 'reflection', href: `/review/${earlier}` });
    expect(view!.sources[0]!.label).toContain('2025年处级干部读书班');
    expect(view!.flagged).toBe(true);
  });

  it('cadres never see others’ texts through 查重; another course’s organizer sees nothing', async () => {
    const s = await setup();
    await submit(s.alice, s.assignmentId, '以党建引领基层治理', [A1, A2].join('\n'));
    const bobId = await submit(s.bob, s.assignmentId, '学习体会', [A1, A2].join('\n'));
    for (const cadre of [s.alice, s.bob]) {
      expect(await nextDigest(async () => await getOriginalityForReview(cadre, { id: bobId }))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await listSimilarPairs(cadre, { courseId: s.courseId }))).toBe(FORBIDDEN);
    }
    expect(await nextDigest(async () => await getOriginalityForReview(s.otherOrganizer, { id: bobId }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await listSimilarPairs(s.otherOrganizer, { courseId: s.courseId }))).toBe(NOT_FOUND);
  });

  it('every submitted version is checked again', async () => {
    const s = await setup();
    await submit(s.alice, s.assignmentId, '以党建引领基层治理', [A1, A2].join('\n'));
    const id = await submit(s.bob, s.assignmentId, '学习体会', B_OWN1);
    expect(await getDb().select().from(originalityChecks).where(eq(originalityChecks.reflectionId, id)).get()).toMatchObject({ status: 'done', share: 0 });
    // Returned and handed in again with a copied paragraph.
    await getDb().update(originalityChecks).set({ share: 0 }).where(eq(originalityChecks.reflectionId, id)).run();
    await setReflectionStatus(id, 'returned');
    const again = await submitReflection(s.bob, { assignmentId: s.assignmentId, title: '学习体会', body: `${B_OWN1}\n${A1}`, readingIds: [], baseRevision: 2, submitKey: randomUUID(), declaration: true }, req);
    expect(again).toMatchObject({ ok: true, version: 2 });
    expect(await workQueuedChecksNow()).toBe(1);
    expect((await getDb().select().from(originalityChecks).where(eq(originalityChecks.reflectionId, id)).get())!.share).toBeGreaterThan(300);
  });
});

describe('查重 never gets lost', () => {
  useTestDatabase();

  it('a submission’s check is queued in its transaction, beside its version, and this process works it right after', async () => {
    const s = await setup();
    await submit(s.alice, s.assignmentId, '以党建引领基层治理', [A1, A2].join('\n'));
    const r = await submitReflection(s.bob, { assignmentId: s.assignmentId, title: '学习体会', body: [A1, A2].join('\n'), readingIds: [], baseRevision: 0, submitKey: randomUUID(), declaration: true }, req);
    if (!r.ok) throw new Error(r.message);
    const row = async () => await getDb().select().from(originalityChecks).where(eq(originalityChecks.reflectionId, r.reflectionId)).get();
    expect(await row()).toMatchObject({ status: 'pending' });
    expect(await getOriginalityForReview(s.organizer, { id: r.reflectionId })).toMatchObject({ status: 'pending' });
    // No one else submits: the process works the check on its own, without being asked.
    await vi.waitFor(async () => expect(await row()).toMatchObject({ status: 'done' }), { timeout: 5000, interval: 50 });
    expect((await getOriginalityForReview(s.organizer, { id: r.reflectionId }))!.flagged).toBe(true);
  });

  it('a submission refused (nothing written) queues no check', async () => {
    const s = await setup();
    const r = await submitReflection(s.bob, { assignmentId: s.assignmentId, title: '学习体会', body: B_OWN1, readingIds: [], baseRevision: 0, submitKey: randomUUID(), declaration: false }, req);
    expect(r.ok).toBe(false);
    expect(await workQueuedChecksNow()).toBe(0);
    expect(await getDb().select().from(originalityChecks).all()).toEqual([]);
  });

  it('reflections handed in without a check join the queue at start and are worked through', async () => {
    const { enqueueUnchecked, processPending } = await import('./index');
    const s = await setup();
    await submit(s.alice, s.assignmentId, '以党建引领基层治理', [A1, A2].join('\n'));
    // As if written before 查重 existed (a restore, an import): no check row.
    const old = await makeReflection({ assignmentId: s.assignmentId, authorId: s.bob.id, status: 'approved', title: '旧心得', body: [A1, A2].join('\n') });
    expect(await getDb().select().from(originalityChecks).where(eq(originalityChecks.reflectionId, old)).get()).toBeUndefined();
    expect(await getDb().transaction(async (tx) => await enqueueUnchecked(tx))).toBe(1);
    expect(await getDb().transaction(async (tx) => await processPending(tx, { limit: 25 }))).toEqual({ processed: 1, left: 0 });
    expect(await getDb().select().from(originalityChecks).where(eq(originalityChecks.reflectionId, old)).get()).toMatchObject({ status: 'done' });
    expect((await getOriginalityForReview(s.organizer, { id: old }))!.flagged).toBe(true);
  });
});
