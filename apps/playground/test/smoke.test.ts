// Browser smoke test: the BUILT playground (turbo builds before test) in Debian's
// Chromium, driven by playwright-core. Serves dist/ with a tiny static server.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivative, formatEstimate } from '@nudge/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const outputDir = join(root, 'test-output');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

function serve(dir: string): Promise<Server> {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(base + sep) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

let server: Server;
let profile: string;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html is missing: build the playground first (npx turbo run build --filter=@nudge/playground)`);
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium was not found at ${chromiumPath}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary`,
    );
  }
  server = await serve(dist);
  profile = mkdtempSync(join(tmpdir(), 'nudge-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, XDG_CONFIG_HOME: join(profile, 'config'), XDG_CACHE_HOME: join(profile, 'cache') },
    viewport: { width: 900, height: 640 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  const { port } = server.address() as AddressInfo;
  await page.goto(`http://127.0.0.1:${port}/`);
});

afterAll(async () => {
  await context?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Type into the form, then wait until the page shows the result computed from exactly these inputs. */
async function enter(expression: string, point: string, method: string): Promise<'done' | 'error'> {
  await page.fill('#expression', expression);
  await page.fill('#point', point);
  await page.selectOption('#method', method);
  const input = [expression, point, method].join('|');
  try {
    await page.waitForFunction(
      (key) => {
        const result = document.querySelector<HTMLElement>('#result');
        return result?.dataset.input === key && (result.dataset.state === 'done' || result.dataset.state === 'error');
      },
      input,
      { timeout: 15_000 },
    );
  } catch {
    const state = await page.evaluate(() => ({ ...document.querySelector<HTMLElement>('#result')?.dataset }));
    throw new Error(`the page did not show a result for ${input} (result: ${JSON.stringify(state)})`);
  }
  return (await page.getAttribute('#result', 'data-state')) as 'done' | 'error';
}

const text = async (selector: string): Promise<string | null> => page.textContent(selector);

describe('the playground in Chromium', () => {
  it('loads without console errors and shows x^2 at 3 (forward) as 6.0001', async () => {
    await page.waitForSelector('#result[data-state="done"]', { timeout: 15_000 });
    expect(await text('#derivative')).toBe('6.0001');
    expect(consoleErrors).toEqual([]);
  });

  it('shows the forward difference of x^2 at 3 as 6.0001, typed in', async () => {
    expect(await enter('x', '0', 'central')).toBe('done');
    expect(await text('#derivative')).toBe('1');
    expect(await enter('x^2', '3', 'forward')).toBe('done');
    expect(await text('#derivative')).toBe('6.0001');
    expect(await text('#value')).toBe('9');
    expect(await page.getAttribute('#derivative', 'data-raw')).toBe('6.000100000012054');
  });

  it('shows what the core computes for sin(x)*x at 1.3 with richardson', async () => {
    const expected = derivative('sin(x)*x', 1.3, { method: 'richardson' });
    expect(await enter('sin(x)*x', '1.3', 'richardson')).toBe('done');
    expect(await text('#derivative')).toBe(formatEstimate(expected.derivative, expected.errorEstimate));
    expect(Number(await page.getAttribute('#derivative', 'data-raw'))).toBe(expected.derivative);
    // and it is the exact derivative, sin(1.3) + 1.3 cos(1.3)
    expect(expected.derivative).toBeCloseTo(Math.sin(1.3) + 1.3 * Math.cos(1.3), 9);
  });

  it('shows the gradient for a point of two coordinates', async () => {
    expect(await enter('x^2*y', '1, 2', 'central')).toBe('done');
    expect(await text('#derivative')).toBe('(4, 1)');
  });

  it('shows a syntax error inline, with column 7 marked', async () => {
    expect(await enter('sin(x))', '1', 'central')).toBe('error');
    expect(await page.isVisible('#error')).toBe(true);
    expect(await text('#error-message')).toMatch(/column 7/);
    expect(await page.getAttribute('#error', 'data-column')).toBe('7');
    expect(await text('#error-source mark')).toBe(')');
    expect(await page.getAttribute('#expression', 'aria-invalid')).toBe('true');
    expect(await page.isVisible('#values')).toBe(false);
    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, 'smoke-error.png'), fullPage: true });
  });

  it('recovers from the error; saves test-output/smoke.png', async () => {
    expect(await enter('x^2', '3', 'forward')).toBe('done');
    expect(await text('#derivative')).toBe('6.0001');
    expect(await page.isHidden('#error')).toBe(true);
    expect(await page.getAttribute('#expression', 'aria-invalid')).toBe('false');
    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, 'smoke.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
