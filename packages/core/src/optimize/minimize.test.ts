import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { builder, compile, maximize, minimize, minimizeAsync, NudgeError, trajectoryCsv, type DescentProgress } from '../index.js';
import { getKernel } from '../kernel/instance.js';

const ROSENBROCK = '(1-x)^2 + 100*(y-x^2)^2';

afterEach(() => vi.restoreAllMocks());

describe('the loop runs in the kernel, in chunks', () => {
  it('100,000 steps take one kernel call per chunk, not one per step', () => {
    const exports = getKernel().exports;
    const calls = vi.spyOn(exports, 'descend');
    const r = minimize(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 1e-3, tol: 0, maxSteps: 100_000, chunkSteps: 10_000, trace: false });
    expect(r.iterations).toBe(100_000);
    expect(r.status).toBe('max-steps');
    // The start (0 steps), then ten chunks of 10,000.
    expect(calls).toHaveBeenCalledTimes(11);
    expect(r.chunks).toBe(11);
  });

  it('recording the trajectory adds a call only when its buffer is full', () => {
    const calls = vi.spyOn(getKernel().exports, 'descend');
    minimize(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 1e-3, tol: 0, maxSteps: 100_000, chunkSteps: 100_000 });
    expect(calls.mock.calls.length).toBeGreaterThan(2);
    expect(calls.mock.calls.length).toBeLessThan(20);
  });

  it('reports progress between chunks, with the step growing and the value falling', () => {
    const seen: DescentProgress[] = [];
    const r = minimize(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 1e-3, tol: 0, maxSteps: 50_000, chunkSteps: 5_000, trace: false, onProgress: (p) => seen.push(p) });
    // At the start, then after every chunk but the last.
    expect(seen.map((p) => p.step)).toEqual([0, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 35_000, 40_000, 45_000]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.value).toBeLessThan(seen[i - 1]!.value);
    expect(seen[0]!.point).toHaveLength(2);
    expect(seen[0]!.maxSteps).toBe(50_000);
    expect(r.iterations).toBe(50_000);
  });

  it('a signal aborted between chunks stops the run with the best point so far', () => {
    const controller = new AbortController();
    const r = minimize(ROSENBROCK, [-1.2, 1], {
      optimizer: 'gd', lr: 1e-3, tol: 0, maxSteps: 1_000_000, chunkSteps: 1_000, signal: controller.signal,
      onProgress: (p) => p.step >= 3_000 && controller.abort(),
    });
    expect(r.status).toBe('cancelled');
    expect(r.iterations).toBe(3_000);
    expect(r.value).toBeLessThan(24.2);
    expect(r.value).toBe(Math.min(...r.trajectory!.value));
  });

  it('a time budget stops the run with status time-budget', () => {
    const r = minimize(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 1e-5, tol: 0, maxSteps: 1e9, timeBudget: 30 });
    expect(r.status).toBe('time-budget');
    expect(r.iterations).toBeGreaterThan(0);
    expect(r.iterations).toBeLessThan(1e9);
  });

  it('minimizeAsync lets a timer cancel it', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const r = await minimizeAsync(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 1e-5, tol: 0, maxSteps: 1e9, signal: controller.signal });
    expect(r.status).toBe('cancelled');
    expect(r.iterations).toBeGreaterThan(0);
  });

  it('minimizeAsync gives the same answer as minimize', async () => {
    const a = minimize(ROSENBROCK, [-1.2, 1]);
    const b = await minimizeAsync(ROSENBROCK, [-1.2, 1]);
    expect(Array.from(b.vector)).toEqual(Array.from(a.vector));
    expect(b.iterations).toBe(a.iterations);
    const m = await minimizeAsync('-(x-2)^2', [0], { maximize: true });
    expect(m.vector[0]).toBeCloseTo(2, 10);
    expect(m.kind).toBe('maximum');
  });
});

