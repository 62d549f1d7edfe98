// Vector mode (descriptor mode 1): slots are vectors, one point per pass;
// sum and slice; broadcasting of length-1 operands.
import { describe, expect, it } from 'vitest';
import { KernelAbortError, Method, opcodeByName, vectorOpcodeByName } from './index.js';
import { Heap, loadKernel, type Build } from './test-support/heap.js';
import { relDiff, rng } from './test-support/reference.js';
import { runner } from './test-support/run.js';
import { TapeBuilder, type Tape } from './test-support/tape.js';

/** sum(100 (x[1:] - x[:-1]^2)^2 + (1 - x[:-1])^2), the extended Rosenbrock function, as the core would compile it. */
export function rosenbrockTape(n: number): Tape {
  const b = new TapeBuilder([n]);
  const x = b.v(0);
  const hi = b.slice(x, 1, n - 1);
  const lo = b.slice(x, 0, n - 1);
  const t1 = b.op('mul', b.c(100), b.op('square', b.op('sub', hi, b.op('square', lo))));
  const t2 = b.op('square', b.op('sub', b.c(1), lo));
  return b.build(b.sum(b.op('add', t1, t2)));
}

/**
 * The value and the analytic gradient, written by hand; `scale[i]` is the
 * sum of the magnitudes of the terms of g[i] (its rounding error is relative to that).
 */
function rosenbrock(x: number[]): { f: number; g: number[]; scale: number[] } {
  const g = x.map(() => 0);
  const scale = x.map(() => 0);
  let f = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const d = x[i + 1]! - x[i]! * x[i]!;
    const o = 1 - x[i]!;
    f += 100 * d * d + o * o;
    g[i]! += -400 * x[i]! * d - 2 * o;
    g[i + 1]! += 200 * d;
    scale[i]! += Math.abs(400 * x[i]! * d) + Math.abs(2 * o) + 400 * x[i]! * x[i]! * Math.abs(x[i]!);
    scale[i + 1]! += 200 * (Math.abs(x[i + 1]!) + x[i]! * x[i]!);
  }
  return { f, g, scale };
}

const builds: Build[] = ['release', 'scalar', 'debug'];

