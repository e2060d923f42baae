import { exportWordingRules } from '@/db/queries/wording/admin';
import { currentViewer } from '@/lib/auth/viewer';
import { download, failureResponse, guarded, jsonError } from '@/lib/http';
import { requestInfoOf } from '../../roster/request-info';

// 导出规范提法规则 (.xlsx): every rule, the bundled ones and the office's, enabled or not.

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return guarded(async () => {
    const viewer = await currentViewer();
    if (!viewer) return jsonError(401, 'unauthenticated', '登录已过期，请重新登录');
    const { result } = await exportWordingRules.invoke(viewer, {}, requestInfoOf(request));
    if (!result.ok) return failureResponse(result);
    return download(result.bytes, result.contentType, result.disposition);
  });
}
