import fs from 'node:fs';
import path from 'node:path';
import { expect, test as setup } from '@playwright/test';
import { createAccount, FIXTURE_PASSWORD } from './fixtures';
import { ADMIN, signIn, stateFile } from './support';
import { completeSecondFactor } from './two-factor-helper';

// One signed-in storage state per role, for the specs that start signed in.

setup('sign in each role once', async ({ page }) => {
  fs.mkdirSync(path.dirname(stateFile('x')), { recursive: true });
  await createAccount({ username: 'e2e-organizer', name: '周组织', role: 'organizer', password: FIXTURE_PASSWORD, title: '街道党工委副书记' });
  await createAccount({ username: 'e2e-auditor', name: '严审计', role: 'auditor', password: FIXTURE_PASSWORD, title: '审计管理员' });
  await createAccount({ username: 'e2e-cadre', name: '邵学员', role: 'cadre', password: FIXTURE_PASSWORD, title: '社区党组织书记' });

  for (const [role, username, password, home] of [
    ['admin', ADMIN.username, ADMIN.password, '/admin'],
    ['organizer', 'e2e-organizer', FIXTURE_PASSWORD, '/review'],
    ['cadre', 'e2e-cadre', FIXTURE_PASSWORD, '/my'],
    ['auditor', 'e2e-auditor', FIXTURE_PASSWORD, '/audit'],
  ] as const) {
    await page.context().clearCookies();
    await signIn(page, username, password);
    // Admins and auditors enrol in 两步验证 at their first sign-in; the secret is kept for later sign-ins.
    if (role === 'admin' || role === 'auditor') await completeSecondFactor(page, username);
    await expect(page).toHaveURL(new RegExp(`${home}$`, 'u'));
    await page.context().storageState({ path: stateFile(role) });
  }
});
