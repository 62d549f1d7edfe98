import { describe, expect, it } from 'vitest';
import { opcodeByName, opcodes } from './index.js';
import { Heap, loadKernel, type Build } from './test-support/heap.js';
import { exactOps, reference, rng, ulps } from './test-support/reference.js';
import { TapeBuilder, tapeOf, type Tape } from './test-support/tape.js';

const special = [
  0, -0, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 0.1, -0.1, 1e-10, -1e-10, 1e-300, -1e-300, 5e-324, 10, -10,
  20, -20, 37, -37, 100, 700, -700, 710, -710, 745, -745, 800, -800, 1e10, -1e10, 1e300, -1e300,
  Math.PI / 2, -Math.PI / 2, Math.PI, 1e22, 0.999999, -0.999999, 1.000001,
  Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, NaN,
];

function unaryInputs(): number[] {
  const r = rng(7);
  const xs = [...special];
  for (let i = 0; i < 300; i++) xs.push((r() - 0.5) * 40);
  for (let i = 0; i < 100; i++) xs.push((r() < 0.5 ? -1 : 1) * 10 ** (r() * 40 - 20));
  return xs;
}

function binaryInputs(): [number[], number[]] {
  const base = [0, -0, 1, -1, 0.5, -2.5, 2, 3, -3, 10, 1e-300, 1e300, Infinity, -Infinity, NaN];
  const a: number[] = [];
  const b: number[] = [];
  for (const x of base) for (const y of base) (a.push(x), b.push(y));
  const r = rng(11);
  for (let i = 0; i < 300; i++) (a.push((r() - 0.5) * 20), b.push((r() - 0.5) * 8));
  for (let i = 0; i < 100; i++) (a.push(r() * 10), b.push((r() - 0.5) * 600));
  return [a, b];
}

function run(heap: Heap, tape: Tape, coords: number[][]): number[] {
  const fn = heap.compile(tape);
  const n = coords[0]?.length ?? 0;
  const points = heap.putPoints(coords);
  const out = heap.alloc(n * 8);
  heap.kernel.evaluate(fn, points, n, out);
  return heap.getF64(out, n);
}

const builds: Build[] = ['release', 'scalar', 'debug'];

