// Page 4 (gradient descent) in Chromium.
import { minimize } from '@nudge/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runOptions } from '../src/pages/descent/compute.js';
import { DEFAULTS, keyOf, type DescentState as State } from '../src/pages/descent/state.js';
import { screenshot, seriousViolations, type Browser } from './harness.js';
import { narrowScreen, openHostile, settledOn, useBrowser } from './page-checks.js';

let browser: Browser;
let page: Page;
useBrowser((b) => ((browser = b), (page = b.page)));

/** Settled on the state ('done': the results are on screen; the replay on the map may still run). */
const settled = (state: State, want: 'done' | 'error' = 'done'): Promise<void> => settledOn(page, 'descent', keyOf(state), want);
/** The replay on the map has finished. */
const replayed = (): Promise<unknown> => page.waitForSelector('section.page[data-page="descent"][data-animation="done"]', { timeout: 10_000 });
const text = async (selector: string): Promise<string> => (await page.textContent(selector)) ?? '';
const overlayPixels = (): Promise<string> => page.evaluate(() => document.querySelector<HTMLCanvasElement>('canvas.contour-overlay')!.toDataURL());
const expressionField = '.field-expression input';

interface Row {
  status: string;
  x: number;
  y: number;
  value: number;
  steps: number;
}
const row = async (optimizer: string): Promise<Row> => {
  const r = page.locator(`#result-${optimizer}`);
  const n = async (name: string): Promise<number> => Number(await r.getAttribute(`data-${name}`));
  return { status: (await r.getAttribute('data-status'))!, x: await n('x'), y: await n('y'), value: await n('value'), steps: await n('steps') };
};

/** Each optimiser's end on screen is the core's, run here in Node with the same options. */
async function expectCoreEnds(s: State): Promise<void> {
  for (const optimizer of s.opt) {
    const core = minimize(s.f, { x: s.x, y: s.y }, runOptions(s, optimizer, ['x', 'y']));
    const shown = await row(optimizer);
    expect(shown.status).toBe(core.status);
    expect(shown.steps).toBe(core.iterations);
    expect(shown.x).toBe(core.point.x);
    expect(shown.y).toBe(core.point.y);
  }
}

