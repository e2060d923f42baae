// The production server that `npm start` runs (started by scripts/start.ts): Next's request
// handler inside a small Node http server, in one process or, with WEB_CONCURRENCY above 1 (the
// default on a machine with several cores), in that many worker processes of node:cluster that
// share the port (docs/decisions/0014). The start-up work (build, migrations, first admin,
// backfills, the 查重 queue) was done once by scripts/start.ts before this runs; the processes
// here only serve.
//
// It exists for one more reason: to tell the application the client's address in a way no
// client can forge. `next start` passes X-Forwarded-For through as the client sent it, so the
// address limit on sign-in could be escaped and the audit log fed any address
// (docs/decisions/0009-sign-in-throttle.md).
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import next from 'next';
import {
  CLIENT_IP_HEADER,
  CLIENT_IP_TOKEN_ENV,
  CLIENT_IP_TOKEN_HEADER,
  clientAddress,
  trustedProxyHops,
} from '../lib/client-address';
import { webConcurrency } from './web-concurrency';

const port = Number(process.env.PORT || '3000');
const hostname = process.env.HOSTNAME_BIND || '0.0.0.0';
const hops = trustedProxyHops(process.env.TRUSTED_PROXY_HOPS);
const proxyNote = hops ? `（信任 ${hops} 层代理的 X-Forwarded-For）` : '';

/** One serving process: Next behind the http server that writes the client's address. */
async function serve(announce: (url: string) => void) {
  // Known only inside this process (each worker draws its own): lib/request.ts believes the
  // address header only beside it.
  const token = randomBytes(24).toString('base64url');
  process.env[CLIENT_IP_TOKEN_ENV] = token;
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    // Overwrite, never append: whatever the client sent under these names is gone.
    req.headers[CLIENT_IP_HEADER] = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], hops);
    req.headers[CLIENT_IP_TOKEN_HEADER] = token;
    handle(req, res).catch((e: unknown) => {
      console.error(e);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('服务器出错了，请稍后再试');
    });
  });
  // An idle keep-alive connection is closed by the proxy in front (nginx: 60 s, deploy/nginx/xuesi.conf),
  // never by us first: Node's default of 5 s let nginx send a request down a connection this
  // server was closing at that instant; nginx then retries a GET on the next server, but a POST
  // (a save, a submit) would fail with 502. headersTimeout must exceed keepAliveTimeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(port, hostname, () => announce(`http://${hostname}:${port}`));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      server.close();
      process.exit(0);
    });
  }
}

/** The cluster's primary: forks the workers, replaces one that dies, stops them all on a signal. */
function supervise(count: number) {
  let listening = 0;
  let stopping = false;
  const ready = new Set<number>();
  cluster.on('listening', (worker) => {
    ready.add(worker.id);
    listening += 1;
    if (listening === count) console.log(`Ready: http://${hostname}:${port}（${count} 个服务进程）${proxyNote}`);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      return;
    }
    // One that never served (the port is taken, the build is broken) would fail again: stop.
    if (!ready.has(worker.id)) {
      console.error(`学思：服务进程 ${worker.process.pid} 启动失败（退出码 ${code ?? signal}），服务停止`);
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      return;
    }
    console.error(`学思：服务进程 ${worker.process.pid} 意外退出（${code ?? signal}），另起一个`);
    cluster.fork();
  });
  for (let i = 0; i < count; i += 1) cluster.fork();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      stopping = true;
      const left = Object.values(cluster.workers ?? {});
      if (left.length === 0) process.exit(0);
      for (const w of left) w?.kill(sig);
    });
  }
}

function main() {
  if (cluster.isWorker) {
    // The primary going away (killed outright) takes its workers with it.
    process.on('disconnect', () => process.exit(0));
    return serve(() => console.log(`学思：服务进程 ${process.pid} 已就绪`));
  }
  const count = webConcurrency();
  if (count === 1) return serve((url) => console.log(`Ready: ${url}${proxyNote}`));
  supervise(count);
  return Promise.resolve();
}

main().catch((e: unknown) => {
  console.error('学思：服务启动失败：', e instanceof Error ? e.message : e);
  process.exit(1);
});
