import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { stateFile, watchConsole } from './support';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const PAGES = [
  { role: null, path: '/login', heading: '读书班学习平台 · 登录' },
  { role: 'cadre', path: '/my', heading: '我的学习' },
  { role: 'organizer', path: '/review', heading: '审阅' },
  { role: 'admin', path: '/admin', heading: '账号管理' },
] as const;

for (const vp of VIEWPORTS) {
  for (const p of PAGES) {
    test(`${p.path} has no serious accessibility violation at ${vp.name} width`, async ({ browser }) => {
      const context = await browser.newContext({
        viewport: { width: vp.width, height: vp.height },
        storageState: p.role ? stateFile(p.role) : undefined,
      });
      const page = await context.newPage();
      const errors = watchConsole(page);
      await page.goto(p.path);
      await expect(page.getByRole('heading', { name: p.heading })).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
      // Nothing overflows sideways on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `test-results/screens/${p.path.replace(/\//gu, '_') || 'root'}-${vp.name}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    });
  }
}
