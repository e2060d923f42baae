import 'server-only';
import type { Role } from '@/db/schema';
import { failureStatus, type Failure } from '@/lib/action-result';
import { currentViewer } from '@/lib/auth/viewer';
import type { Viewer } from '@/lib/auth/viewer-type';
import { attachmentDisposition } from '@/lib/export/escape';
import { idSchema } from '@/lib/validation/common';

// Helpers for route handlers (app/api/**). They answer JSON with a Chinese message and a 4xx
// status, and never redirect: a script that uploads a file wants a status, not the sign-in page.

const NO_STORE = { 'Cache-Control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function jsonError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return json({ ok: false, code, message, ...extra }, status);
}

/**
 * A cookie-authenticated write must come from our own pages: browsers send Origin on every POST,
 * and a page elsewhere cannot make it match our Host.
 */
export function sameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null') return false;
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host');
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function crossOriginResponse(): Response {
  return jsonError(403, 'cross_origin', '请求来源不正确，请从本站页面操作');
}

/**
 * The signed-in viewer when they hold one of these roles and have no one-time password left to
 * change; otherwise the 401/403 JSON response to return.
 */
export async function routeViewer(...roles: Role[]): Promise<{ ok: true; viewer: Viewer } | { ok: false; response: Response }> {
  const viewer = await currentViewer();
  if (!viewer) return { ok: false, response: jsonError(401, 'unauthenticated', '登录已过期，请重新登录') };
  if (viewer.mustChangePassword) {
    return { ok: false, response: jsonError(403, 'must_change_password', '请先修改初始密码') };
  }
  if (!roles.includes(viewer.role)) return { ok: false, response: jsonError(403, 'forbidden', '没有权限') };
  return { ok: true, viewer };
}

/** A query's expected failure as a JSON response. */
export function failureResponse(failure: Failure): Response {
  return json(failure, failureStatus(failure.code));
}

/** The status Next gives forbidden() / notFound() (thrown by queries), or null for anything else. */
export function httpErrorStatus(e: unknown): number | null {
  const digest = (e as { digest?: unknown } | null)?.digest;
  if (typeof digest !== 'string' || !digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;')) return null;
  return Number(digest.split(';')[1]) || null;
}

/**
 * Runs a handler body and turns what it throws into JSON: 403/404 from the queries as such, and
 * anything unexpected as a plain 500 without details (the error goes to the server log).
 */
export async function guarded(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    const status = httpErrorStatus(e);
    if (status === 403) return jsonError(403, 'forbidden', '没有权限');
    if (status === 404) return jsonError(404, 'not_found', '找不到要操作的内容');
    console.error(e);
    return jsonError(500, 'server_error', '服务器出错了，请稍后再试；没有写入任何数据');
  }
}

/**
 * The request body, at most `max` bytes; null when it is longer. Reads the stream itself, so a
 * missing or false Content-Length does not let a bigger body through.
 */
export async function readBodyLimited(request: Request, max: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > max) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A file download that nobody caches. */
export function download(bytes: Uint8Array, contentType: string, disposition: string): Response {
  return new Response(bytes as BodyInit, {
    status: 200,
    headers: {
      'Content-Type': contentType,
      'Content-Disposition': disposition,
      'Content-Length': String(bytes.byteLength),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/**
 * A GET that downloads a file built for one id (导出Excel of a 统计 or a 交稿情况): the role check,
 * the id parsed, the file with its Chinese name, and JSON with a Chinese message for 401/403/404
 * (a download manager wants a status, not the sign-in page), never a raw 500.
 */
export async function fileDownload(spec: {
  roles: Role[];
  rawId: string;
  notFoundMessage: string;
  contentType: string;
  /** The ASCII name for clients that cannot read the Chinese one. */
  fallbackName: (id: number) => string;
  build: (viewer: Viewer, id: number) => Promise<{ buffer: Uint8Array | ArrayBuffer; fileName: string }>;
}): Promise<Response> {
  try {
    const who = await routeViewer(...spec.roles);
    if (!who.ok) return who.response;
    const id = idSchema.safeParse(spec.rawId);
    if (!id.success) return jsonError(404, 'not_found', spec.notFoundMessage);
    const { buffer, fileName } = await spec.build(who.viewer, id.data);
    const bytes = buffer instanceof Uint8Array ? new Uint8Array(buffer) : new Uint8Array(buffer);
    return new Response(bytes, {
      status: 200,
      headers: {
        'Content-Type': spec.contentType,
        'Content-Disposition': attachmentDisposition(fileName, spec.fallbackName(id.data)),
        'Content-Length': String(bytes.byteLength),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (e) {
    const status = httpErrorStatus(e);
    if (status === 403) return jsonError(403, 'forbidden', '没有权限');
    if (status === 404) return jsonError(404, 'not_found', spec.notFoundMessage);
    console.error(e);
    return jsonError(500, 'server_error', '导出失败，请稍后再试');
  }
}
