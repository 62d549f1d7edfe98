import { describe, expect, it } from 'vitest';
import { Method } from './index.js';
import { closureDerivative } from './test-support/closure.js';
import { Heap, loadKernel, type Build } from './test-support/heap.js';
import { evalExpr, rng } from './test-support/reference.js';
import { tapeOf, type Expr } from './test-support/tape.js';

const x: Expr = { v: 0 };
const y: Expr = { v: 1 };
const z: Expr = { v: 2 };
const op = (name: Extract<Expr, { op: string }>['op'], ...args: Expr[]): Expr => ({ op: name, args });

interface Result {
  value: number[];
  deriv: number[];
  err: number[];
}

function derivative(heap: Heap, nVars: number, e: Expr, coords: number[][], dir: number[], method: number, h: number): Result {
  const fn = heap.compile(tapeOf(nVars, e));
  const n = coords[0]?.length ?? 0;
  const points = heap.putPoints(coords);
  const d = heap.putF64(dir.length ? dir : [0]);
  const [v, dv, er] = [heap.alloc(n * 8), heap.alloc(n * 8), heap.alloc(n * 8)];
  heap.kernel.derivative(fn, points, n, d, method, h, v, dv, er);
  return { value: heap.getF64(v, n), deriv: heap.getF64(dv, n), err: heap.getF64(er, n) };
}

function gradient(heap: Heap, nVars: number, e: Expr, coords: number[][], method: number, h: number): Result {
  const fn = heap.compile(tapeOf(nVars, e));
  const n = coords[0]?.length ?? 0;
  const points = heap.putPoints(coords);
  const [v, g, er] = [heap.alloc(n * 8), heap.alloc(Math.max(1, n * nVars) * 8), heap.alloc(Math.max(1, n * nVars) * 8)];
  heap.kernel.gradient(fn, points, n, method, h, v, g, er);
  return { value: heap.getF64(v, n), deriv: heap.getF64(g, n * nVars), err: heap.getF64(er, n * nVars) };
}

const builds: Build[] = ['release', 'debug'];

