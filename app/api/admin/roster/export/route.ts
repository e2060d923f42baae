import { exportRoster } from '@/db/queries/roster';
import { download, failureResponse, guarded, jsonError, routeViewer } from '@/lib/http';
import { exportFormatSchema } from '@/lib/roster/validation';
import { listUsersSchema } from '@/lib/validation/users';
import { requestInfoOf } from '../request-info';

// 导出花名册: the accounts the /admin list's filter matches (q, role, status, unitId), every page.

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return guarded(async () => {
    const who = await routeViewer('admin');
    if (!who.ok) return who.response;
    const params = new URL(request.url).searchParams;
    const format = exportFormatSchema.safeParse(params.get('format') ?? undefined);
    if (!format.success) return jsonError(400, 'invalid', format.error.issues[0]?.message ?? '导出格式不正确');
    const filter = listUsersSchema.parse({
      q: params.get('q') ?? undefined,
      role: params.get('role') || undefined,
      status: params.get('status') || undefined,
      unitId: params.get('unitId') || undefined,
    });
    const file = await exportRoster(who.viewer, { ...filter, page: 1 }, format.data, requestInfoOf(request));
    if (!file.ok) return failureResponse(file);
    return download(file.bytes, file.contentType, file.disposition);
  });
}
