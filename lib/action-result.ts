import type { z } from 'zod';

export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = undefined> =
  | { ok: true; message: string; data?: T }
  | { ok: false; code: string; message: string; fieldErrors?: FieldErrors };

export type Failure = Extract<ActionResult, { ok: false }>;

export function fail(code: string, message: string, fieldErrors?: FieldErrors): Failure {
  return { ok: false, code, message, fieldErrors };
}

/** A zod failure as field errors for the form, with the first message as the summary. */
export function invalid(error: z.ZodError): Failure {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const first = error.issues[0]?.message ?? '输入有误';
  return fail('invalid', `请检查输入:${first}`, fieldErrors);
}
