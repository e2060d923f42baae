import { inOrder } from '@/lib/in-order';
import { expect, test } from '@playwright/test';
import { openWithScriptsHeld } from './hold-scripts';
import { enroll, makeAssignment, makeCourse, makeMeeting, makeReflection, makeTag, makeUsers, userIdOf } from './fixtures';
import { openDb, stateFile, watchConsole } from './support';

// The review queue's rows, 加标签 on a selection, and a box ticked while the page's scripts were
// still on their way (every arrival by a plain link loads the page): it is kept, counted and sent.
test.describe.configure({ mode: 'serial' });
const COURSE = '2026年滨河街道队列演练读书班';
const fx = { courseId: 0, tagId: 0, ids: [] as number[] };

function tagged(): number[] {
  const db = openDb();
  try {
    return (db.prepare('select reflection_id as id from reflection_tags where tag_id = ? order by reflection_id').all(fx.tagId) as { id: number }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

test('fixtures: three handed-in reflections and a tag in a course of the e2e organizer', async () => {
  fx.courseId = await makeCourse({ name: COURSE, columnName: '队列演练', startsOn: null, organizerIds: [await userIdOf('e2e-organizer')] });
  const meetingId = await makeMeeting(fx.courseId, { title: '第二次集中学习', startsAt: null });
  const assignmentId = await makeAssignment(meetingId, { courseId: fx.courseId, title: '第二次集中学习心得', dueAt: new Date(Date.UTC(2030, 11, 31)) });
  const cadres = await makeUsers([
    { role: 'cadre', username: 'queue-cadre1', name: '沈立群', title: '社区书记' },
    { role: 'cadre', username: 'queue-cadre2', name: '韩雪梅', title: '街道副主任' },
    { role: 'cadre', username: 'queue-cadre3', name: '邹建国', title: '城管科长' },
  ]);
  await enroll(fx.courseId, cadres);
  const now = Date.now();
  fx.ids = await inOrder(['把网格做实', '让服务更近', '小事不出网格'], async (title, i) =>
    await makeReflection({ assignmentId, courseId: fx.courseId, authorId: cadres[i]!, status: 'submitted', title, body: '推进基层治理。', versions: [{ submittedAt: new Date(now - (i + 1) * 60_000) }] }),
  );
  fx.tagId = await makeTag(fx.courseId, '网格治理');
});

test('the queue shows each row and puts a tag on the ticked ones', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`/review?course=${fx.courseId}`);
  const row = page.getByRole('row').filter({ hasText: '把网格做实' });
  await expect(row).toContainText('沈立群');
  await expect(row).toContainText('社区书记');
  await expect(row).toContainText(`${COURSE} / 第二次集中学习`);
  await expect(row).toContainText('已提交');
  await expect(row.getByRole('link', { name: '把网格做实' })).toHaveAttribute('href', `/review/${fx.ids[0]}?course=${fx.courseId}`);
  await expect(page.getByRole('button', { name: '加标签' })).toBeDisabled();

  await page.getByRole('checkbox', { name: '选择 沈立群 把网格做实' }).check();
  await page.getByRole('checkbox', { name: '选择 邹建国 小事不出网格' }).check();
  await expect(page.getByText('已勾选 2 篇')).toBeVisible();
  await page.getByLabel('给勾选的心得').selectOption({ label: '网格治理' });
  await page.getByRole('button', { name: '加标签' }).click();
  await expect(page.getByText('已为 2 篇心得加上标签')).toBeVisible();
  expect(tagged()).toEqual([fx.ids[0], fx.ids[2]].sort((a, b) => a! - b!));
  await expect(page.getByRole('row').filter({ hasText: '小事不出网格' }).getByRole('list', { name: '标签' })).toContainText('网格治理');

  // 全选本页 ticks every row; 去标签 takes the tag off the two that had it.
  await page.getByRole('checkbox', { name: '全选本页' }).check();
  await expect(page.getByText('已勾选 3 篇')).toBeVisible();
  await page.getByLabel('给勾选的心得').selectOption({ label: '网格治理' });
  await page.getByRole('button', { name: '去标签' }).click();
  await expect(page.getByText('已为 2 篇心得去掉标签')).toBeVisible();
  expect(tagged()).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

test('a box ticked before the scripts ran is kept, counted and sent', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const release = await openWithScriptsHeld(page, `/review?course=${fx.courseId}`);
  await page.getByRole('checkbox', { name: '选择 韩雪梅 让服务更近' }).check();
  await release();
  await expect(page.getByText('已勾选 1 篇')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('checkbox', { name: '选择 韩雪梅 让服务更近' })).toBeChecked();
  await page.getByLabel('给勾选的心得').selectOption({ label: '网格治理' });
  await page.getByRole('button', { name: '加标签' }).click();
  await expect(page.getByText('已为 1 篇心得加上标签')).toBeVisible();
  expect(tagged()).toEqual([fx.ids[1]]);
  await context.close();
});
