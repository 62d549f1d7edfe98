import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { interrupted, json, nudge, start } from '../test-support/nudge.js';

const ROSENBROCK = '(1-x)^2 + 100*(y-x^2)^2';
const dir = mkdtempSync(join(tmpdir(), 'nudge-minimize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nudge minimize', () => {
  it('reaches Rosenbrock’s minimum from the textbook start, with the documented JSON shape', async () => {
    const r = await json('minimize', ROSENBROCK, '--from', 'x=-1.2,y=1');
    expect(r.point.x).toBeCloseTo(1, 8);
    expect(r.point.y).toBeCloseTo(1, 8);
    expect(r).toMatchObject({ converged: true, status: 'converged', kind: 'minimum', optimizer: 'line-search', gradient: 'exact' });
    expect(Number.isInteger(r.iterations)).toBe(true);
    expect(r.value).toBeLessThan(1e-16);
    expect(r.gradientNorm).toBeLessThan(1e-8);
    expect(r.hint).toBeUndefined();
  });

  it('says it in words, with the Hessian test', async () => {
    const r = await nudge('minimize', ROSENBROCK, '--from', 'x=-1.2,y=1');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^minimum of \(1-x\)\^2 \+ 100\*\(y-x\^2\)\^2 at x = 0\.99999999\d*, y = 0\.99999999\d*\n/);
    expect(r.stdout).toMatch(/Hessian eigenvalues 0\.399\d*, 1001\.6\d*: a minimum/);
  });

  it('central differences and the textbook optimiser reach the same minimum', async () => {
    const c = await json('minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', '--gradient', 'central');
    expect(c.point.x).toBeCloseTo(1, 6);
    const gd = await json('minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', '--optimizer', 'gd', '--lr', '0.001', '--max-steps', '200000');
    expect(gd).toMatchObject({ status: 'converged', optimizer: 'gd', lr: 0.001 });
    expect(gd.point.x).toBeCloseTo(1, 6);
  });

  it('maximises with --maximize', async () => {
    const r = await json('minimize', '-(x-1)^2 - (y+2)^2', '--from', 'x=0,y=0', '--maximize');
    expect(r).toMatchObject({ status: 'converged', converged: true, kind: 'maximum', maximize: true });
    expect(r.point.y).toBeCloseTo(-2, 10);
  });

  it('multi-start: the global minimum of six-hump camel, and every minimum found', async () => {
    const r = await json('minimize', '(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2', '--from', 'x=1,y=1', '--starts', '16', '--seed', '1');
    expect(r.value).toBeCloseTo(-1.0316284534898774, 12);
    expect(r.starts).toHaveLength(16);
    expect(r.starts[0].start).toEqual({ x: 1, y: 1 });
    expect(r.minima[0].value).toBe(r.value);
    expect(r.minima.length).toBeGreaterThan(1);
  });

  it('a saddle start is a stationary point, not a success', async () => {
    const r = await json('minimize', '(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2', '--from', 'x=0,y=0');
    expect(r).toMatchObject({ status: 'converged', converged: false, kind: 'saddle', iterations: 0 });
    expect(r.warning).toMatch(/saddle point, not a minimum/);
  });

  it('divergence: exit 0 with the status, the last finite point and a hint', async () => {
    const r = await json('minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', '--optimizer', 'gd', '--lr', '0.01');
    expect(r.status).toBe('diverged');
    expect(r.converged).toBe(false);
    expect(Number.isFinite(r.point.x)).toBe(true);
    expect(r.hint).toMatch(/learning rate 0\.01 is too large here: the value grew from 24\.2 to .* in \d+ steps?; try 0\.001 or the line search/);
  });

  it('max steps and a time budget stop the run with their status', async () => {
    const m = await json('minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', '--optimizer', 'gd', '--max-steps', '50');
    expect(m).toMatchObject({ status: 'max-steps', iterations: 50, converged: false });
    expect(m.hint).toMatch(/after 50 steps/);
    const t = await json('minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', '--optimizer', 'gd', '--lr', '1e-7', '--max-steps', '1e12', '--tol', '0', '--time-budget', '200ms');
    expect(t.status).toBe('time-budget');
    expect(t.elapsedMs).toBeGreaterThanOrEqual(200);
  });

  it('--trace writes the trajectory as CSV', async () => {
    const path = join(dir, 'path.csv');
    const r = await json('minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', '--trace', path);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('step,value,gradientNorm,x,y');
    expect(lines[1]).toMatch(/^0,24\.19999\d*,\d+\.\d+,-1\.2,1$/);
    expect(lines.at(-1)!.split(',')[0]).toBe(String(r.iterations));
    expect(r.trace).toBe(path);
  });

  it('no progress bar when the output is not a terminal; one on stderr when forced, never with --json', async () => {
    const plain = await nudge('minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', '--optimizer', 'gd', '--max-steps', '300000', '--tol', '0');
    expect(plain.stderr).toBe('');
    const forced = start(['minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', '--optimizer', 'gd', '--lr', '1e-7', '--max-steps', '1e12', '--tol', '0', '--time-budget', '1s'], { NUDGE_FORCE_PROGRESS: '1' });
    let stderr = '';
    forced.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => forced.on('exit', resolve));
    expect(code).toBe(0);
    expect(stderr).toMatch(/\d+% \| step \d+\/1000000000000 \| f [\d.]+ \| \|∇f\| [\d.e+-]+/);
    const quiet = start(['minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', '--optimizer', 'gd', '--time-budget', '300ms', '--tol', '0', '--max-steps', '1e12', '--json'], { NUDGE_FORCE_PROGRESS: '1' });
    let quietErr = '';
    quiet.stderr!.on('data', (d: Buffer) => (quietErr += d.toString()));
    await new Promise((resolve) => quiet.on('exit', resolve));
    expect(quietErr).toBe('');
  });

  it('Ctrl-C stops the run, prints the best point so far with status cancelled, and exits 130', async () => {
    const { code, stdout } = await interrupted(['minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', '--optimizer', 'gd', '--lr', '1e-7', '--max-steps', '1e12', '--tol', '0']);
    expect(code).toBe(130);
    expect(stdout).toMatch(/^cancelled after \d+ steps; the best point so far at x = -?[\d.]+, y = [\d.]+\n/);
  });
});

