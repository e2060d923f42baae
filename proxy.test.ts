import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '@/lib/auth/cookie';
import { proxy } from './proxy';

// Finding 6 of the security review: a server action body over Next's limit answered a bare 500,
// and server actions accepted a request without an Origin header (Next compares Origin with the
// host only when there is one). The proxy refuses both before Next reads the body.

const ACTION = { 'next-action': '00'.repeat(21) };
const ORIGIN = { origin: 'http://xuesi.example', host: 'xuesi.example' };

function post(path: string, headers: Record<string, string>, body: string | null = 'a=1'): NextRequest {
  return new NextRequest(`http://xuesi.example${path}`, { method: 'POST', headers, body });
}

describe('the proxy before any write', () => {
  it('refuses a server action or a route handler write without Origin, with a message', async () => {
    for (const req of [post('/login', ACTION), post('/api/admin/roster/preview', {}), post('/api/auth/signout', {}), post('/my', { ...ACTION, origin: 'null' })]) {
      const res = proxy(req);
      expect(res.status, req.nextUrl.pathname).toBe(403);
      expect(await res.text()).toContain('请求来源不正确');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('answers a server action body over the limit with the 5 MB message, not a 500', async () => {
    const res = proxy(post('/bulletins/import', { ...ACTION, ...ORIGIN, 'content-length': String(7 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('上传的内容超过 5 MB，请只保留正文后再试');
  });

  it('lets same-site writes, reads and bodies within the limit through', () => {
    const ok = [
      post('/bulletins/import', { ...ACTION, ...ORIGIN, cookie: `${SESSION_COOKIE}=x`, 'content-length': String(5 * 1024 * 1024) }),
      post('/api/admin/roster/preview', ORIGIN),
      new NextRequest('http://xuesi.example/login'),
    ];
    for (const req of ok) {
      const res = proxy(req);
      expect(res.status, req.nextUrl.pathname).toBe(200);
      expect(res.headers.get('x-middleware-next')).toBe('1');
    }
  });
});
