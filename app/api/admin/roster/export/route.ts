import { exportRoster } from '@/db/queries/roster/export';
import { currentViewer } from '@/lib/auth/viewer';
import { download, failureResponse, guarded, jsonError } from '@/lib/http';
import { requestInfoOf } from '../request-info';

// 导出花名册: the accounts the /admin list's filter matches (q, role, status, unitId), every page.

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return guarded(async () => {
    const viewer = await currentViewer();
    if (!viewer) return jsonError(401, 'unauthenticated', '登录已过期，请重新登录');
    const params = new URL(request.url).searchParams;
    const input = {
      q: params.get('q') ?? undefined,
      role: params.get('role') || undefined,
      status: params.get('status') || undefined,
      unitId: params.get('unitId') || undefined,
      format: params.get('format') ?? undefined,
    };
    // Query parameters are raw input: the kernel parses them.
    const { result: file } = await exportRoster.invoke(viewer, input, requestInfoOf(request));
    if (!file.ok) return failureResponse(file);
    return download(file.bytes, file.contentType, file.disposition);
  });
}
