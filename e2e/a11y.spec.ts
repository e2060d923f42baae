import { expect, test } from '@playwright/test';
import { expectAccessible, stateFile, watchConsole } from './support';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

// Each page: who opens it and, where it is a home page, the heading it must show.
const PAGES: { role: 'cadre' | 'organizer' | 'admin' | 'auditor' | null; path: string; heading?: string }[] = [
  { role: null, path: '/login', heading: '读书班学习平台 · 登录' },
  { role: 'cadre', path: '/my', heading: '我的学习' },
  { role: 'cadre', path: '/my/bulletins' },
  { role: 'cadre', path: '/notifications' },
  { role: 'organizer', path: '/review', heading: '审阅' },
  { role: 'organizer', path: '/courses' },
  { role: 'organizer', path: '/courses/new' },
  { role: 'organizer', path: '/courses/readings' },
  { role: 'organizer', path: '/courses/readings/search?q=自我革命' },
  { role: 'organizer', path: '/courses/statistics' },
  { role: 'organizer', path: '/review/search' },
  { role: 'organizer', path: '/review/tracker' },
  { role: 'organizer', path: '/bulletins' },
  { role: 'admin', path: '/admin', heading: '账号管理' },
  { role: 'admin', path: '/admin/users/new' },
  { role: 'admin', path: '/admin/units' },
  { role: 'admin', path: '/admin/roster' },
  { role: 'admin', path: '/admin/security' },
  { role: 'admin', path: '/admin/wording' },
  { role: 'auditor', path: '/audit', heading: '审计日志' },
];

for (const vp of VIEWPORTS) {
  for (const p of PAGES) {
    test(`${p.path} has no serious accessibility violation at ${vp.name} width`, async ({ browser }) => {
      const context = await browser.newContext({
        viewport: { width: vp.width, height: vp.height },
        storageState: p.role ? stateFile(p.role) : undefined,
      });
      const page = await context.newPage();
      const errors = watchConsole(page);
      const res = await page.goto(p.path);
      expect(res?.status()).toBe(200);
      // One h1 per page, and the home pages say what they are.
      await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
      if (p.heading) await expect(page.getByRole('heading', { level: 1, name: p.heading })).toBeVisible();
      await expectAccessible(page);
      await page.screenshot({ path: `test-results/screens/${p.path.replace(/[/?=&]/gu, '_') || 'root'}-${vp.name}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    });
  }
}
