import { takeRosterPasswordSheet } from '@/db/queries/roster/passwords';
import { download, failureResponse, guarded, jsonError, routeViewer } from '@/lib/http';
import { passwordTokenSchema } from '@/lib/roster/validation';

// 下载初始密码表: one download, for the admin who imported; the file is deleted as it is served.

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  return guarded(async () => {
    const who = await routeViewer('admin');
    if (!who.ok) return who.response;
    const token = passwordTokenSchema.safeParse((await params).token);
    if (!token.success) return jsonError(404, 'not_found', '初始密码表已下载过或已过期（只能下载一次，保留 1 小时）');
    const sheet = takeRosterPasswordSheet(who.viewer, { token: token.data });
    if (!sheet.ok) return failureResponse(sheet);
    return download(sheet.bytes, sheet.contentType, sheet.disposition);
  });
}
