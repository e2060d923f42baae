import { expect, test } from '@playwright/test';
import { openWithScriptsHeld } from './hold-scripts';
import { createAccount, enroll, FIXTURE_PASSWORD, makeAssignment, makeCourse, makeMeeting, userIdOf } from './fixtures';
import { openDb, signIn } from './support';

// Until the page's scripts run, the editor is a plain form (plain-form.tsx). Links to the editor
// are plain links (issue 15), so every arrival loads the page and a quick typist on a slow phone
// types into that form; the full editor that then takes its place starts from what was typed,
// saves it and keeps the caret where it was.
test.describe.configure({ mode: 'serial' });

const ids = { user: 0, assignment: 0 };
const TITLE = '把“高效办成一件事”落到窗口里';
const BODY = '一是把群众反映最多的事项梳理成清单，逐项明确牵头科室和办结时限。';

test('fixtures: a cadre with an open assignment and no draft yet', async () => {
  await createAccount({ username: 'before-scripts', name: '汪晓梅', role: 'cadre', password: FIXTURE_PASSWORD, title: '政务服务中心副主任' });
  ids.user = await userIdOf('before-scripts');
  const courseId = await makeCourse({ name: '2026年政务服务系统读书班' });
  const meetingId = await makeMeeting(courseId, { title: '第二次集中学习' });
  ids.assignment = await makeAssignment(meetingId, { title: '第二次集中学习心得', minChars: 10, maxChars: 2000 });
  await enroll(courseId, [ids.user]);
});

test('what was typed before the scripts ran is in the editor, autosaved, with the caret where it was', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await signIn(page, 'before-scripts', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);

  // Hold the page's scripts back, as a slow connection does.
  const release = await openWithScriptsHeld(page, `/my/assignments/${ids.assignment}`);
  await expect(page.getByText('完整编辑器（自动保存、导入文件）需要浏览器运行脚本，现在还没有运行。')).toBeVisible();
  await page.getByLabel('标题').fill(TITLE);
  await page.getByLabel('正文').fill(BODY);
  await page.getByLabel('本人承诺所交心得为本人撰写').check();
  await page.getByLabel('正文').focus();

  await release();

  // Only the full editor has the save state in its sticky bar.
  await expect(page.getByText(/已保存 /u)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('完整编辑器（自动保存、导入文件）需要浏览器运行脚本，现在还没有运行。')).toHaveCount(0);
  await expect(page.getByLabel('标题')).toHaveValue(TITLE);
  await expect(page.getByLabel('正文')).toHaveValue(BODY);
  await expect(page.getByLabel('正文')).toBeFocused();
  await expect(page.getByLabel('本人承诺所交心得为本人撰写')).toBeChecked();

  const db = openDb();
  try {
    const row = db.prepare('select title, body from reflections where assignment_id = ? and author_id = ?').get(ids.assignment, ids.user);
    expect(row).toEqual({ title: TITLE, body: BODY });
  } finally {
    db.close();
  }
  await context.close();
});
