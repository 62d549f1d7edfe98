// Page 6 (training) in Chromium.
import { dataset, fit } from '@nudge/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, keyOf, type TrainingState as State } from '../src/pages/training/state.js';
import { seriousViolations, type Browser } from './harness.js';
import { HOSTILE, narrowScreen, openHostile, settledOn, useBrowser } from './page-checks.js';

let browser: Browser;
let page: Page;
useBrowser((b) => ((browser = b), (page = b.page)));

const trained = (s: State): Promise<void> => settledOn(page, 'training', keyOf(s), 'done' as never, 20_000);
const params = async (): Promise<Record<string, number>> => JSON.parse((await page.getAttribute('#fit-params', 'data-params')) ?? '{}') as Record<string, number>;
const plotPixels = (): Promise<string> => page.evaluate(() => document.querySelector<HTMLCanvasElement>('canvas.data-plot')!.toDataURL());
const LINE: State = { ...DEFAULTS, data: 'line', model: 'line', epochs: 300 };

/** A task this long would be computation on the main thread, which the page leaves to the worker. */
const MAIN_THREAD_WORK_MS = 250;

describe('page 6 in Chromium: training', () => {
  it('loads and trains the default network on the moons, no computation on the main thread (long tasks measured), with no console errors', async () => {
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${browser.url}?page=training`);
    await page.waitForFunction(() => /Training: epoch/.test(document.querySelector('#fit-status')?.textContent ?? ''));
    const atStart = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.length); // loading the page may take long tasks
    await trained(DEFAULTS);
    const during = await page.evaluate((n) => (window as unknown as { __longTasks: number[] }).__longTasks.slice(n), atStart);
    console.log(`long tasks while training (ms): ${JSON.stringify(during)}`);
    // The target (no task over 50 ms) is measured and printed; the assertion's bound is what computing on the main
    // thread would cost (a fit or a grid: seconds), not a shared machine's scheduling noise (one 55 ms task, seen under load).
    expect(Math.max(0, ...during)).toBeLessThan(MAIN_THREAD_WORK_MS);
    expect(await page.textContent('#fit-status')).toContain('Trained after 1000 epochs');
    const accuracy = Number((await page.textContent('#fit-accuracy'))!.replace(' %', ''));
    expect(accuracy).toBeGreaterThan(90);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('the seed: a line fitted to the shipped line data ends near w = 2, b = 1, the numbers the core computes', async () => {
    await page.goto(`${browser.url}?page=training&data=line&epochs=300`);
    await trained(LINE);
    const p = await params();
    expect(p.w_x).toBeCloseTo(2, 1);
    expect(p.b).toBeCloseTo(1, 1);
    // the same run in the core: plain gradient descent in segments is one run
    const core = fit(dataset('line', { rows: 200, seed: 1 }).data, { model: 'linear', target: 'y', optimizer: 'gd', lr: 0.3, tol: 0, epochs: 300 });
    expect(p.w_x).toBeCloseTo(core.params.w_x!, 10);
    expect(p.b).toBeCloseTo(core.params.b!, 10);
    expect(Number(await page.getAttribute('#fit-loss', 'data-raw'))).toBeCloseTo(core.trainingLoss, 10);
  });

  it('controls change what is drawn; Stop keeps what was learned', async () => {
    const before = await plotPixels();
    await page.getByLabel('data', { exact: true }).selectOption('circles');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('section.page')!.dataset.state !== 'done');
    expect(await plotPixels()).not.toBe(before);
    expect(page.url()).toContain('data=circles');
    await page.getByLabel('epochs').selectOption('3000');
    await page.click('#train');
    await page.waitForFunction(() => /epoch \d+ of 3000/.test(document.querySelector('#fit-status')?.textContent ?? ''));
    await page.click('#train'); // Stop
    const state = { ...DEFAULTS, data: 'circles', epochs: 3000 } as const;
    await trained(state);
    expect(await page.textContent('#fit-status')).toMatch(/Stopped after \d+ epochs/);
    expect(Object.keys(await params()).length).toBeGreaterThan(0);
  });

  it('points clicked in two classes are trained on', async () => {
    await page.goto(`${browser.url}?page=training&data=clicked&model=logistic&epochs=100`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('section.page')!.dataset.state === 'ready');
    const canvas = page.locator('canvas.data-plot');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    for (const [fx, fy] of [[0.2, 0.2], [0.25, 0.3], [0.3, 0.2]]) await page.mouse.click(box.x + fx! * box.width, box.y + fy! * box.height);
    await page.getByRole('button', { name: 'class 1' }).click();
    for (const [fx, fy] of [[0.8, 0.8], [0.75, 0.7], [0.7, 0.8]]) await page.mouse.click(box.x + fx! * box.width, box.y + fy! * box.height);
    const points = new URLSearchParams(await page.evaluate(() => location.search)).get('points')!;
    expect(points.split(','), points).toHaveLength(6);
    await page.click('#train');
    const { parsePoints } = await import('../src/pages/training/state.js');
    await trained({ ...DEFAULTS, data: 'clicked', model: 'logistic', epochs: 100, points: parsePoints(points) });
    expect(await page.textContent('#fit-accuracy')).toBe('100 %');
  });

  it('a URL carrying <img onerror> and <script> in every parameter executes nothing', async () => {
    await openHostile(browser, ['page', 'data', 'model', 'hidden', 'lr', 'epochs', 'points'], async () => {
      await page.waitForSelector('.notice');
      const params = new URLSearchParams({ page: 'training' });
      for (const name of ['data', 'model', 'hidden', 'lr', 'epochs', 'points']) params.set(name, HOSTILE);
      await page.goto(`${browser.url}?${params}`);
      await page.waitForFunction(() => /Training: epoch|Trained/.test(document.querySelector('#fit-status')?.textContent ?? '')); // the defaults, training
      expect(await page.evaluate(() => location.search)).toBe(`?page=training&data=moons&model=mlp&hidden=8&lr=0.3&epochs=1000`);
    });
    expect(browser.consoleErrors).toEqual([]);
  });

  it('axe-core reports no serious or critical violation; 360 px has no horizontal scrolling; screenshots saved', async () => {
    await trained(DEFAULTS);
    expect(await page.isVisible('.click-tools')).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await narrowScreen(page, 'training');
    expect(browser.consoleErrors).toEqual([]);
  });
});