describe('page 4 in Chromium: gradient descent', () => {
  it('loads with the seed: every optimiser on Rosenbrock from (-1.2, 1) ends near (1, 1), as the core’s runs do', async () => {
    await page.goto(`${browser.url}?page=descent`);
    await settled(DEFAULTS);
    for (const optimizer of DEFAULTS.opt) {
      const r = await row(optimizer);
      expect(r.status).toBe('converged');
      expect(r.x).toBeCloseTo(1, 6);
      expect(r.y).toBeCloseTo(1, 6);
    }
    await expectCoreEnds(DEFAULTS);
    expect(await page.locator('#race-results tbody tr').count()).toBe(5);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('long tasks: while the race runs and is replayed, measured against 50 ms; nothing computes on the main thread', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    await page.getByRole('button', { name: 'Race again' }).click();
    await page.waitForSelector('section.page[data-page="descent"][data-animation="running"]');
    await settled(DEFAULTS);
    await replayed();
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    console.log(`long tasks over 50 ms during the race and its replay: ${tasks.length}${tasks.length ? `, longest ${Math.max(...tasks).toFixed(0)} ms` : ''}`);
    // Measured and printed against the 50 ms target; asserted against what main-thread computation would cost,
    // not against a shared machine's scheduling noise.
    expect(Math.max(0, ...tasks)).toBeLessThan(250);
  });

  it('a function the test types, with its own start and learning rate, ends where the core’s runs end; controls change what is drawn', async () => {
    const f = 'x^2 + 3*y^2 - x*y';
    await page.fill(expressionField, f);
    await page.getByLabel('start x =').fill('1.5');
    await page.getByLabel('start y =').fill('-0.5');
    await page.getByLabel('learning rate').fill('0.05');
    const s = { ...DEFAULTS, f, x: 1.5, y: -0.5, lr: 0.05 };
    await settled(s);
    await expectCoreEnds(s);
    await replayed();
    const before = await overlayPixels();
    await page.getByLabel('Adam').uncheck();
    const fewer = { ...s, opt: DEFAULTS.opt.filter((o) => o !== 'adam') };
    await settled(fewer);
    await replayed();
    expect(await page.locator('#result-adam').count()).toBe(0);
    expect(await overlayPixels()).not.toBe(before);
    expect(page.url()).toContain('opt=gd%2Cmomentum%2Cnesterov%2Cline-search');
  });

  it('a click on the map starts the race there; the arrow keys move the start', async () => {
    await page.goto(`${browser.url}?page=descent`);
    await settled(DEFAULTS);
    const area = page.locator('.contour-area');
    const box = (await area.boundingBox())!;
    await area.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('x') !== '-1.2');
    const url = new URL(page.url());
    const s = { ...DEFAULTS, x: Number(url.searchParams.get('x')), y: Number(url.searchParams.get('y')) };
    expect(Math.abs(s.x)).toBeLessThan(0.5);
    await settled(s);
    await expectCoreEnds(s);
    await page.keyboard.press('ArrowLeft'); // one step: 4 / 50 = 0.08
    const moved = { ...s, x: Number((s.x - 0.08).toFixed(4)) };
    await settled(moved);
    expect(await page.inputValue('text=start x = >> xpath=.. >> input')).toBe(String(moved.x));
  });

  it('divergence is shown as such: gd with lr 0.01 on Rosenbrock diverges, with the core’s hint', async () => {
    await page.goto(`${browser.url}?page=descent&lr=0.01&opt=gd,line-search`);
    const s = { ...DEFAULTS, lr: 0.01, opt: ['gd', 'line-search'] as State['opt'] };
    await settled(s);
    await replayed();
    const core = minimize(s.f, { x: s.x, y: s.y }, runOptions(s, 'gd', ['x', 'y']));
    expect(core.status).toBe('diverged');
    expect((await row('gd')).status).toBe('diverged');
    expect(await page.isVisible('#result-gd .status-diverged')).toBe(true);
    expect(await text('#result-gd .note')).toBe(core.hint);
    expect((await row('line-search')).status).toBe('converged');
    await screenshot(page, 'descent-diverged.png');
  });

  it('a bad expression shows its error with the column marked', async () => {
    await page.goto(`${browser.url}?page=descent`);
    await settled(DEFAULTS);
    await page.fill(expressionField, '(1-x)^2 + * y');
    await settled({ ...DEFAULTS, f: '(1-x)^2 + * y' }, 'error');
    expect(await page.getAttribute('.expression-error', 'data-column')).toBe('11');
    expect(await text('.expression-error .message')).toMatch(/column 11/);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('a URL carrying <img onerror> and <script> in every parameter executes nothing', async () => {
    const names = ['f', 'x', 'y', 'lr', 'opt', 'steps', 'cx', 'cy', 'r'];
    await openHostile(browser, ['page', ...names], () => page.waitForSelector('section.page[data-state]').then(() => undefined));
    const params = new URLSearchParams({ page: 'descent' });
    for (const name of names) params.set(name, '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    await page.goto(`${browser.url}?${params.toString()}`);
    await settled({ ...DEFAULTS, f: params.get('f')! }, 'error');
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#race-results tbody tr').count()).toBe(0);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('axe-core reports no serious or critical violation; fits 360 px; saves test-output/descent.png and descent-360.png', async () => {
    await page.goto(`${browser.url}?page=descent`);
    await settled(DEFAULTS);
    await replayed();
    expect(await seriousViolations(page)).toEqual([]);
    await narrowScreen(page, 'descent');
    expect(browser.consoleErrors).toEqual([]);
  });
});
