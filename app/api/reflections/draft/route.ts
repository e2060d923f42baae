import { saveDraft } from '@/db/queries/reflections';
import { currentViewer } from '@/lib/auth/viewer';
import { SIGNED_OUT_MESSAGE } from '@/lib/reflection/messages';
import { saveDraftSchema } from '@/lib/validation/reflections';
import { sameOrigin } from '../same-origin';

// The editor's autosave. A route handler rather than a server action so that the same request
// can be sent with fetch(…, { keepalive: true }) while the page is being hidden or closed.
// It answers JSON and never redirects: a signed-out editor keeps its text and says so.

export const dynamic = 'force-dynamic';

/** A draft is at most 50,000 characters of UTF-8 (3 bytes each) plus a little JSON. */
const MAX_REQUEST_BYTES = 256 * 1024;

function json(body: unknown, status: number): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}

function httpErrorStatus(e: unknown): number | null {
  const digest = (e as { digest?: unknown } | null)?.digest;
  if (typeof digest !== 'string' || !digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;')) return null;
  return Number(digest.split(';')[1]) || null;
}

export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) {
    return json({ ok: false, code: 'cross_origin', message: '请求来源不正确' }, 403);
  }
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    return json({ ok: false, code: 'bad_request', message: '请求格式不正确' }, 415);
  }
  const viewer = await currentViewer();
  if (!viewer) return json({ ok: false, code: 'unauthenticated', message: SIGNED_OUT_MESSAGE }, 401);
  if (viewer.role !== 'cadre' || viewer.mustChangePassword) {
    return json({ ok: false, code: 'forbidden', message: '只有学员可以保存心得' }, 403);
  }

  if (Number(request.headers.get('content-length') ?? 0) > MAX_REQUEST_BYTES) {
    return json({ ok: false, code: 'too_large', message: '内容过长,未能保存' }, 413);
  }
  const text = await request.text();
  if (text.length > MAX_REQUEST_BYTES) {
    return json({ ok: false, code: 'too_large', message: '内容过长,未能保存' }, 413);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return json({ ok: false, code: 'bad_json', message: '请求格式不正确' }, 400);
  }
  const parsed = saveDraftSchema.safeParse(raw);
  if (!parsed.success) {
    return json({ ok: false, code: 'invalid', message: parsed.error.issues[0]?.message ?? '输入有误' }, 400);
  }

  try {
    const result = saveDraft(viewer, parsed.data);
    if (result.ok) return json(result, 200);
    return json(result, result.code === 'conflict' ? 409 : 423);
  } catch (e) {
    const status = httpErrorStatus(e);
    if (status === 404) return json({ ok: false, code: 'not_found', message: '找不到这项心得任务' }, 404);
    if (status === 403) return json({ ok: false, code: 'forbidden', message: '没有权限' }, 403);
    throw e;
  }
}
