import { expect, test } from '@playwright/test';
import { openWithScriptsHeld } from './hold-scripts';
import { enroll, makeAssignment, makeCourse, makeMeeting, makeReflection, makeTag, makeUser, userIdOf } from './fixtures';
import { openDb, stateFile } from './support';

// The review detail's tag panel: every × shares one form and every suggested tag another, the
// pressed button sending its own tag. Taking a suggestion works before the page's scripts arrive
// (the browser's own submit) and after; × takes off the tag pressed and no other.
test.describe.configure({ mode: 'serial' });

const fx = { id: 0 };

function tagNames(reflectionId: number): string[] {
  const db = openDb();
  try {
    return (db.prepare('select t.name from reflection_tags rt join tags t on t.id = rt.tag_id where rt.reflection_id = ?').all(reflectionId) as { name: string }[]).map((r) => r.name).sort();
  } finally {
    db.close();
  }
}

test('fixtures: an approved reflection with two tags, and two course tags its text names', async () => {
  const courseId = await makeCourse({ name: '2026年滨河街道标签读书班', organizerIds: [await userIdOf('e2e-organizer')] });
  const meetingId = await makeMeeting(courseId, { title: '第三次集中学习' });
  const assignmentId = await makeAssignment(meetingId, { courseId, title: '第三次集中学习心得' });
  const cadre = await makeUser('cadre', { username: 'rtag-c1', name: '程立' });
  await enroll(courseId, [cadre]);
  fx.id = await makeReflection({
    assignmentId,
    courseId,
    authorId: cadre,
    status: 'approved',
    title: '老旧小区改造与垃圾分类',
    body: '老旧小区改造要问需于民。垃圾分类要久久为功。老旧小区改造和垃圾分类都是民生实事。',
  });
  await makeTag(courseId, '基层治理', { reflectionIds: [fx.id] });
  await makeTag(courseId, '作风建设', { reflectionIds: [fx.id] });
  await makeTag(courseId, '老旧小区改造');
  await makeTag(courseId, '垃圾分类');
});

test('a suggested tag taken before the scripts ran, another after, and × takes off only the tag pressed', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const release = await openWithScriptsHeld(page, `/review/${fx.id}`);
  await page.getByRole('button', { name: '采用建议标签 老旧小区改造' }).click();
  const applied = page.getByRole('list', { name: '已加的标签' });
  await expect(applied.getByText('老旧小区改造')).toBeVisible();
  expect(tagNames(fx.id)).toEqual(['作风建设', '基层治理', '老旧小区改造'].sort());
  await release();

  await page.goto(`/review/${fx.id}`);
  await page.getByRole('button', { name: '采用建议标签 垃圾分类' }).click();
  await expect(applied.getByText('垃圾分类')).toBeVisible();
  expect(tagNames(fx.id)).toEqual(['作风建设', '基层治理', '垃圾分类', '老旧小区改造'].sort());

  await page.getByRole('button', { name: '去掉标签 基层治理' }).click();
  await expect(page.getByRole('button', { name: '去掉标签 基层治理' })).toHaveCount(0);
  await expect(applied.getByText('作风建设')).toBeVisible();
  expect(tagNames(fx.id)).toEqual(['作风建设', '垃圾分类', '老旧小区改造'].sort());
  await context.close();
});