describe('the optimisers follow their update rules', () => {
  // f = x^2 + 3y^2 + sin(x): the gradient in closed form, the rules written out in JS.
  const f = 'x^2 + 3*y^2 + sin(x)';
  const grad = ([x, y]: number[]) => [2 * x! + Math.cos(x!), 6 * y!];
  const lr = 0.05;
  const rules: Record<string, (steps: number) => number[][]> = {
    gd: (steps) => {
      const path = [[1, -1]];
      for (let t = 0; t < steps; t++) {
        const x = path[t]!;
        const g = grad(x);
        path.push(x.map((xi, i) => xi - lr * g[i]!));
      }
      return path;
    },
    momentum: (steps) => {
      const path = [[1, -1]];
      const v = [0, 0];
      for (let t = 0; t < steps; t++) {
        const g = grad(path[t]!);
        for (let i = 0; i < 2; i++) v[i] = 0.9 * v[i]! + g[i]!;
        path.push(path[t]!.map((xi, i) => xi - lr * v[i]!));
      }
      return path;
    },
    nesterov: (steps) => {
      const path = [[1, -1]];
      const v = [0, 0];
      for (let t = 0; t < steps; t++) {
        const g = grad(path[t]!);
        for (let i = 0; i < 2; i++) v[i] = 0.9 * v[i]! + g[i]!;
        path.push(path[t]!.map((xi, i) => xi - lr * (g[i]! + 0.9 * v[i]!)));
      }
      return path;
    },
    adam: (steps) => {
      const path = [[1, -1]];
      const m = [0, 0];
      const s = [0, 0];
      for (let t = 1; t <= steps; t++) {
        const g = grad(path[t - 1]!);
        for (let i = 0; i < 2; i++) {
          m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
          s[i] = 0.999 * s[i]! + 0.001 * g[i]! ** 2;
        }
        path.push(path[t - 1]!.map((xi, i) => xi - (lr * (m[i]! / (1 - 0.9 ** t))) / (Math.sqrt(s[i]! / (1 - 0.999 ** t)) + 1e-8)));
      }
      return path;
    },
  };
  for (const [optimizer, rule] of Object.entries(rules)) {
    it(`${optimizer}: the first 30 steps match the rule written out`, () => {
      const r = minimize(f, [1, -1], { optimizer: optimizer as 'gd', lr, tol: 0, maxSteps: 30 });
      const expected = rule(30);
      expect(r.trajectory!.step).toEqual(Array.from({ length: 31 }, (_, i) => i));
      r.trajectory!.points!.forEach((p, t) => {
        expect(p[0]).toBeCloseTo(expected[t]![0]!, 12);
        expect(p[1]).toBeCloseTo(expected[t]![1]!, 12);
      });
    });
  }

  it('gd, momentum, Nesterov and Adam all reach Rosenbrock’s minimum with a suitable learning rate', () => {
    for (const [optimizer, lr] of [['gd', 1e-3], ['momentum', 5e-4], ['nesterov', 5e-4], ['adam', 1e-2]] as const) {
      const r = minimize(ROSENBROCK, [-1.2, 1], { optimizer, lr, maxSteps: 200_000 });
      expect(r.status, optimizer).toBe('converged');
      expect(r.vector[0]).toBeCloseTo(1, 6);
      expect(r.vector[1]).toBeCloseTo(1, 6);
    }
  });

  it('the line search never raises the value (Armijo) and reaches the minimum of any convex quadratic', () => {
    // f = a x^2 + b y^2 + c x y + d x + e y with 4ab > c^2 (positive definite)
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: -0.9, max: 0.9, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        (a, b, k, d, e) => {
          const c = k * 2 * Math.sqrt(a * b);
          const r = minimize(`${a}*x^2 + ${b}*y^2 + ${c}*x*y + ${d}*x + ${e}*y`, [0, 0]);
          // grad = 0: [2a c; c 2b] [x y] = [-d -e]
          const det = 4 * a * b - c * c;
          const x = (-d * 2 * b + e * c) / det;
          const y = (-e * 2 * a + d * c) / det;
          const values = r.trajectory!.value;
          for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]!);
          expect(r.status).toBe('converged');
          expect(Math.abs(r.vector[0]! - x)).toBeLessThan(1e-6 * (1 + Math.abs(x)) * Math.max(1, 1 / (1 - k * k)));
          expect(Math.abs(r.vector[1]! - y)).toBeLessThan(1e-6 * (1 + Math.abs(y)) * Math.max(1, 1 / (1 - k * k)));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('stopping rules', () => {
  it('the gradient tolerance is relative to the start’s gradient', () => {
    const r = minimize('1e6*(x^2 + y^2)', [1, 1], { tol: 1e-6 });
    const g0 = 2e6 * Math.SQRT2;
    expect(r.stoppedBy).toBe('gradient');
    expect(r.gradientNorm).toBeLessThanOrEqual(1e-6 * g0);
  });

  it('a step tolerance and a value tolerance stop a slow descent early', () => {
    const step = minimize(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 1e-4, stepTol: 1e-6 });
    expect(step.stoppedBy).toBe('step');
    expect(step.status).toBe('converged');
    const value = minimize(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 1e-4, valueTol: 1e-7 });
    expect(value.stoppedBy).toBe('value');
    expect(value.iterations).toBeLessThan(100_000);
    // A looser value test stops earlier, higher up the valley.
    const looser = minimize(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 1e-4, valueTol: 1e-6 });
    expect(looser.iterations).toBeLessThan(value.iterations);
    expect(looser.value).toBeGreaterThan(value.value);
  });

  it('max steps: the default is 100,000, and the hint says what to change', () => {
    const r = minimize(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 1e-6 });
    expect(r.status).toBe('max-steps');
    expect(r.iterations).toBe(100_000);
    expect(r.converged).toBe(false);
    expect(r.hint).toMatch(/gradient norm is still .* after 100000 steps/);
  });
});

