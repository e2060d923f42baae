import type { z } from 'zod';

export type FieldErrors = Record<string, string[] | undefined>;

/**
 * Every way an expected failure is named, with the one HTTP status each maps to (route handlers
 * answer with it; server actions return the value to the form).
 */
export const FAILURE_STATUS = {
  invalid: 400,
  bad_request: 400,
  bad_json: 400,
  empty: 400,
  no_items: 400,
  nothing: 400,
  unauthenticated: 401,
  forbidden: 403,
  must_change_password: 403,
  cross_origin: 403,
  not_found: 404,
  expired: 410,
  conflict: 409,
  stale: 409,
  aborted: 409,
  duplicate: 409,
  number_taken: 409,
  in_use: 409,
  cycle: 409,
  last_admin: 409,
  published: 409,
  already_published: 409,
  not_published: 409,
  not_allowed: 409,
  mismatch: 409,
  closed: 423,
  locked: 423,
  read_only: 423,
  too_large: 413,
  too_long: 413,
  unsupported: 415,
  unreadable: 422,
  bad_file: 422,
  too_soon: 429,
  throttled: 429,
  server_error: 500,
  busy: 503,
  webhook_failed: 502,
} as const satisfies Record<string, number>;

export type FailureCode = keyof typeof FAILURE_STATUS;

export function failureStatus(code: FailureCode): number {
  return FAILURE_STATUS[code];
}

export type ActionResult<T = undefined> =
  | { ok: true; message: string; data?: T }
  | { ok: false; code: FailureCode; message: string; fieldErrors?: FieldErrors; values?: FormValues };

/**
 * What the person typed, sent back with a failure: React resets a form after its action, so
 * fields use these as defaultValue and nothing typed is lost. Never includes passwords.
 */
export type FormValues = Record<string, string>;

/** The non-secret text fields of a form, to echo back with a failure. */
export function formValues(form: FormData, omit: string[] = []): FormValues {
  const out: FormValues = {};
  for (const [k, v] of form.entries()) {
    if (typeof v === 'string' && !omit.includes(k) && !/password/iu.test(k) && !k.startsWith('$')) out[k] = v;
  }
  return out;
}

/** A failure with the typed values attached. */
export function withValues(failure: Failure, values: FormValues): Failure {
  return { ...failure, values };
}

export type Failure = Extract<ActionResult, { ok: false }>;

export function fail(code: FailureCode, message: string, fieldErrors?: FieldErrors): Failure {
  return { ok: false, code, message, fieldErrors };
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/** A zod failure as field errors for the form, with the first message as the summary. */
export function invalid(error: z.ZodError): Failure {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const first = error.issues[0]?.message ?? '输入有误';
  return fail('invalid', `请检查输入：${first}`, fieldErrors);
}

/**
 * A submitted form as an object for a strict zod schema: React's own `$ACTION…` fields are left
 * out, and the fields named in `lists` (checkbox groups) are always arrays.
 */
export function formFields(form: FormData, lists: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of form.entries()) {
    if (k.startsWith('$') || typeof v !== 'string') continue;
    if (lists.includes(k)) {
      const list = out[k];
      if (Array.isArray(list)) list.push(v);
      else out[k] = [v];
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** What was typed, to echo back with a failure; ticked boxes are joined with commas. */
export function echoFields(fields: Record<string, string | string[]>): FormValues {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
}

/** What most mutations answer: the id of what they made or changed. */
export type MutationResult = { ok: true; id: number } | Failure;
