// The expected answer of every page and route handler for each principal (test/access/access.test.ts).
//
// One row per file under app/ (path relative to app/), one answer per principal, in this order:
//   anonymous, cadre, another cadre, the course's organizer, another course's organizer, admin,
//   auditor, a cadre who must change a one-time password.
// Answers: 'ok' (renders / 2xx), 'login' (sent to the sign-in page), 'pw' (sent to change the
// password), 403, 404, '→/path' (another redirect), or an HTTP status for route handlers.
// Route handlers list each exported method: 'api/x/route.ts#GET'.
//
// A new page or route is one line here: copy the row of a page with the same audience.

export type Answer = 'ok' | 'login' | 'pw' | 403 | 404 | `→${string}` | number;
export type Row = readonly [Answer, Answer, Answer, Answer, Answer, Answer, Answer, Answer];

export const PRINCIPALS = ['anonymous', 'cadre', 'otherCadre', 'organizer', 'otherOrganizer', 'admin', 'auditor', 'mustChange'] as const;

/** Files answered by a library rather than by our code, with the reason; they need no row. */
export const EXEMPT: Record<string, string> = {
  'api/auth/[...nextauth]/route.ts#GET': "next-auth's own session, CSRF and provider endpoints: they read its cookie, not a viewer (the jwt callback re-reads the sign-in row)",
  'api/auth/[...nextauth]/route.ts#POST': "next-auth's own endpoints: its Credentials sign-in refuses accounts with 两步验证 (lib/auth/options.ts) and its sign-out revokes the row",
};

export const TABLE: Record<string, Row> = {
  // [anonymous, cadre, another cadre, the course's organizer, another course's organizer, admin, auditor, must-change-password]
  '(account)/archive/[userId]/page.tsx': ['login', 'ok', 404, 'ok', 404, 'ok', 404, 'pw'],
  '(account)/notifications/page.tsx': ['login', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'pw'],
  '(admin)/admin/page.tsx': ['login', 403, 403, 403, 403, 'ok', 403, 'pw'],
  '(admin)/admin/roster/page.tsx': ['login', 403, 403, 403, 403, 'ok', 403, 'pw'],
  '(admin)/admin/security/page.tsx': ['login', 403, 403, 403, 403, 'ok', 403, 'pw'],
  '(admin)/admin/units/page.tsx': ['login', 403, 403, 403, 403, 'ok', 403, 'pw'],
  '(admin)/admin/users/[id]/page.tsx': ['login', 403, 403, 403, 403, 'ok', 403, 'pw'],
  '(admin)/admin/users/new/page.tsx': ['login', 403, 403, 403, 403, 'ok', 403, 'pw'],
  '(admin)/admin/wording/page.tsx': ['login', 403, 403, 403, 403, 'ok', 403, 'pw'],
  '(auditor)/audit/page.tsx': ['login', 403, 403, 403, 403, 403, 'ok', 'pw'],
  '(auth)/change-password/page.tsx': ['login', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  '(auth)/login/page.tsx': ['ok', '→/my', '→/my', '→/review', '→/review', '→/admin', '→/audit', 'pw'],
  '(auth)/login/two-factor/page.tsx': ['login', 'login', 'login', 'login', 'login', 'login', 'login', 'login'],
  '(cadre)/my/assignments/[assignmentId]/page.tsx': ['login', 'ok', 404, 403, 403, 403, 403, 'pw'],
  '(cadre)/my/assignments/[assignmentId]/readings/[readingId]/page.tsx': ['login', 'ok', 404, 403, 403, 403, 403, 'pw'],
  '(cadre)/my/assignments/[assignmentId]/versions/[version]/page.tsx': ['login', 'ok', 404, 403, 403, 403, 403, 'pw'],
  '(cadre)/my/bulletins/[id]/page.tsx': ['login', 'ok', 404, 403, 403, 403, 403, 'pw'],
  '(cadre)/my/bulletins/page.tsx': ['login', 'ok', 'ok', 403, 403, 403, 403, 'pw'],
  '(cadre)/my/page.tsx': ['login', 'ok', 'ok', 403, 403, 403, 403, 'pw'],
  '(organizer)/bulletins/[id]/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/bulletins/[id]/preview/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/bulletins/[id]/print/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/bulletins/import/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/bulletins/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/courses/[id]/meetings/[meetingId]/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/courses/[id]/meetings/new/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/courses/[id]/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/courses/[id]/statistics/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/courses/[id]/statistics/people/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/courses/[id]/webhook/page.tsx': ['login', 403, 403, 403, 403, 'ok', 403, 'pw'],
  '(organizer)/courses/new/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/courses/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/courses/readings/[id]/text/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/courses/readings/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/courses/readings/search/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/courses/statistics/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/review/[reflectionId]/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/review/comments/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/review/courses/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/review/originality/[courseId]/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/review/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/review/search/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/review/tags/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  '(organizer)/review/tracker/[assignmentId]/page.tsx': ['login', 403, 403, 'ok', 404, 'ok', 403, 'pw'],
  '(organizer)/review/tracker/page.tsx': ['login', 403, 403, 'ok', 'ok', 'ok', 403, 'pw'],
  'api/admin/roster/cancel/route.ts#POST': [401, 403, 403, 403, 403, 400, 403, 403],
  'api/admin/roster/commit/route.ts#POST': [401, 403, 403, 403, 403, 400, 403, 403],
  'api/admin/roster/errors/route.ts#GET': [401, 403, 403, 403, 403, 404, 403, 403],
  'api/admin/roster/export/route.ts#GET': [401, 403, 403, 403, 403, 'ok', 403, 403],
  'api/admin/roster/passwords/[token]/route.ts#GET': [401, 403, 403, 403, 403, 404, 403, 403],
  'api/admin/roster/preview/route.ts#POST': [401, 403, 403, 403, 403, 400, 403, 403],
  'api/admin/wording-rules/export/route.ts#GET': [401, 403, 403, 403, 403, 'ok', 403, 403],
  'api/admin/wording-rules/import/route.ts#POST': [401, 403, 403, 403, 403, 400, 403, 403],
  'api/audit/export/route.ts#GET': [401, 403, 403, 403, 403, 403, 'ok', 403],
  'api/bulletins/[id]/export/route.ts#GET': [401, 'ok', 404, 'ok', 404, 'ok', 403, 403],
  'api/bulletins/save/route.ts#POST': [401, 403, 403, 400, 400, 400, 403, 403],
  'api/courses/[id]/statistics/export/route.ts#GET': [401, 403, 403, 'ok', 404, 'ok', 403, 403],
  'api/health/route.ts#GET': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  'api/reflections/draft/route.ts#POST': [401, 400, 400, 403, 403, 403, 403, 403],
  'api/review/tracker/[assignmentId]/export/route.ts#GET': [401, 403, 403, 'ok', 404, 'ok', 403, 403],
  'api/wording/rules/route.ts#GET': [401, 'ok', 'ok', 'ok', 'ok', 'ok', 403, 403],
  'page.tsx': ['login', '→/my', '→/my', '→/review', '→/review', '→/admin', '→/audit', 'pw'],
};
