import { expect, test, type Page } from '@playwright/test';
import { openWithScriptsHeld } from './hold-scripts';
import { enroll, makeAssignment, makeCourse, makeMeeting, makeReflection, makeUser, userIdOf } from './fixtures';
import { openDb, stateFile } from './support';

// The review desk opened by a plain link on a slow connection: a decision, a 评语, an internal note
// and a tag typed before the page's scripts run stay in their fields once the scripts arrive, and
// are saved when the organizer then presses the button (the database shows them).
test.describe.configure({ mode: 'serial' });

const COMMENT = '请结合分管的老旧小区改造工作，补充一两个具体做法。';
const NOTE = '内部：论据偏少，暂不入选简报。';
const LATER_NOTE = '内部：修改后可考虑入选第3期简报。';
const TAG = '老旧小区改造';
const fx = { submitted: 0, approved: 0 };

test('fixtures: a handed-in and an approved reflection in a course of the e2e organizer', async () => {
  const courseId = await makeCourse({ name: '2026年河西街道审阅读书班', organizerIds: [await userIdOf('e2e-organizer')] });
  const meetingId = await makeMeeting(courseId, { title: '第二次集中学习' });
  const assignmentId = await makeAssignment(meetingId, { courseId, title: '第二次集中学习心得' });
  const cadres = [await makeUser('cadre', { username: 'rbs-c1', name: '韩立新' }), await makeUser('cadre', { username: 'rbs-c2', name: '苏婉清' })];
  await enroll(courseId, cadres);
  fx.submitted = await makeReflection({ assignmentId, courseId, authorId: cadres[0] as number, status: 'submitted', title: '把学习成果落到小区改造上' });
  fx.approved = await makeReflection({ assignmentId, courseId, authorId: cadres[1] as number, status: 'approved', title: '学以致用' });
});

/** React has taken over the field (its props are on the element). */
async function hydrated(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((s) => {
    const el = document.querySelector(s);
    return !!el && Object.keys(el).some((k) => k.startsWith('__reactProps'));
  }, selector);
}

function rows<T>(sql: string, ...args: unknown[]): T[] {
  const db = openDb();
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

test('退回修改, 评语, internal note and a tag typed before the scripts ran are kept and saved', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const release = await openWithScriptsHeld(page, `/review/${fx.submitted}`);
  await page.getByLabel('退回修改').check();
  await page.getByLabel('评语', { exact: true }).fill(COMMENT);
  await page.getByLabel('内部备注（学员看不到）').fill(NOTE);
  await page.getByLabel('加标签').fill(TAG);
  await release();
  await hydrated(page, '#decision-comment');
  await hydrated(page, '#tag-input');

  await expect(page.getByLabel('退回修改')).toBeChecked();
  await expect(page.getByLabel('评语', { exact: true })).toHaveValue(COMMENT);
  await expect(page.getByLabel('内部备注（学员看不到）')).toHaveValue(NOTE);
  await expect(page.getByLabel('加标签')).toHaveValue(TAG);

  await page.getByRole('button', { name: '添加', exact: true }).click();
  await expect(page.getByRole('list', { name: '已加的标签' }).getByText(TAG)).toBeVisible();
  expect(rows<{ name: string }>('select t.name from reflection_tags rt join tags t on t.id = rt.tag_id where rt.reflection_id = ?', fx.submitted)).toEqual([{ name: TAG }]);

  // The tag's answer re-rendered the page: the decision typed earlier is still there, then saved.
  await expect(page.getByLabel('退回修改')).toBeChecked();
  await expect(page.getByLabel('评语', { exact: true })).toHaveValue(COMMENT);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('已退回修改，学员会收到通知和评语。')).toBeVisible();
  expect(rows<{ status: string }>('select status from reflections where id = ?', fx.submitted)).toEqual([{ status: 'returned' }]);
  const comments = rows<{ body: string; internal: number; decision: string | null }>(
    'select body, internal, decision from reflection_comments where reflection_id = ? order by id',
    fx.submitted,
  );
  expect(comments).toEqual(
    expect.arrayContaining([
      { body: COMMENT, internal: 0, decision: 'return' },
      { body: NOTE, internal: 1, decision: null },
    ]),
  );
  await context.close();
});

test('a later internal note typed before the scripts ran is kept and saved', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const release = await openWithScriptsHeld(page, `/review/${fx.approved}`);
  await page.getByLabel('补充内部备注（学员看不到）').fill(LATER_NOTE);
  await release();
  await hydrated(page, '#extra-note');
  await expect(page.getByLabel('补充内部备注（学员看不到）')).toHaveValue(LATER_NOTE);
  await page.getByRole('button', { name: '保存备注' }).click();
  await expect(page.getByRole('region', { name: '审阅记录' }).getByText(LATER_NOTE)).toBeVisible();
  expect(rows<{ body: string }>('select body from reflection_comments where reflection_id = ? and internal = 1', fx.approved)).toEqual([{ body: LATER_NOTE }]);
  await context.close();
});
