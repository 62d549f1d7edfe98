// The batch functions run the kernel a chunk of points at a time (runBatch):
// their results must be the bits one kernel call over all the points gives,
// whatever the chunking, and the kernel's memory must not grow with the
// number of points or from call to call.
import { COMPLEX_STEP_H, Method } from '@nudge/kernel-as';
import { describe, expect, it } from 'vitest';
import { builder, compile, derivative, derivativeMany, evaluateMany, gradientMany, NudgeError, type CompiledFunction } from '../index.js';
import { getKernel } from '../kernel/instance.js';

/** Equal bits (NaN equals NaN; +0 and -0 differ). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect.fail(`${what}: element ${i} differs: ${a[i]} vs ${b[i]}`);
  }
}

/**
 * The reference: one kernel call over all n points (the packed columns in one
 * block, outputs sliced out), as the API made it before it ran in chunks.
 */
function oneCall(
  columns: Float64Array,
  n: number,
  widths: number[],
  extra: Float64Array | undefined,
  call: (pts: number, outs: number[], extra: number) => void,
): Float64Array[] {
  const { heap } = getKernel();
  const pts = heap.alloc(columns.length * 8);
  const e = heap.alloc((extra?.length ?? 0) * 8);
  const outs = widths.map((w) => heap.alloc(w * n * 8));
  try {
    heap.f64().set(columns, pts >> 3);
    if (extra) heap.f64().set(extra, e >> 3);
    call(pts, outs, e);
    return widths.map((w, k) => heap.f64().slice(outs[k]! >> 3, (outs[k]! >> 3) + w * n));
  } finally {
    for (const p of [pts, e, ...outs]) heap.release(p);
  }
}

/** n points of x and y, some outside the domains of sqrt and log, zeros included. */
function points(n: number): { x: Float64Array; y: Float64Array; packed: Float64Array } {
  const x = Float64Array.from({ length: n }, (_, i) => (i % 101 === 0 ? 0 : Math.sin(i * 0.37) * 3 + (i % 13) * 1e-9));
  const y = Float64Array.from({ length: n }, (_, i) => (i % 89 === 0 ? -1 : Math.cos(i * 0.11) * 2 + 0.5));
  const packed = new Float64Array(2 * n);
  packed.set(x);
  packed.set(y, n);
  return { x, y, packed };
}

// Longer than several chunks of every batch call, and not a multiple of the kernel's batch.
const N = 20_011;
const EXPRESSIONS = ['x*x*y - 3*x*y*y + 2*x - y + 1', 'sin(x)*exp(-y*y) + x*x*y', 'sqrt(x)*y + log(y) - abs(x - 1)'];

