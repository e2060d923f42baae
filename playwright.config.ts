import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// The suite runs against a production build served by the same script as `npm start`, on its
// own temporary database. Workers inherit these variables from the main process.
process.env.E2E_DIR ??= path.join(os.tmpdir(), `xuesi-e2e-${process.pid}`);
process.env.E2E_PORT ??= '3210';
process.env.E2E_ADMIN_PASSWORD ??= `E2e-${Math.random().toString(36).slice(2)}-Admin!`;

const baseURL = `http://localhost:${process.env.E2E_PORT}`;

export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
};

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '.tmp/playwright.json' }]],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: CHROMIUM,
  },
  projects: [
    { name: 'setup', testMatch: /.*\.setup\.ts/ },
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], launchOptions: CHROMIUM },
      dependencies: ['setup'],
      testIgnore: /.*\.setup\.ts/,
    },
  ],
  webServer: {
    command: 'npx tsx --conditions=react-server scripts/start.ts',
    url: `${baseURL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      DATABASE_PATH: path.join(process.env.E2E_DIR, 'xuesi.db'),
      PORT: process.env.E2E_PORT,
      INITIAL_ADMIN_USERNAME: 'e2e-admin',
      INITIAL_ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD,
      NEXTAUTH_URL: baseURL,
      // statistics.spec's stand-in group robot (企业微信/钉钉 webhook) listens here.
      WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${Number(process.env.E2E_PORT) + 1000}`,
      // The signed-in states of e2e/accounts.setup.ts serve the whole run, which can outlast the
      // 30-minute idle timeout between two uses; the timeout itself is tested in db/queries/idle.test.ts.
      SESSION_IDLE_MINUTES: '480',
    },
  },
});
