import { inOrder } from '@/lib/in-order';
import { expect, test, type Page } from '@playwright/test';
import {
  addOrganizer,
  createAccount,
  enroll,
  FIXTURE_PASSWORD,
  makeAssignment,
  makeBulletin,
  makeCourse,
  makeMeeting,
  makeReflection,
  makeUnit,
  makeUser,
  userIdOf,
} from './fixtures';
import { openDb, signIn, stateFile, watchConsole } from './support';

// The 简报 desk's composer: ten speakers ticked in the order they spoke stay in that order;
// everything is saved as it happens, leaving with something unsaved asks first, a reload shows
// it all; two organizers on one draft never overwrite each other; 发布 checks first.
test.describe.configure({ mode: 'serial' });

const COURSE = '2026年江湾街道基层治理读书班';
const SPEAKERS = ['周立群', '吴海燕', '郑国强', '王秀英', '冯建华', '陈晓东', '褚玉兰', '卫志刚', '蒋丽萍', '沈建军'];
/** The order the organizer ticks them in (indexes into SPEAKERS). */
const TICKED = [3, 7, 0, 9, 1, 5, 2, 8, 4, 6];
let courseId = 0;
let bulletinId = 0;

function names(indexes: readonly number[]): string[] {
  return indexes.map((i) => SPEAKERS[i] as string);
}

