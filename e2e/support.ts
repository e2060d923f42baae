import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, type Page } from '@playwright/test';

export const ADMIN = { username: 'e2e-admin', password: process.env.E2E_ADMIN_PASSWORD as string };

export function e2eDbPath(): string {
  return path.join(process.env.E2E_DIR as string, 'xuesi.db');
}

/** A direct connection to the server's database, for checking what was stored (fixtures go through ./fixtures). */
export function openDb(): Database.Database {
  const db = new Database(e2eDbPath());
  db.pragma('busy_timeout = 5000');
  return db;
}

export function stateFile(role: string): string {
  const dir = path.join(process.env.E2E_DIR as string, 'state');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${role}.json`);
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('账号', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Collects console errors (a CSP violation shows up here) so a test can assert there were none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export async function expectSignedOut(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/login/u);
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
}

/**
 * axe on the page as it stands: no serious or critical violation, and nothing wider than the
 * viewport. Used in the journeys on the pages people work in (editor, review, compose, preview).
 */
export async function expectAccessible(page: Page): Promise<void> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}
