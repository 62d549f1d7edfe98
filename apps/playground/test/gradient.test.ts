// Page 3 (gradients and directional derivatives) in Chromium.
import { critical, directional, formatNumber, gradient } from '@nudge/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, keyOf, unitOf, type GradientState as State } from '../src/pages/gradient/state.js';
import { screenshot, seriousViolations, type Browser } from './harness.js';
import { narrowScreen, openHostile, settledOn, useBrowser } from './page-checks.js';

let browser: Browser;
let page: Page;

useBrowser((b) => ((browser = b), (page = b.page)));

const settled = (state: State, want: 'done' | 'error' = 'done'): Promise<void> => settledOn(page, 'gradient', keyOf(state), want);
const text = async (selector: string): Promise<string> => (await page.textContent(selector)) ?? '';
const mapPixels = (): Promise<string> => page.evaluate(() => document.querySelector<HTMLCanvasElement>('canvas.contour-map')!.toDataURL());
const overlayPixels = (): Promise<string> => page.evaluate(() => document.querySelector<HTMLCanvasElement>('canvas.contour-overlay')!.toDataURL());
const expressionField = '.field-expression input';

/** The point's numbers on screen against the core's, computed here in Node. */
async function expectPointNumbers(s: State): Promise<void> {
  const at = { x: s.x, y: s.y };
  const [ux, uy] = unitOf(s.angle);
  const g = gradient(s.f, at);
  const d = directional(s.f, at, { x: ux, y: uy });
  expect(await text('#grad-x')).toBe(formatNumber(g.gradient.x!));
  expect(await text('#grad-y')).toBe(formatNumber(g.gradient.y!));
  expect(await text('#grad-norm')).toBe(formatNumber(g.norm));
  expect(await text('#directional-value')).toBe(formatNumber(d.directional));
  expect(Number(await page.getAttribute('#directional-value', 'data-raw'))).toBe(d.directional);
  // the dot product, by hand
  expect(d.directional).toBeCloseTo(g.gradient.x! * ux + g.gradient.y! * uy, 12);
}

/** The critical points listed on screen, each checked against the core's critical from the same place. */
async function listedCritical(f: string): Promise<{ kind: string; x: number; y: number }[]> {
  const items = await page.$$eval('#critical-list li', (lis) => lis.map((li) => ({ kind: li.getAttribute('data-kind')!, x: Number(li.getAttribute('data-x')), y: Number(li.getAttribute('data-y')) })));
  for (const item of items) {
    const c = critical(f, { x: item.x, y: item.y });
    expect(c.status).toBe('converged');
    expect(c.kind).toBe(item.kind);
    expect(c.point.x).toBeCloseTo(item.x, 9);
    expect(c.point.y).toBeCloseTo(item.y, 9);
  }
  return items;
}

