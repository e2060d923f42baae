import { cancelRosterImport } from '@/db/queries/roster/preview';
import { crossOriginResponse, guarded, json, jsonError, readBodyLimited, routeViewer, sameOrigin } from '@/lib/http';
import { importRefSchema } from '@/lib/roster/validation';

// 取消: the stored upload is deleted at once rather than after its hour.

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return crossOriginResponse();
  return guarded(async () => {
    const who = await routeViewer('admin');
    if (!who.ok) return who.response;
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode((await readBodyLimited(request, 4096)) ?? new Uint8Array()));
    } catch {
      return jsonError(400, 'bad_json', '请求格式不正确');
    }
    const ref = importRefSchema.safeParse(raw);
    if (!ref.success) return jsonError(400, 'invalid', ref.error.issues[0]?.message ?? '请求格式不正确');
    return json(cancelRosterImport(who.viewer, ref.data));
  });
}
