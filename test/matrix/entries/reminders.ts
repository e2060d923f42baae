import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getDb } from '@/db';
import { twoCourses } from '@/db/queries/courses.fixtures';
import { courseWebhooks } from '@/db/schema';
import type { MatrixEntry, World } from '../types';

// 群机器人提醒 (issue 13): an admin sets or removes a course's group robot; an organizer of the
// course (or an admin) sends the 催交名单 through it. The robot is a local HTTP server that
// answers as 企业微信 does; it is allowed through WEBHOOK_ALLOWED_HOSTS, as an operator would.

const robot = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end('{"errcode":0,"errmsg":"ok"}');
  });
});
await new Promise<void>((resolve) => robot.listen(0, '127.0.0.1', resolve));
robot.unref();
const ROBOT_HOST = `127.0.0.1:${(robot.address() as AddressInfo).port}`;
const ROBOT_URL = `http://${ROBOT_HOST}/cgi-bin/webhook/send?key=matrix`;

function allowRobot(): void {
  const hosts = new Set((process.env.WEBHOOK_ALLOWED_HOSTS ?? '').split(',').filter(Boolean));
  hosts.add(ROBOT_HOST);
  process.env.WEBHOOK_ALLOWED_HOSTS = [...hosts].join(',');
}

const WEBHOOK = 'app/(organizer)/courses/[id]/webhook/actions.ts';

export const entries: MatrixEntry[] = [
  {
    file: WEBHOOK,
    name: 'setCourseWebhookAction',
    roles: ['admin'],
    kind: 'form',
    scope: 'none',
    async setup(): Promise<World> {
      allowRobot();
      const fx = await twoCourses();
      return { actor: fx.admin, input: { courseId: fx.a.courseId, kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc123' } };
    },
  },
  {
    file: WEBHOOK,
    name: 'clearCourseWebhookAction',
    roles: ['admin'],
    kind: 'form',
    scope: 'none',
    async setup(): Promise<World> {
      const fx = await twoCourses();
      await getDb().insert(courseWebhooks).values({ courseId: fx.a.courseId, kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=x' }).run();
      return { actor: fx.admin, input: { courseId: fx.a.courseId } };
    },
  },
  {
    file: 'app/(organizer)/review/tracker/actions.ts',
    name: 'sendRobotReminderAction',
    roles: ['organizer', 'admin'],
    kind: 'form',
    scope: 'course',
    async setup(): Promise<World> {
      allowRobot();
      const fx = await twoCourses();
      await getDb().insert(courseWebhooks).values({ courseId: fx.a.courseId, kind: 'wecom', url: ROBOT_URL }).run();
      return { actor: fx.a.organizer, input: { assignmentId: fx.a.assignmentId }, outsiders: [fx.b.organizer] };
    },
  },
];
