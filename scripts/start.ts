// npm start: build when there is no current build, migrate the database, create the first
// admin on an empty database, keep an auth secret, and serve. Everything that writes at start-up
// happens here, once, before any server process exists; the server processes (one per core, or
// WEB_CONCURRENCY; scripts/serve.ts) only serve. This process stays and works the 查重 queue:
// it is the only one that does (docs/decisions/0014).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { databaseLabel, databasePath, getDb, MIGRATED_ENV } from '../db';
import { isBusyError, WRITE } from '../db/mutation';
import { enqueueUnchecked, processPending } from '../db/queries/originality';
import { ensureSearchIndex } from '../db/queries/search-index';
import { sealStoredTotpSecrets } from '../db/queries/two-factor-seal';
import { authSecret } from '../lib/auth/secret';
import { createInitialAdmin } from './initial-admin';
import { buildIsCurrent, stampBuild } from './source-hash';
import { webConcurrency } from './web-concurrency';

const root = process.cwd();
// Next's anonymous telemetry phones home; the portal runs on closed networks.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

/** Works through the pending 查重 checks, 25 at a time with a pause between, until none is left. */
function resumeChecks(): void {
  const step = async () => {
    let batch: { processed: number; left: number };
    try {
      batch = await getDb().transaction(async (tx) => await processPending(tx, { limit: 25 }), WRITE);
    } catch (e) {
      // The server processes held the write lock past busy_timeout: this batch waits its turn.
      if (!isBusyError(e)) throw e;
      setTimeout(() => void step(), 1000);
      return;
    }
    if (batch.processed > 0 && batch.left > 0) setTimeout(() => void step(), 200);
    else console.log('学思：后台查重已补做完毕');
  };
  setTimeout(() => void step(), 5000);
}

async function main() {
  // A wrong WEB_CONCURRENCY is told before the build, not after it.
  const processes = webConcurrency();
  if (!buildIsCurrent(root)) {
    console.log('学思：正在构建（首次启动或代码有更新，约需一两分钟）…');
    const built = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    if (built.status !== 0) {
      console.error('学思：构建失败，见上方输出。');
      process.exit(built.status ?? 1);
    }
    stampBuild(root);
  }

  const dbFile = databasePath();
  getDb(); // opens and applies the committed migrations
  console.log(`学思：数据库 ${databaseLabel()}`);
  // Reflections written by other means (seed, restore, an older build) get into the search index.
  const indexed = await ensureSearchIndex();
  if (indexed.added || indexed.removed) console.log(`学思：全文索引补入 ${indexed.added} 篇，移除 ${indexed.removed} 条`);

  await createInitialAdmin(dbFile);
  // 两步验证 secrets stored in the clear by an older version are sealed with the data key.
  const sealed = await sealStoredTotpSecrets();
  if (sealed) console.log(`学思：${sealed} 个两步验证密钥已加密保存`);
  // 查重's durable queue: what is pending (a check that failed inside a submit, an unfinished
  // re-run, reflections from before 查重) is worked through in small batches while the portal serves.
  const pending = await getDb().transaction(async (tx) => await enqueueUnchecked(tx), WRITE);
  if (pending) console.log(`学思：${pending} 篇心得等待查重，将在后台补做`);

  const port = process.env.PORT || '3000';
  const hostname = process.env.HOSTNAME_BIND || '0.0.0.0';
  const env = {
    ...process.env,
    NODE_ENV: 'production' as const,
    NEXTAUTH_SECRET: authSecret(),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`,
    DATABASE_PATH: dbFile,
    // Migrated above: the server processes open the database without migrating it.
    [MIGRATED_ENV]: '1',
    WEB_CONCURRENCY: String(processes),
  };
  console.log(`学思：启动 ${processes} 个服务进程（WEB_CONCURRENCY）`);
  // scripts/serve.ts, not `next start`: it alone tells the application the client's address.
  // Run by plain tsx, without the react-server condition this script needs for the database code.
  // XUESI_CPU_PROF_DIR: every server process writes a V8 CPU profile there when it stops (Node
  // refuses --cpu-prof in NODE_OPTIONS, so it is passed here; cluster workers inherit it).
  const profile = process.env.XUESI_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.XUESI_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(root, 'scripts', 'serve.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...env, PORT: port, HOSTNAME_BIND: hostname },
  });
  let announced = false;
  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /Ready|started server|Local:/iu.test(chunk.toString())) {
      announced = true;
      console.log(`\n学思已启动：http://localhost:${port}\n`);
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
  if (pending) resumeChecks();
}

main().catch((e: unknown) => {
  console.error('学思：启动失败：', e instanceof Error ? e.message : e);
  process.exit(1);
});
