// A throwaway PostgreSQL for tests (issue 16): a cluster in a temporary folder, listening on a free
// port of 127.0.0.1 only, trust authentication, removed afterwards — by stop(), by an exit hook
// when the process ends without calling it, and by a watchdog when the process is killed outright.
//
// The server binaries are Debian's (`postgresql`, /usr/lib/postgresql/<version>/bin, the newest):
// scripts/ensure-postgres.sh installs them. initdb and postgres refuse to run as root, so as root
// every binary runs as the `postgres` system user (runuser) and the folder is chowned to it.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Cluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** The cluster's folder (data, socket and log); gone after stop(). */
  dir: string;
  /** Stops the server and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';

/** The bin folder of the newest PostgreSQL installed, or null. */
export function findPostgresBin(): string | null {
  if (!fs.existsSync(PG_ROOT)) return null;
  const versions = fs
    .readdirSync(PG_ROOT)
    .filter((v) => fs.existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')) && fs.existsSync(path.join(PG_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions[0] ? path.join(PG_ROOT, versions[0], 'bin') : null;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A new empty database in the cluster, with C collation (text orders by bytes, as on SQLite);
 * returns its URL.
 */
export async function createDatabase(clusterUrl: string, name: string): Promise<string> {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  } finally {
    await admin.end();
  }
  return clusterUrl.replace(/\/postgres$/u, `/${name}`);
}

interface Runner {
  /** argv to run `bin` as the user the cluster belongs to. */
  argv(bin: string, args: string[]): [string, string[]];
  /** uid/gid to give the folder, when not ourselves. */
  owner: { uid: number; gid: number } | null;
}

function runner(): Runner {
  if (process.getuid?.() !== 0) return { argv: (bin, args) => [bin, args], owner: null };
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { argv: (bin, args) => ['runuser', ['-u', 'postgres', '--', bin, ...args]], owner: { uid, gid } };
}

function run(r: Runner, bin: string, args: string[], cwd: string): void {
  const [cmd, argv] = r.argv(bin, args);
  // cwd: the postgres user may not be allowed into ours.
  execFileSync(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Starts a new cluster and waits until it accepts connections (initdb and start take 1–2 s).
 * One per test file is the intended use.
 */
export async function startCluster(): Promise<Cluster> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error('未找到 PostgreSQL 服务端程序（/usr/lib/postgresql/*/bin）：请运行 bash scripts/ensure-postgres.sh，或以 root 安装 Debian 的 postgresql 软件包。');
  }
  const r = runner();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  if (r.owner) fs.chownSync(dir, r.owner.uid, r.owner.gid);

  let stopped = false;
  const cleanupSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (fs.existsSync(path.join(data, 'postmaster.pid'))) run(r, path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], dir);
    } catch {
      // Already gone: nothing to stop.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', cleanupSync);

  // A process killed outright runs no hook: a detached shell waits for it and cleans up after it.
  const [stopCmd, stopArgs] = r.argv(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
  const quoted = [stopCmd, ...stopArgs].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const watchdog = spawn(
    'sh',
    ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; [ -f '${data}/postmaster.pid' ] && ${quoted} >/dev/null 2>&1; rm -rf '${dir}'`],
    { detached: true, stdio: 'ignore', cwd: os.tmpdir() },
  );
  watchdog.unref();

  const stop = async () => {
    cleanupSync();
    process.off('exit', cleanupSync);
    if (watchdog.pid !== undefined && watchdog.exitCode === null) {
      try {
        process.kill(-watchdog.pid); // its process group: the shell and its sleep
      } catch {
        // It has ended by itself.
      }
    }
  };

  try {
    // --locale=C: text sorts by bytes, as SQLite's BINARY collation does.
    run(r, path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'], dir);
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      const options = [
        `-p ${port}`,
        `-k ${dir}`,
        "-c listen_addresses='127.0.0.1'",
        // Instants shown in UTC whatever the machine's zone (the portal converts to Asia/Shanghai).
        '-c timezone=UTC',
        // A throwaway cluster: durability is not wanted, speed is.
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
      ].join(' ');
      try {
        run(r, path.join(bin, 'pg_ctl'), ['start', '-D', data, '-l', log, '-w', '-t', '30', '-o', options], dir);
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, stop };
      } catch (err) {
        // Another process may have taken the port in between: try another.
        lastError = err;
      }
    }
    throw lastError;
  } catch (err) {
    const serverLog = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
    await stop();
    const detail = err instanceof Error && 'stderr' in err ? String((err as { stderr: unknown }).stderr) : String(err);
    throw new Error(`PostgreSQL 测试集群启动失败：${detail}\n${serverLog}`);
  }
}