describe('page 3 in Chromium: gradients and directional derivatives', () => {
  it('loads with no console errors: the map, the default point against the core, a minimum at (1, 0) and a saddle at (-1, 0)', async () => {
    await page.goto(`${browser.url}?page=gradient`);
    await settled(DEFAULTS);
    await expectPointNumbers(DEFAULTS);
    const found = await listedCritical(DEFAULTS.f);
    expect(found.map((c) => c.kind)).toEqual(['saddle', 'minimum']);
    expect(found[0]!.x).toBeCloseTo(-1, 9);
    expect(found[1]!.x).toBeCloseTo(1, 9);
    expect(found[1]!.y).toBeCloseTo(0, 9);
    expect(await text('.plot-description')).toMatch(/heatmap shows f over x from -2.5 to 2.5/);
    expect(await page.locator('.katex').count()).toBeGreaterThan(0);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('a function the test types (sin(x)*cos(y), point (0.7, -0.4), u at 120 degrees) shows the core’s gradient, directional derivative and critical points', async () => {
    const f = 'sin(x)*cos(y)';
    await page.fill(expressionField, f);
    await page.getByLabel('point x =').fill('0.7');
    await page.getByLabel('point y =').fill('-0.4');
    await page.getByLabel('direction u, degrees').fill('120');
    const s = { ...DEFAULTS, f, x: 0.7, y: -0.4, angle: 120 };
    await settled(s);
    await expectPointNumbers(s);
    const found = await listedCritical(f);
    // in [-2.5, 2.5]^2: a minimum at (-pi/2, 0), a maximum at (pi/2, 0), saddles at (0, -pi/2) and (0, pi/2)
    expect(found.map((c) => c.kind)).toEqual(['minimum', 'saddle', 'saddle', 'maximum']);
    expect(found[0]!.x).toBeCloseTo(-Math.PI / 2, 9);
    expect(found[3]!.x).toBeCloseTo(Math.PI / 2, 9);
    expect(page.url()).toContain('angle=120');
  });

  it('controls change what is drawn: the arrow keys move the point, the direction turns, the arrows switch off', async () => {
    await page.goto(`${browser.url}?page=gradient`);
    await settled(DEFAULTS);
    const overlay = await overlayPixels();
    await page.focus('.contour-area');
    await page.keyboard.press('ArrowRight'); // one step: 5 / 50 = 0.1
    await page.keyboard.press('ArrowUp');
    const moved = { ...DEFAULTS, x: 1.6, y: 1.1 };
    await settled(moved);
    await expectPointNumbers(moved);
    expect(await overlayPixels()).not.toBe(overlay);
    expect(page.url()).toContain('x=1.6');

    const tip = page.getByRole('slider', { name: 'Direction u, in degrees' });
    await tip.focus();
    await tip.press('ArrowLeft'); // +5 degrees
    const turned = { ...moved, angle: 50 };
    await settled(turned);
    await expectPointNumbers(turned);
    expect(await tip.getAttribute('aria-valuenow')).toBe('50');

    const map = await mapPixels();
    await page.getByLabel('gradient arrows').uncheck();
    await settled({ ...turned, arrows: 0 });
    expect(await mapPixels()).not.toBe(map);
    expect(page.url()).toContain('arrows=0');
  });

  it('a click marks a point there', async () => {
    const area = page.locator('.contour-area');
    const box = (await area.boundingBox())!;
    await area.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('x') !== '1.6');
    const url = new URL(page.url());
    const x = Number(url.searchParams.get('x'));
    const y = Number(url.searchParams.get('y'));
    expect(Math.abs(x)).toBeLessThan(0.5); // the middle of [-2.5, 2.5], give or take the margins
    expect(Math.abs(y)).toBeLessThan(0.5);
    const s = { ...DEFAULTS, x, y, angle: 50, arrows: 0 };
    await settled(s);
    await expectPointNumbers(s);
  });

  it('a bad expression shows its error with the column marked', async () => {
    await page.fill(expressionField, 'x*y +');
    await settled({ ...DEFAULTS, f: 'x*y +', angle: 50, arrows: 0, ...(await pointOfUrl()) }, 'error');
    expect(await page.isVisible('.expression-error')).toBe(true);
    expect(await page.getAttribute('.expression-error', 'data-column')).toBe('6');
    expect(await text('.expression-error .message')).toMatch(/column 6/);
    await screenshot(page, 'gradient-error.png');
    expect(browser.consoleErrors).toEqual([]);
  });

  it('a URL carrying <img onerror> and <script> in every parameter executes nothing', async () => {
    const names = ['page', 'f', 'x', 'y', 'angle', 'arrows', 'cx', 'cy', 'r'];
    await openHostile(browser, names, () => page.waitForSelector('section.page[data-state="error"]').then(() => undefined));
    await page.goto(`${browser.url}?page=gradient&${names.slice(1).map((n) => `${n}=%3Cscript%3Ewindow.__pwned%3D3%3C%2Fscript%3E`).join('&')}`);
    await settled({ ...DEFAULTS, f: '<script>window.__pwned=3</script>' }, 'error');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.inputValue(expressionField)).toBe('<script>window.__pwned=3</script>');
    expect(await text('#grad-x')).toBe('');
    expect(browser.consoleErrors).toEqual([]);
  });

  it('axe-core reports no serious or critical violation; fits 360 px; saves test-output/gradient.png and gradient-360.png', async () => {
    await page.goto(`${browser.url}?page=gradient`);
    await settled(DEFAULTS);
    expect(await seriousViolations(page)).toEqual([]);
    await narrowScreen(page, 'gradient');
    expect(browser.consoleErrors).toEqual([]);
  });
});

async function pointOfUrl(): Promise<{ x: number; y: number }> {
  const url = new URL(page.url());
  return { x: Number(url.searchParams.get('x')), y: Number(url.searchParams.get('y')) };
}
