import { commitRosterImport, type CommitResult } from '@/db/queries/roster/commit';
import { currentViewer } from '@/lib/auth/viewer';
import { crossOriginResponse, failureResponse, guarded, json, jsonError, readBodyLimited, sameOrigin } from '@/lib/http';
import { requestInfoOf } from '../request-info';

// 确认导入. Every check that needs no hashing runs first and fails as a 4xx JSON answer. When new
// accounts need one-time passwords (argon2, about 20 ms each per core) and the page asks for
// progress (Accept: application/x-ndjson), the answer is a stream of JSON lines:
// {"type":"progress","done":n,"total":m} while hashing, then {"type":"result",…}. Otherwise the
// one JSON answer comes when the commit is done. Closing the page while hashing stops the import
// before anything is written.

export const dynamic = 'force-dynamic';

const NDJSON = 'application/x-ndjson';

function resultBody(result: CommitResult) {
  return result.ok ? { ok: true, ...result.result, expiresAt: result.result.expiresAt.toISOString() } : result;
}

export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return crossOriginResponse();
  return guarded(async () => {
    const viewer = await currentViewer();
    if (!viewer) return jsonError(401, 'unauthenticated', '登录已过期，请重新登录');
    if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
      return jsonError(415, 'bad_request', '请求格式不正确');
    }
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode((await readBodyLimited(request, 4096)) ?? new Uint8Array()));
    } catch {
      return jsonError(400, 'bad_json', '请求格式不正确');
    }

    // Lines written before the page starts reading wait in the stream.
    const encoder = new TextEncoder();
    const channel = new TransformStream<Uint8Array, Uint8Array>();
    const writer = channel.writable.getWriter();
    const send = (line: unknown) => {
      // A page that went away rejects the write; the signal below stops the work.
      writer.write(encoder.encode(`${JSON.stringify(line)}\n`)).catch(() => undefined);
    };
    const wantsProgress = (request.headers.get('accept') ?? '').includes(NDJSON);
    let streaming = false;
    let last = 0;
    let startStream = () => undefined as void;
    const hashing = new Promise<null>((resolve) => {
      startStream = () => resolve(null);
    });
    const commit = commitRosterImport(viewer, raw, requestInfoOf(request), {
      signal: request.signal,
      onHashing: () => {
        if (!wantsProgress) return;
        streaming = true;
        startStream();
      },
      onProgress: (done, total) => {
        // About a hundred updates whatever the size.
        if (streaming && (done === total || done - last >= Math.max(1, Math.floor(total / 100)))) {
          last = done;
          send({ type: 'progress', done, total });
        }
      },
    });

    // Refused, or done without hashing: one JSON answer with the status that says so.
    const first = await Promise.race([hashing, commit]);
    if (first !== null) return first.ok ? json(resultBody(first)) : failureResponse(first);

    void commit
      .then(
        (result) => send({ type: 'result', ...resultBody(result) }),
        (e: unknown) => {
          console.error(e);
          send({ type: 'result', ok: false, code: 'server_error', message: '服务器出错了，请稍后再试；没有写入任何数据' });
        },
      )
      .finally(() => writer.close().catch(() => undefined));
    return new Response(channel.readable, {
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