describe.each(builds)('vector mode (%s build)', (build) => {
  const heap = new Heap(loadKernel(build, 12));

  it('Rosenbrock at n = 2 is the scalar formula 100 (y - x^2)^2 + (1 - x)^2', () => {
    const run = runner(heap, rosenbrockTape(2));
    const pts = [[-1.2, 1], [1, 1], [0.5, -0.25], [3, 2]];
    const { value, grad } = run.gradient(pts);
    pts.forEach(([x, y], p) => {
      expect(value[p]).toBe(100 * (y! - x! * x!) ** 2 + (1 - x!) ** 2);
      // The kernel multiplies the chain rule's factors in its own order: within an ulp or two.
      const want = [-400 * x! * (y! - x! * x!) - 2 * (1 - x!), 200 * (y! - x! * x!)];
      grad[p]!.forEach((g, i) => expect(relDiff(g, want[i]!)).toBeLessThanOrEqual(4.5e-16));
    });
    expect(run.evaluate(pts)).toEqual(value);
    // (1, 1) is the minimum.
    expect(value[1]).toBe(0);
    expect(grad[1]).toEqual([0, 0]);
  });

  it('Rosenbrock at n = 10,000: the value and the analytic gradient', () => {
    const n = 10_000;
    const r = rng(5);
    const x = Array.from({ length: n }, () => (r() - 0.5) * 4);
    const run = runner(heap, rosenbrockTape(n));
    const { value, grad } = run.gradient([x]);
    const want = rosenbrock(x);
    expect(relDiff(value[0]!, want.f)).toBeLessThanOrEqual(1e-13);
    expect(run.evaluate([x])).toEqual(value);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(grad[0]![i]! - want.g[i]!) / want.scale[i]!);
    expect(worst).toBeLessThanOrEqual(4e-16);
  });

  it('jvp along a direction equals the gradient dotted with it; the complex step too', () => {
    const n = 1001;
    const r = rng(9);
    const x = Array.from({ length: n }, () => (r() - 0.5) * 3);
    const dir = Array.from({ length: n }, () => r() - 0.5);
    const run = runner(heap, rosenbrockTape(n));
    const { grad } = run.gradient([x]);
    const dot = grad[0]!.reduce((s, g, i) => s + g * dir[i]!, 0);
    const scale = grad[0]!.reduce((s, g, i) => s + Math.abs(g * dir[i]!), 0);
    const { value, tangent } = run.jvp([x], dir);
    expect(value).toEqual(run.evaluate([x]));
    expect(Math.abs(tangent[0]! - dot) / scale).toBeLessThanOrEqual(1e-14);
    const cs = run.complexStep([x], dir);
    expect(Math.abs(cs.deriv[0]! - dot) / scale).toBeLessThanOrEqual(1e-14);
    expect(relDiff(cs.value[0]!, value[0]!)).toBeLessThanOrEqual(1e-15);
  });

  it('runs many points, one after the other (point p at points + p nIn)', () => {
    const n = 7;
    const run = runner(heap, rosenbrockTape(n));
    const r = rng(3);
    const pts = Array.from({ length: 5 }, () => Array.from({ length: n }, () => r() * 2 - 1));
    const { value, grad } = run.gradient(pts);
    pts.forEach((x, p) => {
      const want = rosenbrock(x);
      expect(relDiff(value[p]!, want.f)).toBeLessThanOrEqual(1e-15);
      grad[p]!.forEach((g, i) => expect(Math.abs(g - want.g[i]!) / want.scale[i]!).toBeLessThanOrEqual(4e-16));
    });
    run.jvp(pts, [1, 0, 0, 0, 0, 0, 0]).tangent.forEach((t, p) => expect(Math.abs(t - grad[p]![0]!) / rosenbrock(pts[p]!).scale[0]!).toBeLessThanOrEqual(4e-16));
  });

  it('an empty vector: Rosenbrock at n = 1 is an empty sum (0, gradient 0)', () => {
    const run = runner(heap, rosenbrockTape(1));
    expect(run.gradient([[0.7]])).toEqual({ value: [0], grad: [[0]] });
    expect(run.jvp([[0.7]], [1])).toEqual({ value: [0], tangent: [0] });
  });

  it('slices are views: their adjoints land in the right elements of the source', () => {
    // f(x) = sum(x[2:5] * w) + x[0] - sum(x[3:4]) with x of length 6, w a second variable of length 3
    const b = new TapeBuilder([6, 3]);
    const x = b.v(0);
    const w = b.v(1);
    const f = b.build(b.op('sub', b.op('add', b.sum(b.op('mul', b.slice(x, 2, 3), w)), b.slice(x, 0, 1)), b.sum(b.slice(x, 3, 1))));
    const run = runner(heap, f);
    const pt = [10, 11, 12, 13, 14, 15, 2, 3, 4];
    const { value, grad } = run.gradient([pt]);
    expect(value).toEqual([12 * 2 + 13 * 3 + 14 * 4 + 10 - 13]);
    expect(grad[0]).toEqual([1, 0, 2, 3 - 1, 4, 0, 12, 13, 14]);
    // A slice of a slice, and a slice as the result: f(x) = x[1:5][2:3] = x[3]
    const b2 = new TapeBuilder([6]);
    const s2 = b2.slice(b2.slice(b2.v(0), 1, 4), 2, 1);
    const run2 = runner(heap, b2.build(s2));
    expect(run2.gradient([pt.slice(0, 6)])).toEqual({ value: [13], grad: [[0, 0, 0, 1, 0, 0]] });
    expect(run2.jvp([pt.slice(0, 6)], [0, 0, 0, 5, 0, 0]).tangent).toEqual([5]);
    expect(run2.complexStep([pt.slice(0, 6)], [0, 0, 0, 5, 0, 0]).deriv).toEqual([5]);
  });

  it('a slice of an op result: its adjoint is accumulated into that result\'s adjoint', () => {
    // u = x^2 (length 4); f = sum(u[0:2]) + 3 sum(u[1:4]) -> df/dx_i = 2 x_i (1[i<2] + 3[i>=1])
    const b = new TapeBuilder([4]);
    const u = b.op('square', b.v(0));
    const f = b.build(b.op('add', b.sum(b.slice(u, 0, 2)), b.op('mul', b.c(3), b.sum(b.slice(u, 1, 3)))));
    const x = [0.5, -1, 2, 3];
    expect(runner(heap, f).gradient([x]).grad[0]).toEqual(x.map((xi, i) => 2 * xi * ((i < 2 ? 1 : 0) + (i >= 1 ? 3 : 0))));
  });

  it('broadcasting: a scalar operand with a vector, on either side; its adjoint is the sum of the contributions', () => {
    // f(s, x) = sum(s * x) + sum(x / s) + sum(s - x) with s a scalar variable and x a vector of 5
    const b = new TapeBuilder([1, 5]);
    const s = b.v(0);
    const x = b.v(1);
    const f = b.build(b.op('add', b.op('add', b.sum(b.op('mul', s, x)), b.sum(b.op('div', x, s))), b.sum(b.op('sub', s, x))));
    const sv = 0.5;
    const xs = [1, -2, 3, 0.25, 5];
    const pt = [sv, ...xs];
    const run = runner(heap, f);
    const { value, grad } = run.gradient([pt]);
    const sx = xs.reduce((a, v) => a + v, 0);
    expect(value[0]).toBeCloseTo(sv * sx + sx / sv + 5 * sv - sx, 13);
    expect(grad[0]![0]).toBeCloseTo(sx - sx / (sv * sv) + 5, 13);
    grad[0]!.slice(1).forEach((g) => expect(g).toBeCloseTo(sv + 1 / sv - 1, 14));
    // jvp along s alone, and along x alone
    const ds = run.jvp([pt], [1, 0, 0, 0, 0, 0]).tangent[0]!;
    expect(ds).toBeCloseTo(grad[0]![0]!, 13);
    expect(run.complexStep([pt], [1, 0, 0, 0, 0, 0]).deriv[0]).toBeCloseTo(ds, 13);
  });

  it('a length-1 op result broadcast against a vector: its adjoint is the sum of the contributions', () => {
    // s = sum(x); f = sum(x * s) + s = s^2 + s -> df/dx_i = 2 s + 1
    const b = new TapeBuilder([5]);
    const x = b.v(0);
    const s = b.sum(x);
    const f = b.build(b.op('add', b.sum(b.op('mul', x, s)), s));
    const xs = [1, 2, -0.5, 0.25, 3];
    const sx = xs.reduce((t, v) => t + v, 0);
    const run = runner(heap, f);
    expect(run.gradient([xs])).toEqual({ value: [sx * sx + sx], grad: [xs.map(() => 2 * sx + 1)] });
    expect(run.jvp([xs], [1, 1, 1, 1, 1]).tangent).toEqual([5 * (2 * sx + 1)]);
  });

  it('a variable as the result (an empty tape), and a constant', () => {
    const v: Tape = { instructions: [], consts: [], nVars: 2, nSlots: 2, result: 1, slotLens: [3, 1] };
    const run = runner(heap, v);
    expect(run.gradient([[1, 2, 3, 4]])).toEqual({ value: [4], grad: [[0, 0, 0, 1]] });
    expect(run.jvp([[1, 2, 3, 4]], [0, 0, 0, 2])).toEqual({ value: [4], tangent: [2] });
    const c: Tape = { instructions: [], consts: [6], nVars: 1, nSlots: 2, result: 1, slotLens: [2, 1] };
    expect(runner(heap, c).gradient([[1, 2]])).toEqual({ value: [6], grad: [[0, 0]] });
  });

  it('a dot product as mul + sum, and sum of a length-1 vector', () => {
    const b = new TapeBuilder([3, 3]);
    const f = b.build(b.sum(b.sum(b.op('mul', b.v(0), b.v(1)))));
    const run = runner(heap, f);
    expect(run.gradient([[1, 2, 3, 4, 5, 6]])).toEqual({ value: [32], grad: [[4, 5, 6, 1, 2, 3]] });
    expect(run.jvp([[1, 2, 3, 4, 5, 6]], [1, 1, 1, 0, 0, 0]).tangent).toEqual([15]);
  });

  it('scalar variables mixed with vectors, and transcendental ops on vectors', () => {
    // f(a, x, b) = sum(exp(a * sin(x))) * b, x of length 33 (odd: the SIMD loops' scalar tail)
    const b = new TapeBuilder([1, 33, 1]);
    const f = b.build(b.op('mul', b.sum(b.op('exp', b.op('mul', b.v(0), b.op('sin', b.v(1))))), b.v(2)));
    const r = rng(17);
    const xs = Array.from({ length: 33 }, () => r() * 6 - 3);
    const [av, bv] = [0.7, -1.3];
    const run = runner(heap, f);
    const { value, grad } = run.gradient([[av, ...xs, bv]]);
    const e = xs.map((xi) => Math.exp(av * Math.sin(xi)));
    const se = e.reduce((s, v) => s + v, 0);
    expect(relDiff(value[0]!, se * bv)).toBeLessThanOrEqual(1e-14);
    expect(relDiff(grad[0]![0]!, bv * xs.reduce((s, xi, i) => s + e[i]! * Math.sin(xi), 0))).toBeLessThanOrEqual(1e-13);
    xs.forEach((xi, i) => expect(relDiff(grad[0]![1 + i]!, bv * e[i]! * av * Math.cos(xi))).toBeLessThanOrEqual(1e-14));
    expect(relDiff(grad[0]![34]!, se)).toBeLessThanOrEqual(1e-14);
  });

  it('evaluate, jvp and complexStep accept an evaluation tape with slot reuse (equal lengths per slot)', () => {
    // s3 = x * x; s4 = s3 + x; s3 = sin(s4); s5 = sum(s3)  (x of length 4)
    const { mul, add, sin } = opcodeByName;
    const tape: Tape = {
      instructions: [[mul, 1, 0, 0], [add, 2, 1, 0], [sin, 1, 2], [vectorOpcodeByName.sum, 3, 1]],
      consts: [], nVars: 1, nSlots: 4, result: 3, slotLens: [4, 4, 4, 1],
    };
    const x = [0.1, -0.7, 1.3, 2];
    const run = runner(heap, tape);
    expect(run.evaluate([x])[0]).toBeCloseTo(x.reduce((s, v) => s + Math.sin(v * v + v), 0), 14);
    const want = x.reduce((s, v) => s + Math.cos(v * v + v) * (2 * v + 1), 0);
    expect(run.jvp([x], [1, 1, 1, 1]).tangent[0]).toBeCloseTo(want, 14);
    expect(run.complexStep([x], [1, 1, 1, 1]).deriv[0]).toBeCloseTo(want, 14);
  });
});

