import { inOrder } from '@/lib/in-order';
import { expect, test } from '@playwright/test';
import { outlineExcerpt } from '@/lib/bulletin/outline';
import { enroll, makeAssignment, makeBulletin, makeCourse, makeMeeting, makeReading, makeReflection, makeUser, userIdOf } from './fixtures';
import { openDb, stateFile, watchConsole } from './support';

// The 简报 desk drafts the routine parts: the organizer takes the drafted 导语 (the meeting's
// date in 简报 style, the course, the meeting), takes an item's 要点 instead of its full text and
// sets the 印刷标题; all of it is autosaved, there after a reload, and the print view carries
// the headline. Nothing changes before a draft is taken.
test.describe.configure({ mode: 'serial' });

const COURSE = '2026年临江区党组织书记读书班';
const MEETING = '第五次集中学习';
const WITH_POINTS =
  '这次集中学习让我很受触动，体会很深。一是要把理论学习放在首位。坚持读原著、学原文、悟原理，每周至少安排半天集中学习，真正学深悟透。' +
  '二是要把学习成果转化为为民服务的实际行动。着力解决群众急难愁盼问题，推动社区治理提质增效。下一步，我将结合本职工作抓好落实。';
const PLAIN = '通过这次学习，我深刻体会到基层治理要靠群众，要把楼道议事会办实办好。';
const HEADLINE = '学深悟透 知行合一';
let bulletinId = 0;

function stored(id: number) {
  const db = openDb();
  const row = db.prepare('select lead, headline from bulletins where id = ?').get(id) as { lead: string; headline: string };
  const items = db.prepare('select body from bulletin_items where bulletin_id = ? order by position').all(id) as { body: string }[];
  const sources = db.prepare('select body from reflections where id in (select reflection_id from bulletin_items where bulletin_id = ?) order by id').all(id) as { body: string }[];
  db.close();
  return { ...row, items: items.map((i) => i.body), sources: sources.map((s) => s.body) };
}

test('fixtures: a meeting on 9 May in the morning, two approved reflections in a draft bulletin', async () => {
  const courseId = await makeCourse({ name: COURSE, columnName: '书记读书班', publisher: '中共临江区委组织部', startsOn: '2026-04-01', organizerIds: [await userIdOf('e2e-organizer')] });
  const readingId = await makeReading('《论坚持人民当家作主》');
  // 09:30 in Shanghai.
  const meetingId = await makeMeeting(courseId, {
    title: MEETING,
    startsAt: new Date('2026-05-09T01:30:00Z'),
    place: '区委党校',
    presider: '区委组织部副部长李明',
    speech: '区委组织部部长王红作辅导讲话',
    readingIds: [readingId],
  });
  const assignmentId = await makeAssignment(meetingId, { courseId, title: '第五次集中学习心得', prompt: '', dueAt: new Date(0) });
  const cadres = [
    await makeUser('cadre', { username: 'drafting-c1', name: '欧阳明远', title: '清河镇党委书记' }),
    await makeUser('cadre', { username: 'drafting-c2', name: '宋佳', title: '东湖街道党工委副书记' }),
  ];
  await enroll(courseId, cadres);
  const reflectionIds = await inOrder([WITH_POINTS, PLAIN], async (body, i) =>
    await makeReflection({ assignmentId, courseId, authorId: cadres[i] as number, status: 'approved', title: `体会${i + 1}`, body, submittedAt: new Date(Date.UTC(2026, 4, 9, 4, i)) }),
  );
  bulletinId = await makeBulletin(courseId, { number: 5, lead: '', reflectionIds });
});

test('takes the drafted 导语, the 要点 of one item and a 印刷标题: autosaved, there after a reload, printed', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`/bulletins/${bulletinId}`);

  // Offered, not forced: the fields are as saved, the derived headline only a placeholder.
  const lead = page.getByLabel('导语', { exact: true });
  const headline = page.getByLabel('印刷标题', { exact: true });
  await expect(lead).toHaveValue('');
  await expect(headline).toHaveValue('');
  await expect(headline).toHaveAttribute('placeholder', `${MEETING}交流发言摘编`);
  const drafts = page.getByRole('region', { name: '起草常规部分' });
  await expect(drafts.getByText(/^5月9日上午，/u)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '修改会自动保存' })).toBeVisible();
  expect(stored(bulletinId)).toMatchObject({ lead: '', headline: '', items: [WITH_POINTS, PLAIN] });

  await drafts.getByRole('button', { name: '用作导语' }).click();
  await expect(lead).toHaveValue(new RegExp(`^5月9日上午，${COURSE}在区委党校举行${MEETING}，区委组织部副部长李明主持。`, 'u'));
  const takenLead = await lead.inputValue();
  expect(takenLead).toContain('《论坚持人民当家作主》');

  // 全文 / 要点 / 自定义 per item: the first has 一是/二是 points, the second none.
  const first = page.getByRole('group', { name: /^第 1 条 .*欧阳明远的摘编方式$/u });
  const second = page.getByRole('group', { name: /^第 2 条 .*宋佳的摘编方式$/u });
  await expect(first.getByRole('radio', { name: '全文' })).toBeChecked();
  await expect(second.getByRole('radio', { name: '要点（未找到分点）' })).toBeDisabled();
  await first.getByRole('radio', { name: '要点' }).check();
  const points = outlineExcerpt(WITH_POINTS);
  const firstBody = page.getByLabel('摘编内容（第 1 条）', { exact: true });
  await expect(firstBody).toHaveValue(points ?? '');
  expect(points).toMatch(/一是要把理论学习放在首位。[\s\S]*二是要把学习成果转化为为民服务的实际行动。/u);
  expect(points).not.toContain('下一步');

  await headline.fill(HEADLINE);
  await headline.blur();
  await expect(page.getByRole('status').filter({ hasText: /^已保存（/u })).toBeVisible();
  await expect.poll(() => stored(bulletinId)).toMatchObject({ lead: takenLead, headline: HEADLINE, items: [points, PLAIN] });
  // The reflection itself is untouched.
  expect(stored(bulletinId).sources).toEqual([WITH_POINTS, PLAIN]);

  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await headline.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `.tmp/drafting-${width}-headline.png` });
    await drafts.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `.tmp/drafting-${width}-drafts.png` });
    await first.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `.tmp/drafting-${width}-item.png` });
  }

  await page.reload();
  await expect(lead).toHaveValue(takenLead);
  await expect(headline).toHaveValue(HEADLINE);
  await expect(firstBody).toHaveValue(points ?? '');
  await expect(first.getByRole('radio', { name: '要点' })).toBeChecked();
  await expect(second.getByRole('radio', { name: '全文' })).toBeChecked();

  await page.goto(`/bulletins/${bulletinId}/print`);
  await expect(page.getByRole('heading', { level: 1, name: HEADLINE })).toBeVisible();
  await expect(page.getByText(takenLead)).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});
