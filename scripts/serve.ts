// The production server that `npm start` runs (started by scripts/start.ts): Next's request
// handler inside a small Node http server. It exists for one reason: to tell the application
// the client's address in a way no client can forge. `next start` passes X-Forwarded-For through
// as the client sent it, so the address limit on sign-in could be escaped and the audit log
// fed any address (docs/decisions/0009-sign-in-throttle.md).
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

const port = Number(process.env.PORT || '3000');
const hostname = process.env.HOSTNAME_BIND || '0.0.0.0';
const hops = trustedProxyHops(process.env.TRUSTED_PROXY_HOPS);
// Known only inside this process: lib/request.ts believes the address header only beside it.
const token = randomBytes(24).toString('base64url');
process.env[CLIENT_IP_TOKEN_ENV] = token;

async function main() {
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
  server.listen(port, hostname, () => {
    console.log(`Ready: http://${hostname}:${port}${hops ? `（信任 ${hops} 层代理的 X-Forwarded-For）` : ''}`);
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      server.close();
      process.exit(0);
    });
  }
}

main().catch((e: unknown) => {
  console.error('学思：服务启动失败：', e instanceof Error ? e.message : e);
  process.exit(1);
});