describe('divergence is reported, never an endless loop or a NaN result', () => {
  it('a learning rate too large: the last finite point and a hint with the numbers', () => {
    const r = minimize(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 0.01 });
    expect(r.status).toBe('diverged');
    expect(r.converged).toBe(false);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(r.vector.every(Number.isFinite)).toBe(true);
    expect(r.hint).toMatch(/^learning rate 0\.01 is too large here: the value grew from 24\.2 to .* in \d+ steps?; try 0\.001 or the line search$/);
  });

  it('an unbounded function: the point runs away and the hint says f looks unbounded', () => {
    const r = minimize('x - y', [0, 0]);
    expect(r.status).toBe('diverged');
    expect(r.hint).toMatch(/unbounded below/);
    const up = maximize('x^3', [1]);
    expect(up.status).toBe('diverged');
    expect(up.hint).toMatch(/unbounded above/);
  });

  it('a step out of the domain: f is NaN there, the last finite point is kept', () => {
    const r = minimize('sqrt(x) + 1/(x+1)', [1], { optimizer: 'gd', lr: 10 });
    expect(r.status).toBe('diverged');
    expect(r.hint).toMatch(/NaN/);
    expect(r.vector[0]).toBeGreaterThanOrEqual(0);
  });

  it('the line search backs off at a domain edge instead of diverging', () => {
    const r = minimize('x - log(x)', [5]);
    expect(r.status).toBe('converged');
    expect(r.vector[0]).toBeCloseTo(1, 8);
  });
});

describe('the trajectory', () => {
  it('stays within its limit whatever the number of steps, from the start to the end', () => {
    const r = minimize(ROSENBROCK, [-1.2, 1], { optimizer: 'gd', lr: 1e-3, tol: 0, maxSteps: 100_000, trace: { limit: 100 } });
    const t = r.trajectory!;
    expect(t.step.length).toBeLessThanOrEqual(100);
    expect(t.step.length).toBeGreaterThan(50);
    expect(t.step[0]).toBe(0);
    expect(t.step[t.step.length - 1]).toBe(100_000);
    expect(t.points![0]).toEqual([-1.2, 1]);
    expect(Math.log2(t.every) % 1).toBe(0);
    for (let i = 0; i < t.step.length - 1; i++) expect(t.step[i]! % t.every).toBe(0);
    expect(t.value[t.value.length - 1]).toBe(r.value);
  });

  it('exports as CSV with a column per variable', () => {
    const r = minimize('(x-1)^2 + (y+2)^2', [0, 0], { optimizer: 'gd', lr: 0.25, maxSteps: 3, tol: 0 });
    const lines = trajectoryCsv(r.trajectory!).trim().split('\n');
    expect(lines[0]).toBe('step,value,gradientNorm,x,y');
    expect(lines[1]).toBe(`0,5,${Math.sqrt(20)},0,0`);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe(`1,1.25,${Math.sqrt(5)},0.5,-1`);
  });

  it('can be switched off', () => {
    expect(minimize('x^2', [1], { trace: false }).trajectory).toBeNull();
  });
});