describe('batch functions in chunks', () => {
  for (const expr of EXPRESSIONS) {
    it(`give the bits of one kernel call over all the points: ${expr}`, () => {
      const f = compile(expr, { variables: ['x', 'y'] });
      const { exports } = getKernel();
      const { x, y, packed } = points(N);
      try {
        const v = evaluateMany(f, { x, y });
        sameBits(v, oneCall(packed, N, [1], undefined, (p, [o]) => exports.evaluate(f.descriptor, p, N, o!))[0]!, 'evaluateMany');

        const dir = new Float64Array([1, 0]);
        const d = derivativeMany(f, { x, y }, { wrt: 'x' });
        const [dv, dd] = oneCall(packed, N, [1, 1], dir, (p, [o1, o2], e) => exports.jvp(f.differentiationDescriptor, p, N, e, o1!, o2!));
        sameBits(d.value, dv!, 'derivativeMany exact: value');
        sameBits(d.derivative, dd!, 'derivativeMany exact');

        const c = derivativeMany(f, { x, y }, { wrt: 'x', method: 'complex' });
        const [, cd] = oneCall(packed, N, [1, 1], dir, (p, [o1, o2], e) => exports.complexStep(f.differentiationDescriptor, p, N, e, COMPLEX_STEP_H, o1!, o2!));
        sameBits(c.derivative, cd!, 'derivativeMany complex');

        const central = derivativeMany(f, { x, y }, { wrt: 'x', method: 'central', h: 1e-4 });
        const [cv, cdd, ce] = oneCall(packed, N, [1, 1, 1], dir, (p, [o1, o2, o3], e) =>
          exports.derivative(f.descriptor, p, N, e, Method.central, 1e-4, o1!, o2!, o3!),
        );
        sameBits(central.value, cv!, 'derivativeMany central: value');
        sameBits(central.derivative, cdd!, 'derivativeMany central');
        sameBits(central.errorEstimate, ce!, 'derivativeMany central: error estimate');

        const g = gradientMany(f, { x, y });
        const [gv, gg] = oneCall(packed, N, [1, 2], undefined, (p, [o1, o2]) => exports.gradientAD(f.differentiationDescriptor, p, N, o1!, o2!));
        sameBits(g.value, gv!, 'gradientMany exact: value');
        sameBits(g.gradient, gg!, 'gradientMany exact');

        const gc = gradientMany(f, { x, y }, { method: 'central', h: 1e-4 });
        const [, gcg, gce] = oneCall(packed, N, [1, 2, 2], undefined, (p, [o1, o2, o3]) =>
          exports.gradient(f.descriptor, p, N, Method.central, 1e-4, o1!, o2!, o3!),
        );
        sameBits(gc.gradient, gcg!, 'gradientMany central');
        sameBits(gc.errorEstimate, gce!, 'gradientMany central: error estimate');
      } finally {
        f.dispose();
      }
    });
  }

  it('richardson with its retries near the edge of a domain: the batch equals the points one at a time', () => {
    const f = compile('sqrt(x) + log(y)*x', { variables: ['x', 'y'] });
    try {
      const n = 9_001;
      const x = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1e-7 * (1 + (i % 10)) : 0.5 + i * 1e-4));
      const y = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1e-8 : 1 + i * 1e-4));
      const many = derivativeMany(f, { x, y }, { wrt: 'x', method: 'richardson' });
      const grads = gradientMany(f, { x, y }, { method: 'richardson' });
      for (let p = 0; p < n; p += 37) {
        const one = derivative(f, { x: x[p]!, y: y[p]! }, { wrt: 'x', method: 'richardson' });
        expect(Object.is(many.derivative[p], one.derivative), `point ${p}`).toBe(true);
        const g = gradientMany(f, { x: [x[p]!], y: [y[p]!] }, { method: 'richardson' });
        sameBits(grads.gradient.subarray(2 * p, 2 * p + 2), g.gradient, `gradient at point ${p}`);
      }
    } finally {
      f.dispose();
    }
  });

  it('take columns in any form: arrays, other typed arrays, an array of points', () => {
    const f = compile('x*x*y - y + 1', { variables: ['x', 'y'] });
    try {
      const { x, y } = points(N);
      const expected = evaluateMany(f, { x, y });
      sameBits(evaluateMany(f, { x: Array.from(x), y: Array.from(y) }), expected, 'plain arrays');
      sameBits(evaluateMany(f, { x, y: Array.from(y) }), expected, 'a Float64Array and an array');
      const small = Array.from({ length: 500 }, (_, i) => [x[i]!, y[i]!]);
      sameBits(evaluateMany(f, small), expected.subarray(0, 500), 'an array of points');
      const f32 = Float32Array.from(x);
      sameBits(evaluateMany(f, { x: f32, y }), evaluateMany(f, { x: Float64Array.from(f32), y }), 'a Float32Array');
      expect(evaluateMany(f, { x: [], y: [] })).toEqual(new Float64Array(0));
      expect(gradientMany(f, { x: [], y: [] }).gradient).toEqual(new Float64Array(0));
    } finally {
      f.dispose();
    }
  });

  it('leave the caller’s columns alone and return arrays of their own', () => {
    const f = compile('x*y', { variables: ['x', 'y'] });
    try {
      const { x, y } = points(N);
      const x0 = x.slice();
      const out = evaluateMany(f, { x, y });
      const d = derivativeMany(f, { x, y }, { wrt: 'y' });
      const g = gradientMany(f, { x, y });
      sameBits(x, x0, 'x after the calls');
      const memory = getKernel().exports.memory.buffer;
      for (const a of [out, d.value, d.derivative, g.value, g.gradient]) {
        expect(a.buffer).not.toBe(memory);
        expect(a.byteOffset).toBe(0);
        expect(a.buffer.byteLength).toBe(a.byteLength);
      }
    } finally {
      f.dispose();
    }
  });

  it('keep the kernel memory flat: one chunk per function, however many points, and no growth from call to call', () => {
    const { heap } = getKernel();
    const f: CompiledFunction = compile('sin(x)*exp(-y*y) + x*x*y', { variables: ['x', 'y'] });
    try {
      const { x: sx, y: sy } = points(1_000);
      const small = { x: sx, y: sy };
      evaluateMany(f, small);
      derivativeMany(f, small, { wrt: 'x', method: 'central' });
      gradientMany(f, small);
      const inUse = heap.bytesInUse;
      const { x, y } = points(300_000);
      evaluateMany(f, { x, y });
      derivativeMany(f, { x, y }, { wrt: 'x' });
      derivativeMany(f, { x, y }, { wrt: 'x', method: 'central' });
      gradientMany(f, { x, y });
      // The workspace holds a chunk (a few hundred kilobytes), not 300,000 points (several megabytes).
      expect(heap.bytesInUse - inUse).toBeLessThan(1 << 20);
      const memory = heap.memoryBytes;
      const used = heap.bytesInUse;
      for (let i = 0; i < 3; i++) {
        evaluateMany(f, { x, y });
        derivativeMany(f, { x, y }, { wrt: 'x' });
        gradientMany(f, { x, y }, { method: 'central' });
      }
      expect(heap.memoryBytes).toBe(memory);
      expect(heap.bytesInUse).toBe(used);
    } finally {
      f.dispose();
    }
  });

  it('refuse the points of a function with vector variables (they come one at a time)', () => {
    const b = builder();
    const v = b.vector('v', 3);
    const f = b.compile(b.sum(b.mul(v, v)));
    try {
      for (const run of [() => evaluateMany(f, { v: [1, 2] }), () => gradientMany(f, { v: [1, 2] }), () => derivativeMany(f, { v: [1, 2] })]) {
        expect(run).toThrow(NudgeError);
        expect(run).toThrow(/vector variables/);
      }
    } finally {
      f.dispose();
    }
  });
});
