import { exportAuditLog } from '@/db/queries/roster/export';
import { currentViewer } from '@/lib/auth/viewer';
import { download, failureResponse, guarded, jsonError } from '@/lib/http';
import { requestInfoOf } from '../../admin/roster/request-info';

// 导出 on the audit page: exactly the rows its filter (账号, 操作, 日期) shows, every page, as .xlsx.

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return guarded(async () => {
    const viewer = await currentViewer();
    if (!viewer) return jsonError(401, 'unauthenticated', '登录已过期，请重新登录');
    const params = new URL(request.url).searchParams;
    const filter = {
      actor: params.get('actor') ?? undefined,
      action: params.get('action') ?? undefined,
      from: params.get('from') ?? undefined,
      to: params.get('to') ?? undefined,
    };
    const { result: file } = await exportAuditLog.invoke(viewer, filter, requestInfoOf(request));
    if (!file.ok) return failureResponse(file);
    return download(file.bytes, file.contentType, file.disposition);
  });
}
