import { expect, test } from '@playwright/test';
import { totpCode, totpStep } from '../lib/auth/totp';
import { createAccount, FIXTURE_PASSWORD } from './fixtures';
import { signIn, watchConsole } from './support';

// 两步验证 end to end: an auditor enrols at the first sign-in by typing a code computed here from
// the secret the page shows, sees ten recovery codes once, and lands on the audit log; at the next
// sign-in the code already used is refused and a fresh one is accepted.

test('an auditor enrols in 两步验证, signs in with a computed code, and a reused code is refused', async ({ page }) => {
  const errors = watchConsole(page);
  await createAccount({ username: 'tf-auditor', name: '严审计', role: 'auditor', password: FIXTURE_PASSWORD, title: '审计管理员' });

  await signIn(page, 'tf-auditor', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/login\/two-factor$/u);
  await expect(page.getByRole('heading', { level: 1, name: '启用两步验证' })).toBeVisible();
  await expect(page.getByRole('img', { name: '两步验证二维码' })).toBeVisible();
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/screens/two-factor-enrol-${width}.png`, fullPage: true });
  }
  const secret = ((await page.getByLabel('密钥').textContent()) ?? '').replace(/\s/gu, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/u);

  await page.getByLabel('验证码').fill('123456');
  await page.getByRole('button', { name: '启用并登录' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '验证码不正确或已经用过' })).toBeVisible();

  const step = totpStep(new Date());
  const first = totpCode(secret, step);
  await page.getByLabel('验证码').fill(first);
  await page.getByRole('button', { name: '启用并登录' }).click();
  const codes = page.getByRole('list', { name: '恢复码' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  await expect(codes.first()).toHaveText(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/u);
  await page.screenshot({ path: 'test-results/screens/two-factor-codes-1280.png', fullPage: true });
  await page.getByRole('link', { name: '我已保存恢复码，继续' }).click();
  await expect(page).toHaveURL(/\/audit$/u);
  // The auditor sees their own enrolment in the audit log.
  await expect(page.getByRole('table', { name: '审计日志' })).toContainText('启用两步验证');

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login\?signedOut=1$/u);
  await signIn(page, 'tf-auditor', FIXTURE_PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: '两步验证' })).toBeVisible();
  // The code the enrolment used: its time step is spent.
  await page.getByLabel('验证码').fill(first);
  await page.getByRole('button', { name: '验证并登录' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '验证码不正确或已经用过' })).toBeVisible();
  await expect(page).toHaveURL(/\/login\/two-factor$/u);
  // The next step's code (one step of drift is allowed) signs in.
  await page.getByLabel('验证码').fill(totpCode(secret, Math.max(step + 1, totpStep(new Date()))));
  await page.getByRole('button', { name: '验证并登录' }).click();
  await expect(page).toHaveURL(/\/audit$/u);
  await expect(page.getByRole('heading', { level: 1, name: '审计日志' })).toBeVisible();
  expect(errors).toEqual([]);
});
