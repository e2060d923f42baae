import type { Role } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';

// The mutation matrix (test/matrix/matrix.test.ts): one entry per exported server action and per
// mutating route handler. Each area keeps its entries in test/matrix/entries/<area>.ts.

export interface World {
  /** A viewer of an allowed role for whom `input` succeeds (null for an `anonymous` entry). */
  actor: Viewer | null;
  /**
   * What the action receives: for 'form', the form's fields (a list for repeated fields); for
   * 'call', the structured argument; for 'route', the JSON body (or see `request`).
   */
  input: Record<string, unknown>;
  /**
   * Viewers of an allowed role who must be refused because the data is not theirs: another
   * course's organizer, another cadre. Required when scope is 'course' or 'own'.
   */
  outsiders?: Viewer[];
}

export interface MatrixEntry {
  /** The module, relative to the repository root: 'app/(organizer)/review/actions.ts'. */
  file: string;
  /** The export: an action's name, or the HTTP method of a route handler. */
  name: string;
  /** Who may call it. Every other role is refused. */
  roles: Role[];
  /** form: (prev, FormData) for useActionState; submit: (FormData) for a plain form; call: (input); route: (Request). */
  kind: 'form' | 'submit' | 'call' | 'route';
  /** Whose data it touches: a course's (organizers of another course are refused), the caller's own, or neither. */
  scope: 'course' | 'own' | 'none';
  /**
   * How outsiders are kept out: 'refusal' (default) answers them with a failure; 'filter' lets
   * the call through but its WHERE reaches only the caller's own rows (标为已读). Either way the
   * database must not change.
   */
  ownership?: 'refusal' | 'filter';
  /** Builds the data and returns who succeeds with what. Runs on a fresh database per cell. */
  setup(): World | Promise<World>;
  /** Builds the route handler's request, when a JSON POST of `input` is not what it takes. */
  request?(world: World): Request;
  /**
   * Where a successful call redirects when that is the sign-in page (signing out): a redirect
   * there otherwise counts as a refusal.
   */
  successRedirect?: string;
  /**
   * For the one action that works without a sign-in (signInAction): why the role cells do not
   * apply. Its success and fault cells still run.
   */
  anonymous?: string;
  /**
   * Cells skipped for this entry, each with the reason (printed in the test name). Only for
   * actions without a viewer (sign-in) or that write nothing (a preview).
   */
  skip?: Partial<Record<'fault' | 'mustChange', string>>;
}