describe('nudge minimize: bad options exit 2 with a clear message', () => {
  const cases: [string, string[], RegExp][] = [
    ['a negative learning rate', ['--optimizer', 'gd', '--lr', '-0.1'], /--lr must be a positive number, got '-0\.1'/],
    ['a learning rate without an optimizer that uses one', ['--lr', '0.1'], /--lr is the learning rate of gd, momentum, nesterov and adam.*add --optimizer gd/],
    ['an unknown optimizer', ['--optimizer', 'sgd'], /--optimizer.*'sgd' is invalid.*line-search, gd, momentum, nesterov, adam/],
    ['a bad time budget', ['--time-budget', 'soon'], /--time-budget must be a positive duration such as 10s/],
    ['a fractional step count', ['--max-steps', '2.5'], /--max-steps must be a whole number >= 1, got '2\.5'/],
    ['a trace path that cannot be written', ['--trace', '/nonexistent-dir/path.csv'], /--trace: cannot write '\/nonexistent-dir\/path\.csv': ENOENT/],
  ];
  for (const [what, flags, message] of cases) {
    it(what, async () => {
      const r = await nudge('minimize', ROSENBROCK, '--from', 'x=-1.2,y=1', ...flags);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('--from missing a variable', async () => {
    const r = await nudge('minimize', ROSENBROCK, '--from', 'x=-1.2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no value for the variable 'y'/);
  });

  it('a start outside the domain', async () => {
    const r = await nudge('minimize', 'log(x) + x', '--from', 'x=-1', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'invalid-argument' } });
    expect(r.stderr).toMatch(/start inside f's domain/);
  });
});