describe.each(builds)('derivative and gradient (%s build)', (build) => {
  const heap = new Heap(loadKernel(build));

  it('forward difference of x^2 at 3 with h = 1e-4 is exactly 6.000100000012054 (square and x*x)', () => {
    for (const e of [op('square', x), op('mul', x, x), op('pow', x, 2)]) {
      const r = derivative(heap, 1, e, [[3, 3, 3]], [1], Method.forward, 1e-4);
      expect(r.deriv).toEqual([6.000100000012054, 6.000100000012054, 6.000100000012054]);
      expect(r.value).toEqual([9, 9, 9]);
    }
  });

  // A polynomial: every op is exact IEEE arithmetic in both JS and WASM, so the
  // tape path and the closure path must agree bit for bit.
  const poly = op('add', op('sub', op('mul', op('mul', x, x), x), op('mul', 2.5, x)), 1);
  const polyJs = (t: number) => t * t * t - 2.5 * t + 1;

  it.each(Object.entries(Method))('%s: the tape path equals the closure path bit for bit', (_, method) => {
    const r = rng(3);
    const xs = Array.from({ length: 1000 }, () => (r() - 0.5) * 8);
    for (const h of [NaN, 1e-3]) {
      const t = derivative(heap, 1, poly, [xs], [1], method, h);
      xs.forEach((xi, i) => {
        const c = closureDerivative(heap, polyJs, xi, method, h);
        expect([t.deriv[i], t.err[i], t.value[i]]).toEqual([c.derivative, c.error, c.value]);
      });
    }
  });

  it.each([1, 7, 8, 9, 85, 86, 257, 3001])('richardson at %i points (8 points per batch) matches the analytic derivative', (n) => {
    const r = rng(n);
    const xs = Array.from({ length: n }, () => 0.2 + r() * 2.8);
    const e = op('add', op('mul', op('sin', x), op('exp', op('neg', op('square', x)))), op('log', x));
    const df = (t: number) => Math.cos(t) * Math.exp(-t * t) - 2 * t * Math.sin(t) * Math.exp(-t * t) + 1 / t;
    const res = derivative(heap, 1, e, [xs], [1], Method.richardson, NaN);
    xs.forEach((t, i) => {
      const err = Math.abs(res.deriv[i]! - df(t));
      expect(err / Math.abs(df(t)), `at ${t}`).toBeLessThan(1e-11);
      expect(res.err[i]).toBeGreaterThanOrEqual(err);
      expect(Math.abs(res.value[i]! - evalExpr(e, [t]))).toBeLessThan(1e-15 * (1 + Math.abs(res.value[i]!)));
    });
  });

  // f(x, y) = sin(x) * exp(-y^2) + x^2 y
  const f2 = op('add', op('mul', op('sin', x), op('exp', op('neg', op('square', y)))), op('mul', op('mul', x, x), y));
  const grad2 = (a: number, b: number) => [
    Math.cos(a) * Math.exp(-b * b) + 2 * a * b,
    -2 * b * Math.sin(a) * Math.exp(-b * b) + a * a,
  ];

  it('directional derivative along a direction used as given (not normalised)', () => {
    const r = rng(5);
    const n = 300;
    const xs = Array.from({ length: n }, () => 0.2 + r() * 2.8);
    const ys = Array.from({ length: n }, () => -1.5 + r() * 3);
    for (const dir of [[1, 0], [0, 1], [0.6, 0.8], [2, -1]]) {
      for (const [method, tol] of [[Method.richardson, 1e-11], [Method.central, 1e-8], [Method.forward, 1e-4]] as const) {
        const res = derivative(heap, 2, f2, [xs, ys], dir, method, method === Method.forward ? 1e-6 : NaN);
        let covered = 0;
        xs.forEach((a, i) => {
          const g = grad2(a, ys[i]!);
          const want = g[0]! * dir[0]! + g[1]! * dir[1]!;
          const scale = Math.max(0.1, Math.abs(g[0]! * dir[0]!) + Math.abs(g[1]! * dir[1]!));
          const err = Math.abs(res.deriv[i]! - want);
          expect(err / scale, `${method} along ${dir} at (${a}, ${ys[i]})`).toBeLessThan(tol);
          if (res.err[i]! >= err) covered++;
        });
        // The estimate bounds the true error in (well over) 95% of cases.
        expect(covered / n, `${method} along ${dir}`).toBeGreaterThanOrEqual(0.95);
      }
    }
  });

  it('passes dot(x, dir) to stencilStep: automatic steps match the closure path', () => {
    // f(x, y) = x*y + y: polynomial, so the tape and the closure agree exactly.
    const e = op('add', op('mul', x, y), y);
    const dir = [3, -2];
    const pts = [[1.5, -40, 1e6], [2.25, 7, -3]];
    const res = derivative(heap, 2, e, pts, dir, Method.central, NaN);
    pts[0]!.forEach((a, i) => {
      const b = pts[1]![i]!;
      const along = a * dir[0]! + b * dir[1]!;
      const step = heap.kernel.stencilStep(Method.central, NaN, along);
      const offs = [0, 1, -1, 2, -2];
      const vals = offs.map((o) => {
        const [xa, yb] = o === 0 ? [a, b] : [a + o * step * dir[0]!, b + o * step * dir[1]!];
        return xa * yb + yb;
      });
      const out = heap.alloc(24);
      heap.kernel.stencilCombine(Method.central, step, heap.putF64(vals), out);
      expect([res.deriv[i], res.err[i], res.value[i]]).toEqual(heap.getF64(out, 3));
    });
  });

  it('gradient: every partial derivative, the value, and the estimate bound', () => {
    const r = rng(9);
    const n = 257;
    const xs = Array.from({ length: n }, () => 0.2 + r() * 2.8);
    const ys = Array.from({ length: n }, () => -1.5 + r() * 3);
    for (const method of [Method.richardson, Method.central]) {
      const res = gradient(heap, 2, f2, [xs, ys], method, NaN);
      let covered = 0;
      xs.forEach((a, i) => {
        const b = ys[i]!;
        expect(Math.abs(res.value[i]! - (Math.sin(a) * Math.exp(-b * b) + a * a * b))).toBeLessThan(1e-14 * (1 + a * a * Math.abs(b)));
        grad2(a, b).forEach((want, v) => {
          const err = Math.abs(res.deriv[i * 2 + v]! - want);
          expect(err / Math.max(1e-3, Math.abs(want))).toBeLessThan(method === Method.richardson ? 1e-11 : 1e-8);
          if (res.err[i * 2 + v]! >= err) covered++;
        });
      });
      expect(covered / (2 * n)).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('gradient with more variables than fit one unit (10 variables, richardson: 8 per unit)', () => {
    // f = sum_v c_v * x_v^2 + x_0 * x_9, df/dx_v = 2 c_v x_v (+ x_9 or x_0)
    const nv = 10;
    let e: Expr = op('mul', { v: 0 }, { v: 9 });
    for (let v = 0; v < nv; v++) e = op('add', e, op('mul', v + 1, op('square', { v })));
    const n = 37;
    const r = rng(1);
    const coords = Array.from({ length: nv }, () => Array.from({ length: n }, () => (r() - 0.5) * 4));
    for (const method of Object.values(Method)) {
      const res = gradient(heap, nv, e, coords, method, method === Method.richardson ? NaN : 1e-5);
      for (let p = 0; p < n; p++) {
        const xp = coords.map((c) => c[p]!);
        expect(res.value[p]).toBe(evalExpr(e, xp));
        for (let v = 0; v < nv; v++) {
          const want = 2 * (v + 1) * xp[v]! + (v === 0 ? xp[9]! : v === 9 ? xp[0]! : 0);
          const tol = method === Method.richardson ? 1e-11 : method === Method.central ? 1e-8 : 1e-3;
          expect(Math.abs(res.deriv[p * nv + v]! - want), `method ${method} p ${p} v ${v}`).toBeLessThan(tol * (1 + Math.abs(want)));
          expect(res.err[p * nv + v]).toBeGreaterThanOrEqual(Math.abs(res.deriv[p * nv + v]! - want));
        }
      }
    }
  });

  it('gradient of three variables equals three directional derivatives along the axes', () => {
    const e = op('mul', op('exp', op('mul', x, y)), op('cos', z));
    const coords = [[0.1, 1, -2, 0.5], [0.3, -0.7, 0.4, 2], [1, 2, 3, -1]];
    const g = gradient(heap, 3, e, coords, Method.richardson, NaN);
    for (let v = 0; v < 3; v++) {
      const dir = [0, 0, 0];
      dir[v] = 1;
      const d = derivative(heap, 3, e, coords, dir, Method.richardson, NaN);
      d.deriv.forEach((dv, p) => expect(g.deriv[p * 3 + v]).toBe(dv));
      d.err.forEach((ev, p) => expect(g.err[p * 3 + v]).toBe(ev));
      expect(g.value).toEqual(d.value);
    }
  });

  it('a function of no variables: the gradient has no components, the value is f', () => {
    const e = op('add', 2, 3);
    const g = gradient(heap, 0, e, [], Method.central, NaN);
    expect(g.deriv).toEqual([]);
    const fn = heap.compile(tapeOf(0, e));
    const v = heap.alloc(3 * 8);
    heap.kernel.gradient(fn, heap.alloc(8), 3, Method.central, NaN, v, heap.alloc(8), heap.alloc(8));
    expect(heap.getF64(v, 3)).toEqual([5, 5, 5]);
  });

  it('empty tapes: f = x (a variable slot) and f = 3 (a constant slot)', () => {
    const xs = [0.5, 1, 2];
    const id = derivative(heap, 1, x, [xs], [1], Method.richardson, NaN);
    id.deriv.forEach((d) => expect(Math.abs(d - 1)).toBeLessThan(1e-14));
    expect(id.value).toEqual(xs);
    const c = derivative(heap, 1, 3, [xs], [1], Method.central, NaN);
    expect(c.deriv).toEqual([0, 0, 0]);
    expect(c.value).toEqual([3, 3, 3]);
  });

  it('NaN at points outside the domain, without spoiling the others', () => {
    const res = derivative(heap, 1, op('log', x), [[-1, 2, NaN, 0.5]], [1], Method.central, 1e-6);
    expect(res.deriv[0]).toBeNaN();
    expect(res.deriv[2]).toBeNaN();
    expect(res.value[0]).toBeNaN();
    expect(Math.abs(res.deriv[1]! - 0.5)).toBeLessThan(1e-9);
    expect(Math.abs(res.deriv[3]! - 2)).toBeLessThan(1e-9);
  });

  it('an unknown method yields NaN everywhere', () => {
    const res = derivative(heap, 1, op('sin', x), [[1, 2]], [1], 7, NaN);
    expect([...res.value, ...res.deriv, ...res.err].every(Number.isNaN)).toBe(true);
  });
});
