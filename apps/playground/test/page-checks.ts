// Checks every page's test makes in the same way: a settled page, a hostile URL, and the narrow screen.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { openBrowser, screenshot, type Browser } from './harness.js';

/** One browser for a test file: opened before its tests (handed to `use`), closed after them. */
export function useBrowser(use: (browser: Browser) => void): void {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await openBrowser();
    use(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });
}

/** Wait until the page `id` shows what it computed from the state whose key is `key` ('done', or 'error' for an input that does not parse). */
export async function settledOn(page: Page, id: string, key: string, want: 'done' | 'error' = 'done', timeout = 15_000): Promise<void> {
  try {
    await page.waitForFunction(
      ([p, k, w]) => {
        const section = document.querySelector<HTMLElement>(`section.page[data-page="${p}"]`);
        return section?.dataset.key === k && section.dataset.state === w;
      },
      [id, key, want] as const,
      { timeout },
    );
  } catch {
    const seen = await page.evaluate(() => ({ ...document.querySelector<HTMLElement>('section.page')?.dataset }));
    throw new Error(`page ${id} did not settle on ${key} (${want}); it shows ${JSON.stringify(seen)}`);
  }
}

export const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

/** Open the page with the hostile text in every parameter; `settle` waits for the page; then nothing ran and no markup appeared. */
export async function openHostile(browser: Browser, names: readonly string[], settle: () => Promise<void>): Promise<void> {
  const { page } = browser;
  const params = new URLSearchParams();
  for (const name of names) params.set(name, HOSTILE);
  await page.goto(`${browser.url}?${params.toString()}`);
  await settle();
  await page.waitForTimeout(200); // an onerror would have fired by now
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => [...document.querySelectorAll('script')].filter((s) => !s.src).length)).toBe(0);
}

/** No horizontal scrolling at 360 px; screenshots at 960 px and 360 px. */
export async function narrowScreen(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}.png`);
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForTimeout(200); // charts and drawings follow their container's width
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await screenshot(page, `${name}-360.png`);
  await page.setViewportSize({ width: 960, height: 800 });
}
