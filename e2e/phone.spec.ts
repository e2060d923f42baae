import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  addOrganizer,
  createAccount,
  enroll,
  FIXTURE_PASSWORD,
  makeAssignment,
  makeCourse,
  makeMeeting,
  makeBulletin,
  makeReading,
  makeReadingText,
  makeReflection,
  TIME,
  userIdOf,
  viewerFor,
} from './fixtures';
import { getDb } from '@/db';
import { publishBulletin } from '@/db/queries/bulletins/publish';
import { notify } from '@/db/queries/notifications';
import { expectAccessible, openDb, signIn, stateFile, watchConsole } from './support';

// A cadre on a 390 px phone: the outcome of 提交 in view, 撤回 and resubmit, 无需提交 for a
// late joiner, the decision in force apart from its history, the editor without scripts, the
// one-row header with its 菜单 and 大字模式, and every tap target at least 44×44.
test.describe.configure({ mode: 'serial' });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const SHOTS = '.tmp/shots';
const TASK = '第三次集中学习心得';
const CLOSED_TASK = '第一次集中学习心得';
const APPROVED_TASK = '第二次集中学习心得';
const PARAGRAPH = '通过这次集中学习，我深刻认识到党的自我革命是跳出历史周期率的第二个答案，要把学习成果转化为推动社区治理的实际行动。';

const ids = { open: 0, closed: 0, approved: 0, spare: 0, reading: 0, bulletin: 0, early: 0 };

function row<T>(query: string, ...params: unknown[]): T {
  const db = openDb();
  try {
    return db.prepare(query).get(...params) as T;
  } finally {
    db.close();
  }
}

async function phoneOf(browser: Browser, username: string, opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, ...opts });
  const page = await context.newPage();
  await signIn(page, username, FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my/u);
  return page;
}

