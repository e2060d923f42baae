import { bulletinContentForExport } from '@/db/queries/bulletins/published';
import { currentViewer } from '@/lib/auth/viewer';
import { bulletinDocxBuffer } from '@/lib/bulletin/docx';
import { bulletinFileName, contentDisposition, toPlainText, toWechatHtml } from '@/lib/bulletin/format';
import { idSchema } from '@/lib/validation/common';
import { exportQuerySchema } from '@/lib/validation/bulletins';

// 导出Word / 纯文本 / 公众号格式. Organizers get the bulletin as saved (or a published revision);
// members of the course get published revisions only. Errors are JSON with a Chinese message:
// 401 signed out, 403 wrong role, 404 absent or not yours — never a raw 500.

export const dynamic = 'force-dynamic';

function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ ok: false, code, message }, { status, headers: { 'Cache-Control': 'no-store' } });
}

function digestStatus(e: unknown): number | null {
  const digest = (e as { digest?: unknown } | null)?.digest;
  if (typeof digest !== 'string' || !digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;')) return null;
  return Number(digest.split(';')[1]) || null;
}

const TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const viewer = await currentViewer();
    if (!viewer) return jsonError(401, 'unauthenticated', '登录已过期，请重新登录');
    if (viewer.mustChangePassword) return jsonError(403, 'must_change_password', '请先修改初始密码');
    const id = idSchema.safeParse((await params).id);
    if (!id.success) return jsonError(404, 'not_found', '找不到这期简报');
    const url = new URL(request.url);
    const q = exportQuerySchema.parse({ format: url.searchParams.get('format') ?? undefined, revision: url.searchParams.get('revision') ?? undefined });
    const content = await bulletinContentForExport(viewer, { id: id.data, revision: q.revision });
    let body: Uint8Array;
    if (q.format === 'docx') body = new Uint8Array(await bulletinDocxBuffer(content));
    else if (q.format === 'txt') body = new TextEncoder().encode(`\ufeff${toPlainText(content).replace(/\n/gu, '\r\n')}`);
    else
      body = new TextEncoder().encode(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${content.title.replace(/[<&]/gu, '')}</title></head><body>${toWechatHtml(content)}</body></html>`,
      );
    return new Response(body as BodyInit, {
      status: 200,
      headers: {
        'Content-Type': TYPES[q.format],
        'Content-Disposition': contentDisposition(bulletinFileName(content, q.format)),
        'Content-Length': String(body.byteLength),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (e) {
    const status = digestStatus(e);
    if (status === 403) return jsonError(403, 'forbidden', '没有权限');
    if (status === 404) return jsonError(404, 'not_found', '找不到这期简报');
    console.error(e);
    return jsonError(500, 'server_error', '导出时出错了，请稍后再试');
  }
}
