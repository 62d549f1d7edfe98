// Forward mode (jvp), reverse mode (gradientAD) and the complex step, op by
// op and on whole tapes, in batch mode.
import { describe, expect, it } from 'vitest';
import { opcodeByName, opcodes, vectorOpcodeByName, type OpName } from './index.js';
import { Heap, loadKernel, type Build } from './test-support/heap.js';
import { partials, reference, relDiff, rng } from './test-support/reference.js';
import { centralDiff, runner } from './test-support/run.js';
import { TapeBuilder, tapeOf, type Tape } from './test-support/tape.js';

/** Where each op is differentiable and its rules are compared: intervals of a (and b). */
const domains: { readonly [N in OpName]: { a: [number, number][]; b?: [number, number][] } } = {
  add: { a: [[-5, 5]], b: [[-5, 5]] },
  sub: { a: [[-5, 5]], b: [[-5, 5]] },
  mul: { a: [[-5, 5]], b: [[-5, 5]] },
  div: { a: [[-5, 5]], b: [[-5, -0.2], [0.2, 5]] },
  pow: { a: [[0.1, 5]], b: [[-3, 3]] },
  min: { a: [[-5, 5]], b: [[-5, 5]] },
  max: { a: [[-5, 5]], b: [[-5, 5]] },
  neg: { a: [[-5, 5]] },
  square: { a: [[-5, 5]] },
  abs: { a: [[-5, -0.05], [0.05, 5]] },
  sqrt: { a: [[0.05, 50]] },
  cbrt: { a: [[-50, -0.05], [0.05, 50]] },
  exp: { a: [[-20, 20]] },
  log: { a: [[0.05, 50]] },
  log10: { a: [[0.05, 50]] },
  log2: { a: [[0.05, 50]] },
  sin: { a: [[-10, 10]] },
  cos: { a: [[-10, 10]] },
  tan: { a: [[-1.4, 1.4]] },
  asin: { a: [[-0.95, 0.95]] },
  acos: { a: [[-0.95, 0.95]] },
  atan: { a: [[-10, 10]] },
  sinh: { a: [[-10, 10]] },
  cosh: { a: [[-10, 10]] },
  tanh: { a: [[-10, 10]] },
  asinh: { a: [[-10, 10]] },
  acosh: { a: [[1.05, 50]] },
  atanh: { a: [[-0.95, 0.95]] },
  sigmoid: { a: [[-20, 20]] },
  relu: { a: [[-5, -0.05], [0.05, 5]] },
  softplus: { a: [[-20, 20]] },
  recip: { a: [[-5, -0.1], [0.1, 5]] },
};

/** Ops that are analytic on their domain above: the complex step is exact to rounding there. */
const nonAnalytic: ReadonlySet<OpName> = new Set<OpName>(['abs', 'relu', 'min', 'max']);

/** Ops whose derivative does not depend on their operands: a NaN operand still has derivative 1 or -1. */
const linear: ReadonlySet<OpName> = new Set<OpName>(['add', 'sub', 'neg']);

function sample(intervals: [number, number][], r: () => number): number {
  const [lo, hi] = intervals[Math.floor(r() * intervals.length)]!;
  return lo + (hi - lo) * r();
}

/** Points spread over the op's domain: coords[v][p]. Min/max keep a and b apart (no tie). */
function pointsFor(name: OpName, arity: number, n: number, seed: number): number[][] {
  const r = rng(seed);
  const d = domains[name];
  const a: number[] = [];
  const b: number[] = [];
  while (a.length < n) {
    const x = sample(d.a, r);
    const y = arity === 2 ? sample(d.b!, r) : 0;
    if ((name === 'min' || name === 'max') && Math.abs(x - y) < 0.05) continue;
    a.push(x);
    b.push(y);
  }
  return arity === 2 ? [a, b] : [a];
}

const opTape = (name: OpName, arity: number): Tape =>
  tapeOf(arity, { op: name, args: arity === 1 ? [{ v: 0 }] : [{ v: 0 }, { v: 1 }] });

const builds: Build[] = ['release', 'scalar', 'debug'];

