import { describe, expect, it } from 'vitest';
import { Method } from './index.js';
import { closureDerivative } from './test-support/closure.js';
import { Heap, loadKernel } from './test-support/heap.js';

const EPS = 2 ** -52;
const heap = new Heap(loadKernel('release'));
const k = heap.kernel;

function offsets(method: number): number[] {
  const ptr = heap.alloc(64 * 8);
  const m = k.stencilOffsets(method, ptr);
  return heap.getF64(ptr, m);
}

describe('stencil shapes', () => {
  it('has the documented sizes and offsets, f(x) first', () => {
    expect(offsets(Method.forward)).toEqual([0, 1, 2]);
    expect(offsets(Method.backward)).toEqual([0, -1, -2]);
    expect(offsets(Method.central)).toEqual([0, 1, -1, 2, -2]);
    const r = offsets(Method.richardson);
    expect(r.length).toBe(k.stencilSize(Method.richardson));
    expect(r.length).toBe(31);
    expect(r[0]).toBe(0);
    for (let i = 0; i < 15; i++) {
      expect(r[1 + 2 * i]).toBe(0.625 ** i); // exact: 5^i / 8^i
      expect(r[2 + 2 * i]).toBe(-(0.625 ** i));
    }
    for (const m of Object.values(Method)) expect(k.stencilSize(m)).toBe(offsets(m).length);
  });

  it('reports an unknown method as size 0 and NaN steps', () => {
    expect(k.stencilSize(4)).toBe(0);
    expect(k.stencilSize(-1)).toBe(0);
    expect(k.stencilOffsets(9, heap.alloc(8))).toBe(0);
    expect(k.stencilStep(9, 1e-4, 1)).toBeNaN();
  });
});

describe('stencilStep', () => {
  it('uses a positive h as it is', () => {
    for (const m of Object.values(Method)) {
      expect(k.stencilStep(m, 1e-4, 3)).toBe(1e-4);
      expect(k.stencilStep(m, 0.3, -1e6)).toBe(0.3);
    }
  });

  it('rejects h <= 0 with NaN', () => {
    expect(k.stencilStep(Method.central, 0, 1)).toBeNaN();
    expect(k.stencilStep(Method.central, -1e-4, 1)).toBeNaN();
  });

  it('chooses exactly representable automatic steps relative to max(1, |x|)', () => {
    const cases: [number, number][] = [
      [Method.forward, Math.sqrt(EPS)],
      [Method.backward, Math.sqrt(EPS)],
      [Method.central, Math.cbrt(EPS)],
      [Method.richardson, 0.2],
    ];
    for (const [m, base] of cases) {
      for (const x of [0, 0.3, -0.7, 1, 3, -3, 1234.5678, -1e8, 0.1]) {
        const h = k.stencilStep(m, NaN, x);
        expect((x + h) - x, `method ${m} at ${x}`).toBe(h);
        expect(Math.abs(h / (base * Math.max(1, Math.abs(x))) - 1)).toBeLessThan(1e-6);
      }
    }
    expect(k.stencilStep(Method.forward, NaN, 0)).toBe(2 ** -26);
    expect(k.stencilStep(Method.central, NaN, NaN)).toBeNaN();
  });
});

describe('forward, backward and central differences (closure path)', () => {
  const square = (x: number) => x ** 2;

  it('forward difference of x^2 at 3 with h = 1e-4 is exactly 6.000100000012054', () => {
    const r = closureDerivative(heap, square, 3, Method.forward, 1e-4);
    expect(r.derivative).toBe(6.000100000012054);
    expect(r.value).toBe(9);
    // The true error is h = 1e-4 (f'' h / 2); the estimate must cover it.
    expect(r.error).toBeGreaterThanOrEqual(Math.abs(r.derivative - 6));
    expect(r.error).toBeLessThan(1e-3);
  });

  it('backward difference mirrors it', () => {
    const r = closureDerivative(heap, square, 3, Method.backward, 1e-4);
    expect(r.derivative).toBe((9 - (3 - 1e-4) ** 2) / 1e-4);
    expect(Math.abs(r.derivative - 5.9999)).toBeLessThan(1e-10);
    expect(r.error).toBeGreaterThanOrEqual(Math.abs(r.derivative - 6));
  });

  it('central difference is second order, with an error estimate from the 2h quotient', () => {
    const cube = (x: number) => x * x * x;
    const r = closureDerivative(heap, cube, 2, Method.central, 1e-3);
    expect(r.derivative).toBe((cube(2 + 1e-3) - cube(2 - 1e-3)) / (2 * 1e-3));
    // Truncation error h^2 f'''/6 = 1e-6.
    expect(Math.abs(r.derivative - 12 - 1e-6)).toBeLessThan(1e-9);
    expect(r.error).toBeGreaterThanOrEqual(Math.abs(r.derivative - 12));
    expect(r.error).toBeLessThan(1e-5);
  });

  it('automatic steps reach the expected accuracy, and the estimates cover it', () => {
    const fns: [(x: number) => number, (x: number) => number][] = [
      [Math.sin, Math.cos],
      [Math.exp, Math.exp],
      [Math.log, (x) => 1 / x],
      [Math.atan, (x) => 1 / (1 + x * x)],
    ];
    for (const [f, df] of fns) {
      for (const x of [0.3, 1.1, 2.7]) {
        const fw = closureDerivative(heap, f, x, Method.forward, NaN);
        const bw = closureDerivative(heap, f, x, Method.backward, NaN);
        const ce = closureDerivative(heap, f, x, Method.central, NaN);
        for (const [r, tol] of [[fw, 3e-8], [bw, 3e-8], [ce, 1e-9]] as const) {
          const err = Math.abs(r.derivative - df(x));
          expect(err).toBeLessThan(tol * Math.max(1, Math.abs(df(x))));
          expect(r.error).toBeGreaterThanOrEqual(err);
        }
      }
    }
  });

  it('reports NaN where the function is undefined and an unknown error where only the estimate is', () => {
    const r = closureDerivative(heap, Math.log, -1, Method.central, 1e-3);
    expect(r.derivative).toBeNaN();
    expect(r.error).toBeNaN();
    expect(r.value).toBeNaN();
    // log at 1.5e-4, forward: x + h is fine, x - 2h (backward) leaves the domain.
    const b = closureDerivative(heap, Math.log, 1.5e-4, Method.backward, 1e-4);
    expect(b.derivative).toBeGreaterThan(0);
    expect(b.error).toBe(Infinity);
  });
});

