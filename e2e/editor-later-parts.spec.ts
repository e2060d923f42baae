import { expect, test, type Page } from '@playwright/test';
import { createAccount, enroll, FIXTURE_PASSWORD, makeAssignment, makeCourse, makeMeeting, makeReflection, userIdOf } from './fixtures';
import { openDb, signIn } from './support';

// The editor's parts that are fetched after the page is up rather than with its first scripts
// (issue 15): the choice between the browser's copy and the server's, and the notice of a copy
// the server never received on a reflection that can no longer change. Each still appears and works.
test.describe.configure({ mode: 'serial' });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const SHOTS = '.tmp/shots';
const SERVER_BODY = '服务器上的草稿：坚持党建引领，把组织优势转化为基层治理效能。';
const LOCAL_BODY = '本机上的草稿：上次没来得及保存，我补写了下沉社区、走访群众的体会和下一步打算。';
const ids = { user: 0, open: 0, done: 0 };

function bodyOf(assignmentId: number): string | undefined {
  const db = openDb();
  try {
    return (db.prepare('select body from reflections where assignment_id = ? and author_id = ?').get(assignmentId, ids.user) as { body: string } | undefined)?.body;
  } finally {
    db.close();
  }
}

/** The browser's copy of a draft, as the editor keeps it (components/reflection-editor/local-copy.ts), not yet confirmed by the server. */
async function keepLocalCopy(page: Page, assignmentId: number, body: string): Promise<void> {
  await page.evaluate(
    ([key, value]) => localStorage.setItem(key as string, value as string),
    [
      `xuesi:reflection-draft:${ids.user}:${assignmentId}`,
      JSON.stringify({ v: 1, title: '', body, readingIds: [], baseRevision: 1, editedAt: Date.now(), synced: false }),
    ],
  );
}

test('fixtures: a cadre with a draft on the server and a submitted reflection', async () => {
  await createAccount({ username: 'lazy-parts', name: '周立新', role: 'cadre', password: FIXTURE_PASSWORD, title: '南湖社区党委书记' });
  ids.user = await userIdOf('lazy-parts');
  const courseId = await makeCourse({ name: '2026年南湖街道读书班' });
  const meetingId = await makeMeeting(courseId, { title: '第一次集中学习' });
  ids.open = await makeAssignment(meetingId, { title: '第一次集中学习心得', minChars: 10, maxChars: 2000 });
  ids.done = await makeAssignment(meetingId, { title: '第二次集中学习心得', minChars: 10, maxChars: 2000 });
  await enroll(courseId, [ids.user]);
  await makeReflection({ assignmentId: ids.open, authorId: ids.user, status: 'draft', body: SERVER_BODY, revision: 1, updatedAt: new Date(Date.now() - 3_600_000) });
  await makeReflection({ assignmentId: ids.done, authorId: ids.user, status: 'submitted', body: SERVER_BODY });
});

test('a copy in this browser that differs from the server’s is offered for a choice; keeping it saves it', async ({ browser }) => {
  for (const viewport of [PHONE, DESKTOP]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await signIn(page, 'lazy-parts', FIXTURE_PASSWORD);
    await expect(page).toHaveURL(/\/my$/u);
    await keepLocalCopy(page, ids.open, LOCAL_BODY);
    await page.goto(`/my/assignments/${ids.open}`);
    await expect(page.getByRole('heading', { name: '本机保存的内容与服务器上的不同' })).toBeVisible();
    await expect(page.getByText(LOCAL_BODY)).toBeVisible();
    await expect(page.getByText(SERVER_BODY)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/editor-choice-${viewport.width}.png`, fullPage: true });
    if (viewport === DESKTOP) {
      await page.getByRole('button', { name: '使用本机保存的版本' }).click();
      await expect(page.getByLabel('正文')).toHaveValue(LOCAL_BODY);
      await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible({ timeout: 15_000 });
      expect(bodyOf(ids.open)).toBe(LOCAL_BODY);
    }
    await context.close();
  }
});

test('on a submitted reflection, text this browser kept but the server never received is shown to be copied', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await signIn(page, 'lazy-parts', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);
  await keepLocalCopy(page, ids.done, LOCAL_BODY);
  await page.goto(`/my/assignments/${ids.done}`);
  await expect(page.getByRole('heading', { name: '本机还有一份没有保存到服务器的内容' })).toBeVisible();
  await expect(page.getByLabel('本机保存的内容')).toHaveValue(new RegExp(LOCAL_BODY, 'u'));
  await page.screenshot({ path: `${SHOTS}/editor-local-copy-390.png`, fullPage: true });
  expect(bodyOf(ids.done)).toBe(SERVER_BODY);
  await context.close();
});
