import { sql, type SQL } from 'drizzle-orm';

// Who is expected to write for an assignment. A cadre enrolled after the assignment closed
// could never hand it in, so they are not expected: they see 无需提交, and the tracker, the
// exports and the statistics leave them out of the expected count. Every count of "expected"
// goes through these two forms of one rule so that the figures agree everywhere.
//
// An assignment closes at its cut-off when it has one; without one it closes at its due time
// when late submissions are not allowed; otherwise it never closes.

export interface ClosingRule {
  dueAt: Date;
  cutoffAt: Date | null;
  allowLate: boolean;
}

/** When submissions stop being accepted, or null when they never do. */
export function closesAt(a: ClosingRule): Date | null {
  if (a.cutoffAt) return a.cutoffAt;
  return a.allowLate ? null : a.dueAt;
}

/** Whether a member enrolled at `enrolledAt` is expected to write for the assignment. */
export function isExpected(a: ClosingRule, enrolledAt: Date): boolean {
  const close = closesAt(a);
  return close === null || enrolledAt.getTime() < close.getTime();
}

/**
 * The same rule as a SQL condition over a course_members alias and an assignments alias, for
 * counts in correlated subqueries: `… from course_members m where m.course_id = … and
 * ${expectedMemberSql('m', 'assignments')}`.
 */
export function expectedMemberSql(memberAlias: string, assignmentAlias: string): SQL {
  const m = sql.identifier(memberAlias);
  const a = sql.identifier(assignmentAlias);
  return sql`(${m}.enrolled_at < coalesce(${a}.cutoff_at, case when ${a}.allow_late then null else ${a}.due_at end)
    or coalesce(${a}.cutoff_at, case when ${a}.allow_late then null else ${a}.due_at end) is null)`;
}
