// Two app servers behind nginx, sharing one PostgreSQL (issue 16), as docs/deploy.md describes
// them: a throwaway cluster (test/pg/cluster.ts), two `npm start`s (scripts/start.ts, one
// process each) with the same secrets and TRUSTED_PROXY_HOPS=1, and nginx running the repo's own
// deploy/nginx/xuesi.conf with only addresses, ports and paths replaced — TLS included, with a
// certificate made for localhost. Used by e2e/two-servers.spec.ts and scripts/bench-cluster.ts.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, freePort, startCluster } from '../test/pg/cluster';
import { buildIsCurrent, stampBuild } from './source-hash';

export const NGINX_TEMPLATE = path.join(process.cwd(), 'deploy', 'nginx', 'xuesi.conf');

/** Where nginx is, or null: Debian's package puts it in /usr/sbin. */
export function findNginx(): string | null {
  for (const candidate of [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

export interface NginxPlaces {
  /** host:port of each app server. */
  upstreams: string[];
  /** Plain HTTP (the redirect) and HTTPS listening ports, on 127.0.0.1. */
  httpPort: number;
  httpsPort: number;
  serverName: string;
  certificate: string;
  key: string;
  accessLog: string;
  errorLog: string;
}

/** Replaces `from` in `text` and insists it was there: the template and this rig cannot drift apart silently. */
function replaceAll(text: string, from: string | RegExp, to: string | ((m: string) => string), what: string): string {
  const pattern = typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'), 'gu') : from;
  if (!pattern.test(text)) throw new Error(`deploy/nginx/xuesi.conf 中找不到${what}（${String(from)}）`);
  pattern.lastIndex = 0;
  return text.replace(pattern, to as string);
}

/**
 * The repo's nginx site file with this machine's places in it. Only the lines marked in it as
 * things to change, the listen ports and the log paths are touched; every directive that decides
 * how requests reach the app servers stays as written.
 */
export function renderNginxSite(template: string, p: NginxPlaces): string {
  let s = template;
  // In each upstream block, the k-th server line becomes the k-th app server here (options kept).
  const blocks = s.match(/upstream \w+ \{[^}]*\}/gu) ?? [];
  if (blocks.length === 0) throw new Error('deploy/nginx/xuesi.conf 中找不到 upstream 块');
  for (const block of blocks) {
    let k = 0;
    const replaced = block.replace(/server \d+\.\d+\.\d+\.\d+:\d+/gu, () => `server ${p.upstreams[k++] ?? 'missing'}`);
    if (k !== p.upstreams.length) throw new Error(`deploy/nginx/xuesi.conf 的 upstream 块有 ${k} 台应用服务器，这里有 ${p.upstreams.length} 台`);
    s = s.replace(block, replaced);
  }
  s = replaceAll(s, /listen 80;/gu, `listen 127.0.0.1:${p.httpPort};`, 'listen 80');
  s = replaceAll(s, /listen 443 ssl/gu, `listen 127.0.0.1:${p.httpsPort} ssl`, 'listen 443 ssl');
  s = replaceAll(s, /server_name xuesi\.example\.gov\.cn;/gu, `server_name ${p.serverName};`, 'server_name');
  s = replaceAll(s, /return 301 https:\/\/\$host\$request_uri;/gu, `return 301 https://$host:${p.httpsPort}$request_uri;`, '跳转到 https 的 return');
  s = replaceAll(s, '/etc/nginx/ssl/xuesi.crt', p.certificate, '证书路径');
  s = replaceAll(s, '/etc/nginx/ssl/xuesi.key', p.key, '私钥路径');
  s = replaceAll(s, '/var/log/nginx/xuesi.access.log', p.accessLog, 'access_log 路径');
  s = replaceAll(s, '/var/log/nginx/xuesi.error.log', p.errorLog, 'error_log 路径');
  return s;
}

/** A whole nginx.conf for an nginx of our own in `dir` (not the system's), around `dir`/xuesi.conf. */
export function nginxMainConf(dir: string): string {
  const temp = (name: string) => path.join(dir, 'temp', name);
  return [
    'worker_processes 1;',
    'daemon off;',
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'nginx-main.error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '    include /etc/nginx/mime.types;',
    `    client_body_temp_path ${temp('body')};`,
    `    proxy_temp_path ${temp('proxy')};`,
    `    fastcgi_temp_path ${temp('fastcgi')};`,
    `    uwsgi_temp_path ${temp('uwsgi')};`,
    `    scgi_temp_path ${temp('scgi')};`,
    `    access_log off;`,
    `    include ${path.join(dir, 'xuesi.conf')};`,
    '}',
    '',
  ].join('\n');
}

export interface AppServer {
  name: string;
  port: number;
  /** Everything it printed so far. */
  log: () => string;
  process: ChildProcess;
}

export interface LoggedRequest {
  upstream: string;
  tried: string[];
  status: number;
}

export interface Rig {
  /** https://localhost:<port>: nginx, in front of both app servers. */
  url: string;
  /** http://localhost:<port>: the config's plain-HTTP server, which only sends people to `url`. */
  plainUrl: string;
  /** The PostgreSQL database both app servers use. */
  databaseUrl: string;
  servers: AppServer[];
  /** The values every app server shares (docs/deploy.md): a test mints sessions with NEXTAUTH_SECRET. */
  secrets: { NEXTAUTH_SECRET: string; XUESI_DATA_KEY: string; NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: string };
  /** nginx's access log (format `xuesi`: upstream=<app server> for every request). */
  accessLog: string;
  /**
   * nginx's log lines that match `pattern`, in order: the app server (host:port) that answered,
   * every one tried (more than one when nginx had to try the next, logged "a, b"), the status.
   */
  logged(pattern: RegExp): LoggedRequest[];
  stop(): Promise<void>;
}

export interface RigOptions {
  /** The first admin (INITIAL_ADMIN_*), given to both servers. */
  admin: { username: string; password: string };
  /** Extra environment for both app servers. */
  env?: Record<string, string>;
  /** Service processes per app server (WEB_CONCURRENCY); 1 by default. */
  processesPerServer?: number;
  log?: (line: string) => void;
}

function waitFor(what: string, check: () => boolean, timeoutMs: number, failed?: () => string | null): Promise<void> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const failure = failed?.();
      if (failure) return reject(new Error(`${what}：${failure}`));
      if (check()) return resolve();
      if (Date.now() > until) return reject(new Error(`${what}：超时`));
      setTimeout(tick, 200);
    };
    tick();
  });
}