describe.each(builds)('automatic differentiation, every op (%s build)', (build) => {
  const heap = new Heap(loadKernel(build));

  describe.each(opcodes.map((o) => [o.name, o] as const))('%s', (name, op) => {
    const tape = opTape(name, op.arity);
    const run = runner(heap, tape);
    const coords = pointsFor(name, op.arity, 60, name.length * 101 + op.code);
    const n = coords[0]!.length;
    const at = (p: number) => coords.map((c) => c[p]!);
    const f = (x: number[]) => reference[name](x[0]!, x[1] ?? NaN);
    const axes = Array.from({ length: op.arity }, (_, i) => i);

    it('jvp along each axis: the value of evaluate, the analytic partial, and central differences', () => {
      const values = run.evaluate(coords);
      for (const i of axes) {
        const dir = axes.map((j) => (j === i ? 1 : 0));
        const { value, tangent } = run.jvp(coords, dir);
        expect(value).toEqual(values);
        const bad: string[] = [];
        for (let p = 0; p < n; p++) {
          const x = at(p);
          const exact = partials[name](x[0]!, x[1] ?? NaN)[i]!;
          const fd = centralDiff(f, x, i, 1e-4 * Math.max(1, Math.abs(x[i]!)));
          if (!(relDiff(tangent[p]!, exact, 1) <= 1e-13)) bad.push(`d/dx${i} at ${x}: jvp ${tangent[p]}, analytic ${exact}`);
          if (!(relDiff(tangent[p]!, fd, 1) <= 1e-7)) bad.push(`d/dx${i} at ${x}: jvp ${tangent[p]}, central differences ${fd}`);
        }
        expect(bad.slice(0, 5)).toEqual([]);
      }
    });

    it('jvp is linear in the direction: along (2, -3) it is 2 d/da - 3 d/db', () => {
      const dir = op.arity === 2 ? [2, -3] : [-3];
      const { tangent } = run.jvp(coords, dir);
      const per = axes.map((i) => run.jvp(coords, axes.map((j) => (j === i ? 1 : 0))).tangent);
      for (let p = 0; p < n; p++) {
        const want = axes.reduce((s, i) => s + dir[i]! * per[i]![p]!, 0);
        expect(relDiff(tangent[p]!, want, 1)).toBeLessThanOrEqual(4e-16);
      }
    });

    it('gradientAD: the value, and each component equal to the jvp along that axis (VJP . e_i == JVP along e_i)', () => {
      const { value, grad } = run.gradient(coords);
      expect(value).toEqual(run.evaluate(coords));
      for (const i of axes) {
        const { tangent } = run.jvp(coords, axes.map((j) => (j === i ? 1 : 0)));
        for (let p = 0; p < n; p++) expect(grad[p]![i], `d/dx${i} at ${at(p)}`).toBe(tangent[p]);
      }
    });

    it.skipIf(nonAnalytic.has(name))('complexStep equals the analytic derivative to rounding (h = 1e-20)', () => {
      const bad: string[] = [];
      for (const i of axes) {
        const dir = axes.map((j) => (j === i ? 1 : 0));
        const { value, deriv } = run.complexStep(coords, dir);
        const values = run.evaluate(coords);
        for (let p = 0; p < n; p++) {
          const x = at(p);
          const exact = partials[name](x[0]!, x[1] ?? NaN)[i]!;
          if (!(relDiff(deriv[p]!, exact) <= 1e-14)) bad.push(`d/dx${i} at ${x}: complex step ${deriv[p]}, analytic ${exact}`);
          if (!(relDiff(value[p]!, values[p]!) <= 4e-16)) bad.push(`value at ${x}: complex step ${value[p]}, evaluate ${values[p]}`);
        }
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });

    it.runIf(nonAnalytic.has(name))('complexStep takes the branch of the real part', () => {
      for (const i of axes) {
        const dir = axes.map((j) => (j === i ? 1 : 0));
        const { deriv } = run.complexStep(coords, dir);
        const { tangent } = run.jvp(coords, dir);
        expect(deriv).toEqual(tangent);
      }
    });

    it.skipIf(linear.has(name))('propagates NaN into the tangent, the gradient and the complex step', () => {
      const nan = op.arity === 1 ? [[NaN]] : [[NaN, 1], [1, NaN]];
      const ones = axes.map(() => 1);
      expect(run.jvp(nan, ones).value.every(Number.isNaN)).toBe(true);
      expect(run.jvp(nan, ones).tangent.every(Number.isNaN)).toBe(true);
      expect(run.gradient(nan).grad.every((g) => g.some(Number.isNaN))).toBe(true);
      expect(run.complexStep(nan, ones).deriv.every(Number.isNaN)).toBe(true);
    });

    it.runIf(linear.has(name))('a NaN operand: NaN value, the constant derivative', () => {
      const nan = op.arity === 1 ? [[NaN]] : [[NaN], [1]];
      expect(run.jvp(nan, axes.map(() => 1)).value[0]).toBeNaN();
      expect(run.gradient(nan).grad[0]).toEqual(name === 'sub' ? [1, -1] : name === 'neg' ? [-1] : [1, 1]);
    });
  });
});

describe('conventions at non-differentiable points (the same in jvp, gradientAD and complexStep)', () => {
  const heap = new Heap(loadKernel('debug'));
  const unary = (name: OpName, x: number[]) => {
    const run = runner(heap, opTape(name, 1));
    return { jvp: run.jvp([x], [1]).tangent, grad: run.gradient([x]).grad.map((g) => g[0]), cx: run.complexStep([x], [1]).deriv };
  };

  it.each([
    ['abs', [0, -0, 2, -2], [0, 0, 1, -1]],
    ['relu', [0, -0, 2, -2], [0, 0, 1, 0]],
    ['sqrt', [0, 4], [Infinity, 0.25]],
    ['cbrt', [0, 8, -8], [Infinity, 1 / 12, 1 / 12]],
  ] as [OpName, number[], number[]][])("%s'", (name, xs, want) => {
    const got = unary(name, xs);
    // The convention's 0 is +0; the complex step is Im f / h, within rounding of the value.
    for (const k of ['jvp', 'grad'] as const) got[k].forEach((g, i) => expect(g, `${k} at ${xs[i]}`).toBe(want[i]));
    got.cx.forEach((g, i) => expect(relDiff(g, want[i]!), `cx at ${xs[i]}: ${g}`).toBeLessThanOrEqual(4e-16));
  });

  it('min and max send the derivative to a on a tie', () => {
    for (const name of ['min', 'max'] as const) {
      const run = runner(heap, opTape(name, 2));
      const coords = [[1, 1, -2], [1, 3, -3]];
      const { grad } = run.gradient(coords);
      const da = run.jvp(coords, [1, 0]).tangent;
      const db = run.jvp(coords, [0, 1]).tangent;
      const cxa = run.complexStep(coords, [1, 0]).deriv;
      const want = name === 'min' ? [[1, 0], [1, 0], [0, 1]] : [[1, 0], [0, 1], [1, 0]];
      expect(grad).toEqual(want);
      expect(da).toEqual(want.map((w) => w[0]));
      expect(db).toEqual(want.map((w) => w[1]));
      expect(cxa).toEqual(want.map((w) => w[0]));
    }
  });

  it('pow: x^2 at x < 0 (the db term is 0 where db is 0), and the da term 0 where b == 0', () => {
    // f(x) = x^2 with a constant exponent: the exponent's tangent and adjoint are structural zeros.
    const b = new TapeBuilder(1);
    const square = runner(heap, b.build(b.op('pow', b.v(0), b.c(2))));
    expect(square.jvp([[-3, 0, 2]], [1]).tangent).toEqual([-6, 0, 4]);
    expect(square.gradient([[-3, 0, 2]]).grad).toEqual([[-6], [0], [4]]);
    expect(square.complexStep([[-3, 0, 2]], [1]).deriv).toEqual([-6, 0, 4]);
    // f(x, y) = x^y: along x only (ḃ == 0) at x < 0 the derivative is y x^(y-1);
    // along y it does not exist (log of a negative number): NaN.
    const xy = runner(heap, opTape('pow', 2));
    expect(xy.jvp([[-3], [2]], [1, 0]).tangent).toEqual([-6]);
    expect(xy.jvp([[-3], [2]], [0, 1]).tangent[0]).toBeNaN();
    expect(xy.complexStep([[-3], [2]], [1, 0]).deriv).toEqual([-6]);
    expect(xy.complexStep([[-3], [3]], [1, 0]).deriv[0]).toBeCloseTo(27, 13);
    expect(xy.complexStep([[-3], [2]], [0, 1]).deriv[0]).toBeNaN();
    const [g] = xy.gradient([[-3], [2]]).grad;
    expect(g![0]).toBe(-6);
    expect(g![1]).toBeNaN();
    // b == 0: the da term is 0 even at a = 0 (0 * 0^-1 would be NaN).
    expect(xy.jvp([[0, 5], [0, 0]], [1, 0]).tangent).toEqual([0, 0]);
    expect(xy.gradient([[0], [0]]).grad[0]![0]).toBe(0);
    // d/db of x^y is x^y log x.
    expect(xy.jvp([[2], [3]], [0, 1]).tangent[0]).toBeCloseTo(8 * Math.LN2, 14);
  });

  it('the complex step is NaN outside an op\'s real domain, as the value is', () => {
    for (const [name, x] of [['log', -1], ['sqrt', -1], ['asin', 2], ['acos', -2], ['acosh', 0.5], ['atanh', 1.5]] as [OpName, number][]) {
      const { cx } = unary(name, [x]);
      expect(cx[0], name).toBeNaN();
    }
  });
});

describe('gradientAD of whole tapes', () => {
  const heap = new Heap(loadKernel('debug'));

  // f(x, y, z) = x^2 y + sin(z)
  const b = new TapeBuilder(3);
  const [x, y, z] = [b.v(0), b.v(1), b.v(2)];
  const fTape = b.build(b.op('add', b.op('mul', b.op('square', x), y), b.op('sin', z)));
  const f = runner(heap, fTape);

  it('x^2 y + sin(z): the exact gradient (2xy, x^2, cos z)', () => {
    const coords = [[1, -2, 0.5, 3], [3, 0.25, -1, 0], [0.5, 2, -7, 0]];
    const { value, grad } = f.gradient(coords);
    coords[0]!.forEach((xv, p) => {
      const [yv, zv] = [coords[1]![p]!, coords[2]![p]!];
      expect(value[p]).toBe(xv * xv * yv + Math.sin(zv));
      expect(grad[p]![0]).toBe(xv * xv === 0 ? 0 : 2 * xv * yv);
      expect(grad[p]![1]).toBe(xv * xv);
      expect(grad[p]![2]).toBeCloseTo(Math.cos(zv), 15);
    });
  });

  it.each([1, 2, 255, 256, 257, 513])('batch boundaries: %i points, jvp, gradientAD and complexStep agree with each other', (n) => {
    const r = rng(n);
    const coords = [0, 1, 2].map(() => Array.from({ length: n }, () => (r() - 0.5) * 6));
    const { value, grad } = f.gradient(coords);
    expect(value).toEqual(f.evaluate(coords));
    expect(grad).toHaveLength(n);
    for (let i = 0; i < 3; i++) {
      const dir = [0, 1, 2].map((j) => (j === i ? 1 : 0));
      const { value: v, tangent } = f.jvp(coords, dir);
      const { deriv } = f.complexStep(coords, dir);
      expect(v).toEqual(value);
      for (const p of [0, n - 1, 254, 255, 256, 257, 511, 512].filter((q) => q < n)) {
        expect(grad[p]![i]).toBe(tangent[p]);
        expect(relDiff(deriv[p]!, tangent[p]!, 1e-300)).toBeLessThanOrEqual(2e-16);
      }
      for (let p = 0; p < n; p++) expect(relDiff(grad[p]![i]!, tangent[p]!, 1)).toBeLessThanOrEqual(1e-15);
    }
  });

  it('a deep random tape: gradientAD equals the jvp along every axis and central differences', () => {
    // Random expressions over 4 variables, well inside every op's domain: smooth ops of sums of squares.
    const r = rng(42);
    const safe: OpName[] = ['sin', 'cos', 'atan', 'tanh', 'sigmoid', 'softplus', 'asinh', 'exp', 'square', 'neg'];
    const tb = new TapeBuilder(4);
    const pool = [tb.v(0), tb.v(1), tb.v(2), tb.v(3), tb.c(0.5), tb.c(-1.5)];
    for (let k = 0; k < 60; k++) {
      const pick = () => pool[Math.floor(r() * pool.length)]!;
      const u = r();
      let ref;
      if (u < 0.35) ref = tb.op(safe[Math.floor(r() * safe.length)]!, tb.op('mul', pick(), tb.c(0.3)));
      else if (u < 0.6) ref = tb.op('add', pick(), pick());
      else if (u < 0.8) ref = tb.op('mul', pick(), tb.op('tanh', pick()));
      else if (u < 0.9) ref = tb.op('div', pick(), tb.op('add', tb.op('square', pick()), tb.c(1)));
      else ref = tb.op('sub', pick(), pick());
      pool.push(ref);
    }
    let sum = pool[6]!;
    for (const q of pool.slice(7)) sum = tb.op('add', sum, q);
    const tape = tb.build(sum);
    const run = runner(heap, tape);
    const coords = [0, 1, 2, 3].map(() => Array.from({ length: 40 }, () => (r() - 0.5) * 4));
    const { value, grad } = run.gradient(coords);
    expect(value).toEqual(run.evaluate(coords));
    // The same tape evaluated in JS, for central differences.
    const js = (xs: number[]) => {
      const vals: number[] = [];
      const slot = (s: number) => (s < 4 ? xs[s]! : s < 4 + tape.consts.length ? tape.consts[s - 4]! : vals[s - 4 - tape.consts.length]!);
      for (const [op, , a, bb] of tape.instructions) {
        const o = opcodes.find((c) => c.code === op)!;
        vals.push(reference[o.name](slot(a), o.arity === 2 ? slot(bb!) : NaN));
      }
      return slot(tape.result);
    };
    for (let i = 0; i < 4; i++) {
      const { tangent } = run.jvp(coords, [0, 1, 2, 3].map((j) => (j === i ? 1 : 0)));
      const { deriv } = run.complexStep(coords, [0, 1, 2, 3].map((j) => (j === i ? 1 : 0)));
      for (let p = 0; p < 40; p++) {
        const xs = coords.map((c) => c[p]!);
        const scale = 1 + Math.abs(tangent[p]!);
        expect(Math.abs(grad[p]![i]! - tangent[p]!) / scale).toBeLessThanOrEqual(1e-14);
        expect(Math.abs(deriv[p]! - tangent[p]!) / scale).toBeLessThanOrEqual(1e-14);
        expect(Math.abs(centralDiff(js, xs, i, 1e-3) - tangent[p]!) / scale).toBeLessThanOrEqual(1e-7);
      }
    }
  });

  it('a variable used many times and a constant operand on either side', () => {
    // f(x, y) = (x * x) * x + 3 / x - x * 2 + (y - 1) * (1 - y) ; f_x = 3x^2 - 3/x^2 - 2 ; f_y = -2(y - 1)
    const tb = new TapeBuilder(2);
    const [xv, yv] = [tb.v(0), tb.v(1)];
    const t = tb.build(
      tb.op('add',
        tb.op('sub', tb.op('add', tb.op('mul', tb.op('mul', xv, xv), xv), tb.op('div', tb.c(3), xv)), tb.op('mul', xv, tb.c(2))),
        tb.op('mul', tb.op('sub', yv, tb.c(1)), tb.op('sub', tb.c(1), yv))),
    );
    const run = runner(heap, t);
    const coords = [[1, 2, -0.5], [0, 3, 1]];
    const { grad } = run.gradient(coords);
    coords[0]!.forEach((xs, p) => {
      const ys = coords[1]![p]!;
      expect(grad[p]![0]).toBeCloseTo(3 * xs * xs - 3 / (xs * xs) - 2, 13);
      expect(grad[p]![1]! + 0).toBe(-2 * (ys - 1) + 0); // +0 and -0 alike
    });
  });

  it('an empty tape: the result is a variable (gradient e_v) or a constant (gradient 0)', () => {
    const asVar: Tape = { instructions: [], consts: [], nVars: 2, nSlots: 2, result: 1 };
    const asConst: Tape = { instructions: [], consts: [7], nVars: 2, nSlots: 3, result: 2 };
    const coords = [[1, 2, 3], [4, 5, 6]];
    const v = runner(heap, asVar);
    expect(v.gradient(coords)).toEqual({ value: [4, 5, 6], grad: [[0, 1], [0, 1], [0, 1]] });
    expect(v.jvp(coords, [2, -3])).toEqual({ value: [4, 5, 6], tangent: [-3, -3, -3] });
    expect(v.complexStep(coords, [2, -3]).deriv).toEqual([-3, -3, -3]);
    const c = runner(heap, asConst);
    expect(c.gradient(coords)).toEqual({ value: [7, 7, 7], grad: [[0, 0], [0, 0], [0, 0]] });
    expect(c.jvp(coords, [2, -3])).toEqual({ value: [7, 7, 7], tangent: [0, 0, 0] });
    expect(c.complexStep(coords, [2, -3])).toEqual({ value: [7, 7, 7], deriv: [0, 0, 0] });
  });

  it('a result that other instructions read too is seeded and accumulated', () => {
    // s = x * y is both the result and an operand of a dead instruction t = s * s.
    const { mul } = opcodeByName;
    const tape: Tape = { instructions: [[mul, 2, 0, 1], [mul, 3, 2, 2]], consts: [], nVars: 2, nSlots: 4, result: 2 };
    expect(runner(heap, tape).gradient([[3], [5]]).grad).toEqual([[5, 3]]);
  });

  it('jvp and complexStep accept an evaluation tape with slot reuse', () => {
    // s2 = x * y; s3 = s2 + x; s2 = s3 * s3; s3 = sin(s2)  (f = sin((xy + x)^2))
    const { mul, add, sin } = opcodeByName;
    const tape: Tape = { instructions: [[mul, 2, 0, 1], [add, 3, 2, 0], [mul, 2, 3, 3], [sin, 3, 2]], consts: [], nVars: 2, nSlots: 4, result: 3 };
    const run = runner(heap, tape);
    const [x0, y0] = [0.7, -0.4];
    const u = x0 * y0 + x0;
    const { tangent } = run.jvp([[x0], [y0]], [1, 0]);
    expect(tangent[0]).toBeCloseTo(Math.cos(u * u) * 2 * u * (y0 + 1), 15);
    expect(run.complexStep([[x0], [y0]], [1, 0]).deriv[0]).toBeCloseTo(tangent[0]!, 15);
  });

  it('sum and slice in batch mode: every row is one point\'s scalar, so sum is the identity and a slice (from 0) a view', () => {
    const { sum, slice } = vectorOpcodeByName;
    const { mul, sin } = opcodeByName;
    // f(x, y) = sum(slice(sin(x), 0)) * y
    const tape: Tape = { instructions: [[sin, 2, 0], [slice, 3, 2, 0], [sum, 4, 3], [mul, 5, 4, 1]], consts: [], nVars: 2, nSlots: 6, result: 5 };
    const run = runner(heap, tape);
    const coords = [[0.5, -1, 2], [3, 0.25, -2]];
    const { value, grad } = run.gradient(coords);
    coords[0]!.forEach((x0, p) => {
      const y0 = coords[1]![p]!;
      expect(value[p]).toBe(Math.sin(x0) * y0);
      expect(grad[p]).toEqual([Math.cos(x0) * y0, Math.sin(x0)]);
    });
    expect(run.jvp(coords, [1, 0]).tangent).toEqual(grad.map((g) => g[0]));
    run.complexStep(coords, [0, 1]).deriv.forEach((d, p) => expect(relDiff(d, grad[p]![1]!)).toBeLessThanOrEqual(2.3e-16));
  });

  it('a debug kernel rejects a tape with slot reuse in gradientAD', () => {
    const { mul, add } = opcodeByName;
    const tape: Tape = { instructions: [[mul, 2, 0, 1], [add, 2, 2, 0]], consts: [], nVars: 2, nSlots: 3, result: 2 };
    expect(() => runner(heap, tape).gradient([[1], [2]])).toThrow(/without slot reuse/);
  });

  it('8-field and 12-field batch descriptors give the same results', () => {
    const h12 = new Heap(loadKernel('release', 12));
    const r8 = runner(new Heap(loadKernel('release')), fTape);
    const r12 = runner(h12, fTape);
    const coords = [[1, 2, 3], [0.5, -1, 2], [0, 1, -1]];
    expect(r12.gradient(coords)).toEqual(r8.gradient(coords));
    expect(r12.jvp(coords, [1, 2, 3])).toEqual(r8.jvp(coords, [1, 2, 3]));
    expect(r12.complexStep(coords, [1, 2, 3])).toEqual(r8.complexStep(coords, [1, 2, 3]));
  });
});

describe('SIMD and scalar builds', () => {
  it('agree bit for bit on jvp, gradientAD and complexStep of every op', () => {
    const results = (['release', 'scalar'] as const).map((build) => {
      const heap = new Heap(loadKernel(build));
      return opcodes.map((op) => {
        const run = runner(heap, opTape(op.name, op.arity));
        // An odd number of points: the f64x2 loops and their scalar tail.
        const coords = pointsFor(op.name, op.arity, 301, op.code);
        const dir = op.arity === 2 ? [0.5, -2] : [1.5];
        return [run.jvp(coords, dir), run.gradient(coords), run.complexStep(coords, dir)];
      });
    });
    const show = (x: unknown) => JSON.stringify(x, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? '-0' : v));
    expect(show(results[0])).toBe(show(results[1]));
  });
});
