import { inOrder } from '@/lib/in-order';
import { expect, test } from '@playwright/test';
import { openWithScriptsHeld } from './hold-scripts';
import { enroll, makeAssignment, makeBulletin, makeCourse, makeMeeting, makeReflection, makeUser, userIdOf } from './fixtures';
import { openDb, stateFile } from './support';

// The 简报 composer's items on a slow connection: a 发言人 line and an item's 摘编内容 typed before
// the scripts ran stay in their fields and are autosaved (the database holds them), as the top
// fields are (e2e/composer-before-scripts.spec.ts).
test.describe.configure({ mode: 'serial' });
const ids = { bulletin: 0 };
const HEADING = '街道党工委书记 方振华';
const BODY = '一是把“高效办成一件事”的经验推广到更多窗口。二是把群众评价作为检验工作的标准。';

test('fixtures: a draft 简报 with two items', async () => {
  const courseId = await makeCourse({ name: '2026年东城街道政务服务读书班', organizerIds: [await userIdOf('e2e-organizer')] });
  const meetingId = await makeMeeting(courseId, { title: '第三次集中学习' });
  const assignmentId = await makeAssignment(meetingId, { courseId, title: '第三次集中学习心得' });
  const cadres = [await makeUser('cadre', { username: 'cibs-c1', name: '方振华' }), await makeUser('cadre', { username: 'cibs-c2', name: '林慧' })];
  await enroll(courseId, cadres);
  const reflectionIds = await inOrder(cadres, async (authorId, i) =>
    await makeReflection({ assignmentId, courseId, authorId, status: 'approved', title: `体会${i + 1}`, body: `通过学习，我体会到服务群众要走在前面。第${i + 1}篇。` }),
  );
  ids.bulletin = await makeBulletin(courseId, { number: 3, reflectionIds });
});

test('an item typed before the scripts ran is kept and autosaved', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const release = await openWithScriptsHeld(page, `/bulletins/${ids.bulletin}`);
  await page.getByLabel('发言人（第 1 条）').fill(HEADING);
  await page.getByLabel('摘编内容（第 2 条）').fill(BODY);
  await release();
  await expect(page.getByText(/已保存（/u)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel('发言人（第 1 条）')).toHaveValue(HEADING);
  await expect(page.getByLabel('摘编内容（第 2 条）')).toHaveValue(BODY);
  const db = openDb();
  try {
    const items = db.prepare('select heading, body from bulletin_items where bulletin_id = ? order by position').all(ids.bulletin) as { heading: string; body: string }[];
    expect(items[0]?.heading).toBe(HEADING);
    expect(items[1]?.body).toBe(BODY);
  } finally {
    db.close();
  }
  await page.reload();
  await expect(page.getByLabel('发言人（第 1 条）')).toHaveValue(HEADING);
  await expect(page.getByLabel('摘编内容（第 2 条）')).toHaveValue(BODY);
  await context.close();
});
