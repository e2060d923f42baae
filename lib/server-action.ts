import 'server-only';
import { revalidatePath } from 'next/cache';
import { forbidden, notFound, redirect } from 'next/navigation';
import type { z } from 'zod';
import type { AsyncMutation, Mutation } from '@/db/mutation';
import { echoFields, fail, formFields, type ActionResult, type Failure, type FormValues } from '@/lib/action-result';
import { currentViewer } from '@/lib/auth/viewer';
import type { Viewer } from '@/lib/auth/viewer-type';
import { requestInfo } from '@/lib/request';

// The server-action adapter over the mutation kernel (db/mutation.ts): the viewer of this
// request, the raw fields to the kernel (which checks the role, parses with zod and runs one
// transaction), then — after the commit — revalidation, a message, and an optional follow-up
// such as a redirect. A refused form gets back what was typed, so nothing is lost.

export const SIGNED_OUT_MESSAGE = '登录已过期：请在新标签页重新登录，再回到这里提交（已填写的内容仍在）';

type Success = { ok: true };
type AnyKernel<S extends z.ZodType, R extends Success> = Mutation<S, R> | AsyncMutation<S, R>;

/** What the form gets back on success: a message, plus whatever `success` adds. */
export type ActionSuccess<X extends object = object> = { ok: true; message: string } & X;

export interface ActionOptions<S extends z.ZodType, R extends Success, X extends object> {
  /** Checkbox groups and other fields that are always lists. */
  lists?: readonly string[];
  /** Reshapes the submitted fields before zod sees them (fixed fields, renamed keys). */
  input?: (fields: Record<string, string | string[]>) => unknown;
  /** Paths to revalidate after the commit. */
  revalidate?: readonly string[] | ((input: z.output<S>, result: R) => readonly string[]);
  /** The message shown on success. */
  message: string | ((result: R, input: z.output<S>) => string);
  /** Extra fields for the form on success (an id, a new revision). */
  success?: (result: R, input: z.output<S>) => X;
  /** After the commit and revalidation: a redirect, for example. Its throw is Next's to handle. */
  then?: (result: R, input: z.output<S>, viewer: Viewer) => void | Promise<void>;
  /** Fields never echoed back (secrets are never echoed in any case). */
  omit?: readonly string[];
}

function echo(fields: Record<string, string | string[]>, omit: readonly string[]): FormValues {
  const values = echoFields(fields);
  for (const key of Object.keys(values)) {
    if (omit.includes(key) || /password/iu.test(key)) delete values[key];
  }
  return values;
}

async function perform<S extends z.ZodType, R extends Success, X extends object>(
  kernel: AnyKernel<S, R>,
  opts: ActionOptions<S, R, X>,
  raw: unknown,
  values: FormValues,
): Promise<ActionSuccess<X> | Failure> {
  const viewer = await currentViewer();
  if (!viewer) return { ...fail('unauthenticated', SIGNED_OUT_MESSAGE), values };
  const { result, input } = await kernel.invoke(viewer, raw, await requestInfo());
  if (!result.ok || input === null) return { ...(result as Failure), values };
  const done = result as R;
  const paths = typeof opts.revalidate === 'function' ? opts.revalidate(input, done) : (opts.revalidate ?? []);
  for (const p of paths) revalidatePath(p);
  const message = typeof opts.message === 'function' ? opts.message(done, input) : opts.message;
  const extra = opts.success ? opts.success(done, input) : ({} as X);
  await opts.then?.(done, input, viewer);
  return { ...extra, ok: true, message };
}

/** A server action for a form used with useActionState: (previous state, FormData). */
export function formAction<S extends z.ZodType, R extends Success, X extends object = object>(
  kernel: AnyKernel<S, R>,
  opts: ActionOptions<S, R, X>,
): (prev: unknown, form: FormData) => Promise<ActionSuccess<X> | Failure> {
  return async (_prev, form) => {
    const fields = formFields(form, opts.lists ?? []);
    const raw = opts.input ? opts.input(fields) : fields;
    return perform(kernel, opts, raw, echo(fields, opts.omit ?? []));
  };
}

/**
 * A server action for a plain <form action={…}> that shows its outcome by revalidation alone
 * (标为已读): (FormData) → nothing. A refusal changes nothing and the page stays as it was.
 */
export function formSubmit<S extends z.ZodType, R extends Success>(
  kernel: AnyKernel<S, R>,
  opts: Omit<ActionOptions<S, R, object>, 'message' | 'success'>,
): (form: FormData) => Promise<void> {
  return async (form) => {
    const fields = formFields(form, opts.lists ?? []);
    const result = await perform(kernel, { ...opts, message: '' }, opts.input ? opts.input(fields) : fields, {});
    // Without a form state to show a message in, a refusal is answered the way a page would be.
    if (result.ok) return;
    if (result.code === 'unauthenticated') redirect('/login');
    if (result.code === 'must_change_password') redirect('/change-password');
    if (result.code === 'forbidden') forbidden();
    if (result.code === 'not_found') notFound();
  };
}

/** A server action called from client code with one structured argument (JSON-like). */
export function callAction<S extends z.ZodType, R extends Success, X extends object = object>(
  kernel: AnyKernel<S, R>,
  opts: ActionOptions<S, R, X>,
): (input: z.input<S>) => Promise<ActionSuccess<X> | Failure> {
  return async (input) => perform(kernel, opts, input, {});
}

export type { ActionResult };
