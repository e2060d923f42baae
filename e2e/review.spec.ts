import { expect, test, type Browser } from '@playwright/test';
import { createAccount, enroll, FIXTURE_PASSWORD, makeAssignment, makeCourse, makeMeeting, makeReflection, setReflectionStatus, userIdOf } from './fixtures';
import { expectAccessible, openDb, signIn, stateFile, watchConsole } from './support';

// The review desk, in order: an organizer returns a reflection with a comment; the cadre sees the
// comment and a notification, revises and resubmits; the organizer sees what changed (第 2 版) and
// approves. Then the keyboard: j/k, a, r and ?; and two organizers deciding at once.
test.describe.configure({ mode: 'serial' });

const COURSE = '2026年江湾街道审阅演练读书班';
const FIRST = '一是坚持以上率下,领导班子带头读原文、悟原理。\n\n二是坚持问需于民,做到件件有回音。';
const REVISED = '一是坚持以上率下,领导班子带头读原文、悟原理,把学习和调研结合起来。\n\n二是坚持问需于民,做到件件有回音。\n\n三是推进三方共治,居委会、业委会、物业共商小区事。';
const RETURN_COMMENT = '请结合分管工作补充具体做法。';

const fx = { courseId: 0, assignmentId: 0, reflectionId: 0, others: [] as number[] };

function reflectionState(id: number) {
  const db = openDb();
  try {
    return db.prepare('select status, revision, version_count as versions, excellent, body from reflections where id = ?').get(id) as {
      status: string;
      revision: number;
      versions: number;
      excellent: number;
      body: string;
    };
  } finally {
    db.close();
  }
}

test('fixtures: a course run by the e2e organizer, with cadres who have handed in', async () => {
  const cadreId = await createAccount({ username: 'review-cadre', name: '陆晓东', role: 'cadre', password: FIXTURE_PASSWORD, title: '江湾社区党总支书记' });
  const more = [
    await createAccount({ username: 'review-cadre2', name: '顾文静', role: 'cadre', password: FIXTURE_PASSWORD, title: '街道党建办主任' }),
    await createAccount({ username: 'review-cadre3', name: '钱卫民', role: 'cadre', password: FIXTURE_PASSWORD, title: '街道城管中队长' }),
  ];
  fx.courseId = await makeCourse({ name: COURSE, columnName: '审阅演练', startsOn: null, organizerIds: [await userIdOf('e2e-organizer')] });
  const meetingId = await makeMeeting(fx.courseId, { title: '第六次集中学习', startsAt: null });
  fx.assignmentId = await makeAssignment(meetingId, {
    courseId: fx.courseId,
    title: '第六次集中学习心得',
    prompt: '结合分管工作谈体会',
    dueAt: new Date(Date.UTC(2030, 11, 31)),
  });
  const now = Date.now();
  const addSubmitted = async (authorId: number, title: string, body: string, at: number) => {
    await enroll(fx.courseId, [authorId]);
    return await makeReflection({
      assignmentId: fx.assignmentId,
      courseId: fx.courseId,
      authorId,
      status: 'submitted',
      title,
      body,
      versions: [{ submittedAt: new Date(at) }],
    });
  };
  fx.reflectionId = await addSubmitted(cadreId, '把学习成果转化为治理实效', FIRST, now - 60_000);
  fx.others = [
    await addSubmitted(more[0]!, '以党建引领凝聚社区合力', '一是建强组织体系。二是做实服务阵地。', now - 120_000),
    await addSubmitted(more[1]!, '在城市精细化管理中践行初心', '一是抓好背街小巷整治。二是做好垃圾分类。', now - 180_000),
  ];
});

async function organizerPage(browser: Browser) {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  return { context, page, errors: watchConsole(page) };
}

test('an organizer returns a reflection with a comment', async ({ browser }) => {
  const { context, page, errors } = await organizerPage(browser);
  await page.goto(`/review?course=${fx.courseId}`);
  await expect(page.getByRole('heading', { name: '审阅' })).toBeVisible();
  await expect(page.getByRole('link', { name: /待审阅\s*3/u })).toBeVisible();
  await page.getByRole('link', { name: '把学习成果转化为治理实效' }).click();
  await expect(page.getByRole('heading', { name: '把学习成果转化为治理实效' })).toBeVisible();

  // 退回修改 needs a comment: the browser and the server both insist.
  await page.getByLabel('退回修改').check();
  await page.getByLabel('评语', { exact: true }).fill(RETURN_COMMENT);
  await page.getByLabel('内部备注（学员看不到）').fill('内部:论据偏少,暂不入选简报');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('已退回修改，学员会收到通知和评语。')).toBeVisible();
  await expect(page.getByText('内部:论据偏少,暂不入选简报')).toBeVisible();
  expect(reflectionState(fx.reflectionId).status).toBe('returned');
  expect(errors).toEqual([]);
  await context.close();
});

test('the cadre sees the comment and a notification, revises and resubmits', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'review-cadre', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);
  await expect(page.getByText(RETURN_COMMENT).first()).toBeVisible();
  await expect(page.getByRole('link', { name: /通知，1 条未读/u })).toBeVisible();
  await page.goto('/notifications');
  await expect(page.getByText('心得被退回修改').first()).toBeVisible();
  await expect(page.getByText(RETURN_COMMENT).first()).toBeVisible();

  await page.goto(`/my/assignments/${fx.assignmentId}`);
  await expect(page.getByText(RETURN_COMMENT).first()).toBeVisible();
  // The internal note never reaches the cadre.
  await expect(page.getByText('论据偏少')).toHaveCount(0);
  // The editor opens on the stored copy already saying 已保存, so that text proves nothing about
  // this edit: wait until the revised text is what the server holds.
  await page.getByLabel('正文').fill(REVISED);
  await expect.poll(() => reflectionState(fx.reflectionId).body, { timeout: 15_000 }).toBe(REVISED);
  await expect(page.getByText(/已保存 /u)).toBeVisible();
  await page.getByLabel('本人承诺所交心得为本人撰写').check();
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText(/已提交.第 2 版/u).first()).toBeVisible();
  expect(reflectionState(fx.reflectionId)).toMatchObject({ status: 'submitted', versions: 2, body: REVISED });
  await context.close();
});

