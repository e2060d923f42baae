import { expect, test } from '@playwright/test';
import { openWithScriptsHeld } from './hold-scripts';
import { addOrganizer, makeBulletin, makeCourse, userIdOf } from './fixtures';
import { openDb, stateFile } from './support';

// The 简报 composer opened by a plain link on a slow connection: what the organizer types before the
// scripts run stays in the field, and the composer must take it into its state and save it (it
// showed the text and said 修改会自动保存, but never saved it).
test.describe.configure({ mode: 'serial' });
const ids = { bulletin: 0 };
const SUMMARY = '大家一致认为，要把“高效办成一件事”的经验推广到更多窗口。';

test('fixtures: a draft 简报 of the e2e organizer', async () => {
  const courseId = await makeCourse({ name: '2026年政务窗口读书班' });
  await addOrganizer(courseId, await userIdOf('e2e-organizer'));
  ids.bulletin = await makeBulletin(courseId, { number: 1 });
});

test('the composer keeps what was typed before its scripts ran', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const release = await openWithScriptsHeld(page, `/bulletins/${ids.bulletin}`);
  await page.getByLabel('小结', { exact: true }).fill(SUMMARY);
  await release();
  await expect(page.getByText(/已保存（/u)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel('小结', { exact: true })).toHaveValue(SUMMARY);
  const db = openDb();
  try {
    expect((db.prepare('select summary from bulletins where id = ?').get(ids.bulletin) as { summary: string }).summary).toBe(SUMMARY);
  } finally {
    db.close();
  }
  await context.close();
});
