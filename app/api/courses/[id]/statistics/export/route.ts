import { exportCourseStatisticsXlsx } from '@/db/queries/statistics/export';
import { currentViewer } from '@/lib/auth/viewer';
import { attachmentDisposition, XLSX_CONTENT_TYPE } from '@/lib/export/escape';
import { idSchema } from '@/lib/validation/common';

// 导出Excel of a course's 统计. Answers JSON with a Chinese message for 401/403/404
// (a script or a download manager wants a status, not the sign-in page) and never a raw 500.

function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ ok: false, code, message }, { status, headers: { 'Cache-Control': 'no-store' } });
}

function digestStatus(e: unknown): number | null {
  const digest = (e as { digest?: unknown } | null)?.digest;
  if (typeof digest !== 'string' || !digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;')) return null;
  return Number(digest.split(';')[1]) || null;
}

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const viewer = await currentViewer();
    if (!viewer) return jsonError(401, 'unauthenticated', '登录已过期，请重新登录');
    if (viewer.mustChangePassword) return jsonError(403, 'must_change_password', '请先修改初始密码');
    if (viewer.role !== 'organizer' && viewer.role !== 'admin') return jsonError(403, 'forbidden', '没有权限');
    const id = idSchema.safeParse((await params).id);
    if (!id.success) return jsonError(404, 'not_found', '找不到这个读书班');
    const { buffer, fileName } = await exportCourseStatisticsXlsx(viewer, { courseId: id.data });
    return new Response(new Uint8Array(buffer), {
      status: 200,
      headers: {
        'Content-Type': XLSX_CONTENT_TYPE,
        'Content-Disposition': attachmentDisposition(fileName, `statistics-${id.data}.xlsx`),
        'Content-Length': String(buffer.byteLength),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (e) {
    const status = digestStatus(e);
    if (status === 403) return jsonError(403, 'forbidden', '没有权限');
    if (status === 404) return jsonError(404, 'not_found', '找不到这个读书班');
    console.error(e);
    return jsonError(500, 'server_error', '导出失败，请稍后再试');
  }
}
