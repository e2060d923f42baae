import { finishRosterCommit, prepareRosterCommit, type CommitResult } from '@/db/queries/roster';
import { crossOriginResponse, failureResponse, guarded, json, jsonError, readBodyLimited, routeViewer, sameOrigin } from '@/lib/http';
import { commitSchema } from '@/lib/roster/validation';
import { requestInfoOf } from '../request-info';

// 确认导入. Every check that needs no hashing runs first and fails as a 4xx JSON answer. When new
// accounts need one-time passwords (argon2, about 20 ms each per core), the answer is a stream of
// JSON lines: {"type":"progress","done":n,"total":m} while hashing, then {"type":"result",…}.
// Closing the page while hashing stops the import before anything is written.

export const dynamic = 'force-dynamic';

function resultBody(result: CommitResult) {
  return result.ok
    ? { ok: true, ...result.result, expiresAt: result.result.expiresAt.toISOString() }
    : result;
}

export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return crossOriginResponse();
  return guarded(async () => {
    const who = await routeViewer('admin');
    if (!who.ok) return who.response;
    if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
      return jsonError(415, 'bad_request', '请求格式不正确');
    }
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode((await readBodyLimited(request, 4096)) ?? new Uint8Array()));
    } catch {
      return jsonError(400, 'bad_json', '请求格式不正确');
    }
    const input = commitSchema.safeParse(raw);
    if (!input.success) return jsonError(400, 'invalid', input.error.issues[0]?.message ?? '请求格式不正确');

    const viewer = who.viewer;
    const prepared = await prepareRosterCommit(viewer, input.data);
    if (!prepared.ok) return failureResponse(prepared);
    const req = requestInfoOf(request);

    if (prepared.prepared.newAccounts === 0) {
      const result = await finishRosterCommit(viewer, prepared.prepared, req);
      return result.ok ? json(resultBody(result)) : failureResponse(result);
    }

    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (line: unknown) => {
          try {
            controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
          } catch {
            // The page went away; the signal below stops the work.
          }
        };
        let last = 0;
        try {
          const result = await finishRosterCommit(viewer, prepared.prepared, req, {
            signal: request.signal,
            onProgress: (done, total) => {
              // About a hundred updates whatever the size.
              if (done === total || done - last >= Math.max(1, Math.floor(total / 100))) {
                last = done;
                send({ type: 'progress', done, total });
              }
            },
          });
          send({ type: 'result', ...resultBody(result) });
        } catch (e) {
          console.error(e);
          send({ type: 'result', ok: false, code: 'server_error', message: '服务器出错了,请稍后再试;没有写入任何数据' });
        } finally {
          try {
            controller.close();
          } catch {
            // Already closed by the client.
          }
        }
      },
    });
    return new Response(stream, {
      status: 200,
      headers: {
        'Content-Type': 'application/x-ndjson; charset=utf-8',
        // no-transform: a compressing proxy (or Next's own gzip) must not hold the lines back.
        'Cache-Control': 'no-store, no-transform',
        'X-Accel-Buffering': 'no',
      },
    });
  });
}
