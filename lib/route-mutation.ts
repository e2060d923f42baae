import 'server-only';
import type { z } from 'zod';
import type { AsyncMutation, Mutation } from '@/db/mutation';
import type { Failure } from '@/lib/action-result';
import { currentViewer } from '@/lib/auth/viewer';
import type { Viewer } from '@/lib/auth/viewer-type';
import { crossOriginResponse, failureResponse, guarded, json, jsonError, readBodyLimited, sameOrigin } from '@/lib/http';
import { requestInfo } from '@/lib/request';

// The route-handler adapter over the mutation kernel (db/mutation.ts): same-origin check, the
// signed-in viewer (401 as JSON, never a redirect), a size-limited body, the kernel, and the
// one mapping of Failure.code to an HTTP status (lib/action-result.ts FAILURE_STATUS).

type Success = { ok: true };
type AnyKernel<S extends z.ZodType, R extends Success> = Mutation<S, R> | AsyncMutation<S, R>;

export interface RouteOptions<S extends z.ZodType, R extends Success> {
  /** The largest body accepted, in bytes. */
  maxBytes: number;
  /** The body as the kernel's raw input; the default reads JSON. A Response answers at once. */
  body?: (bytes: Uint8Array, request: Request, viewer: Viewer) => unknown;
  /** The answer on success; the default is the result as JSON. */
  respond?: (result: R, input: z.output<S>) => Response | Promise<Response>;
  /** Messages for the statuses answered before the kernel runs. */
  messages?: { unauthenticated?: string; tooLarge?: string };
}

function readJson(bytes: Uint8Array, request: Request): unknown {
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    return jsonError(415, 'unsupported', '请求格式不正确');
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return jsonError(400, 'bad_json', '请求格式不正确');
  }
}

/** A POST handler that makes one change through the kernel. */
export function routeMutation<S extends z.ZodType, R extends Success>(
  kernel: AnyKernel<S, R>,
  opts: RouteOptions<S, R>,
): (request: Request) => Promise<Response> {
  return (request) =>
    guarded(async () => {
      if (!sameOrigin(request)) return crossOriginResponse();
      const viewer = await currentViewer();
      if (!viewer) return jsonError(401, 'unauthenticated', opts.messages?.unauthenticated ?? '登录已过期，请重新登录');
      const bytes = await readBodyLimited(request, opts.maxBytes);
      if (!bytes) return jsonError(413, 'too_large', opts.messages?.tooLarge ?? '内容过长，未能保存');
      const raw = opts.body ? opts.body(bytes, request, viewer) : readJson(bytes, request);
      if (raw instanceof Response) return raw;
      const { result, input } = await kernel.invoke(viewer, raw, await requestInfo());
      if (!result.ok || input === null) return failureResponse(result as Failure);
      return opts.respond ? opts.respond(result as R, input) : json(result);
    });
}
