import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { reflections } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { courseWithAssignment } from '@/test/course-fixtures';
import { signedIn, useTestDatabase } from '@/test/db';

// The route reads the sign-in through next-auth; here the viewer is whoever the test says.
const auth = vi.hoisted(() => ({ viewer: null as unknown }));
vi.mock('@/lib/auth/viewer', () => ({ currentViewer: () => Promise.resolve(auth.viewer) }));
vi.mock('next/headers', () => ({ headers: () => Promise.resolve(new Headers({ 'user-agent': 'vitest' })) }));

const { POST } = await import('./route');

function post(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request('http://xuesi.example:3000/api/reflections/draft', {
    method: 'POST',
    headers: { host: 'xuesi.example:3000', origin: 'http://xuesi.example:3000', 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('POST /api/reflections/draft', () => {
  useTestDatabase();

  let cadre: Viewer;
  let assignmentId: number;
  beforeEach(async () => {
    cadre = await signedIn('cadre');
    assignmentId = (await courseWithAssignment([cadre.id])).assignmentId;
    auth.viewer = cadre;
  });

  const draft = () => ({ assignmentId, title: '标题', body: '第一段\n第二段', readingIds: [], baseRevision: 0 });

  it('saves a draft and then reports a stale base as a 409 conflict with the server copy', async () => {
    const first = await POST(post(draft()));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, revision: 1, created: true });
    expect(first.headers.get('cache-control')).toBe('no-store');

    const stale = await POST(post({ ...draft(), body: '另一份' }));
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ ok: false, code: 'conflict', server: { body: '第一段\n第二段', revision: 1 } });
  });

  it('refuses a cross-origin request, or one with no Origin, and writes nothing', async () => {
    const cross = await POST(post(draft(), { origin: 'https://evil.example' }));
    expect(cross.status).toBe(403);
    expect(await cross.json()).toMatchObject({ code: 'cross_origin' });
    const noOrigin = new Request('http://xuesi.example:3000/api/reflections/draft', {
      method: 'POST',
      headers: { host: 'xuesi.example:3000', 'content-type': 'application/json' },
      body: JSON.stringify(draft()),
    });
    expect((await POST(noOrigin)).status).toBe(403);
    expect((await POST(post(draft(), { origin: 'null' }))).status).toBe(403);
    expect(await getDb().select().from(reflections).all()).toHaveLength(0);
  });

  it('refuses bad JSON, a body that fails the schema, and a form post', async () => {
    const bad = await POST(post('{"assignmentId": 1,'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'bad_json' });
    const extra = await POST(post({ ...draft(), authorId: 99 }));
    expect(extra.status).toBe(400);
    const wrongType = await POST(post({ ...draft(), body: 42 }));
    expect(wrongType.status).toBe(400);
    const form = await POST(post('title=x', { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(form.status).toBe(415);
    expect(await getDb().select().from(reflections).all()).toHaveLength(0);
  });

  it('answers 401 JSON (no redirect) when the sign-in has expired', async () => {
    auth.viewer = null;
    const r = await POST(post(draft()));
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ ok: false, code: 'unauthenticated', message: '登录已过期，内容已保存在本机，请重新登录后继续' });
  });

  it('answers 413 for a body over 256 KiB, however it is declared, and writes nothing', async () => {
    const big = JSON.stringify({ ...draft(), body: '字'.repeat(90_000) });
    const declared = await POST(post(big));
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ ok: false, code: 'too_large' });
    const understated = await POST(post(big, { 'content-length': '10' }));
    expect(understated.status).toBe(413);
    expect(await getDb().select().from(reflections).all()).toHaveLength(0);
  });

  it('answers 423 once the reflection is handed in', async () => {
    expect((await POST(post(draft()))).status).toBe(200);
    await getDb().update(reflections).set({ status: 'submitted' }).where(eq(reflections.authorId, cadre.id)).run();
    const locked = await POST(post({ ...draft(), body: '改一改', baseRevision: 1 }));
    expect(locked.status).toBe(423);
    expect(await locked.json()).toMatchObject({ ok: false, code: 'locked', status: 'submitted' });
  });

  it('refuses an organizer, and answers 404 for a course the cadre is not in', async () => {
    auth.viewer = await signedIn('organizer');
    expect((await POST(post(draft()))).status).toBe(403);
    auth.viewer = await signedIn('cadre');
    const r = await POST(post(draft()));
    expect(r.status).toBe(404);
    expect(await getDb().select().from(reflections).all()).toHaveLength(0);
  });
});
