import { expect, test } from '@playwright/test';
import { createAccount, FIXTURE_PASSWORD } from './fixtures';
import { expectSignedOut, openDb, signIn, watchConsole } from './support';
import { signInAdmin } from './two-factor-helper';

test('an admin creates a cadre, whose first sign-in forces a new password and lands on /my', async ({ page, browser }) => {
  const errors = watchConsole(page);
  await signInAdmin(page);
  await expect(page).toHaveURL(/\/admin$/u);

  await page.getByRole('link', { name: '新建账号' }).click();
  await expect(page).toHaveURL(/\/admin\/users\/new$/u);
  await page.getByLabel('账号', { exact: true }).fill('xiayang');
  await page.getByLabel('姓名', { exact: true }).fill('夏定阳');
  await page.getByLabel('职务', { exact: true }).fill('牛首镇委书记、长寿岛国家湿地公园党委书记');
  await page.getByLabel('角色', { exact: true }).selectOption('cadre');
  await page.getByRole('button', { name: '创建账号' }).click();
  // The one-time password is shown only once the account exists.
  await expect(page.getByLabel('一次性密码')).toBeVisible();
  const otp = (await page.getByLabel('一次性密码').textContent())?.trim() ?? '';
  expect(otp).toMatch(/^\S{12,}$/u);

  const db = openDb();
  const stored = db.prepare('select name, role, must_change_password as mcp, password_hash as h from users where username = ?').get('xiayang') as
    | { name: string; role: string; mcp: number; h: string }
    | undefined;
  db.close();
  expect(stored).toMatchObject({ name: '夏定阳', role: 'cadre', mcp: 1 });
  expect(stored?.h).not.toContain(otp);

  const cadreContext = await browser.newContext();
  const cadre = await cadreContext.newPage();
  const cadreErrors = watchConsole(cadre);
  await signIn(cadre, 'xiayang', otp);
  await expect(cadre).toHaveURL(/\/change-password$/u);
  // Until the password is changed, every other page leads back here.
  await cadre.goto('/my');
  await expect(cadre).toHaveURL(/\/change-password$/u);

  await cadre.getByLabel('当前密码').fill(otp);
  await cadre.getByLabel('新密码', { exact: true }).fill('12345678');
  await cadre.getByLabel('确认新密码').fill('12345678');
  await cadre.getByRole('button', { name: '修改密码' }).click();
  await expect(cadre.getByText('这个密码太常见，容易被猜到，请换一个').first()).toBeVisible();

  const chosen = '长寿岛湿地春来早-2026';
  await cadre.getByLabel('当前密码').fill(otp);
  await cadre.getByLabel('新密码', { exact: true }).fill(chosen);
  await cadre.getByLabel('确认新密码').fill(chosen);
  await cadre.getByRole('button', { name: '修改密码' }).click();
  await expect(cadre).toHaveURL(/\/my\?passwordChanged=1$/u);
  await expect(cadre.getByRole('heading', { name: '我的学习' })).toBeVisible();
  await expect(cadre.getByText('夏定阳').first()).toBeVisible();

  expect(cadreErrors).toEqual([]);
  expect(errors).toEqual([]);

  // The cadre is refused the admin and organizer areas (the browser logs each 403).
  for (const path of ['/admin', '/review']) {
    const res = await cadre.goto(path);
    expect(res?.status()).toBe(403);
    await expect(cadre.getByRole('heading', { name: '无权访问' })).toBeVisible();
  }

  // After sign-out the old cookie no longer works.
  const oldCookies = await cadreContext.cookies();
  await cadre.goto('/my');
  await cadre.getByRole('button', { name: '退出登录' }).click();
  await expectSignedOut(cadre);
  const replay = await browser.newContext();
  await replay.addCookies(oldCookies);
  const replayPage = await replay.newPage();
  await replayPage.goto('/my');
  await expectSignedOut(replayPage);
  await replay.close();
  await cadreContext.close();
});

