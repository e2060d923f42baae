import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { addReflection, twoCourses } from '@/db/queries/courses.fixtures';
import { reflections } from '@/db/schema';
import { useTestDatabase } from '@/test/db';

// The decision form through its adapter: a stale decision reaches the page with the state that
// now stands (the kernel and formAction pass the extra field through), and a saved one redirects.

const auth = vi.hoisted(() => ({ viewer: null as unknown }));
vi.mock('@/lib/auth/viewer', () => ({ currentViewer: () => Promise.resolve(auth.viewer) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));
vi.mock('next/headers', () => ({ headers: () => Promise.resolve(new Headers({ 'user-agent': 'vitest' })) }));

const { decideAction } = await import('./actions');

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

async function redirectOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    const digest = (e as { digest?: string }).digest ?? '';
    if (digest.startsWith('NEXT_REDIRECT')) return digest.split(';')[2] ?? '';
    throw e;
  }
  throw new Error('no redirect');
}

describe('decideAction', () => {
  useTestDatabase();

  it('redirects after the decision: 保存 to the page, 保存并下一篇 to the next one still to review', async () => {
    const { a } = await twoCourses();
    const first = await addReflection(a, a.memberId, 'submitted');
    auth.viewer = a.organizer;
    const saved = await redirectOf(() =>
      decideAction(null, form({ reflectionId: String(first), expectedRevision: '1', decision: 'approve', comment: '很好', intent: 'save', filter: 'late=1' })),
    );
    expect(saved).toBe(`/review/${first}?late=1&done=approve`);
    await getDb().update(reflections).set({ status: 'submitted', revision: 5 }).where(eq(reflections.id, first)).run();
    const next = await redirectOf(() =>
      decideAction(null, form({ reflectionId: String(first), expectedRevision: '5', decision: 'return', comment: '请补充实例', intent: 'next' })),
    );
    expect(next).toBe('/review?done=all');
  });

  it('answers a stale decision with the current state and what was typed, and changes nothing', async () => {
    const { a } = await twoCourses();
    const id = await addReflection(a, a.memberId, 'submitted');
    auth.viewer = a.organizer;
    await redirectOf(() => decideAction(null, form({ reflectionId: String(id), expectedRevision: '1', decision: 'approve', comment: '很好' })));
    const before = await getDb().select().from(reflections).where(eq(reflections.id, id)).get();
    const result = await decideAction(null, form({ reflectionId: String(id), expectedRevision: '1', decision: 'return', comment: '请修改' }));
    expect(result).toMatchObject({
      ok: false,
      code: 'stale',
      message: '这篇心得刚被其他人处理过',
      current: { status: 'approved', revision: 2, lastDecision: { decision: 'approve', body: '很好' } },
      values: { comment: '请修改' },
    });
    expect(await getDb().select().from(reflections).where(eq(reflections.id, id)).get()).toEqual(before);
  });
});
