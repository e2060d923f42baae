import { rulesInForce } from '@/db/queries/wording/rules';
import { routeViewer } from '@/lib/http';

// The 规范提法 rules in force, for the check that runs in the editor. Cadres, organizers and
// admins who have set their own password may read them: they are the office's style rules, not
// anyone's data. The 审计员 reads the audit log and nothing else (三员分立).

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const who = await routeViewer('cadre', 'organizer', 'admin');
  if (!who.ok) return who.response;
  return Response.json({ ok: true, rules: await rulesInForce() }, { headers: { 'Cache-Control': 'private, max-age=300' } });
}