describe('what can be minimised', () => {
  it('a builder function of 200 variables (vector mode) reaches the extended Rosenbrock minimum', () => {
    const b = builder();
    const x = b.vector('x', 200);
    const head = x.slice(0, -1);
    const f = b.compile(x.slice(1).sub(head.square()).square().mul(100).add(b.sub(1, head).square()).sum());
    const start = new Float64Array(200).fill(-1.2);
    const r = minimize(f, { x: start }, { maxSteps: 200_000 });
    expect(r.status).toBe('converged');
    expect(r.kind).toBe('unknown'); // too many variables for the Hessian test
    expect(r.vectors!.x!.every((v) => Math.abs(v - 1) < 1e-4)).toBe(true);
    expect(r.trajectory!.points).toBeNull();
    f.dispose();
  });

  it('maximize climbs: the gradient points uphill', () => {
    const r = maximize('-(x-1)^2 - (y+2)^2 + 3', { x: 0, y: 0 });
    expect(r.point.x).toBeCloseTo(1, 10);
    expect(r.point.y).toBeCloseTo(-2, 10);
    expect(r.value).toBeCloseTo(3, 12);
    expect(r.kind).toBe('maximum');
    expect(r.converged).toBe(true);
  });

  it('a compiled function is reused and not disposed', () => {
    const f = compile(ROSENBROCK);
    minimize(f, [-1.2, 1]);
    expect(minimize(f, [0, 0]).converged).toBe(true);
    f.dispose();
  });

  it('no kernel memory is left behind', () => {
    const { heap } = getKernel();
    const f = compile(ROSENBROCK);
    minimize(f, [-1.2, 1]);
    const before = heap.bytesInUse;
    for (let i = 0; i < 5; i++) minimize(f, [-1.2, 1], { starts: 3 });
    expect(heap.bytesInUse).toBe(before);
    f.dispose();
  });
});

describe('bad input: a typed error that names what is wrong', () => {
  const cases: [string, () => unknown, RegExp, string][] = [
    ['a negative learning rate', () => minimize('x^2', [1], { optimizer: 'gd', lr: -0.1 }), /learning rate lr must be a positive number, got -0\.1/, 'invalid-argument'],
    ['an unknown optimizer', () => minimize('x^2', [1], { optimizer: 'sgd' as 'gd' }), /unknown optimizer 'sgd': use one of line-search, gd, momentum, nesterov, adam/, 'invalid-argument'],
    ['a learning rate for the line search', () => minimize('x^2', [1], { lr: 0.1 }), /line search chooses its own steps/, 'invalid-argument'],
    ['a start missing a variable', () => minimize('x^2 + y^2', { x: 1 }), /no value for the variable 'y'/, 'missing-variable'],
    ['a start outside the domain', () => minimize('log(x)', [-1]), /f is not a number \(NaN\) at the start x = -1: start inside f's domain/, 'invalid-argument'],
    ['a JavaScript function', () => minimize((x: number) => x * x, [1]), /needs an expression/, 'invalid-argument'],
    ['max steps that are not whole', () => minimize('x^2', [1], { maxSteps: 2.5 }), /maxSteps must be a whole number/, 'invalid-argument'],
    ['a step h with exact gradients', () => minimize('x^2', [1], { h: 1e-3 }), /h is the finite-difference step/, 'invalid-argument'],
    ['zero starts', () => minimize('x^2', [1], { starts: 0 }), /starts must be a whole number >= 1/, 'invalid-argument'],
    ['an unknown gradient method', () => minimize('x^2', [1], { gradient: 'complex' as 'exact' }), /unknown gradient 'complex'/, 'invalid-argument'],
  ];
  for (const [what, run, message, code] of cases) {
    it(what, () => {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NudgeError);
      expect((error as NudgeError).message).toMatch(message);
      expect((error as NudgeError).code).toBe(code);
    });
  }
});
