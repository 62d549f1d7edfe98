// Page 2 (the derivative as an expression) in Chromium.
import { explainByLimit, explainDerivative, explainGradient, flattenSteps } from '@nudge/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, keyOf, type ExpressionState as State } from '../src/pages/expression/state.js';
import { seriousViolations, type Browser } from './harness.js';
import { HOSTILE, narrowScreen, openHostile, settledOn, useBrowser } from './page-checks.js';

let browser: Browser;
let page: Page;
useBrowser((b) => ((browser = b), (page = b.page)));

const settled = (s: State, want: 'done' | 'error' = 'done'): Promise<void> => settledOn(page, 'expression', keyOf(s), want);
const text = async (selector: string): Promise<string> => (await page.textContent(selector)) ?? '';
const field = '.field-expression input';
const equations = (selector: string): Promise<string[]> => page.$$eval(`${selector} .formula[data-equation]`, (xs) => xs.map((x) => x.getAttribute('data-equation') ?? ''));

describe('page 2 in Chromium: the derivative as an expression', () => {
  it('loads with the seed: d/dx x^2 shows 2x, by the power rule and by the limit', async () => {
    await page.goto(`${browser.url}?page=expression`);
    await settled(DEFAULTS);
    expect(await text('#derivative-text')).toBe('2*x');
    expect(await page.isVisible('.wrt-field')).toBe(false); // one variable: nothing to choose
    expect(await page.textContent('#derivative-tex .katex-mathml annotation')).toBe(explainDerivative('x^2').latex);
    expect(await page.isVisible('#derivative-tex .katex')).toBe(true);
    expect(await page.getAttribute('#rule-steps li.step', 'data-rule')).toBe('power');
    expect(await equations('#limit-steps')).toEqual(flattenSteps(explainByLimit('x^2').steps).map((s) => s.step.equation));
    expect(await text('#limit-steps')).toContain('Let h go to 0');
    expect(browser.consoleErrors).toEqual([]);
  });

  it('a function the test types (exp(-x^2/2)*x^3) shows the core derivative, every step and the chain rule', async () => {
    const f = 'exp(-x^2/2)*x^3';
    await page.fill(field, f);
    await settled({ f, wrt: '' });
    const core = explainDerivative(f);
    expect(await text('#derivative-text')).toBe(core.derivative);
    expect(await equations('#rule-steps')).toEqual(flattenSteps(core.steps).map((s) => s.step.equation));
    expect(await page.locator('#chain-steps li[data-rule="chain"]').count()).toBeGreaterThan(0);
    expect(await text('#limit-note')).toContain('not a polynomial');
    expect(page.url()).toContain('f=exp');
  });

  it('controls: several variables show the partial derivatives, and the variable chosen changes the derivative', async () => {
    const f = 'x^2*y + sin(y)';
    await page.fill(field, f);
    await settled({ f, wrt: 'x' });
    expect(await text('#derivative-text')).toBe(explainDerivative(f, 'x').derivative);
    expect(await equations('#partial-steps')).toEqual(flattenSteps(explainGradient(f).steps).map((s) => s.step.equation));
    await page.getByLabel('differentiate by').selectOption('y');
    await settled({ f, wrt: 'y' });
    expect(await text('#derivative-text')).toBe(explainDerivative(f, 'y').derivative);
    expect(page.url()).toContain('wrt=y');
  });

  it('a bad expression shows its error with the column marked', async () => {
    await page.fill(field, 'x^2 + * 3');
    await settled({ f: 'x^2 + * 3', wrt: 'y' }, 'error');
    expect(await page.isVisible('.expression-error')).toBe(true);
    expect(await page.getAttribute('.expression-error', 'data-column')).toBe('7');
    expect(await text('.expression-error .message')).toMatch(/column 7/);
    expect(await text('#derivative-text')).toBe('');
    expect(browser.consoleErrors).toEqual([]);
  });

  it('a URL carrying <img onerror> and <script> in every parameter executes nothing', async () => {
    await openHostile(browser, ['page', 'f', 'wrt'], async () => {
      await page.waitForSelector('.notice');
      await page.goto(`${browser.url}?page=expression&${new URLSearchParams({ f: HOSTILE, wrt: HOSTILE })}`);
      await settled({ f: HOSTILE, wrt: '' }, 'error');
    });
    expect(await page.inputValue(field)).toBe(HOSTILE);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('axe-core reports no serious or critical violation; 360 px has no horizontal scrolling; screenshots saved', async () => {
    await page.goto(`${browser.url}?page=expression&f=sin(x%5E2)*y`);
    await settled({ f: 'sin(x^2)*y', wrt: 'x' });
    expect(await seriousViolations(page)).toEqual([]);
    await narrowScreen(page, 'expression');
    expect(browser.consoleErrors).toEqual([]);
  });
});
