// descend: the gradient-descent loop in the kernel, driven through its state
// block as a host would, on f = (x - 1)^2 + 2 (y + 3)^2, where gradient
// descent has a closed form: x_t - 1 = (1 - 2 lr)^t (x_0 - 1),
// y_t + 3 = (1 - 4 lr)^t (y_0 + 3).
import { describe, expect, it } from 'vitest';
import { DescentField as F, DescentGradient, DescentStatus, Optimizer, type OptimizerName } from './index.js';
import { Heap, loadKernel, type Build } from './test-support/heap.js';
import { TapeBuilder } from './test-support/tape.js';

const N = 2;

function quadratic() {
  const b = new TapeBuilder(N);
  const dx = b.op('sub', b.v(0), b.c(1));
  const dy = b.op('add', b.v(1), b.c(3));
  return b.build(b.op('add', b.op('square', dx), b.op('mul', b.c(2), b.op('square', dy))));
}

interface Run {
  heap: Heap;
  fn: number;
  state: number;
  trace: number;
  field(i: number): number;
  set(i: number, v: number): void;
  x(): number[];
  descend(steps: number): number;
}

function start(build: Build, settings: { optimizer?: OptimizerName; lr?: number; gradient?: keyof typeof DescentGradient; traceCapacity?: number } = {}): Run {
  const heap = new Heap(loadKernel(build, 12));
  const fn = heap.compile(quadratic());
  const state = heap.alloc(F.length * 8 + 8 * N * 8);
  const trace = heap.alloc(1024 * (3 + N) * 8);
  const run: Run = {
    heap,
    fn,
    state,
    trace,
    field: (i) => heap.f64(state, F.length)[i]!,
    set: (i, v) => void (heap.f64(state, F.length)[i] = v),
    x: () => Array.from(heap.f64(run.field(F.pX), N)),
    descend: (steps) => heap.kernel.descend(fn, state, trace, N, steps),
  };
  heap.f64(state, F.length + 8 * N).fill(0);
  [F.pX, F.pGrad, F.pTrial, F.pTrialGrad, F.pMoment1, F.pMoment2, F.pBest, F.pErr].forEach((f, i) => run.set(f, state + F.length * 8 + i * N * 8));
  run.set(F.optimizer, Optimizer[settings.optimizer ?? 'gd']);
  run.set(F.gradient, DescentGradient[settings.gradient ?? 'exact']);
  run.set(F.sign, 1);
  run.set(F.lr, settings.lr ?? 0.1);
  run.set(F.beta1, 0.9);
  run.set(F.beta2, 0.999);
  run.set(F.epsilon, 1e-8);
  run.set(F.growthLimit, 1e12);
  run.set(F.xLimit, 1e100);
  run.set(F.h, NaN);
  run.set(F.armijo, 1e-4);
  run.set(F.alpha, 0.1);
  run.set(F.traceEvery, 1);
  run.set(F.traceCapacity, settings.traceCapacity ?? 1024);
  run.set(F.traceX, 1);
  heap.f64(run.field(F.pX), N).set([4, 1]);
  return run;
}