describe('vector mode: SIMD and scalar builds', () => {
  it('agree bit for bit (odd and even lengths, sums, broadcasts, slices at odd offsets)', () => {
    const results = (['release', 'scalar'] as const).map((build) => {
      const heap = new Heap(loadKernel(build, 12));
      return [2, 3, 64, 1001].map((n) => {
        const r = rng(n);
        const x = Array.from({ length: n }, () => r() * 4 - 2);
        const dir = Array.from({ length: n }, () => r() - 0.5);
        const run = runner(heap, rosenbrockTape(n));
        return [run.evaluate([x]), run.gradient([x]), run.jvp([x], dir), run.complexStep([x], dir)];
      });
    });
    expect(results[0]).toEqual(results[1]);
  });
});

describe('vector mode: what the debug build rejects', () => {
  const bad = (tape: Tape, message: RegExp) => {
    const heap = new Heap(loadKernel('debug', 12));
    const run = runner(heap, tape);
    const pt = [Array.from({ length: 8 }, (_, i) => i)];
    expect(() => run.evaluate(pt)).toThrow(message);
    expect(() => run.evaluate(pt)).toThrow(KernelAbortError);
  };
  const { add, sin } = opcodeByName;
  const { sum, slice } = vectorOpcodeByName;

  it('operand lengths that do not broadcast', () => {
    bad({ instructions: [[add, 2, 0, 1], [sum, 3, 2]], consts: [], nVars: 2, nSlots: 4, result: 3, slotLens: [3, 2, 3, 1] }, /do not broadcast/);
  });
  it('a unary op that changes the length', () => {
    bad({ instructions: [[sin, 1, 0], [sum, 2, 1]], consts: [], nVars: 1, nSlots: 3, result: 2, slotLens: [4, 3, 1] }, /keeps its operand's length/);
  });
  it('a slice beyond its source', () => {
    bad({ instructions: [[slice, 1, 0, 3], [sum, 2, 1]], consts: [], nVars: 1, nSlots: 3, result: 2, slotLens: [4, 2, 1] }, /slice out of its source/);
  });
  it("a slice's dst written by another instruction", () => {
    bad({ instructions: [[slice, 1, 0, 0], [sin, 1, 0], [sum, 2, 1]], consts: [], nVars: 1, nSlots: 3, result: 2, slotLens: [2, 2, 1] }, /slice's dst is the dst of another/);
  });
  it('a result that is not a scalar', () => {
    bad({ instructions: [[sin, 1, 0]], consts: [], nVars: 1, nSlots: 2, result: 1, slotLens: [4, 4] }, /result has length 1/);
  });
  it('a constant of length 2', () => {
    bad({ instructions: [[add, 2, 0, 1], [sum, 3, 2]], consts: [1], nVars: 1, nSlots: 4, result: 3, slotLens: [2, 2, 2, 1] }, /constant has length 1/);
  });
  it('finite differences on a vector-mode descriptor (batch mode only)', () => {
    const heap = new Heap(loadKernel('debug', 12));
    const fn = heap.compile(rosenbrockTape(3));
    const out = heap.alloc(64);
    expect(() => heap.kernel.gradient(fn, heap.putF64([1, 2, 3]), 1, Method.central, NaN, out, out + 16, out + 32)).toThrow(/batch-mode descriptors only/);
  });
  it('(release: finite differences on a vector-mode descriptor answer NaN)', () => {
    const heap = new Heap(loadKernel('release', 12));
    const fn = heap.compile(rosenbrockTape(3));
    const out = heap.alloc(5 * 8);
    heap.kernel.derivative(fn, heap.putF64([1, 2, 3]), 1, heap.putF64([1, 0, 0]), Method.central, NaN, out, out + 8, out + 16);
    expect(heap.getF64(out, 3).every(Number.isNaN)).toBe(true);
  });
});

describe('vector mode: scratch', () => {
  it('scratchBytesFor counts no storage for slices, and two copies of every other op slot', () => {
    const heap = new Heap(loadKernel('release', 12));
    const n = 1000;
    const fn = heap.compile(rosenbrockTape(n));
    const bytes = heap.kernel.scratchBytesFor(fn);
    // 7 op results of n - 1 elements (16-aligned) and a sum, value and adjoint; 5 tables of 13 slots; zero; h dir.
    const storage = 2 * (7 * Math.ceil(((n - 1) * 8) / 16) * 16 + 16);
    expect(bytes).toBe(storage + 5 * Math.ceil((13 * 4) / 16) * 16 + 16 + n * 8);
  });
});
