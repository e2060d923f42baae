import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { totpCode, totpStep } from '../lib/auth/totp';
import { ADMIN, signIn } from './support';

// 两步验证 in the e2e: the secret an account enrolled with is kept in a file per account, so a
// later sign-in computes its code the way an authenticator app would. A time step is accepted
// once; the server allows one step of drift, so the next sign-in in the same 30 seconds uses the
// next step's code, and only a third one waits.

function stateOf(username: string): string {
  const dir = path.join(process.env.E2E_DIR as string, 'totp');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${username}.json`);
}

type Kept = { secret: string; lastStep: number };

export function keptSecret(username: string): Kept | null {
  const file = stateOf(username);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Kept) : null;
}

/** A code for a time step not used before (waiting when two were used in the last 30 seconds). */
export async function freshCode(username: string, secret: string): Promise<string> {
  const kept = keptSecret(username);
  const last = kept && kept.secret === secret ? kept.lastStep : -1;
  let now = totpStep(new Date());
  if (last > now) {
    await new Promise((r) => setTimeout(r, ((last) * 30 + 1) * 1000 - Date.now()));
    now = totpStep(new Date());
  }
  const step = Math.max(now, last + 1);
  fs.writeFileSync(stateOf(username), JSON.stringify({ secret, lastStep: step }));
  return totpCode(secret, step);
}

/** On the second step's page: enrols (keeping the secret) or types a fresh code, and goes on. */
export async function completeSecondFactor(page: Page, username: string): Promise<void> {
  await expect(page).toHaveURL(/\/login\/two-factor$/u);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(/两步验证/u);
  if ((await heading.textContent())?.includes('启用')) {
    const secret = ((await page.getByLabel('密钥').textContent()) ?? '').replace(/\s/gu, '');
    await page.getByLabel('验证码').fill(await freshCode(username, secret));
    await page.getByRole('button', { name: '启用并登录' }).click();
    await expect(page.getByRole('list', { name: '恢复码' }).getByRole('listitem')).toHaveCount(10);
    await page.getByRole('link', { name: '我已保存恢复码，继续' }).click();
  } else {
    const kept = keptSecret(username);
    if (!kept) throw new Error(`no kept secret for ${username}`);
    await page.getByLabel('验证码').fill(await freshCode(username, kept.secret));
    await page.getByRole('button', { name: '验证并登录' }).click();
  }
  await expect(page).not.toHaveURL(/\/login/u);
}

/** Signs in an account that uses 两步验证 (every admin and auditor). */
export async function signInWithCode(page: Page, username: string, password: string): Promise<void> {
  await signIn(page, username, password);
  await completeSecondFactor(page, username);
}

export async function signInAdmin(page: Page): Promise<void> {
  await signInWithCode(page, ADMIN.username, ADMIN.password);
}
