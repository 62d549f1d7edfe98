// Page 1 (slope and the derivative) and the shell around it, in Chromium.
import { derivative, formatEstimate, formatNumber, slope, tangent } from '@nudge/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, keyOf, type SlopeState as State } from '../src/pages/slope/state.js';
import { openBrowser, screenshot, seriousViolations, type Browser } from './harness.js';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
});

/** Wait until page 1 shows what it computed from exactly this state ('done', or 'error' for an expression that does not parse). */
async function settled(state: State, want: 'done' | 'error' = 'done'): Promise<void> {
  const key = keyOf(state);
  try {
    await page.waitForFunction(
      ([k, w]) => {
        const section = document.querySelector<HTMLElement>('section.page[data-page="slope"]');
        return section?.dataset.key === k && section.dataset.state === w;
      },
      [key, want] as const,
      { timeout: 15_000 },
    );
  } catch {
    const seen = await page.evaluate(() => ({ ...document.querySelector<HTMLElement>('section.page')?.dataset }));
    throw new Error(`page 1 did not settle on ${key} (${want}); it shows ${JSON.stringify(seen)}`);
  }
}

const text = async (selector: string): Promise<string> => (await page.textContent(selector)) ?? '';
const expressionField = '.field-expression input';
const fChartPixels = (): Promise<string> => page.evaluate(() => document.querySelector<HTMLCanvasElement>('.chart canvas')!.toDataURL());

