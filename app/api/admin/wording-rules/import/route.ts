import { importWordingRules, WORDING_SHEET_MAX_BYTES } from '@/db/queries/wording/admin';
import { crossOriginResponse, failureResponse, guarded, json, jsonError, readBodyLimited, routeViewer, sameOrigin } from '@/lib/http';
import { requestInfoOf } from '../../roster/request-info';

// 导入规范提法规则: the .xlsx is the raw request body; the zip check runs before exceljs reads it.

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return crossOriginResponse();
  return guarded(async () => {
    const who = await routeViewer('admin');
    if (!who.ok) return who.response;
    const bytes = await readBodyLimited(request, WORDING_SHEET_MAX_BYTES);
    if (!bytes) return jsonError(413, 'too_large', '文件太大（最大 2 MB）');
    const { result } = await importWordingRules.invoke(who.viewer, { bytes }, requestInfoOf(request));
    return result.ok ? json(result) : failureResponse(result);
  });
}
