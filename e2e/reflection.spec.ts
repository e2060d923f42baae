import { expect, test, type Browser, type Page } from '@playwright/test';
import { createAccount, FIXTURE_PASSWORD } from './fixtures';
import { expectAccessible, openDb, signIn, stateFile, watchConsole } from './support';

// One journey, in order: an organizer sets up a 读书班 and enrolls two cadres; each writes and
// submits a reflection, one at desktop width and one on a phone, through a dropped connection
// and a double click on 提交.
test.describe.configure({ mode: 'serial' });

const COURSE = '2026年临江街道党组织书记读书班';
const TASK = '第六次集中学习心得';
let courseId = 0;

function reflectionRows(username: string) {
  const db = openDb();
  try {
    const reflection = db
      .prepare(
        `select r.id, r.title, r.body, r.status, r.version_count as versions from reflections r
         join users u on u.id = r.author_id join assignments a on a.id = r.assignment_id
         where u.username = ? and a.title = ?`,
      )
      .get(username, TASK) as { id: number; title: string; body: string; status: string; versions: number } | undefined;
    const versions = reflection
      ? (db.prepare('select version, body from reflection_versions where reflection_id = ? order by version').all(reflection.id) as {
          version: number;
          body: string;
        }[])
      : [];
    return { reflection, versions };
  } finally {
    db.close();
  }
}

