import { describe, expect, it, vi } from 'vitest';
import type { Viewer } from '@/lib/auth/viewer-type';

const auth = vi.hoisted(() => ({ viewer: null as unknown }));
vi.mock('@/lib/auth/viewer', () => ({ currentViewer: () => Promise.resolve(auth.viewer) }));

const { failureResponse, guarded, readBodyLimited, routeViewer, sameOrigin } = await import('./http');

function req(headers: Record<string, string>): Request {
  return new Request('http://xuesi.example/api/x', { method: 'POST', headers });
}

const viewer = (over: Partial<Viewer>) => ({ id: 1, username: 'a', name: '甲', title: '', unitId: null, role: 'admin', mustChangePassword: false, sessionId: 's', ...over }) as Viewer;

describe('sameOrigin', () => {
  it('accepts only an Origin whose host is the request Host (or the proxy’s forwarded host)', () => {
    expect(sameOrigin(req({ host: 'xuesi.example', origin: 'http://xuesi.example' }))).toBe(true);
    expect(sameOrigin(req({ host: 'xuesi.example:3000', origin: 'https://xuesi.example:3000' }))).toBe(true);
    expect(sameOrigin(req({ host: '127.0.0.1:3000', 'x-forwarded-host': 'xuesi.example', origin: 'https://xuesi.example' }))).toBe(true);
    expect(sameOrigin(req({ host: 'xuesi.example', origin: 'https://evil.example' }))).toBe(false);
    expect(sameOrigin(req({ host: 'xuesi.example', origin: 'https://xuesi.example.evil.example' }))).toBe(false);
    expect(sameOrigin(req({ host: 'xuesi.example', origin: 'null' }))).toBe(false);
    expect(sameOrigin(req({ host: 'xuesi.example' }))).toBe(false);
    expect(sameOrigin(req({ host: 'xuesi.example', origin: 'not a url' }))).toBe(false);
  });
});

describe('routeViewer', () => {
  it('answers 401 signed out, 403 for a pending password change or another role, and passes the right role', async () => {
    auth.viewer = null;
    let r = await routeViewer('admin');
    expect(!r.ok && r.response.status).toBe(401);
    auth.viewer = viewer({ mustChangePassword: true });
    r = await routeViewer('admin');
    expect(!r.ok && r.response.status).toBe(403);
    expect(!r.ok && (await r.response.json())).toMatchObject({ code: 'must_change_password', message: '请先修改初始密码' });
    auth.viewer = viewer({ role: 'organizer' });
    r = await routeViewer('admin');
    expect(!r.ok && (await r.response.json())).toMatchObject({ code: 'forbidden', message: '没有权限' });
    auth.viewer = viewer({});
    r = await routeViewer('admin');
    expect(r.ok && r.viewer.id).toBe(1);
  });
});

describe('responses', () => {
  it('maps failures to 4xx, and anything thrown to JSON without details', async () => {
    expect(failureResponse({ ok: false, code: 'not_found', message: '没有' }).status).toBe(404);
    expect(failureResponse({ ok: false, code: 'stale', message: '变了' }).status).toBe(409);
    expect(failureResponse({ ok: false, code: 'closed', message: '已截止' }).status).toBe(423);
    const forbidden = await guarded(() => Promise.reject(Object.assign(new Error('x'), { digest: 'NEXT_HTTP_ERROR_FALLBACK;403' })));
    expect(forbidden.status).toBe(403);
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const boom = await guarded(() => Promise.reject(new Error('SQLITE_CORRUPT at /secret/path')));
    spy.mockRestore();
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toContain('SQLITE');
    expect(JSON.parse(text)).toMatchObject({ ok: false, code: 'server_error' });
  });

  it('reads a body up to the limit and refuses one longer, whatever Content-Length says', async () => {
    const body = (n: number, headers: Record<string, string> = {}) =>
      new Request('http://x/', { method: 'POST', headers, body: new Uint8Array(n) as BodyInit });
    expect((await readBodyLimited(body(10), 10))?.byteLength).toBe(10);
    expect(await readBodyLimited(body(11), 10)).toBeNull();
    expect(await readBodyLimited(body(5, { 'content-length': '999' }), 10)).toBeNull();
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(4));
        c.close();
      },
    });
    const chunked = new Request('http://x/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(await readBodyLimited(chunked, 10)).toBeNull();
  });
});
