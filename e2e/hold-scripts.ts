import type { Page, Route } from '@playwright/test';

/**
 * Opens the page with every script of the app held back, as on a slow phone where the HTML has
 * arrived and the scripts have not: what a person types now goes into the server-rendered form.
 * Returns the release, after which the scripts load and React takes over the page.
 */
export async function openWithScriptsHeld(page: Page, path: string): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let holding = true;
  await page.route('**/_next/static/**/*.js', async (route) => {
    if (holding) held.push(route);
    else await route.continue();
  });
  await page.goto(path, { waitUntil: 'domcontentloaded' });
  return async () => {
    holding = false;
    for (const route of held.splice(0)) await route.continue();
  };
}