/** One number from the server's database, to check what an action stored. */
function countOf(query: string, ...params: unknown[]): number {
  const db = openDb();
  try {
    return (db.prepare(query).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

test('an organizer creates a course, a meeting and an assignment and enrolls cadres', async ({ browser }) => {
  await createAccount({ username: 'phone-cadre', name: '曾晓燕', role: 'cadre', password: FIXTURE_PASSWORD, title: '临江社区党总支书记' });
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const errors = watchConsole(page);

  await page.goto('/courses/readings');
  await page.getByLabel('篇名').fill('《论党的自我革命》');
  await page.getByLabel('出处').fill('中央文献出版社');
  await page.getByRole('button', { name: '添加篇目' }).click();
  // The typed title is already in the form: wait for what only the stored reading shows.
  await expect(page.getByRole('status').filter({ hasText: /已添加篇目.《论党的自我革命》/u })).toBeVisible();
  await expect(page.getByRole('table', { name: '学习篇目' }).getByRole('rowheader', { name: '《论党的自我革命》', exact: true })).toBeVisible();
  expect(countOf("select count(*) n from readings where title = '《论党的自我革命》'")).toBe(1);

  await page.goto('/courses/new');
  await page.getByLabel('名称').fill(COURSE);
  await page.getByLabel('栏目').fill('书记读书班');
  await page.getByLabel('编印单位').fill('中共临江街道工作委员会');
  await page.getByLabel('开始日期').fill('2026-11-01');
  await page.getByLabel('结束日期').fill('2026-12-31');
  await page.getByLabel('简介').fill('围绕基层治理开展集中学习和交流研讨。');
  await page.getByRole('button', { name: '创建读书班' }).click();
  await expect(page).toHaveURL(/\/courses\/\d+\?created=1$/u);
  courseId = Number(/\/courses\/(\d+)/u.exec(page.url())?.[1]);

  await page.goto(`/courses/${courseId}/meetings/new`);
  await page.getByLabel('标题').fill('第六次集中学习');
  await page.getByLabel('时间').fill('2026-11-20T09:00');
  await page.getByLabel('地点').fill('街道办事处三楼会议室');
  await page.getByLabel('说明').fill('原文导读《论党的自我革命》,结合分管工作交流发言。');
  await page.getByLabel('《论党的自我革命》', { exact: true }).check();
  await page.getByRole('button', { name: '添加集中学习' }).click();
  await expect(page).toHaveURL(/\/meetings\/\d+\?created=1$/u);

  await page.getByRole('link', { name: '布置心得任务' }).click();
  await page.getByLabel('任务名称').fill(TASK);
  await page.getByLabel('写作要求').fill('结合本次学习内容和分管工作,谈谈体会和下一步打算。');
  await page.getByLabel('截止时间').fill('2030-12-31T18:00');
  await page.getByLabel('最少字数').fill('20');
  await page.getByLabel('最多字数').fill('2000');
  await page.getByRole('button', { name: '布置任务' }).click();
  await expect(page.getByRole('status').filter({ hasText: new RegExp(`已布置心得任务.${TASK}`, 'u') })).toBeVisible();
  expect(countOf('select count(*) n from assignments where course_id = ? and title = ?', courseId, TASK)).toBe(1);

  // The meeting's time was read as Shanghai time.
  const db = openDb();
  const meeting = db.prepare('select starts_at as t from meetings where course_id = ?').get(courseId) as { t: number };
  db.close();
  expect(new Date(meeting.t).toISOString()).toBe('2026-11-20T01:00:00.000Z');

  // The cadre's name is on the page as a search result before 加入读书班 lands, so each step waits
  // for what only the enrolment shows: the message, the row in 学员名单, and the stored count.
  const roster = page.getByRole('table', { name: '学员名单' });
  for (const [i, [query, name]] of ([
    ['e2e-cadre', '邵学员'],
    ['phone-cadre', '曾晓燕'],
  ] as const).entries()) {
    await page.goto(`/courses/${courseId}?tab=members`);
    await page.getByRole('searchbox', { name: '搜索学员' }).fill(query);
    await page.getByRole('searchbox', { name: '搜索学员' }).press('Enter');
    await expect(roster.getByRole('rowheader', { name: new RegExp(name, 'u') })).toHaveCount(0);
    await page.getByLabel(name).check();
    await page.getByRole('button', { name: '加入读书班' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已加入 1 名学员' })).toBeVisible();
    await expect(roster.getByRole('rowheader', { name: new RegExp(name, 'u') })).toBeVisible();
    expect(countOf('select count(*) n from course_members where course_id = ?', courseId)).toBe(i + 1);
  }
  expect(errors).toEqual([]);
  await context.close();
});

async function writeThroughOutage(browser: Browser, opts: { state?: string; username: string; viewport?: { width: number; height: number } }) {
  const context = await browser.newContext({
    storageState: opts.state,
    viewport: opts.viewport,
    hasTouch: !!opts.viewport,
    isMobile: !!opts.viewport,
  });
  const page = await context.newPage();
  if (!opts.state) {
    await signIn(page, opts.username, FIXTURE_PASSWORD);
    await expect(page).toHaveURL(/\/my$/u);
  }

  await page.goto('/my');
  await expect(page.getByText(COURSE).first()).toBeVisible();
  await page.getByRole('link', { name: '写心得' }).first().click();

  const title = '把人民城市理念落到街巷里';
  const first = '一是坚持以上率下,领导班子带头读原文、悟原理,把理论学习和调查研究结合起来。';
  const second = '\n\n二是坚持问需于民,围绕加装电梯、停车难、为老服务等急难愁盼,做到件件有回音。';
  await page.getByLabel('标题').fill(title);
  await page.getByLabel('正文').pressSequentially(first, { delay: 5 });
  await expect(page.getByText(/已保存 /u)).toBeVisible({ timeout: 15_000 });
  expect(reflectionRows(opts.username).reflection?.body).toBe(first);

  // The connection drops while typing: nothing is lost, and it saves itself when back.
  await context.setOffline(true);
  await page.getByLabel('正文').pressSequentially(second, { delay: 5 });
  await expect(page.getByText('未连接，已保存在本机，联网后自动保存')).toBeVisible({ timeout: 15_000 });
  await context.setOffline(false);
  await expect(page.getByText(/已保存 /u)).toBeVisible({ timeout: 30_000 });
  expect(reflectionRows(opts.username).reflection?.body).toBe(first + second);

  await page.reload();
  await expect(page.getByLabel('正文')).toHaveValue(first + second);
  await expect(page.getByLabel('标题')).toHaveValue(title);

  await expectAccessible(page);
  // A double click on 提交 makes one submission.
  await page.getByLabel('本人承诺所交心得为本人撰写').check();
  await page.getByRole('button', { name: '提交' }).dblclick();
  await expect(page.getByText(/已提交.第 1 版/u).first()).toBeVisible();
  // The editor turns into the outcome from the submit's own small result, without a new render of
  // the page: the link to the version handed in is only there, and the header's badge follows.
  await expect(page.getByRole('link', { name: '查看提交的第 1 版' })).toBeVisible();
  await expect(page.locator('div:has(> div > h1)').getByText('已提交', { exact: true })).toBeVisible();
  await expect(page.getByLabel('正文')).toHaveCount(0);
  await expect(page.getByText('第 2 版')).toHaveCount(0);
  const { reflection, versions } = reflectionRows(opts.username);
  expect(reflection?.status).toBe('submitted');
  expect(versions).toEqual([{ version: 1, body: first + second }]);

  if (opts.viewport) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/screens/reflection-phone.png', fullPage: true });
  } else {
    await page.screenshot({ path: 'test-results/screens/reflection-desktop.png', fullPage: true });
  }
  // The next visit to /my and to the assignment page shows the reflection as handed in.
  await page.getByRole('navigation', { name: '位置' }).getByRole('link', { name: '我的学习' }).click();
  await expect(page).toHaveURL(/\/my$/u);
  const card = page.getByRole('article').filter({ has: page.getByRole('link', { name: TASK, exact: true }) });
  await expect(card.getByText(/提交第 1 版/u)).toBeVisible();
  await expect(card.getByText('已提交', { exact: true })).toBeVisible();
  await card.getByRole('link', { name: TASK, exact: true }).click();
  await expect(page.getByRole('heading', { name: '已提交（第 1 版）', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: '查看提交的第 1 版' })).toHaveCount(0);
  await context.close();
}

test('a cadre writes through a dropped connection and submits once, at desktop width', async ({ browser }) => {
  await writeThroughOutage(browser, { state: stateFile('cadre'), username: 'e2e-cadre' });
});

test('the same on a phone', async ({ browser }) => {
  await writeThroughOutage(browser, { username: 'phone-cadre', viewport: { width: 390, height: 844 } });
});

test('a cadre outside the course cannot open it, and another cadre’s reflection stays hidden', async ({ browser }) => {
  await createAccount({ username: 'outsider', name: '何志强', role: 'cadre', password: FIXTURE_PASSWORD });
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  await signIn(page, 'outsider', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);
  await expect(page.getByText(COURSE)).toHaveCount(0);
  const db = openDb();
  const assignment = db.prepare('select id from assignments where title = ?').get(TASK) as { id: number };
  db.close();
  const res = await page.goto(`/my/assignments/${assignment.id}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByText('邵学员')).toHaveCount(0);
  const organizerPage = await page.goto(`/courses/${courseId}`);
  expect(organizerPage?.status()).toBe(403);
  await context.close();
});
