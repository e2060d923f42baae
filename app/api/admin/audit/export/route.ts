import { exportAuditLog } from '@/db/queries/roster';
import { download, failureResponse, guarded, routeViewer } from '@/lib/http';
import { listAuditSchema } from '@/lib/validation/audit';
import { requestInfoOf } from '../../roster/request-info';

// 导出 on the audit page: exactly the rows its filter (账号, 操作, 日期) shows, every page, as .xlsx.

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return guarded(async () => {
    const who = await routeViewer('admin');
    if (!who.ok) return who.response;
    const params = new URL(request.url).searchParams;
    const filter = listAuditSchema.parse({
      actor: params.get('actor') ?? undefined,
      action: params.get('action') ?? undefined,
      from: params.get('from') ?? undefined,
      to: params.get('to') ?? undefined,
    });
    const file = await exportAuditLog(who.viewer, filter, requestInfoOf(request));
    if (!file.ok) return failureResponse(file);
    return download(file.bytes, file.contentType, file.disposition);
  });
}
