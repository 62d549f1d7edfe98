// Page 5 (the chain rule and backpropagation) in Chromium.
import { backprop, formatNumber, gradient } from '@nudge/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, keyOf, type BackpropState as State } from '../src/pages/backprop/state.js';
import { seriousViolations, type Browser } from './harness.js';
import { HOSTILE, narrowScreen, openHostile, settledOn, useBrowser } from './page-checks.js';

let browser: Browser;
let page: Page;
useBrowser((b) => ((browser = b), (page = b.page)));

const settled = (s: State, variables: readonly string[], want: 'done' | 'error' = 'done'): Promise<void> => settledOn(page, 'backprop', keyOf(s, variables), want);
const field = '.field-expression input';
const raw = async (node: string, column: 'value' | 'adjoint'): Promise<number> => Number(await page.getAttribute(`#nodes-table tr[data-node="${node}"] td.${column}`, 'data-raw'));
const graphPixels = (): Promise<string> => page.evaluate(() => new XMLSerializer().serializeToString(document.querySelector('svg.graph')!));
const NEURON = backprop(DEFAULTS.f, DEFAULTS.at).variables; // f's variables in its order

describe('page 5 in Chromium: the chain rule and backpropagation', () => {
  it('loads the neuron sigmoid(w*x + b): the adjoints of w, x and b are the core gradient', async () => {
    await page.goto(`${browser.url}?page=backprop`);
    await settled(DEFAULTS, NEURON);
    const g = gradient(DEFAULTS.f, DEFAULTS.at);
    for (const v of NEURON) expect(await raw(v, 'adjoint')).toBeCloseTo(g.gradient[v]!, 14);
    expect(await raw('w', 'adjoint')).toBe(backprop(DEFAULTS.f, DEFAULTS.at).gradient.w);
    expect(await page.textContent('#backprop-value')).toBe('0.5');
    expect(await page.locator('svg.graph g.node').count()).toBe(backprop(DEFAULTS.f, DEFAULTS.at).nodes.length);
    expect(await page.textContent('svg.graph g.node[data-node="w"] .node-adjoint')).toContain(formatNumber(0.5, 4));
    expect(browser.consoleErrors).toEqual([]);
  });

  it('the buttons walk the passes with the keyboard: values flow in, then adjoints flow back', async () => {
    const total = (await page.evaluate(() => Number(document.querySelector<HTMLElement>('section.page')!.dataset.step)));
    const before = await graphPixels();
    await page.getByRole('button', { name: 'Start over' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.textContent('#step-status')).toContain('Step 0');
    expect(await page.textContent('svg.graph g.node[data-node="w"] .node-value')).toBe('value ?');
    await page.getByRole('button', { name: 'Step forward' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.textContent('#step-status')).toMatch(/Step 1 of \d+, forward/);
    expect(await graphPixels()).not.toBe(before);
    for (let i = 1; i < total; i++) await page.keyboard.press('Enter');
    expect(await page.textContent('#step-status')).toContain(`Step ${total} of ${total}, backward`);
    expect(await page.textContent('#step-status')).toContain('Done');
    await page.getByRole('button', { name: 'Step back' }).click();
    expect(await page.textContent('#step-status')).toMatch(/backward: ∂f\/∂/);
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('section.page')!.dataset.step) >= 3, undefined, { timeout: 5000 });
    await page.getByRole('button', { name: 'Pause' }).click();
  });

  it('a function the test types and a point it edits show the numbers the core computes', async () => {
    const f = 'tanh(a*b) + a^2';
    await page.fill(field, f);
    await page.waitForSelector('input[data-variable="a"]');
    await page.fill('input[data-variable="a"]', '0.7');
    await page.fill('input[data-variable="b"]', '-1.5');
    const at = { a: 0.7, b: -1.5 };
    await settled({ f, at: { ...DEFAULTS.at, ...at } }, ['a', 'b']);
    const core = backprop(f, at);
    for (const n of core.nodes) {
      expect(await raw(n.name, 'value')).toBe(n.value);
      if (n.adjoint !== null) expect(await raw(n.name, 'adjoint')).toBe(n.adjoint);
    }
    expect(new URL(page.url()).searchParams.get('at')).toContain('a:0.7');
  });

  it('a bad expression shows its error with the column marked', async () => {
    await page.fill(field, 'sigmoid(w*x + )');
    await settled({ f: 'sigmoid(w*x + )', at: { ...DEFAULTS.at, a: 0.7, b: -1.5 } }, ['a', 'b'], 'error');
    expect(await page.getAttribute('.expression-error', 'data-column')).toBe('15');
    expect(await page.textContent('.expression-error .message')).toMatch(/column 15/);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('a URL carrying <img onerror> and <script> in every parameter executes nothing', async () => {
    await openHostile(browser, ['page', 'f', 'at'], async () => {
      await page.waitForSelector('.notice');
      await page.goto(`${browser.url}?page=backprop&${new URLSearchParams({ f: HOSTILE, at: HOSTILE })}`);
      await settled({ f: HOSTILE, at: {} }, [], 'error');
    });
    expect(await page.inputValue(field)).toBe(HOSTILE);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('axe-core reports no serious or critical violation; 360 px has no horizontal scrolling; screenshots saved', async () => {
    await page.goto(`${browser.url}?page=backprop`);
    await settled(DEFAULTS, NEURON);
    expect(await seriousViolations(page)).toEqual([]);
    await narrowScreen(page, 'backprop');
    expect(browser.consoleErrors).toEqual([]);
  });
});
