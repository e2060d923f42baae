import { previewRosterImport, previewStoredImport } from '@/db/queries/roster/preview';
import { crossOriginResponse, failureResponse, guarded, json, jsonError, readBodyLimited, routeViewer, sameOrigin } from '@/lib/http';
import { MAX_FILE_BYTES, MESSAGES } from '@/lib/roster/limits';
import { importRefSchema, previewQuerySchema } from '@/lib/roster/validation';

// 上传并预览. The file is the raw request body (so the browser can report upload progress and
// the size is capped while reading); its name and the 允许新建不存在的单位 choice are in the
// query. A JSON body {importId} previews an earlier upload again, against the database as it is now.

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return crossOriginResponse();
  return guarded(async () => {
    const who = await routeViewer('admin');
    if (!who.ok) return who.response;
    const contentType = (request.headers.get('content-type') ?? '').toLowerCase();

    if (contentType.startsWith('application/json')) {
      let raw: unknown;
      try {
        raw = JSON.parse(new TextDecoder().decode((await readBodyLimited(request, 4096)) ?? new Uint8Array()));
      } catch {
        return jsonError(400, 'bad_json', '请求格式不正确');
      }
      const ref = importRefSchema.safeParse(raw);
      if (!ref.success) return jsonError(400, 'invalid', ref.error.issues[0]?.message ?? '请求格式不正确');
      const result = await previewStoredImport(who.viewer, ref.data);
      return result.ok ? json(result) : failureResponse(result);
    }

    if (!contentType.startsWith('application/octet-stream')) {
      return jsonError(415, 'bad_request', '请求格式不正确');
    }
    const url = new URL(request.url);
    const query = previewQuerySchema.safeParse({
      name: url.searchParams.get('name') ?? undefined,
      allowCreateUnits: url.searchParams.get('allowCreateUnits') ?? undefined,
    });
    if (!query.success) return jsonError(400, 'invalid', query.error.issues[0]?.message ?? '请求格式不正确');
    const bytes = await readBodyLimited(request, MAX_FILE_BYTES);
    if (!bytes) return jsonError(413, 'too_large', MESSAGES.tooLarge);
    const result = await previewRosterImport(who.viewer, {
      fileName: query.data.name,
      bytes,
      allowCreateUnits: query.data.allowCreateUnits,
    });
    return result.ok ? json(result) : failureResponse(result);
  });
}