/** The speakers in the item list, top to bottom. */
async function itemOrder(page: Page): Promise<string[]> {
  const labels = await page.getByRole('listitem', { name: /^第 \d+ 条/u }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return labels.map((l) => l.split(' ').at(-1) ?? '');
}

function stored(id: number) {
  const db = openDb();
  const row = db.prepare('select lead, summary, report_to as reportTo, copies, revision from bulletins where id = ?').get(id) as {
    lead: string;
    summary: string;
    reportTo: string;
    copies: number;
    revision: number;
  };
  const items = db.prepare('select author_name as name from bulletin_items where bulletin_id = ? order by position').all(id) as { name: string }[];
  db.close();
  return { ...row, items: items.map((i) => i.name) };
}

test('fixtures: a course run by two organizers, ten approved reflections handed in one after another', async () => {
  const second = await createAccount({ username: 'compose-org2', name: '韩组织', role: 'organizer', password: FIXTURE_PASSWORD });
  courseId = await makeCourse({ name: COURSE, columnName: '治理读书班', publisher: '中共江湾街道工作委员会', startsOn: '2026-11-01', organizerIds: [await userIdOf('e2e-organizer')] });
  await addOrganizer(courseId, second);
  const district = await makeUnit('江湾新区');
  const units = [await makeUnit('北岸街道', district, { sortOrder: 1 }), await makeUnit('南岸街道', district, { sortOrder: 2 })];
  const meetingId = await makeMeeting(courseId, { title: '第四次集中学习', startsAt: null });
  const assignmentId = await makeAssignment(meetingId, { courseId, title: '第四次集中学习心得', prompt: '', dueAt: new Date(0) });
  const cadres = await inOrder(SPEAKERS, async (name, i) => await makeUser('cadre', { username: `compose-c${i}`, name, title: `社区党委书记${i + 1}`, unitId: units[i % 2] }));
  await enroll(courseId, cadres);
  await inOrder(cadres, async (authorId, i) =>
    await makeReflection({
      assignmentId,
      courseId,
      authorId,
      status: 'approved',
      title: `第${i + 1}位的体会`,
      body: `一是把学习成果用到社区治理中。二是${SPEAKERS[i]}所在社区的做法。`,
      // They spoke (handed in) in the order of SPEAKERS.
      submittedAt: new Date(Date.UTC(2026, 10, 20, 1, i)),
    }),
  );
  // The course's previous issue has its 报尾; a new issue takes it over.
  await makeBulletin(courseId, { number: 1, reportTo: '区委组织部', sendTo: '区委宣传部', issueTo: '各社区党组织', copies: 40 });
});

test('ten ticked in a chosen order appear in that order; leaving by a link asks; a reload shows everything', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`/bulletins?courseId=${courseId}`);
  await page.getByRole('button', { name: /新建简报/u }).click();
  await expect(page).toHaveURL(/\/bulletins\/\d+$/u);
  bulletinId = Number(/\/bulletins\/(\d+)/u.exec(page.url())?.[1]);
  await expect(page.getByLabel('期号', { exact: true })).toHaveValue('2');
  await expect(page.getByLabel('报', { exact: true })).toHaveValue('区委组织部');
  await expect(page.getByLabel('共印份数', { exact: true })).toHaveValue('40');

  for (const i of TICKED) await page.getByRole('checkbox', { name: `${SPEAKERS[i]} 第${i + 1}位的体会` }).check();
  await expect(page.getByText('已勾选 10 篇，按勾选的顺序加入')).toBeVisible();
  await page.getByRole('button', { name: '加入简报' }).click();
  await expect(page.getByText('第 10 条', { exact: true })).toBeVisible();
  expect(await itemOrder(page)).toEqual(names(TICKED));
  // 加入简报 saves at once, in that order.
  await expect(page.getByRole('status').filter({ hasText: /^已保存（/u })).toBeVisible();
  expect(stored(bulletinId).items).toEqual(names(TICKED));

  // One click puts them in speaking order, saved at once as well.
  await page.getByRole('button', { name: '按发言顺序' }).click();
  expect(await itemOrder(page)).toEqual(SPEAKERS);
  await expect.poll(() => stored(bulletinId).items).toEqual(SPEAKERS);
  await page.getByRole('button', { name: '按单位' }).click();
  expect(await itemOrder(page)).toEqual(names([0, 2, 4, 6, 8, 1, 3, 5, 7, 9]));
  await page.getByRole('button', { name: '按发言顺序' }).click();
  await expect.poll(() => stored(bulletinId).items).toEqual(SPEAKERS);

  // Typing, then leaving by the breadcrumb before the save is through: the page asks.
  await page.route('**/api/bulletins/save', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.getByLabel('小结', { exact: true }).fill('大家一致认为，要把学习成果转化为推动基层治理的实际成效。');
  await page.getByRole('link', { name: `简报 · ${COURSE}` }).click();
  const ask = page.getByRole('dialog', { name: '还有没保存的修改' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: '留在本页' }).click();
  await expect(ask).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/bulletins/${bulletinId}$`, 'u'));

  // 保存后离开 from the same question: saved, then on the list.
  await page.getByLabel('导语', { exact: true }).fill('11月20日上午，读书班举行第四次集中学习，十位学员交流发言。');
  await page.getByRole('link', { name: `简报 · ${COURSE}` }).click();
  await ask.getByRole('button', { name: '保存后离开' }).click();
  await expect(page).toHaveURL(new RegExp(`/bulletins\\?courseId=${courseId}$`, 'u'));
  await page.unroute('**/api/bulletins/save');

  await page.goto(`/bulletins/${bulletinId}`);
  await page.reload();
  await expect(page.getByLabel('导语', { exact: true })).toHaveValue('11月20日上午，读书班举行第四次集中学习，十位学员交流发言。');
  await expect(page.getByLabel('小结', { exact: true })).toHaveValue('大家一致认为，要把学习成果转化为推动基层治理的实际成效。');
  expect(await itemOrder(page)).toEqual(SPEAKERS);

  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `.tmp/compose-${width}-top.png` });
    await page.getByRole('button', { name: '按发言顺序' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `.tmp/compose-${width}-items.png` });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(errors).toEqual([]);
  await context.close();
});

test('two organizers on one draft: the second is told, both texts are kept', async ({ browser }) => {
  const first = await browser.newContext({ storageState: stateFile('organizer') });
  const a = await first.newPage();
  const second = await browser.newContext();
  const b = await second.newPage();
  await signIn(b, 'compose-org2', FIXTURE_PASSWORD);
  await expect(b).not.toHaveURL(/\/login/u);
  await a.goto(`/bulletins/${bulletinId}`);
  await b.goto(`/bulletins/${bulletinId}`);

  await a.getByLabel('导语', { exact: true }).fill('甲组织者改写的导语。');
  await a.getByLabel('导语', { exact: true }).press('Tab');
  await expect(a.getByRole('status').filter({ hasText: /^已保存（/u })).toBeVisible();

  await b.getByLabel('小结', { exact: true }).fill('乙组织者写的小结。');
  await b.getByLabel('小结', { exact: true }).press('Tab');
  await expect(b.getByRole('heading', { name: /保存冲突/u })).toBeVisible();
  await expect(b.getByLabel('你的版本（没有保存）')).toHaveValue(/乙组织者写的小结。/u);
  await expect(b.getByLabel('另一位组织者保存的版本')).toHaveValue(/甲组织者改写的导语。/u);
  // Nothing was overwritten: the server still has the first organizer's text.
  expect(stored(bulletinId)).toMatchObject({ lead: '甲组织者改写的导语。', summary: '大家一致认为，要把学习成果转化为推动基层治理的实际成效。' });

  await b.getByRole('heading', { name: /保存冲突/u }).scrollIntoViewIfNeeded();
  await b.screenshot({ path: '.tmp/compose-conflict-1280.png' });
  // Taking the other copy keeps mine on the screen to copy from.
  await b.getByRole('button', { name: '载入对方的版本' }).click();
  await expect(b.getByLabel('导语', { exact: true })).toHaveValue('甲组织者改写的导语。');
  await expect(b.getByLabel('你的版本（没有保存）')).toHaveValue(/乙组织者写的小结。/u);
  await b.getByLabel('小结', { exact: true }).fill('乙组织者写的小结。');
  await b.getByLabel('小结', { exact: true }).press('Tab');
  await expect(b.getByRole('status').filter({ hasText: /^已保存（/u })).toBeVisible();
  expect(stored(bulletinId)).toMatchObject({ lead: '甲组织者改写的导语。', summary: '乙组织者写的小结。', items: SPEAKERS });
  await first.close();
  await second.close();
});

test('复制到公众号 puts rich text on the clipboard; 发布 checks first and asks', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer'), permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto(`/bulletins/${bulletinId}`);
  await page.getByRole('button', { name: '复制到公众号' }).click();
  await expect(page.getByText(/^已复制到剪贴板/u)).toBeVisible();
  const copied = await page.evaluate(async () => {
    const [item] = await navigator.clipboard.read();
    return { types: item?.types ?? [], html: item ? await (await item.getType('text/html')).text() : '' };
  });
  expect(copied.types).toEqual(expect.arrayContaining(['text/html', 'text/plain']));
  expect(copied.html).toContain('<strong>社区党委书记1 周立群</strong>');

  await page.getByLabel('送', { exact: true }).fill('');
  await page.getByRole('button', { name: '发布', exact: true }).click();
  const check = page.getByRole('dialog', { name: /发布前检查/u });
  await expect(check).toBeVisible();
  await expect(check.getByText('报尾的“送”是空的。')).toBeVisible();
  await expect(check.getByText('有未保存的修改：确认发布时会先保存再发布。')).toBeVisible();
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: '.tmp/compose-preflight-390.png' });
  await page.setViewportSize({ width: 1280, height: 900 });
  // The keyboard: the safe answer has the focus, Esc closes.
  await expect(check.getByRole('button', { name: '返回修改' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(check).toBeHidden();
  await page.getByLabel('送', { exact: true }).fill('区委宣传部');
  await page.getByRole('button', { name: '发布', exact: true }).click();
  await expect(check.getByText('报尾的“送”是空的。')).toBeHidden();
  await check.getByRole('button', { name: /^(仍然发布|确认发布)$/u }).click();
  await expect(page.getByText('已发布，学员已收到通知')).toBeVisible();
  const db = openDb();
  const row = db.prepare('select status, send_to as sendTo from bulletins where id = ?').get(bulletinId);
  db.close();
  expect(row).toEqual({ status: 'published', sendTo: '区委宣传部' });
  await context.close();
});