describe('page 1 in Chromium: slope and the derivative', () => {
  it('loads with no console errors and shows the seed examples: x^2+3 from 1 to 3 has slope 4', async () => {
    await page.goto(browser.url);
    await settled(DEFAULTS);
    expect(await text('#secant-a')).toBe('(1, 4)');
    expect(await text('#secant-b')).toBe('(3, 12)');
    expect(await text('#secant-rise')).toBe('8');
    expect(await text('#secant-run')).toBe('2');
    expect(await text('#secant-slope')).toBe('4');
    expect(await page.getAttribute('nav a[aria-current="page"]', 'href')).toBe('?page=slope');
    expect(await page.locator('.katex').count()).toBeGreaterThan(0);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('x^2 typed in: at 3 the forward difference with h = 1e-4 shows 6.0001, the exact derivative 6, the tangent y = 6x - 9', async () => {
    await page.fill(expressionField, 'x^2');
    await settled({ ...DEFAULTS, f: 'x^2' });
    expect(await text('#forward-value')).toBe('6.0001');
    expect(await text('#exact-value')).toBe('6');
    expect(await text('#tangent-equation')).toBe('y = 6x - 9');
    expect(await text('#tangent-h')).toBe('h = 0.0001');
    expect(await text('table.steps tr.current th')).toBe('0.0001');
    expect(await text('table.steps tr.current td')).toBe(formatNumber(derivative('x^2', 3, { method: 'forward', h: 1e-4 }).derivative));
    expect(await page.getAttribute('#forward-value', 'data-raw')).toBe(String(derivative('x^2', 3, { method: 'forward', h: 1e-4 }).derivative));
    expect(page.url()).toContain('f=x%5E2');
  });

  it('a function the test types (sin(x)*x at 1.3, secant from -0.5 to 2) shows the numbers the core computes', async () => {
    const f = 'sin(x)*x';
    await page.fill(expressionField, f);
    await page.getByLabel('A at x =').fill('-0.5');
    await page.getByLabel('B at x =').fill('2');
    await page.getByLabel('x =', { exact: true }).fill('1.3');
    await settled({ ...DEFAULTS, f, a: -0.5, b: 2, x: 1.3 });
    const s = slope(f, -0.5, 2);
    expect(await text('#secant-slope')).toBe(formatNumber(s.slope));
    expect(await text('#secant-rise')).toBe(formatNumber(s.rise));
    const fwd = derivative(f, 1.3, { method: 'forward', h: 1e-4 });
    expect(await text('#forward-value')).toBe(formatEstimate(fwd.derivative, fwd.errorEstimate));
    const t = tangent(f, 1.3);
    expect(await text('#exact-value')).toBe(formatNumber(t.derivative));
    expect(Number(await page.getAttribute('#exact-value', 'data-raw'))).toBe(t.derivative);
    expect(await text('#tangent-equation')).toBe(t.equation);
    expect(t.derivative).toBeCloseTo(Math.sin(1.3) + 1.3 * Math.cos(1.3), 12);
  });

  it('controls change what is drawn: a point moved by keys, h by the slider', async () => {
    await page.goto(browser.url);
    await settled(DEFAULTS);
    const before = await fChartPixels();
    const handle = page.getByRole('slider', { name: 'Point A of the secant' });
    await handle.focus();
    await handle.press('ArrowRight'); // one step: (4 - -1) / 50 = 0.1
    await settled({ ...DEFAULTS, a: 1.1 });
    expect(await text('#secant-slope')).toBe(formatNumber(slope('x^2+3', 1.1, 3).slope));
    expect(await handle.getAttribute('aria-valuenow')).toBe('1.1');
    expect(await page.inputValue('text=A at x = >> xpath=.. >> input')).toBe('1.1');
    expect(await fChartPixels()).not.toBe(before);
    expect(page.url()).toContain('a=1.1');

    await page.getByLabel('step h (log scale)').fill('-2');
    await settled({ ...DEFAULTS, a: 1.1, h: 0.01 });
    expect(await text('#tangent-h')).toBe('h = 0.01');
    expect(await text('#forward-value')).toBe(formatEstimate(...(({ derivative: d, errorEstimate: e }) => [d, e] as const)(derivative('x^2+3', 3, { method: 'forward', h: 0.01 }))));
    expect(await text('table.steps tr.current th')).toBe('0.01');
  });

  it('a point dragged with the pointer moves the secant to the numbers the core computes there', async () => {
    const handle = page.getByRole('slider', { name: 'Point A of the secant' }); // B sits under x's handle at 3
    await handle.scrollIntoViewIfNeeded();
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const a = Number(new URL(page.url()).searchParams.get('a'));
    expect(a).toBeGreaterThan(1.2);
    await settled({ ...DEFAULTS, a, h: 0.01 });
    expect(await text('#secant-slope')).toBe(formatNumber(slope('x^2+3', a, 3).slope));
    expect(await handle.getAttribute('aria-valuenow')).toBe(String(a));
    await page.goto(`${browser.url}?page=slope&a=1.1&h=0.01`); // back to a = 1.1 for the tests below
    await settled({ ...DEFAULTS, a: 1.1, h: 0.01 });
  });

  it('a bad expression shows its error with the column marked, and nothing on the console', async () => {
    await page.fill(expressionField, 'sin(x))');
    await settled({ ...DEFAULTS, f: 'sin(x))', a: 1.1, h: 0.01 }, 'error');
    expect(await page.isVisible('.expression-error')).toBe(true);
    expect(await text('.expression-error .message')).toMatch(/column 7/);
    expect(await page.getAttribute('.expression-error', 'data-column')).toBe('7');
    expect(await text('.expression-error mark')).toBe(')');
    expect(await page.getAttribute(expressionField, 'aria-invalid')).toBe('true');
    await screenshot(page, 'slope-error.png');
    await page.fill(expressionField, 'x*y');
    await settled({ ...DEFAULTS, f: 'x*y', a: 1.1, h: 0.01 }, 'error');
    expect(await text('.expression-error .message')).toMatch(/one variable/);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('a URL carrying <img onerror> and <script> in every parameter executes nothing and shows the text as text', async () => {
    const img = '<img src=x onerror="window.__pwned=1">';
    const script = '<script>window.__pwned=2</script>';
    const payload = `${img}${script}`;
    const params = new URLSearchParams();
    for (const name of ['page', 'f', 'a', 'b', 'x', 'h', 'from', 'to']) params.set(name, payload);
    await page.goto(`${browser.url}?${params.toString()}`);
    await settled({ ...DEFAULTS, f: payload }, 'error');
    await page.waitForTimeout(200); // an onerror would have fired by now
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => [...document.querySelectorAll('script')].filter((s) => !s.src).length)).toBe(0);
    expect(await page.inputValue(expressionField)).toBe(payload);
    expect(await text('.notice')).toContain(payload);
    expect(await text('#secant-slope')).toBe(''); // nothing computed from a payload
    expect(await text('#forward-value')).toBe('');
    expect(browser.consoleErrors).toEqual([]);
  });

  it('axe-core reports no serious or critical violation on page 1 and on the page a link opens (page 4)', async () => {
    await page.goto(browser.url);
    await settled(DEFAULTS);
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('nav >> text=Gradient descent');
    await page.waitForSelector('section.page[data-page="descent"][data-state="done"]');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('every page of the navigation opens, without reloading; back returns to page 1', async () => {
    const titles = await page.locator('nav a').allTextContents();
    expect(titles).toEqual([
      'Slope and the derivative',
      'The derivative as an expression',
      'Gradients and directional derivatives',
      'Gradient descent',
      'The chain rule and backpropagation',
      'Training',
    ]);
    await page.evaluate(() => ((window as unknown as { __stay: boolean }).__stay = true));
    for (const title of titles.slice(1)) {
      await page.click(`nav >> text="${title}"`);
      expect(await text('section.page h2')).toBe(title);
      await page.waitForSelector('section.page[data-state]'); // not built yet, or built (every page marks its state)
    }
    await page.goBack();
    await page.goto(browser.url);
    await settled(DEFAULTS);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('fits 360 px without horizontal scrolling; saves test-output/slope.png and slope-360.png', async () => {
    await screenshot(page, 'slope.png');
    await page.setViewportSize({ width: 360, height: 800 });
    await page.waitForTimeout(150); // the charts follow their container's width
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'slope-360.png');
    await page.setViewportSize({ width: 960, height: 800 });
    expect(browser.consoleErrors).toEqual([]);
  });
});
