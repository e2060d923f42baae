import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { enroll, makeComment, makeReflection, makeUnit, makeUser, SAMPLE_BODY, signedIn, viewerFor } from '@/db/factories';
import { auditOf, req, twoCourses } from '@/db/queries/courses.fixtures';
import { listReviewQueue } from '@/db/queries/review/queue';
import { getAssignmentTracker } from '@/db/queries/tracker';
import { assignments, courseMembers, courseWebhooks, users } from '@/db/schema';
import { postToRobot } from '@/lib/reminders/post';
import { maskWebhookUrl, webhookUrlProblem } from '@/lib/reminders/webhook-url';
import { FORBIDDEN, NOT_FOUND, nextDigest, useTestDatabase } from '@/test/db';
import { clearCourseWebhook, getCourseWebhook, sendRobotReminder, setCourseWebhook } from '../reminders/webhook';
import { getLearningArchive } from './archive';
import { getCourseStatistics } from './course';
import { listCourseOverview } from './overview';
import { listStatisticsPeople } from './people';

describe('course statistics', () => {
  useTestDatabase();

  it('leave a member who joined after a closed assignment out of its expected count, and count sub-units', async () => {
    const fx = await twoCourses();
    const { a } = fx;
    const village = await makeUnit('牛首村', fx.town);
    const villager = await makeUser('cadre', { name: '村里人', unitId: village });
    await enroll(a.courseId, [villager], { groupId: a.groupId, enrolledAt: new Date('2020-05-01T00:00:00Z') });
    // Joined after the assignment closed (it takes no late work): not expected.
    const lateJoiner = await makeUser('cadre', { name: '后来者', unitId: fx.town });
    await enroll(a.courseId, [lateJoiner], { enrolledAt: new Date('2030-01-01T00:00:00Z') });
    await getDb().update(assignments).set({ allowLate: false }).where(eq(assignments.id, a.assignmentId)).run();
    await getDb().update(courseMembers).set({ enrolledAt: new Date('2020-05-01T00:00:00Z') }).where(eq(courseMembers.userId, a.memberId)).run();
    await makeReflection({ assignmentId: a.assignmentId, authorId: villager, status: 'approved', excellent: true, body: SAMPLE_BODY, index: false });

    const s = await getCourseStatistics(a.organizer, { courseId: a.courseId });
    expect(s.totals).toMatchObject({ members: 3, expected: 2, submitted: 1, missing: 1, approved: 1, excellent: 1 });
    const town = s.byUnit.find((r) => r.scope.unit === fx.town);
    const vill = s.byUnit.find((r) => r.scope.unit === village);
    expect(town?.figures).toMatchObject({ members: 3, expected: 2, submitted: 1 });
    expect(vill?.figures).toMatchObject({ members: 1, expected: 1, submitted: 1 });
    expect((vill?.depth ?? 0) > (town?.depth ?? 0)).toBe(true);
    expect((await listStatisticsPeople(a.organizer, { courseId: a.courseId, kind: 'missing' })).rows.map((r) => r.name)).toEqual(['甲学员']);
    expect((await listCourseOverview(fx.admin)).find((r) => r.id === a.courseId)).toMatchObject({ members: 3, expected: 2, submitted: 1, missing: 1 });
  });

  it('count 疑似雷同 as the review queue’s filter does: the copy, not the original', async () => {
    const fx = await twoCourses();
    const { a } = fx;
    const copier = await makeUser('cadre', { name: '抄者' });
    await enroll(a.courseId, [copier], { groupId: a.groupId });
    const own = [
      '基层党组织要把党员组织起来，把人才凝聚起来，把群众动员起来，合力推进城市基层治理，打通服务群众的最后一公里。',
      '我们社区推行党员亮身份、亮承诺、亮服务，在职党员回社区报到，认领服务项目，群众的急难愁盼问题有了着落。',
    ].join('\n');
    await makeReflection({ assignmentId: a.assignmentId, authorId: a.memberId, status: 'submitted', body: own, index: false, originality: true });
    const copy = await makeReflection({ assignmentId: a.assignmentId, authorId: copier, status: 'submitted', body: own, index: false, originality: true });

    const s = await getCourseStatistics(a.organizer, { courseId: a.courseId });
    expect(s.totals).toMatchObject({ submitted: 2, similar: 1 });
    expect(s.byMeeting[0]?.figures.similar).toBe(1);
    const queued = await listReviewQueue(a.organizer, { course: a.courseId, state: 'all', similar: '1' });
    expect(queued.items.map((r) => r.id)).toEqual([copy]);
  });

  it('are refused to another course’s organizer and to cadres', async () => {
    const fx = await twoCourses();
    expect(await nextDigest(async () => await getCourseStatistics(fx.b.organizer, { courseId: fx.a.courseId }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await getCourseStatistics(fx.cadre, { courseId: fx.a.courseId }))).toBe(FORBIDDEN);
    expect(await nextDigest(async () => await listStatisticsPeople(fx.b.organizer, { courseId: fx.a.courseId, kind: 'members' }))).toBe(NOT_FOUND);
    expect((await listCourseOverview(fx.b.organizer)).map((r) => r.id)).toEqual([fx.b.courseId]);
  });
});

describe('学习档案', () => {
  useTestDatabase();

  async function withRecord() {
    const fx = await twoCourses();
    const r = await makeReflection({ assignmentId: fx.a.assignmentId, authorId: fx.a.memberId, status: 'returned', body: SAMPLE_BODY, index: false });
    await makeComment(r, { authorId: fx.a.organizer.id, decision: 'return', body: '请补充具体举措', version: 1 });
    await makeComment(r, { authorId: fx.a.organizer.id, body: '可作为简报备选', internal: true });
    return fx;
  }

  it('the cadre sees their own, without internal notes', async () => {
    const fx = await withRecord();
    const a = await getLearningArchive(fx.cadre, { userId: fx.a.memberId });
    expect(a.counts).toMatchObject({ submitted: 1, returns: 1 });
    expect(a.reflections[0]?.comments.map((c) => c.body)).toEqual(['请补充具体举措']);
  });

  it('organizers of the course and admins see it; another cadre and another course’s organizer are refused', async () => {
    const fx = await withRecord();
    expect((await getLearningArchive(fx.a.organizer, { userId: fx.a.memberId })).reflections).toHaveLength(1);
    expect((await getLearningArchive(fx.admin, { userId: fx.a.memberId })).reflections[0]?.comments).toHaveLength(2);
    const other = await viewerFor(fx.b.memberId);
    expect(await nextDigest(async () => await getLearningArchive(other, { userId: fx.a.memberId }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await getLearningArchive(fx.b.organizer, { userId: fx.a.memberId }))).toBe(NOT_FOUND);
  });

  it('an organizer sees only the courses they run', async () => {
    const fx = await withRecord();
    await enroll(fx.b.courseId, [fx.a.memberId]);
    await makeReflection({ assignmentId: fx.b.assignmentId, authorId: fx.a.memberId, status: 'submitted', body: SAMPLE_BODY, index: false });
    expect((await getLearningArchive(fx.b.organizer, { userId: fx.a.memberId })).reflections.map((r) => r.courseName)).toEqual(['2020年乙读书班']);
    expect((await getLearningArchive(fx.cadre, { userId: fx.a.memberId })).reflections).toHaveLength(2);
  });
});

describe('催交 and the group robot', () => {
  useTestDatabase();
  let server: http.Server;
  let received: { body: string; path: string }[] = [];
  let delayMs = 0;
  let base = '';

  beforeEach(async () => {
    received = [];
    delayMs = 0;
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (c: Buffer) => (body += c.toString('utf8')));
      request.on('end', () => {
        received.push({ body, path: request.url ?? '' });
        setTimeout(() => {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end('{"errcode":0,"errmsg":"ok"}');
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    process.env.WEBHOOK_ALLOWED_HOSTS = `127.0.0.1:${port}`;
  });
  afterEach(async () => {
    delete process.env.WEBHOOK_ALLOWED_HOSTS;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('only the vendors’ robot hosts or the allow-list may be set', () => {
    expect(webhookUrlProblem('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', 'wecom')).toBeNull();
    expect(webhookUrlProblem('https://oapi.dingtalk.com/robot/send?access_token=abc', 'dingtalk')).toBeNull();
    expect(webhookUrlProblem('http://qyapi.weixin.qq.com/cgi-bin/webhook/send', 'wecom')).toMatch(/https/u);
    expect(webhookUrlProblem('https://oapi.dingtalk.com/robot/send', 'wecom')).toMatch(/qyapi/u);
    expect(webhookUrlProblem('https://169.254.169.254/latest/meta-data', 'wecom')).not.toBeNull();
    expect(webhookUrlProblem('https://qyapi.weixin.qq.com.evil.example/x', 'wecom')).not.toBeNull();
    expect(webhookUrlProblem('https://u:p@qyapi.weixin.qq.com/x', 'wecom')).not.toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:1/x', 'wecom')).not.toBeNull();
    expect(webhookUrlProblem(`${base}/hook`, 'wecom')).toBeNull();
    expect(maskWebhookUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=••••••5aaa',
    );
  });

  it('an admin sets it (stored, shown masked, audited); organizers cannot', async () => {
    const fx = await twoCourses();
    const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key-1234';
    expect(await setCourseWebhook(fx.a.organizer, { courseId: fx.a.courseId, kind: 'wecom', url }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    const bad = await setCourseWebhook(fx.admin, { courseId: fx.a.courseId, kind: 'wecom', url: 'http://10.0.0.1/hook' }, req);
    expect(bad).toMatchObject({ ok: false, code: 'invalid' });
    expect(await setCourseWebhook(fx.admin, { courseId: fx.a.courseId, kind: 'wecom', url }, req)).toMatchObject({ ok: true });
    expect((await getDb().select().from(courseWebhooks).get())?.url).toBe(url);
    expect((await getCourseWebhook(fx.admin, { courseId: fx.a.courseId }))?.maskedUrl).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=••••••1234');
    expect((await auditOf('course.webhook.set'))[0]?.detail).toEqual({ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=••••••1234' });
    expect(JSON.stringify(await auditOf('course.webhook.set'))).not.toContain('secret-key');
    expect(await clearCourseWebhook(fx.admin, { courseId: fx.a.courseId }, req)).toMatchObject({ ok: true });
    expect(await auditOf('course.webhook.clear')).toHaveLength(1);
  });

  it('发送提醒 posts the 催交名单 to the robot, with the phone of those missing in the tracker', async () => {
    const fx = await twoCourses();
    await getDb().update(users).set({ phone: '13907101234' }).where(eq(users.id, fx.a.memberId)).run();
    const t = await getAssignmentTracker(fx.a.organizer, { assignmentId: fx.a.assignmentId });
    expect(t.members.find((m) => m.userId === fx.a.memberId)?.phone).toBe('13907101234');
    expect(await setCourseWebhook(fx.admin, { courseId: fx.a.courseId, kind: 'dingtalk', url: `${base}/robot/send?access_token=t0k3n` }, req)).toMatchObject({ ok: true });

    expect(await sendRobotReminder(fx.b.organizer, { assignmentId: fx.a.assignmentId }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(received).toHaveLength(0);

    const sent = await sendRobotReminder(fx.a.organizer, { assignmentId: fx.a.assignmentId }, req);
    expect(sent).toMatchObject({ ok: true, count: 1, kindLabel: '钉钉' });
    expect(received).toHaveLength(1);
    const msg = JSON.parse(received[0]?.body ?? '{}') as { msgtype: string; text: { content: string } };
    expect(msg.msgtype).toBe('text');
    expect(msg.text.content).toContain('@甲学员');
    expect(msg.text.content).toContain('开班心得');
    expect(msg.text.content).toContain('2020年5月16日 18:00');
    expect((await auditOf('reflection.remind.webhook'))[0]?.detail).toEqual({ count: 1, kind: 'dingtalk' });
  });

  it('a slow or failing robot gives a clear message and records nothing', async () => {
    const fx = await twoCourses();
    delayMs = 2_000;
    const slow = await postToRobot('wecom', `${base}/hook`, '测试', 300);
    expect(slow).toEqual({ ok: false, message: expect.stringMatching(/没有响应/u) as unknown as string });
    delayMs = 0;
    await getDb().insert(courseWebhooks).values({ courseId: fx.a.courseId, kind: 'wecom', url: 'http://127.0.0.1:9/hook' }).run();
    process.env.WEBHOOK_ALLOWED_HOSTS += ',127.0.0.1:9';
    const down = await sendRobotReminder(fx.a.organizer, { assignmentId: fx.a.assignmentId }, req);
    expect(down).toMatchObject({ ok: false, code: 'webhook_failed', message: expect.stringMatching(/连不上群机器人/u) as unknown as string });
    expect(await auditOf('reflection.remind.webhook')).toHaveLength(0);
    // The allow-list is checked again at send time.
    process.env.WEBHOOK_ALLOWED_HOSTS = '';
    const refused = await sendRobotReminder(await signedIn('admin'), { assignmentId: fx.a.assignmentId }, req);
    expect(refused).toMatchObject({ ok: false, code: 'webhook_failed', message: expect.stringMatching(/不再被允许/u) as unknown as string });
  });
});
