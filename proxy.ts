import { NextResponse, type NextRequest } from 'next/server';
import { SESSION_COOKIE } from '@/lib/auth/cookie';

// A convenience, never the security boundary: every page and action checks the viewer itself
// through the data-access layer. Here: a per-request CSP nonce, and signed-out visitors sent
// to the sign-in page before a protected page renders.

/** next.config.mjs experimental.serverActions.bodySizeLimit ('6mb'): a 5 MB file and its form. */
export const SERVER_ACTION_BODY_LIMIT = 6 * 1024 * 1024;
export const BODY_TOO_LARGE_MESSAGE = '上传的内容超过 5 MB，请只保留正文后再试';
export const NO_ORIGIN_MESSAGE = '请求来源不正确，请从本站页面操作';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const PROTECTED = ['/my', '/review', '/courses', '/bulletins', '/admin', '/audit', '/change-password', '/notifications'];

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // React sets style attributes; no style can run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function secure(response: NextResponse, csp: string): NextResponse {
  response.headers.set('Content-Security-Policy', csp);
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('Referrer-Policy', 'same-origin');
  response.headers.set('X-Frame-Options', 'DENY');
  return response;
}

function refusal(request: NextRequest, status: number, code: string, message: string): NextResponse {
  if (request.nextUrl.pathname.startsWith('/api/')) {
    return NextResponse.json({ ok: false, code, message }, { status, headers: { 'Cache-Control': 'no-store' } });
  }
  return new NextResponse(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/**
 * Refusals made before Next reads a body. Browsers send Origin with every POST, and Next checks
 * a server action's Origin against the host only when there is one, so a write without Origin
 * (a script, a stripped request) is refused here for actions and route handlers alike. A server
 * action body over Next's limit would otherwise end in a bare 500 ("Body exceeded 6mb limit"):
 * it gets the same 5 MB message as the upload forms, which check the size before sending.
 */
function refuseUnsafe(request: NextRequest): NextResponse | null {
  if (!UNSAFE_METHODS.has(request.method)) return null;
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null') return refusal(request, 403, 'cross_origin', NO_ORIGIN_MESSAGE);
  if (request.headers.has('next-action')) {
    const length = request.headers.get('content-length');
    if (length === null && request.body) return refusal(request, 411, 'length_required', BODY_TOO_LARGE_MESSAGE);
    if (Number(length) > SERVER_ACTION_BODY_LIMIT) return refusal(request, 413, 'too_large', BODY_TOO_LARGE_MESSAGE);
  }
  return null;
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');

  const refused = refuseUnsafe(request);
  if (refused) return secure(refused, csp);

  const { pathname, search } = request.nextUrl;
  const isProtected = PROTECTED.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (isProtected && !request.cookies.has(SESSION_COOKIE)) {
    const url = request.nextUrl.clone();
    url.pathname = '/login';
    url.search = pathname === '/change-password' ? '' : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return secure(NextResponse.redirect(url), csp);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  return secure(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

export const config = {
  // Every response, static files included, carries the security headers.
  matcher: '/:path*',
};
