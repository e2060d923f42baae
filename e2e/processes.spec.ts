import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';

// `npm start` with two server processes (WEB_CONCURRENCY=2) on an empty database of its own: the
// start-up work (migrations, the first admin, the search backfill) happens once, before either
// process serves; both serve; and each tells the application the client's real address, so that
// failed sign-ins count against it whichever process took them (docs/decisions/0014).

const port = Number(process.env.E2E_PORT) + 2000;
const base = `http://localhost:${port}`;

test('two server processes: the start-up work runs once, both serve, sign-in failures count together', async ({ browser }) => {
  test.setTimeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-processes-'));
  const dbFile = path.join(dir, 'xuesi.db');
  const server = spawn('node_modules/.bin/tsx', ['--conditions=react-server', 'scripts/start.ts'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_PATH: dbFile,
      PORT: String(port),
      NEXTAUTH_URL: base,
      WEB_CONCURRENCY: '2',
      INITIAL_ADMIN_USERNAME: 'first-admin',
      INITIAL_ADMIN_PASSWORD: 'Processes-Two-2026!',
    },
  });
  let log = '';
  server.stdout.on('data', (c: Buffer) => (log += c.toString()));
  server.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<void>((resolve) => server.on('exit', () => resolve()));
  try {
    await expect.poll(() => log, { timeout: 180_000, intervals: [500] }).toContain('Ready:');

    // Once: the database, the first admin; twice: a server process ready, each its own.
    expect(log.match(/学思：数据库 /gu)).toHaveLength(1);
    expect(log.match(/创建初始管理员/gu)).toHaveLength(1);
    expect(log).toContain('学思：启动 2 个服务进程');
    const ready = [...log.matchAll(/学思：服务进程 (\d+) 已就绪/gu)].map((m) => m[1]);
    expect(new Set(ready).size).toBe(2);
    expect(log.match(/Ready:/gu)).toHaveLength(1);

    const db = new Database(dbFile, { readonly: true });
    db.pragma('busy_timeout = 5000');
    try {
      const journal = JSON.parse(fs.readFileSync('db/migrations/meta/_journal.json', 'utf8')) as { entries: unknown[] };
      expect(db.prepare('select count(*) from __drizzle_migrations').pluck().get()).toBe(journal.entries.length);
      expect(db.prepare("select count(*) from users where role = 'admin'").pluck().get()).toBe(1);
      expect(db.prepare("select count(*) from audit_log where action = 'user.bootstrap'").pluck().get()).toBe(1);
    } finally {
      db.close();
    }

    // Each sign-in from a fresh browser (a fresh connection, which the cluster hands to the next
    // process in turn) is refused, and every one is counted against the address 127.0.0.1.
    for (let i = 0; i < 4; i += 1) {
      const context = await browser.newContext({ baseURL: base });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('账号', { exact: true }).fill('first-admin');
      await page.getByLabel('密码', { exact: true }).fill(`wrong-password-${i}`);
      await page.getByRole('button', { name: '登录' }).click();
      await expect(page.getByRole('main').getByRole('alert')).toHaveText('账号或密码不正确');
      await context.close();
    }
    const after = new Database(dbFile, { readonly: true });
    after.pragma('busy_timeout = 5000');
    try {
      expect(after.prepare("select failures from login_throttle where key = 'ip:127.0.0.1'").pluck().get()).toBe(4);
      expect(after.prepare("select count(*) from audit_log where action = 'login.failure' and ip = '127.0.0.1'").pluck().get()).toBe(4);
    } finally {
      after.close();
    }
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