describe('descend', () => {
  for (const build of ['release', 'debug', 'scalar'] as const) {
    it(`${build}: gradient descent follows the closed form on a quadratic`, () => {
      const lr = 0.1;
      const r = start(build, { lr });
      expect(r.descend(0)).toBe(DescentStatus.running);
      expect(r.field(F.value)).toBe(9 + 2 * 16);
      expect(r.field(F.gradNorm)).toBeCloseTo(Math.hypot(6, 16), 12);
      expect(r.descend(25)).toBe(DescentStatus.running);
      expect(r.field(F.step)).toBe(25);
      const [x, y] = r.x();
      expect(x).toBeCloseTo(1 + 3 * (1 - 2 * lr) ** 25, 12);
      expect(y).toBeCloseTo(-3 + 4 * (1 - 4 * lr) ** 25, 12);
    });
  }

  it('chunks change nothing: ten calls of ten steps end where one call of a hundred does', () => {
    for (const optimizer of ['gd', 'momentum', 'nesterov', 'adam', 'line-search'] as const) {
      const once = start('release', { optimizer, lr: 0.01 });
      once.descend(0);
      once.descend(100);
      const chunked = start('release', { optimizer, lr: 0.01 });
      chunked.descend(0);
      for (let i = 0; i < 10 && chunked.field(F.status) === DescentStatus.running; i++) chunked.descend(10);
      expect(chunked.x(), optimizer).toEqual(once.x());
      expect(chunked.field(F.step)).toBe(once.field(F.step));
    }
  });

  it('stops on the gradient tolerance with the line search', () => {
    const r = start('release', { optimizer: 'line-search' });
    r.descend(0);
    r.set(F.gradTol, 1e-12);
    expect(r.descend(1000)).toBe(DescentStatus.convergedGradient);
    expect(r.field(F.gradNorm)).toBeLessThanOrEqual(1e-12);
    expect(r.x()[0]).toBeCloseTo(1, 12);
    expect(r.x()[1]).toBeCloseTo(-3, 12);
  });

  it('central differences reach the same minimum as reverse mode', () => {
    const r = start('release', { optimizer: 'line-search', gradient: 'central' });
    r.descend(0);
    r.set(F.gradTol, 1e-8);
    expect(r.descend(1000)).toBe(DescentStatus.convergedGradient);
    expect(r.x()[0]).toBeCloseTo(1, 9);
    expect(r.x()[1]).toBeCloseTo(-3, 9);
  });

  it('a full trace buffer ends the call early; the records are step, f, |grad|, x', () => {
    const r = start('release', { traceCapacity: 4 });
    r.descend(0); // records step 0
    expect(r.descend(100)).toBe(DescentStatus.traceFull);
    expect(r.field(F.step)).toBe(3);
    const rows = r.heap.f64(r.trace, 4 * (3 + N));
    expect(Array.from(rows.subarray(0, 5))).toEqual([0, 41, Math.hypot(6, 16), 4, 1]);
    expect(rows[3 * 5]).toBe(3);
    r.set(F.traceCount, 0);
    expect(r.descend(2)).toBe(DescentStatus.running);
    expect(r.field(F.step)).toBe(5);
  });

  it('a learning rate too large diverges by growth, keeping the last finite point', () => {
    const r = start('release', { lr: 2 });
    r.descend(0);
    expect(r.descend(1000)).toBe(DescentStatus.diverged);
    expect(r.field(F.divergedBy)).toBe(3);
    expect(r.field(F.value)).toBeGreaterThan(1e12);
    expect(r.x().every(Number.isFinite)).toBe(true);
    expect(r.field(F.bestValue)).toBe(41);
    expect(Array.from(r.heap.f64(r.field(F.pBest), N))).toEqual([4, 1]);
  });
});

describe('optimizerStep: one step on parameters from a gradient the host computed (mini-batch training)', () => {
  // The gradients of three mini-batches, as a training loop would pass them.
  const grads = [[0.5, -2], [0.25, 1.5], [-1, 0.125]];

  /** The written-out update rules, step by step from x = (4, 1). */
  function reference(optimizer: OptimizerName, lr: number): number[][] {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    let x = [4, 1];
    let m = [0, 0];
    let v = [0, 0];
    const out: number[][] = [];
    grads.forEach((g, k) => {
      const t = k + 1;
      if (optimizer === 'gd') x = x.map((xi, i) => xi - lr * g[i]!);
      else if (optimizer === 'momentum') {
        m = m.map((mi, i) => b1 * mi + g[i]!);
        x = x.map((xi, i) => xi - lr * m[i]!);
      } else if (optimizer === 'nesterov') {
        m = m.map((mi, i) => b1 * mi + g[i]!);
        x = x.map((xi, i) => xi - lr * (g[i]! + b1 * m[i]!));
      } else {
        m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
        v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! * g[i]!);
        x = x.map((xi, i) => xi - lr * (m[i]! / (1 - b1 ** t)) / (Math.sqrt(v[i]! / (1 - b2 ** t)) + eps));
      }
      out.push(x);
    });
    return out;
  }

  for (const optimizer of ['gd', 'momentum', 'nesterov', 'adam'] as const) {
    it(`${optimizer}: the parameters follow the update rule, the moments carried from step to step`, () => {
      const r = start('release', { optimizer, lr: 0.05 });
      const x = r.field(F.pX);
      const g = r.heap.alloc(N * 8);
      const want = reference(optimizer, 0.05);
      grads.forEach((gk, k) => {
        r.heap.f64(g, N).set(gk);
        const before = Array.from(r.heap.f64(x, N));
        const length = r.heap.kernel.optimizerStep(r.state, x, g, N, k + 1);
        const after = Array.from(r.heap.f64(x, N));
        after.forEach((v, i) => expect(v).toBeCloseTo(want[k]![i]!, 13));
        expect(length).toBeCloseTo(Math.hypot(after[0]! - before[0]!, after[1]! - before[1]!), 14);
      });
    });
  }
});