describe('richardson (closure path)', () => {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const fns: [string, (x: number) => number, (x: number) => number, number, number][] = [
    ['sin', Math.sin, Math.cos, 0.2, 3],
    ['exp', Math.exp, Math.exp, 0.2, 3],
    ['log', Math.log, (x) => 1 / x, 0.2, 3],
    ['sqrt', Math.sqrt, (x) => 0.5 / Math.sqrt(x), 0.2, 3],
    ['tan', Math.tan, (x) => 1 / Math.cos(x) ** 2, 0.2, 1.3],
    ['atanh', Math.atanh, (x) => 1 / (1 - x * x), 0.2, 0.9],
    ['acosh', Math.acosh, (x) => 1 / Math.sqrt(x * x - 1), 1.2, 3],
    ['sigmoid', sig, (x) => sig(x) * (1 - sig(x)), 0.2, 3],
    ['x^x', (x) => x ** x, (x) => x ** x * (Math.log(x) + 1), 0.2, 3],
    ['1/(1+x^2)', (x) => 1 / (1 + x * x), (x) => (-2 * x) / (1 + x * x) ** 2, 0.2, 3],
  ];

  it.each(fns)('%s: relative error < 1e-11 with automatic steps, estimate >= true error', (_, f, df, a, b) => {
    for (let i = 0; i <= 10; i++) {
      const x = a + ((b - a) * i) / 10;
      const r = closureDerivative(heap, f, x, Method.richardson, NaN);
      const err = Math.abs(r.derivative - df(x));
      expect(err / Math.abs(df(x)), `at ${x}`).toBeLessThan(1e-11);
      expect(r.error, `at ${x}`).toBeGreaterThanOrEqual(err);
      expect(r.value).toBe(f(x));
    }
  });

  it('skips steps that leave the domain (log near 0, asin near 1) and is robust near singularities', () => {
    for (const [f, df, x] of [
      [Math.log, (x: number) => 1 / x, 0.01],
      [Math.sqrt, (x: number) => 0.5 / Math.sqrt(x), 0.03],
      [Math.asin, (x: number) => 1 / Math.sqrt(1 - x * x), 0.97],
      // The largest step lands on the singularity (sqrt at 0) or crosses it
      // (1/x at 0, tan at pi/2): the tableaux that start there are discarded.
      [Math.sqrt, (x: number) => 0.5 / Math.sqrt(x), 0.2],
      [(x: number) => 1 / x, (x: number) => -1 / (x * x), 0.1],
      [Math.tan, (x: number) => 1 / Math.cos(x) ** 2, 1.4],
      [Math.exp, Math.exp, 100],
      [Math.sin, Math.cos, 100],
    ] as const) {
      const r = closureDerivative(heap, f, x, Method.richardson, NaN);
      expect(Math.abs(r.derivative - df(x)) / Math.abs(df(x)), `at ${x}`).toBeLessThan(1e-9);
      expect(r.error).toBeGreaterThanOrEqual(Math.abs(r.derivative - df(x)));
    }
  });

  it('uses a given h as its largest step', () => {
    const r = closureDerivative(heap, Math.exp, 1, Method.richardson, 0.05);
    expect(r.step).toBe(0.05);
    expect(Math.abs(r.derivative - Math.E) / Math.E).toBeLessThan(1e-11);
  });

  it('returns NaN (not a wrong number) when no step is inside the domain', () => {
    const r = closureDerivative(heap, Math.log, 0, Method.richardson, NaN);
    expect(r.derivative).toBeNaN();
    expect(r.error).toBeNaN();
    expect(r.value).toBe(-Infinity);
  });
});
