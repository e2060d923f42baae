import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { expect, test, type Browser, type Page } from '@playwright/test';
import pg from 'pg';
import { startRig, type Rig } from '../scripts/cluster-rig';
import { signIn } from './support';

// Issue 16: the whole journey — sign in, write, submit, review, compile, publish, read — on two
// app servers behind nginx (the repo's deploy/nginx/xuesi.conf, over HTTPS) sharing one
// PostgreSQL. nginx hands each request to the next server in turn, so a cadre's autosaves land on
// both; nothing may be lost or applied out of order, and a page served by one server shows what
// the other just saved. This spec starts its own database, servers and nginx (scripts/cluster-rig.ts)
// and stops them at the end; the rest of the suite runs on its SQLite server as before.
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'Jiangwan-2026-xuesi';
const ADMIN = { username: 'rig-admin', password: 'Two-Servers-2026!x' };
const TITLE = '让党建引领在楼道里落地生根';
const PARTS = [
  '一是把学习成果转化为解决问题的具体举措，围绕老旧小区加装电梯，逐户听取意见。',
  '\n\n二是把党小组建在楼道里，每周走访一次独居老人，做到有求必应。',
  '\n\n三是建立居委会、业委会和物业三方议事机制，停车难的事情每月议一次。',
  '\n\n四是把群众满意作为检验学习成效的标准，年底请居民代表打分。',
];

let rig: Rig;
let fx: { organizerId: number; cadreId: number; courseId: number; meetingId: number; assignmentId: number };

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: rig.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function reflection(): Promise<{ id: number; body: string; status: string; revision: number } | undefined> {
  const [row] = await query<{ id: number; body: string; status: string; revision: number }>(
    'select id, body, status, revision from reflections where author_id = $1 and assignment_id = $2',
    [fx.cadreId, fx.assignmentId],
  );
  return row;
}

async function signedIn(browser: Browser, username: string, home: RegExp): Promise<Page> {
  const context = await browser.newContext({ baseURL: rig.url, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await signIn(page, username, PASSWORD);
  await expect(page).toHaveURL(home);
  return page;
}

test.beforeAll(async () => {
  test.setTimeout(480_000);
  execFileSync('bash', ['scripts/ensure-nginx.sh'], { stdio: 'inherit' });
  rig = await startRig({ admin: ADMIN });
  const out = execFileSync('node_modules/.bin/tsx', ['e2e/two-servers-fixtures.ts'], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: rig.databaseUrl, FIXTURE_PASSWORD: PASSWORD },
  });
  fx = JSON.parse(out.trim().split('\n').at(-1) as string) as typeof fx;
});

// On a failure, what each app server printed and nginx's log go with the report.
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus || !rig) return;
  for (const s of rig.servers) await testInfo.attach(`app-server-${s.name}.log`, { body: s.log().slice(-20_000), contentType: 'text/plain' });
  if (fs.existsSync(rig.accessLog)) await testInfo.attach('nginx-access.log', { body: fs.readFileSync(rig.accessLog, 'utf8').slice(-20_000), contentType: 'text/plain' });
});

test.afterAll(async () => {
  await rig?.stop();
});

