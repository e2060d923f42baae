import { rulesInForce } from '@/db/queries/wording/rules';
import { currentViewer } from '@/lib/auth/viewer';

// The 规范提法 rules in force, for the check that runs in the cadre's editor. Any signed-in
// person may read them: they are the office's style rules, not anyone's data.

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const viewer = await currentViewer();
  if (!viewer) return Response.json({ ok: false, code: 'unauthenticated', message: '登录已过期，请重新登录' }, { status: 401 });
  return Response.json({ ok: true, rules: rulesInForce() }, { headers: { 'Cache-Control': 'private, max-age=300' } });
}