test('the sixth wrong password blocks the account; the right one is refused until the window passes', async ({ page }) => {
  await createAccount({ username: 'throttled', name: '曾建辉', role: 'cadre', password: FIXTURE_PASSWORD });
  await createAccount({ username: 'bystander', name: '王晓丽', role: 'cadre', password: FIXTURE_PASSWORD });

  for (let i = 1; i <= 5; i++) {
    await signIn(page, 'throttled', `wrong-password-${i}`);
    await expect(page.getByRole('main').getByRole('alert')).toHaveText('账号或密码不正确');
    // The account name stays filled in after a failure.
    await expect(page.getByLabel('账号')).toHaveValue('throttled');
  }
  await signIn(page, 'throttled', 'wrong-password-6');
  await expect(page.getByRole('main').getByRole('alert')).toContainText('尝试次数过多');

  await signIn(page, 'throttled', FIXTURE_PASSWORD);
  await expect(page.getByRole('main').getByRole('alert')).toContainText('尝试次数过多');
  await expect(page).toHaveURL(/\/login/u);

  // Other accounts are unaffected.
  await signIn(page, 'bystander', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expectSignedOut(page);

  // Let the 15-minute window pass by moving the stored counters back in time.
  const db = openDb();
  db.prepare(
    `update login_throttle set window_started_at = window_started_at - 16 * 60000,
       blocked_until = blocked_until - 16 * 60000 where key like 'pair:%|throttled'`,
  ).run();
  const audit = db
    .prepare(`select action, count(*) as n from audit_log where actor_username = 'throttled' group by action order by action`)
    .all();
  db.close();
  expect(audit).toEqual([
    { action: 'login.blocked', n: 2 },
    { action: 'login.failure', n: 5 },
  ]);

  await signIn(page, 'throttled', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);
});

test('sign-in works without JavaScript and never puts the password in the address', async ({ browser }) => {
  await createAccount({ username: 'nojs', name: '邵晓燕', role: 'cadre', password: FIXTURE_PASSWORD });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await signIn(page, 'nojs', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);
  await expect(page.getByRole('heading', { name: '我的学习' })).toBeVisible();
  expect(urls.some((u) => u.includes(FIXTURE_PASSWORD) || u.includes('password='))).toBe(false);
  await context.close();
});

test('responses carry the security headers', async ({ request }) => {
  for (const path of ['/login', '/api/health']) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'/u);
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('same-origin');
    expect(h['x-powered-by']).toBeUndefined();
  }
  const health = await request.get('/api/health');
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true, database: 'ok' });
});

test('a spoofed X-Forwarded-For neither escapes the address limit nor reaches the audit log', async ({ browser }) => {
  test.setTimeout(180_000);
  await createAccount({ username: 'spoofed', name: '龚晓东', role: 'cadre', password: FIXTURE_PASSWORD });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    // 31 failures, each against another account and from another address the client claims.
    for (let i = 1; i <= 31; i++) {
      await page.setExtraHTTPHeaders({ 'X-Forwarded-For': `10.77.0.${i}` });
      await signIn(page, `nobody-${i}`, 'wrong-password');
      await expect(page.getByRole('main').getByRole('alert')).toBeVisible();
    }
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '10.77.0.99' });
    await signIn(page, 'spoofed', FIXTURE_PASSWORD);
    await expect(page.getByRole('main').getByRole('alert')).toContainText('尝试次数过多');
    await expect(page).toHaveURL(/\/login/u);
    const db = openDb();
    const forged = db.prepare(`select count(*) as n from audit_log where ip like '10.77.%'`).get() as { n: number };
    db.close();
    expect(forged.n).toBe(0);
  } finally {
    // The suite signs in from this address after this test: lift the block it set.
    const db = openDb();
    db.prepare(`delete from login_throttle`).run();
    db.close();
    await context.close();
  }
});

test("next-auth's own sign-out endpoint revokes the sign-in: a copied cookie opens nothing after it", async ({ browser }) => {
  await createAccount({ username: 'nextauth-out', name: '鲍文静', role: 'cadre', password: FIXTURE_PASSWORD });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'nextauth-out', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);
  const copied = await context.cookies();
  const origin = new URL(page.url()).origin;
  const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const out = await page.request.post('/api/auth/signout', { form: { csrfToken, callbackUrl: `${origin}/login` }, headers: { origin }, maxRedirects: 0 });
  expect(out.status()).toBeLessThan(400);
  await context.close();

  const replay = await browser.newContext();
  await replay.addCookies(copied);
  const replayPage = await replay.newPage();
  await replayPage.goto('/my');
  await expectSignedOut(replayPage);
  await replay.close();
});

test('a server action body over the limit gets the Chinese message; a write without Origin is refused', async ({ request, baseURL }) => {
  const origin = new URL(baseURL as string).origin;
  const big = Buffer.alloc(7 * 1024 * 1024, 0x61);
  const tooBig = await request.post('/bulletins/import', {
    headers: { origin, 'next-action': '00'.repeat(21) },
    multipart: { file: { name: '简报.docx', mimeType: 'application/octet-stream', buffer: big } },
  });
  expect(tooBig.status()).toBe(413);
  expect(await tooBig.text()).toContain('超过 5 MB');

  for (const path of ['/login', '/api/admin/roster/preview', '/api/auth/signout']) {
    const bare = await request.post(path, { headers: { 'next-action': '00'.repeat(21) }, form: { a: '1' }, maxRedirects: 0 });
    expect(bare.status(), path).toBe(403);
    expect(await bare.text(), path).toContain('请求来源不正确');
  }
});
