import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { reflections, reflectionVersions } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { courseWithAssignment } from '@/test/course-fixtures';
import { signedIn, useTestDatabase } from '@/test/db';

// What the cadre's actions send back and what they ask Next to render again. A submit returns a
// small result the editor shows 已提交 from, and revalidates nothing (a revalidation makes Next
// send a render of the whole editor page back with the result); the plain-form actions revalidate
// the list and the one assignment page, not everything under /my.

const auth = vi.hoisted(() => ({ viewer: null as unknown }));
const revalidated = vi.hoisted(() => [] as string[]);

vi.mock('@/lib/auth/viewer', () => ({ currentViewer: () => Promise.resolve(auth.viewer as Viewer | null) }));
vi.mock('next/cache', () => ({
  revalidatePath: (path: string, type?: string) => void revalidated.push(type ? `${path} (${type})` : path),
}));
vi.mock('next/headers', () => ({
  headers: () => Promise.resolve(new Headers({ host: 'xuesi.example', 'user-agent': 'vitest' })),
}));

const { saveDraftFormAction, submitReflectionAction, submitReflectionFormAction, withdrawReflectionAction } = await import('./actions');

const BODY = '通过这次集中学习，我深刻认识到党的自我革命是跳出历史周期率的第二个答案。';

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

/** The digest of Next's redirect() thrown by an action. */
async function redirectOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { digest?: string }).digest;
  }
  return undefined;
}

describe('the cadre actions', () => {
  useTestDatabase();
  let assignmentId = 0;

  beforeEach(async () => {
    revalidated.length = 0;
    const cadre = await signedIn('cadre');
    auth.viewer = cadre;
    assignmentId = (await courseWithAssignment([cadre.id])).assignmentId;
  });

  it('a submit returns the version, the state and the time to show, and revalidates nothing', async () => {
    const submitKey = randomUUID();
    const input = { assignmentId, title: '', body: BODY, readingIds: [], baseRevision: 0, submitKey, declaration: true };
    const r = await submitReflectionAction(input);
    expect(r).toEqual({
      ok: true,
      message: '已提交（第 1 版）',
      version: 1,
      revision: expect.any(Number),
      status: 'submitted',
      late: false,
      repeated: false,
      when: expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/u),
    });
    expect(revalidated).toEqual([]);
    const row = await getDb().select().from(reflections).where(eq(reflections.assignmentId, assignmentId)).get();
    expect(row).toMatchObject({ status: 'submitted', versionCount: 1, revision: r.ok ? r.revision : -1 });

    // A retry with the same key (a timeout, a second click) is told so and hands in nothing more.
    const again = await submitReflectionAction(input);
    expect(again).toMatchObject({ ok: true, version: 1, repeated: true, message: '这篇心得已经提交过（第 1 版）' });
    expect(await getDb().select().from(reflectionVersions).all()).toHaveLength(1);
  });

  it('a refused submit returns the refusal and revalidates nothing', async () => {
    const r = await submitReflectionAction({ assignmentId, title: '', body: BODY, readingIds: [], baseRevision: 0, submitKey: randomUUID(), declaration: false });
    expect(r).toMatchObject({ ok: false, code: 'invalid', fieldErrors: { declaration: ['请勾选“本人承诺所交心得为本人撰写”'] } });
    expect(revalidated).toEqual([]);
  });

  it('the plain form’s save revalidates the list and this assignment’s page only', async () => {
    const r = await saveDraftFormAction(null, form({ assignmentId: String(assignmentId), title: '标题', body: BODY, baseRevision: '0' }));
    expect(r).toMatchObject({ ok: true, message: '草稿已保存' });
    expect(revalidated).toEqual(['/my', `/my/assignments/${assignmentId}`]);
  });

  it('the plain form’s submit and 撤回 revalidate the same two pages and go to the assignment page', async () => {
    const submitted = await redirectOf(
      submitReflectionFormAction(null, form({ assignmentId: String(assignmentId), title: '', body: BODY, baseRevision: '0', submitKey: randomUUID(), declaration: 'on' })),
    );
    expect(submitted).toMatch(new RegExp(`^NEXT_REDIRECT;replace;/my/assignments/${assignmentId}\\?submitted=1;`, 'u'));
    expect(revalidated).toEqual(['/my', `/my/assignments/${assignmentId}`]);

    revalidated.length = 0;
    const withdrawn = await redirectOf(withdrawReflectionAction(null, form({ assignmentId: String(assignmentId) })));
    expect(withdrawn).toMatch(new RegExp(`^NEXT_REDIRECT;replace;/my/assignments/${assignmentId}\\?withdrawn=1;`, 'u'));
    expect(revalidated).toEqual(['/my', `/my/assignments/${assignmentId}`]);
    expect((await getDb().select({ s: reflections.status }).from(reflections).get())?.s).toBe('draft');
  });
});