test('the organizer sees what changed in 第 2 版 and approves', async ({ browser }) => {
  const { context, page, errors } = await organizerPage(browser);
  await page.goto(`/review/${fx.reflectionId}?course=${fx.courseId}`);
  await expect(page.getByRole('link', { name: '第 2 版' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText(/与第 1 版相比：新增 \d+ 字/u)).toBeVisible();
  await expect(page.locator('ins').filter({ hasText: '三是推进三方共治' })).toBeVisible();
  await expect(page.locator('ins').filter({ hasText: '把学习和调研结合起来' })).toBeVisible();

  await expectAccessible(page);
  await page.getByLabel('通过', { exact: true }).check();
  await page.getByLabel('优秀', { exact: true }).check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('已通过，学员会收到通知。')).toBeVisible();
  expect(reflectionState(fx.reflectionId)).toMatchObject({ status: 'approved', excellent: 1 });
  expect(errors).toEqual([]);
  await context.close();

  const cadre = await browser.newContext();
  const cadrePage = await cadre.newPage();
  await signIn(cadrePage, 'review-cadre', FIXTURE_PASSWORD);
  await expect(cadrePage).toHaveURL(/\/my$/u);
  await cadrePage.goto('/notifications');
  await expect(cadrePage.getByText('心得已通过').first()).toBeVisible();
  await cadre.close();
});

test('the keyboard: ? lists the keys, j/k move, r and a decide', async ({ browser }) => {
  const { context, page, errors } = await organizerPage(browser);
  const [newer, older] = fx.others as [number, number];
  await page.goto(`/review?course=${fx.courseId}`);
  await page.getByRole('heading', { name: '审阅' }).click();

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: '快捷键' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('下一篇')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // On the queue j moves to the first row; Enter opens it.
  await page.keyboard.press('j');
  await expect(page.getByRole('link', { name: '以党建引领凝聚社区合力' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/review/${newer}\\?course=${fx.courseId}$`, 'u'));

  // On the detail page j and k walk the queue's order.
  await expect(page.getByRole('heading', { name: '以党建引领凝聚社区合力' })).toBeVisible();
  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`/review/${older}\\?`, 'u'));
  await expect(page.getByRole('heading', { name: '在城市精细化管理中践行初心' })).toBeVisible();
  await page.keyboard.press('k');
  await expect(page).toHaveURL(new RegExp(`/review/${newer}\\?`, 'u'));
  await expect(page.getByRole('heading', { name: '以党建引领凝聚社区合力' })).toBeVisible();

  // r puts the cursor in the required 评语 box; letters typed there are text, not commands.
  await page.keyboard.press('r');
  await expect(page.getByLabel('退回修改')).toBeChecked();
  await expect(page.getByLabel('评语', { exact: true })).toBeFocused();
  await page.keyboard.type('jk');
  await expect(page.getByLabel('评语', { exact: true })).toHaveValue('jk');
  await expect(page).toHaveURL(new RegExp(`/review/${newer}\\?`, 'u'));
  await page.getByLabel('评语', { exact: true }).fill('');

  // a chooses 通过 and Enter confirms; 保存并下一篇 is the mouse's way to the next one.
  await page.getByRole('heading', { name: '以党建引领凝聚社区合力' }).click();
  await page.keyboard.press('a');
  await expect(page.getByLabel('通过', { exact: true })).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(page.getByText('已通过，学员会收到通知。')).toBeVisible();
  expect(reflectionState(newer).status).toBe('approved');

  await page.goto(`/review/${older}?course=${fx.courseId}&state=all`);
  await page.getByLabel('通过', { exact: true }).check();
  await page.getByRole('button', { name: '保存并下一篇' }).click();
  await expect(page).toHaveURL(/\/review\?.*done=all/u);
  await expect(page.getByText('待审阅心得都处理完了')).toBeVisible();
  expect(reflectionState(older).status).toBe('approved');
  expect(errors).toEqual([]);
  await context.close();
});

test('two organizers deciding at once: the second is told and nothing is overwritten', async ({ browser }) => {
  // review-cadre3's reflection, approved above, handed in again.
  const id = fx.others[1] as number;
  await setReflectionStatus(id, 'submitted', { bumpRevision: true, reindex: true });

  const one = await organizerPage(browser);
  const two = await organizerPage(browser);
  await one.page.goto(`/review/${id}`);
  await two.page.goto(`/review/${id}`);
  await one.page.getByLabel('通过', { exact: true }).check();
  await one.page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(one.page.getByText('已通过，学员会收到通知。')).toBeVisible();

  await two.page.getByLabel('退回修改').check();
  await two.page.getByLabel('评语', { exact: true }).fill('请再充实一些。');
  await two.page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(two.page.getByText('这篇心得刚被其他人处理过')).toBeVisible();
  await expect(two.page.getByRole('alert').filter({ hasText: '这篇心得刚被其他人处理过' })).toContainText('现在的状态：已通过');
  expect(reflectionState(id).status).toBe('approved');
  await two.page.getByRole('link', { name: '重新查看这篇心得' }).click();
  await expect(two.page.getByText('这篇心得已通过。')).toBeVisible();
  await one.context.close();
  await two.context.close();
});
