import { PREVIEW_ERRORS_MAX, PREVIEW_LIST_MAX } from './limits';
import type { PlannedAdd, PlannedChange, PlannedSame, RosterPlan, RowError } from './plan';

// What the request thread keeps of a plan made in the roster process (lib/roster/off-thread): the
// preview's lists as far as the preview shows them, and the 账号 and 姓名 of every new account for
// the password sheet. A whole 10,000-row plan crossing over took 40–110 ms to unpack on the
// request thread (2.8 MB); this is a tenth of that. The commit plans again in the roster process
// and compares the digest, so nothing here decides what is written.

export interface PlanSummary {
  digest: string;
  rows: number;
  counts: { add: number; change: number; unchanged: number; errors: number; errorRows: number };
  /** Every new account, in the plan's order: 账号 and 姓名. */
  accounts: [username: string, name: string][];
  add: PlannedAdd[];
  change: PlannedChange[];
  unchanged: PlannedSame[];
  errors: RowError[];
  unitsToCreate: string[];
  coursesToCreate: RosterPlan['coursesToCreate'];
  /** The groups to create, the 组长 as the preview shows them: 姓名（账号）. */
  groupsToCreate: { courseName: string; name: string; leader: string }[];
  notes: string[];
}

export function summarize(plan: RosterPlan): PlanSummary {
  const nameOf = (username: string) =>
    plan.add.find((a) => a.username === username)?.name ?? plan.change.find((c) => c.username === username)?.name ?? '';
  return {
    digest: plan.digest,
    rows: plan.rows,
    counts: {
      add: plan.add.length,
      change: plan.change.length,
      unchanged: plan.unchanged.length,
      errors: plan.errors.length,
      errorRows: new Set(plan.errors.map((e) => e.row)).size,
    },
    accounts: plan.add.map((a) => [a.username, a.name]),
    add: plan.add.slice(0, PREVIEW_LIST_MAX),
    change: plan.change.slice(0, PREVIEW_LIST_MAX),
    unchanged: plan.unchanged.slice(0, PREVIEW_LIST_MAX),
    errors: plan.errors.slice(0, PREVIEW_ERRORS_MAX),
    unitsToCreate: plan.unitsToCreate,
    coursesToCreate: plan.coursesToCreate,
    groupsToCreate: plan.groupsToCreate.map((g) => ({
      courseName: g.courseName,
      name: g.name,
      leader: g.leader ? `${nameOf(g.leader)}（${g.leader}）` : '',
    })),
    notes: plan.notes,
  };
}