test('both servers started on the one empty database: the start-up work ran once', async () => {
  expect(rig.servers.map((s) => /Ready: /u.test(s.log()))).toEqual([true, true]);
  // One of them created the first admin; the other found it there.
  const said = rig.servers.filter((s) => s.log().includes('创建初始管理员'));
  expect(said).toHaveLength(1);
  expect(await query<{ n: number }>("select count(*)::int as n from users where role = 'admin'")).toEqual([{ n: 1 }]);
  expect(await query<{ n: number }>("select count(*)::int as n from audit_log where action = 'user.bootstrap'")).toEqual([{ n: 1 }]);
  const journal = JSON.parse(fs.readFileSync('db/migrations-pg/meta/_journal.json', 'utf8')) as { entries: unknown[] };
  expect(await query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations')).toEqual([{ n: journal.entries.length }]);
  // Plain HTTP only sends people to HTTPS (the config's first server block), path kept.
  const plain = await fetch(`${rig.plainUrl}/login?x=1`, { redirect: 'manual' });
  expect(plain.status).toBe(301);
  expect(plain.headers.get('location')).toBe(`${rig.url}/login?x=1`);
});

test('an app server keeps an idle connection open past 5 s, so that nginx (60 s) is the one to close it', async () => {
  test.setTimeout(60_000);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const localPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/health', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(req.socket?.localPort ?? -1));
      });
      req.on('error', reject);
    });
  const port = rig.servers[0]?.port as number;
  const first = await localPort(port);
  // Node's default keep-alive timeout is 5 s: past it, the server would have closed the socket and
  // the agent would open a new one.
  await new Promise((r) => setTimeout(r, 6_500));
  expect(await localPort(port)).toBe(first);
  agent.destroy();
});

test('a cadre writes across both servers and submits: every autosave applied once, in order', async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await signedIn(browser, 'rig-cadre', /\/my$/u);
  // Every autosave's answer, in the order they came back: the revision each one left.
  const answers: { ok: boolean; revision: number }[] = [];
  page.on('response', async (r) => {
    if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/reflections/draft') {
      answers.push((await r.json().catch(() => ({ ok: false, revision: -1 }))) as { ok: boolean; revision: number });
    }
  });
  await page.getByRole('link', { name: '写心得' }).first().click();
  await expect(page).toHaveURL(new RegExp(`/my/assignments/${fx.assignmentId}$`, 'u'));
  await page.getByLabel('标题').fill(TITLE);

  let typed = '';
  for (const part of PARTS) {
    // After a reload the caret starts at the top: go to the end, as a person would.
    await page.getByLabel('正文').focus();
    await page.keyboard.press('Control+End');
    await page.getByLabel('正文').pressSequentially(part, { delay: 4 });
    typed += part;
    // What the database holds is the proof, not the status line (it said 已保存 before).
    await expect.poll(async () => (await reflection())?.body, { timeout: 20_000 }).toBe(typed);
    // A reload is served by whichever server's turn it is, and shows the latest text.
    await page.reload();
    await expect(page.getByLabel('正文')).toHaveValue(typed);
    await expect(page.getByLabel('标题')).toHaveValue(TITLE);
  }

  const saves = rig.logged(/"POST \/api\/reflections\/draft /u);
  expect(saves.length).toBeGreaterThanOrEqual(PARTS.length);
  // Both servers took saves, and every one was accepted: none met a newer copy (a save applied
  // out of order would have), none failed.
  expect(new Set(saves.map((s) => s.upstream)).size).toBe(2);
  expect(saves.filter((s) => s.status !== 200)).toEqual([]);
  expect(answers).toHaveLength(saves.length);
  expect(answers.filter((a) => !a.ok)).toEqual([]);
  // Each save that changed the text moved the revision on by one (saving the same text again
  // changes nothing), in the order they were made.
  const revisions = answers.map((a) => a.revision);
  expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
  const stored = await reflection();
  expect(stored).toMatchObject({ body: typed, status: 'draft', revision: revisions.at(-1) });
  expect(new Set(revisions).size).toBe(stored?.revision);

  await page.getByLabel('本人承诺所交心得为本人撰写').check();
  await page.getByRole('button', { name: '提交' }).dblclick();
  await expect(page.getByText(/已提交.第 1 版/u).first()).toBeVisible();
  expect(await reflection()).toMatchObject({ body: typed, status: 'submitted' });
  expect(await query('select version, body from reflection_versions where reflection_id = $1', [stored?.id])).toEqual([{ version: 1, body: typed }]);
  await page.context().close();
});