/** Every interactive element on screen smaller than 44×44 CSS px, by the rules stated inside. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('a, button, input, select, textarea, [role=button], summary')) {
      if (el instanceof HTMLInputElement && el.type === 'hidden') continue;
      let r = el.getBoundingClientRect();
      // Not rendered (display:none, a closed <details>) or visually hidden until focused (跳到正文, the
      // file input behind its button): nothing to tap.
      if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
      // A checkbox or radio is tapped through its <label>: the label's box is the target.
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
        const label = el.closest('label');
        if (label) r = label.getBoundingClientRect();
      }
      // Exempt (WCAG 2.5.8's inline exception): a link inside a sentence of prose, i.e. a link whose
      // paragraph has text of its own outside the link.
      const p = el.tagName === 'A' ? el.closest('p') : null;
      if (p && [...p.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim())) continue;
      if (r.width < 44 - 0.5 || r.height < 44 - 0.5) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? (el as HTMLInputElement).name ?? '').trim().slice(0, 20);
        out.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}-${page.viewportSize()?.width}.png`, fullPage: true });
}

test('fixtures: a course with an open, a closed and an approved assignment, an early and a late member', async () => {
  await createAccount({ username: 'phone-early', name: '钱晓红', role: 'cadre', password: FIXTURE_PASSWORD, title: '东湖社区党委书记' });
  await createAccount({ username: 'phone-late', name: '孙卫东', role: 'cadre', password: FIXTURE_PASSWORD, title: '望江街道办事员' });
  await createAccount({ username: 'phone-nojs', name: '李建国', role: 'cadre', password: FIXTURE_PASSWORD, title: '西湖社区党支部书记' });
  const early = await userIdOf('phone-early');
  const late = await userIdOf('phone-late');
  const nojs = await userIdOf('phone-nojs');
  const courseId = await makeCourse({ name: '2026年望江街道党组织书记读书班' });
  await addOrganizer(courseId, await userIdOf('e2e-organizer'));
  const meetingId = await makeMeeting(courseId, { title: '第三次集中学习' });
  ids.open = await makeAssignment(meetingId, { title: TASK, minChars: 20, maxChars: 2000 });
  ids.closed = await makeAssignment(meetingId, { title: CLOSED_TASK, dueAt: new Date(Date.now() - 10 * TIME.DAY), allowLate: false });
  // A reading with its text (the reader is a cadre page too) on the assignment nobody writes for.
  ids.reading = await makeReading('《关于基层治理的重要论述》（手机阅读）');
  // Its own words: readings.spec searches every reading text the organizer can see and counts the hits.
  await makeReadingText(ids.reading, [
    { heading: '第一章　抓基层打基础', body: '基层是一切工作的落脚点。\n要把更多资源下沉到社区，为群众提供精准化、精细化服务。' },
  ]);
  ids.spare = await makeAssignment(meetingId, { title: '第四次集中学习心得', minChars: 20, readingIds: [ids.reading] });
  ids.early = early;
  ids.approved = await makeAssignment(meetingId, { title: APPROVED_TASK, dueAt: new Date(Date.now() - 20 * TIME.DAY), allowLate: false });
  await enroll(courseId, [early, nojs], { enrolledAt: new Date(Date.now() - 30 * TIME.DAY) });
  await enroll(courseId, [late], { enrolledAt: new Date(Date.now() - 2 * TIME.DAY) });
  await getDb().transaction(async (tx) =>
    await notify(tx, [early], { kind: 'reminder', title: `请提交学习心得：${TASK}`, body: '截止前请提交。', link: `/my/assignments/${ids.open}` }),
  );
  const approvedId = await makeReflection({
    assignmentId: ids.approved,
    authorId: early,
    status: 'approved',
    title: '把学习成果转化为治理实效',
    body: PARAGRAPH,
    versions: [{ submittedAt: new Date(Date.now() - 25 * TIME.DAY) }, { submittedAt: new Date(Date.now() - 22 * TIME.DAY) }],
    comments: [
      { decision: 'return', body: '结合实际不够紧密，请补充社区工作的具体做法。', version: 1, createdAt: new Date(Date.now() - 24 * TIME.DAY) },
      { decision: 'approve', body: '修改后联系实际，具体可行。', version: 2, createdAt: new Date(Date.now() - 21 * TIME.DAY) },
    ],
  });
  // A published 简报 with that reflection, for /my/bulletins/[id].
  ids.bulletin = await makeBulletin(courseId, { reflectionIds: [approvedId] });
  const revision = row<{ revision: number }>('select revision from bulletins where id = ?', ids.bulletin).revision;
  const published = await publishBulletin(await viewerFor(await userIdOf('e2e-organizer')), { id: ids.bulletin, expectedRevision: revision }, { ip: '127.0.0.1', userAgent: 'e2e' });
  expect(published.ok).toBe(true);
});

test('on a phone a cadre writes without a title, submits and sees 已提交 in view; 撤回 and submits again', async ({ browser }) => {
  const page = await phoneOf(browser, 'phone-early');
  const errors = watchConsole(page);
  await page.goto(`/my/assignments/${ids.open}`);
  const body = page.getByLabel('正文');
  await expect(body).toBeEditable();
  await expect(page.getByText('可不填，不填时用')).toBeVisible();

  // Many lines typed at the end: the caret's line stays above the sticky bar.
  await body.click();
  for (let i = 0; i < 14; i++) await page.keyboard.type(`${PARAGRAPH}\n`);
  const bar = page.locator('div.sticky').filter({ has: page.getByRole('button', { name: '提交' }) });
  await expect(bar.getByText(/字数 \d+/u)).toBeVisible();
  await expect(bar.getByText(/已保存|有修改|正在保存/u)).toBeVisible();
  const barBox = await bar.boundingBox();
  const caret = await body.evaluate((el: HTMLTextAreaElement) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    // The caret is at the end of a text box that grows with its text: its last line.
    return r.bottom - parseFloat(cs.paddingBottom) - parseFloat(cs.borderBottomWidth);
  });
  expect(barBox).not.toBeNull();
  expect(caret).toBeLessThanOrEqual((barBox?.y ?? 0) + 1);
  expect(barBox?.height ?? 999).toBeLessThanOrEqual(80);
  await shoot(page, 'editor');

  await page.getByLabel('本人承诺所交心得为本人撰写').check();
  await bar.getByRole('button', { name: '提交' }).click();
  const outcome = page.getByRole('heading', { name: /已提交（第 1 版）/u });
  await expect(outcome).toBeInViewport();
  await expect(page.locator('#outcome')).toBeFocused();
  await expect(page.locator('div.sticky').getByText('已提交')).toBeVisible();
  const stored = row<{ title: string; status: string }>(
    'select title, status from reflections where assignment_id = ? and author_id = ?',
    ids.open,
    await userIdOf('phone-early'),
  );
  expect(stored).toEqual({ title: TASK, status: 'submitted' });
  await shoot(page, 'submitted');
  await expectAccessible(page);

  await page.getByRole('button', { name: '撤回修改' }).click();
  await expect(page.getByText('已撤回，修改后请重新提交。')).toBeVisible();
  await expect(page.getByLabel('正文')).toBeEditable();
  expect(row<{ status: string; v: number }>('select status, version_count v from reflections where assignment_id = ?', ids.open)).toEqual({
    status: 'draft',
    v: 1,
  });
  await page.getByLabel('标题').fill('以自我革命精神推动社区治理');
  await page.getByLabel('本人承诺所交心得为本人撰写').check();
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { name: /已提交（第 2 版）/u })).toBeInViewport();
  expect(row<{ n: number }>("select count(*) n from audit_log where action = 'reflection.withdraw'").n).toBe(1);
  expect(errors).toEqual([]);
  await page.context().close();
});

test('an approved reflection shows the approval and its comment; the earlier return is history', async ({ browser }) => {
  const page = await phoneOf(browser, 'phone-early');
  await page.goto(`/my/assignments/${ids.approved}`);
  const decision = page.getByRole('region', { name: '已通过' });
  await expect(decision).toContainText('修改后联系实际，具体可行。');
  await expect(decision).not.toContainText('结合实际不够紧密');
  await expect(page.getByRole('region', { name: '审阅记录' })).toContainText('结合实际不够紧密');
  await shoot(page, 'approved');
  await page.setViewportSize(DESKTOP);
  await shoot(page, 'approved');
  await page.context().close();
});

test('a late joiner sees 无需提交 and cannot write; the tracker does not expect them', async ({ browser }) => {
  const page = await phoneOf(browser, 'phone-late');
  const card = page.getByRole('article').filter({ hasText: CLOSED_TASK });
  await expect(card.getByText('无需提交').first()).toBeVisible();
  await expect(card.getByText('未开始')).toHaveCount(0);
  await shoot(page, 'my-late');
  await page.goto(`/my/assignments/${ids.closed}`);
  await expect(page.getByText('你加入读书班时这项任务已经截止，无需提交。')).toBeVisible();
  await expect(page.getByLabel('正文')).toHaveCount(0);
  await page.setViewportSize(DESKTOP);
  await page.goto('/my');
  await shoot(page, 'my-late');
  await page.context().close();

  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const org = await context.newPage();
  await org.goto(`/review/tracker/${ids.closed}`);
  const totals = org.getByRole('definition');
  // Three members, one of whom joined after the cut-off: two are expected.
  await expect(org.locator('dl div').filter({ hasText: '应交' }).getByRole('definition')).toHaveText('2');
  await expect(org.getByRole('row').filter({ hasText: '孙卫东' })).toContainText('无需提交');
  expect(await totals.count()).toBeGreaterThan(0);
  await context.close();
});

test('without scripts the editor is a plain form that saves and submits', async ({ browser }) => {
  const page = await phoneOf(browser, 'phone-nojs', { javaScriptEnabled: false });
  await page.goto(`/my/assignments/${ids.open}`);
  await expect(page.getByText('正在打开编辑器')).toHaveCount(0);
  await expect(page.getByText('完整编辑器（自动保存、导入文件）需要浏览器运行脚本')).toBeVisible();
  await page.getByLabel('正文').fill(`${PARAGRAPH}\n${PARAGRAPH}`);
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByLabel('正文')).toHaveValue(`${PARAGRAPH}\n${PARAGRAPH}`);
  const nojs = await userIdOf('phone-nojs');
  expect(row<{ status: string }>('select status from reflections where assignment_id = ? and author_id = ?', ids.open, nojs).status).toBe('draft');
  await shoot(page, 'nojs-editor');
  await page.getByLabel('本人承诺所交心得为本人撰写').check();
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { name: /已提交（第 1 版）/u })).toBeVisible();
  expect(row<{ status: string; title: string }>('select status, title from reflections where assignment_id = ? and author_id = ?', ids.open, nojs)).toEqual({
    status: 'submitted',
    title: TASK,
  });
  await page.context().close();
});

test('the header is one row with a 菜单; 大字模式 enlarges everything and is remembered', async ({ browser }) => {
  const page = await phoneOf(browser, 'phone-early');
  const header = page.locator('header').first();
  const h = (await header.boundingBox())?.height ?? 999;
  expect(h).toBeLessThanOrEqual(70);
  await page.getByText('菜单', { exact: true }).click();
  await expect(page.getByRole('navigation', { name: '主导航（菜单）' }).getByRole('link', { name: '简报' })).toBeVisible();
  await shoot(page, 'menu');
  expect(await smallTargets(page)).toEqual([]);
  await page.getByRole('button', { name: /大字模式/u }).click();
  await expect(page.locator('html')).toHaveClass(/large-ui/u);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('20px');
  expect(row<{ on: number }>('select large_ui "on" from users where username = ?', 'phone-early').on).toBe(1);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/large-ui/u);
  const lh = await page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return parseFloat(s.lineHeight) / parseFloat(s.fontSize);
  });
  expect(lh).toBeGreaterThanOrEqual(1.3);
  // Enlarged, the page still fits the phone's width and every target only grows.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  expect(await smallTargets(page)).toEqual([]);
  await shoot(page, 'large-ui');
  await page.getByText('菜单', { exact: true }).click();
  await page.getByRole('button', { name: /大字模式/u }).click();
  await expect(page.locator('html')).not.toHaveClass(/large-ui/u);
  await page.setViewportSize(DESKTOP);
  await shoot(page, 'menu');
  await page.context().close();
});

test('the 菜单 closes on a tap outside it and on Escape, which puts the focus back on 菜单', async ({ browser }) => {
  const page = await phoneOf(browser, 'phone-early');
  const menu = page.locator('details[data-shell-menu]');
  // The scripts have arrived and the menu listens (before that it is a plain <details>). The page
  // was reached by signing in, a server action's redirect, so React drew it on the client.
  await expect(menu).toHaveAttribute('data-dismiss', 'on');
  const menuNav = page.getByRole('navigation', { name: '主导航（菜单）' });
  await page.getByText('菜单', { exact: true }).tap();
  await expect(menuNav.getByRole('link', { name: '简报' })).toBeVisible();
  // A tap inside the open menu leaves it open.
  await page.locator('details[data-shell-menu] p').tap();
  await expect(menuNav).toBeVisible();
  await page.getByRole('heading', { level: 1 }).tap();
  await expect(menuNav).toBeHidden();
  await expect(menu).not.toHaveAttribute('open', '');
  await page.getByText('菜单', { exact: true }).tap();
  await expect(menuNav).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menuNav).toBeHidden();
  await expect(page.locator('details[data-shell-menu] > summary')).toBeFocused();
  await page.context().close();
});

test('every tap target on the cadre pages is at least 44×44 at 390 px, and axe is clean', async ({ browser }) => {
  const page = await phoneOf(browser, 'phone-early');
  const pages = [
    '/my',
    `/my/assignments/${ids.spare}`,
    `/my/assignments/${ids.open}`,
    `/my/assignments/${ids.approved}`,
    `/my/assignments/${ids.approved}/versions/1`,
    `/my/assignments/${ids.spare}/readings/${ids.reading}`,
    '/my/bulletins',
    `/my/bulletins/${ids.bulletin}`,
    `/archive/${ids.early}`,
    '/notifications',
    '/change-password',
  ];
  const problems: string[] = [];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.locator('main')).toBeVisible();
    for (const s of await smallTargets(page)) problems.push(`${path}: ${s}`);
    await expectAccessible(page);
    const name = path.replace(/\//gu, '_').replace(/^_/u, '') || 'root';
    await shoot(page, `page-${name}`);
    await page.setViewportSize(DESKTOP);
    await shoot(page, `page-${name}`);
    await page.setViewportSize(PHONE);
  }
  expect(problems).toEqual([]);
  await page.context().close();
});