/** Stops a detached child and everything it started (its process group). */
async function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, signal);
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the whole thing: PostgreSQL, the build when it is not current, both app servers at once
 * (so that their start-up work meets on the same empty database, as two servers started together
 * would), then nginx. Rejects, having stopped whatever it started, if any part fails.
 */
export async function startRig(opts: RigOptions): Promise<Rig> {
  const log = opts.log ?? (() => undefined);
  const nginx = findNginx();
  if (!nginx) throw new Error('未找到 nginx：请以 root 运行 bash scripts/ensure-nginx.sh（安装 Debian 的 nginx 软件包）。');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-rig-'));
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
    if (!process.env.RIG_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const cluster = await startCluster();
    stops.push(() => cluster.stop());
    const databaseUrl = await createDatabase(cluster.url, 'xuesi');
    log(`PostgreSQL：${databaseUrl}`);

    // One build for both, made here: two servers building into one .next at once would break it.
    if (!buildIsCurrent(process.cwd())) {
      log('构建中（npm start 的同一构建）…');
      const built = spawnSync(process.execPath, [path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
        stdio: 'inherit',
        env: { ...process.env, NODE_ENV: 'production' },
      });
      if (built.status !== 0) throw new Error('next build 失败');
      stampBuild(process.cwd());
    }

    const [httpPort, httpsPort, portA, portB] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const url = `https://localhost:${httpsPort}`;
    // Equal on every app server (docs/deploy.md): the sign-in signature, the 两步验证 data key,
    // the server actions' encryption key.
    const shared = {
      NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
      XUESI_DATA_KEY: randomBytes(32).toString('base64'),
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    const servers: AppServer[] = [];
    for (const [name, port] of [
      ['A', portA],
      ['B', portB],
    ] as const) {
      // Each its own data folder, as on two machines (uploads in flight, the local secrets files).
      const dataDir = path.join(dir, `server-${name}`);
      fs.mkdirSync(dataDir, { recursive: true });
      const child = spawn(path.join('node_modules', '.bin', 'tsx'), ['--conditions=react-server', 'scripts/start.ts'], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...opts.env,
          ...shared,
          DATABASE_URL: databaseUrl,
          DATABASE_PATH: path.join(dataDir, 'xuesi.db'),
          PORT: String(port),
          HOSTNAME_BIND: '127.0.0.1',
          NEXTAUTH_URL: url,
          TRUSTED_PROXY_HOPS: '1',
          WEB_CONCURRENCY: String(opts.processesPerServer ?? 1),
          INITIAL_ADMIN_USERNAME: opts.admin.username,
          INITIAL_ADMIN_PASSWORD: opts.admin.password,
        },
      });
      let out = '';
      child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
      stops.push(() => stopGroup(child));
      servers.push({ name, port, log: () => out, process: child });
    }
    for (const s of servers) {
      await waitFor(
        `应用服务器 ${s.name} 启动`,
        () => s.log().includes('Ready:'),
        300_000,
        () => (s.process.exitCode !== null ? `已退出（${s.process.exitCode}）：\n${s.log().slice(-2000)}` : null),
      );
      log(`应用服务器 ${s.name} 已启动（端口 ${s.port}）`);
    }

    // A certificate for localhost, and nginx with the repo's site file.
    const certificate = path.join(dir, 'localhost.crt');
    const key = path.join(dir, 'localhost.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', certificate], { stdio: 'ignore' });
    const accessLog = path.join(dir, 'access.log');
    const site = renderNginxSite(fs.readFileSync(NGINX_TEMPLATE, 'utf8'), {
      upstreams: servers.map((s) => `127.0.0.1:${s.port}`),
      httpPort,
      httpsPort,
      serverName: 'localhost',
      certificate,
      key,
      accessLog,
      errorLog: path.join(dir, 'error.log'),
    });
    fs.writeFileSync(path.join(dir, 'xuesi.conf'), site);
    fs.mkdirSync(path.join(dir, 'temp'), { recursive: true });
    // nginx's workers drop root for `nobody`: they write request bodies here.
    for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      fs.mkdirSync(path.join(dir, 'temp', t), { recursive: true });
      fs.chmodSync(path.join(dir, 'temp', t), 0o777);
    }
    fs.chmodSync(dir, 0o755);
    const conf = path.join(dir, 'nginx.conf');
    fs.writeFileSync(conf, nginxMainConf(dir));
    // -e: the log nginx writes before it has read the config (by default /var/log/nginx, which only root may write).
    const early = ['-e', path.join(dir, 'nginx-start.error.log'), '-p', dir, '-c', conf];
    execFileSync(nginx, ['-t', '-q', ...early], { stdio: 'pipe' });
    const proxy = spawn(nginx, early, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let proxyOut = '';
    proxy.stderr?.on('data', (c: Buffer) => (proxyOut += c.toString()));
    stops.push(() => stopGroup(proxy, 'SIGQUIT'));
    await waitFor(
      'nginx 启动',
      () => {
        try {
          return fs.readFileSync(path.join(dir, 'nginx.pid'), 'utf8').trim().length > 0;
        } catch {
          return false;
        }
      },
      20_000,
      () => (proxy.exitCode !== null ? `已退出：${proxyOut}` : null),
    );
    log(`nginx：${url}`);

    return {
      url,
      plainUrl: `http://localhost:${httpPort}`,
      databaseUrl,
      servers,
      secrets: shared,
      accessLog,
      logged(pattern) {
        const text = fs.existsSync(accessLog) ? fs.readFileSync(accessLog, 'utf8') : '';
        return text
          .split('\n')
          .filter((line) => pattern.test(line))
          .map((line) => {
            const tried = (/upstream=(.*?) rt=/u.exec(line)?.[1] ?? '-').split(/,\s*/u);
            return { upstream: tried.at(-1) as string, tried, status: Number(/" (\d{3}) /u.exec(line)?.[1]) };
          });
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