test('the organizer reviews, compiles and publishes through either server', async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await signedIn(browser, 'rig-organizer', /\/review$/u);
  const id = (await reflection())?.id as number;
  await page.goto(`/review/${id}?course=${fx.courseId}`);
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  await page.getByLabel('通过', { exact: true }).check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('已通过，学员会收到通知。')).toBeVisible();
  expect(await reflection()).toMatchObject({ status: 'approved' });

  await page.goto(`/bulletins?courseId=${fx.courseId}`);
  await page.getByRole('button', { name: /新建简报/u }).click();
  await expect(page).toHaveURL(/\/bulletins\/\d+$/u);
  const bulletinId = Number(/\/bulletins\/(\d+)/u.exec(page.url())?.[1]);
  await expect(page.getByLabel('期号', { exact: true })).toHaveValue('1');
  await page.getByLabel('编辑', { exact: true }).fill('陆编辑');
  await page.getByLabel('日期', { exact: true }).fill('2026-12-02');
  await page.getByLabel('导语', { exact: true }).fill('12月2日上午，读书班举行第一次集中学习，围绕党建引领基层治理交流研讨。');
  await page.getByLabel('小结', { exact: true }).fill('大家一致认为，要把学习成果转化为为民服务的实际行动。');
  await page.getByLabel('报', { exact: true }).fill('街道党工委');
  await page.getByLabel('送', { exact: true }).fill('区委组织部');
  await page.getByLabel('发', { exact: true }).fill('各居民区党组织');
  await page.getByLabel('共印份数', { exact: true }).fill('30');
  await page.getByLabel('集中学习', { exact: true }).selectOption({ label: '第一次集中学习' });
  await page.getByRole('checkbox', { name: `欧阳学员 ${TITLE}` }).check();
  await page.getByRole('button', { name: '加入简报' }).click();
  await expect(page.getByRole('listitem', { name: /^第 1 条：江湾社区党委书记 欧阳学员$/u })).toBeVisible();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^已保存（/u })).toBeVisible();
  expect(await query('select editor, (select count(*)::int from bulletin_items i where i.bulletin_id = b.id) as items from bulletins b where b.id = $1', [bulletinId])).toEqual([
    { editor: '陆编辑', items: 1 },
  ]);

  await page.getByRole('button', { name: '发布', exact: true }).click();
  const check = page.getByRole('dialog', { name: /发布前检查/u });
  await expect(check.getByText('没有发现缺少或可能有误的地方。确认发布吗？')).toBeVisible();
  await check.getByRole('button', { name: '确认发布' }).click();
  await expect(page.getByText('已发布，学员已收到通知')).toBeVisible();
  expect(await query('select status, published_revision as rev from bulletins where id = $1', [bulletinId])).toEqual([{ status: 'published', rev: 1 }]);
  await page.context().close();

  // The cadre reads it, wherever the request lands.
  const cadre = await signedIn(browser, 'rig-cadre', /\/my$/u);
  await cadre.goto('/my/bulletins');
  await cadre.getByRole('link', { name: /第1期/u }).first().click();
  await expect(cadre.getByRole('heading', { name: '江湾社区党委书记 欧阳学员' })).toBeVisible();
  await expect(cadre.getByText(PARTS[1]?.trim() as string)).toBeVisible();
  await cadre.context().close();

  // Server actions (every POST that is not a draft save or a sign-in) reached both servers.
  const actions = rig.logged(/"POST \/(review|bulletins)\//u);
  expect(actions.length).toBeGreaterThan(0);
  expect(actions.filter((a) => a.status >= 500)).toEqual([]);
  const all = rig.logged(/"(GET|POST) \//u);
  expect(new Set(all.map((l) => l.upstream)).size).toBe(2);
  // No request found its first server unable to answer (an idle connection closed under it by the
  // app server would show here as "a, b": harmless for a GET, a 502 for a POST).
  expect(all.filter((l) => l.tried.length > 1)).toEqual([]);
  // Neither server logged an error on the way.
  for (const s of rig.servers) expect(s.log()).not.toMatch(/Error|failed|⨯/u);
});