describe.each(builds)('evaluate (%s build)', (build) => {
  const heap = new Heap(loadKernel(build));

  describe.each(opcodes.map((o) => [o.name, o] as const))('%s', (name, op) => {
    const exact = exactOps.has(name);
    it(exact ? 'is bit-identical to JS' : 'is within 2 ulp of JS Math', () => {
      const ref = reference[name];
      const coords = op.arity === 1 ? [unaryInputs()] : binaryInputs();
      const got = run(heap, tapeOf(op.arity, { op: name, args: op.arity === 1 ? [{ v: 0 }] : [{ v: 0 }, { v: 1 }] }), coords);
      const bad: string[] = [];
      got.forEach((g, i) => {
        const a = coords[0]![i]!;
        const b = coords[1]?.[i] ?? NaN;
        const want = ref(a, b);
        const ok = exact ? Object.is(g, want) || (Number.isNaN(g) && Number.isNaN(want)) : ulps(g, want) <= 2;
        if (!ok) bad.push(`${name}(${a}${op.arity === 2 ? `, ${b}` : ''}) = ${g}, JS ${want}`);
      });
      expect(bad.slice(0, 10)).toEqual([]);
    });

    it('propagates NaN', () => {
      const coords = op.arity === 1 ? [[NaN, NaN]] : [[NaN, 1], [1, NaN]];
      const tape = tapeOf(op.arity, { op: name, args: op.arity === 1 ? [{ v: 0 }] : [{ v: 0 }, { v: 1 }] });
      const got = run(heap, tape, coords);
      expect(got.every(Number.isNaN)).toBe(true);
    });
  });

  it('computes sigmoid and softplus stably at +-800', () => {
    const xs = [800, -800, 40, -40, 745, -745, 1e308, -1e308];
    const s = run(heap, tapeOf(1, { op: 'sigmoid', args: [{ v: 0 }] }), [xs]);
    const p = run(heap, tapeOf(1, { op: 'softplus', args: [{ v: 0 }] }), [xs]);
    expect(s.slice(0, 2)).toEqual([1, 0]);
    expect(s.every((y) => y >= 0 && y <= 1)).toBe(true);
    expect(p.slice(0, 4)).toEqual([800, 0, 40, reference.softplus(-40, 0)]);
    expect(p[3]).toBeGreaterThan(0);
    expect(p[5]).toBeGreaterThanOrEqual(0);
    expect(p[6]).toBe(1e308);
    expect(p.every((y) => Number.isFinite(y))).toBe(true);
  });

  // f(x, y) = sin(x) * exp(-y*y) + x*x*y - 3
  const b = new TapeBuilder(2);
  const x = b.v(0);
  const y = b.v(1);
  const fTape = b.build(
    b.op('sub',
      b.op('add',
        b.op('mul', b.op('sin', x), b.op('exp', b.op('neg', b.op('square', y)))),
        b.op('mul', b.op('mul', x, x), y)),
      b.c(3)),
  );
  const fJs = (x: number, y: number) => Math.sin(x) * Math.exp(-(y * y)) + x * x * y - 3;

  it.each([1, 2, 255, 256, 257, 511, 513, 10_000])('batch boundaries: %i points', (n) => {
    const r = rng(n);
    const xs = Array.from({ length: n }, () => (r() - 0.5) * 6);
    const ys = Array.from({ length: n }, () => (r() - 0.5) * 6);
    const got = run(heap, fTape, [xs, ys]);
    expect(got.length).toBe(n);
    // Cancellation in `... - 3` makes ulps meaningless near 0: compare to the terms' size.
    const bad = got.filter((g, i) => {
      const [x, y] = [xs[i]!, ys[i]!];
      return !(Math.abs(g - fJs(x, y)) <= 1e-15 * (4 + Math.abs(x * x * y)));
    });
    expect(bad).toEqual([]);
    // Point p is row p % 256 of batch p / 256: the last point and both sides of each boundary.
    for (const i of [0, n - 1, 255, 256, 257].filter((i) => i < n)) {
      expect(Math.abs(got[i]! - fJs(xs[i]!, ys[i]!))).toBeLessThan(1e-12 * (1 + Math.abs(got[i]!)));
    }
  });

  it('does nothing for 0 points', () => {
    const fn = heap.compile(fTape);
    const out = heap.putF64([42]);
    heap.kernel.evaluate(fn, heap.putPoints([[], []]), 0, out);
    expect(heap.getF64(out, 1)).toEqual([42]);
  });

  it('returns a variable when the tape is empty (f = y)', () => {
    const tape: Tape = { instructions: [], consts: [], nVars: 2, nSlots: 2, result: 1 };
    const n = 300;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = Array.from({ length: n }, (_, i) => -i / 7);
    expect(run(heap, tape, [xs, ys])).toEqual(ys);
  });

  it('returns a constant when the tape is empty (f = 3)', () => {
    const tape: Tape = { instructions: [], consts: [2, 3], nVars: 1, nSlots: 3, result: 2 };
    expect(run(heap, tape, [[1, 2, 3, 4, 5]])).toEqual([3, 3, 3, 3, 3]);
  });

  it('broadcasts constants into their slots for every batch', () => {
    // f(x) = (x + 0.5) * -2 + 1e-3
    const tb = new TapeBuilder(1);
    const tape = tb.build(tb.op('add', tb.op('mul', tb.op('add', tb.v(0), tb.c(0.5)), tb.c(-2)), tb.c(1e-3)));
    const xs = Array.from({ length: 700 }, (_, i) => i - 350);
    expect(run(heap, tape, [xs])).toEqual(xs.map((x) => (x + 0.5) * -2 + 1e-3));
  });

  it('reuses result slots (liveness), with dst equal to an earlier operand', () => {
    // Slots: 0 = x, 1 = y, 2 = const 2, 3-4 temporaries reused.
    //   s3 = x * y; s4 = s3 + x; s3 = s4 * 2; s4 = s3 - y; s3 = sqrt(|s4|)
    const { mul, add, sub, abs, sqrt } = opcodeByName;
    const tape: Tape = {
      instructions: [[mul, 3, 0, 1], [add, 4, 3, 0], [mul, 3, 4, 2], [sub, 4, 3, 1], [abs, 3, 4], [sqrt, 4, 3]],
      consts: [2],
      nVars: 2,
      nSlots: 5,
      result: 4,
    };
    const xs = Array.from({ length: 301 }, (_, i) => i / 10 - 15);
    const ys = xs.map((x) => Math.cos(x) * 3);
    expect(run(heap, tape, [xs, ys])).toEqual(xs.map((x, i) => Math.sqrt(Math.abs((x * ys[i]! + x) * 2 - ys[i]!))));
  });

  it('keeps working after the host grows the memory between calls', () => {
    const fn = heap.compile(fTape);
    const points = heap.putPoints([[0.5, 1.5, 2.5], [1, -1, 2]]);
    const out = heap.alloc(3 * 8);
    heap.kernel.evaluate(fn, points, 3, out);
    const before = heap.getF64(out, 3);
    const pages = heap.kernel.memory.buffer.byteLength;
    heap.alloc(3 * 65536); // grows the memory: old views are detached
    expect(heap.kernel.memory.buffer.byteLength).toBeGreaterThan(pages);
    heap.kernel.evaluate(fn, points, 3, out);
    expect(heap.getF64(out, 3)).toEqual(before);
    expect(before[0]).toBeCloseTo(fJs(0.5, 1), 14);
  });
});

describe('SIMD and scalar builds', () => {
  it('agree bit for bit on element-wise arithmetic', () => {
    const ops = ['add', 'sub', 'mul', 'div', 'min', 'max', 'neg', 'square', 'abs', 'sqrt', 'relu', 'recip'] as const;
    const [a, b] = binaryInputs();
    const results = (['release', 'scalar'] as const).map((build) => {
      const heap = new Heap(loadKernel(build));
      return ops.map((op) => {
        const arity = opcodes.find((o) => o.name === op)!.arity;
        return run(heap, tapeOf(2, { op, args: arity === 1 ? [{ v: 0 }] : [{ v: 0 }, { v: 1 }] }), [a, b]);
      });
    });
    expect(results[0]!.map((r) => r.map((x) => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : x))))
      .toEqual(results[1]!.map((r) => r.map((x) => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : x))));
  });
});
