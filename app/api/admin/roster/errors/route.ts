import { rosterErrorSheet } from '@/db/queries/roster/preview';
import { download, failureResponse, guarded, jsonError, routeViewer } from '@/lib/http';
import { importRefSchema } from '@/lib/roster/validation';

// 下载错误清单: the previewed upload's rows with their problems beside them, to fix and upload
// again. Reads only; the upload stays for the commit or cancel. Only the admin who uploaded it.

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return guarded(async () => {
    const who = await routeViewer('admin');
    if (!who.ok) return who.response;
    const ref = importRefSchema.safeParse({ importId: new URL(request.url).searchParams.get('importId') ?? undefined });
    if (!ref.success) return jsonError(404, 'not_found', '这次上传已过期或已处理，请重新上传文件');
    const sheet = await rosterErrorSheet(who.viewer, ref.data);
    if (!sheet.ok) return failureResponse(sheet);
    return download(sheet.bytes, sheet.contentType, sheet.disposition);
  });
}
