import { Method } from '@nudge/kernel-as';
import { getKernel } from '../kernel/instance.js';
import type { Target } from '../api/target.js';

/** The finite-difference methods; their stencils and arithmetic live in the kernel. */
export type NumericMethod = keyof typeof Method;

export interface NumericResult {
  value: Float64Array;
  /** n values (derivative) or n*nVars (gradient, point-major). */
  derivative: Float64Array;
  errorEstimate: Float64Array;
}

/** Run `body` with kernel blocks of the given byte sizes, and free them after. */
function withBlocks<T>(sizes: number[], body: (ptrs: number[]) => T): T {
  const { heap } = getKernel();
  const ptrs: number[] = [];
  try {
    for (const s of sizes) ptrs.push(heap.alloc(s));
    return body(ptrs);
  } finally {
    for (const p of ptrs) heap.release(p);
  }
}

/** f at n points given as columns (coordinate v of point p at v*n + p). */
export function evaluateColumns(t: Target, columns: Float64Array, n: number): Float64Array {
  if (t.kind === 'closure') {
    const out = new Float64Array(n);
    const nv = t.variables.length;
    const args = new Array<number>(nv);
    for (let p = 0; p < n; p++) {
      for (let v = 0; v < nv; v++) args[v] = columns[v * n + p]!;
      out[p] = t.fn(...args);
    }
    return out;
  }
  const { exports, heap } = getKernel();
  t.fn.use(n);
  const descriptor = t.fn.descriptor;
  return withBlocks([columns.length * 8, n * 8], ([points, out]) => {
    heap.f64().set(columns, points! >> 3);
    exports.evaluate(descriptor, points!, n, out!);
    return heap.f64().slice(out! >> 3, (out! >> 3) + n);
  });
}

/** The number of evaluations of f one derivative takes (the value f(x) included). */
export function stencilEvaluations(method: NumericMethod): number {
  return getKernel().exports.stencilSize(Method[method]);
}

/** The step the kernel uses at coordinate x (`h` NaN means the automatic, error-optimal step). */
export function stepAt(method: NumericMethod, h: number, x: number): number {
  return getKernel().exports.stencilStep(Method[method], h, x);
}

/**
 * Near the edge of a domain (sqrt(x) at 1e-6, log(x) just above 0) every step
 * of Richardson's tableau may leave the domain and give NaN. Such points are
 * tried again with the largest step ten times smaller, and again while the
 * error estimate improves (at most 16 times), before NaN is reported.
 */
const RETRIES = 16;
const SHRINK = 0.1;

function needsRetry(method: NumericMethod, value: number, derivative: number): boolean {
  return method === 'richardson' && Number.isFinite(value) && Number.isNaN(derivative);
}

/** The derivative of f along `dir` (used as given) at n points. */
export function directionalColumns(t: Target, columns: Float64Array, n: number, dir: Float64Array, method: NumericMethod, h: number): NumericResult {
  const out = directionalOnce(t, columns, n, dir, method, h);
  const nv = t.variables.length;
  for (let p = 0; p < n; p++) {
    if (!needsRetry(method, out.value[p]!, out.derivative[p]!)) continue;
    const x = new Float64Array(nv);
    let along = 0;
    for (let v = 0; v < nv; v++) {
      x[v] = columns[v * n + p]!;
      along += x[v]! * dir[v]!;
    }
    // Shrink until a step gives an answer, then on while the error estimate improves.
    let step = stepAt(method, h, along);
    for (let k = 0; k < RETRIES; k++) {
      step *= SHRINK;
      const again = directionalOnce(t, x, 1, dir, method, step);
      const d = again.derivative[0]!;
      const e = again.errorEstimate[0]!;
      if (Number.isNaN(d)) continue;
      if (!Number.isNaN(out.derivative[p]!) && !(e < out.errorEstimate[p]!)) break;
      out.derivative[p] = d;
      out.errorEstimate[p] = e;
    }
  }
  return out;
}
function directionalOnce(t: Target, columns: Float64Array, n: number, dir: Float64Array, method: NumericMethod, h: number): NumericResult {
  const nv = t.variables.length;
  if (t.kind === 'closure') {
    const value = new Float64Array(n);
    const derivative = new Float64Array(n);
    const errorEstimate = new Float64Array(n);
    const x = new Float64Array(nv);
    for (let p = 0; p < n; p++) {
      for (let v = 0; v < nv; v++) x[v] = columns[v * n + p]!;
      const r = closureStencil(t, x, dir, method, h);
      value[p] = r[2]!;
      derivative[p] = r[0]!;
      errorEstimate[p] = r[1]!;
    }
    return { value, derivative, errorEstimate };
  }
  const { exports, heap } = getKernel();
  t.fn.use(n * stencilEvaluations(method));
  const descriptor = t.fn.descriptor;
  return withBlocks([columns.length * 8, nv * 8, n * 8, n * 8, n * 8], ([points, d, outV, outD, outE]) => {
    const f64 = heap.f64();
    f64.set(columns, points! >> 3);
    f64.set(dir, d! >> 3);
    exports.derivative(descriptor, points!, n, d!, Method[method], h, outV!, outD!, outE!);
    const view = heap.f64();
    return {
      value: view.slice(outV! >> 3, (outV! >> 3) + n),
      derivative: view.slice(outD! >> 3, (outD! >> 3) + n),
      errorEstimate: view.slice(outE! >> 3, (outE! >> 3) + n),
    };
  });
}

/** Every partial derivative of f at n points: derivative[p*nVars + v]. */
export function gradientColumns(t: Target, columns: Float64Array, n: number, method: NumericMethod, h: number): NumericResult {
  const out = gradientOnce(t, columns, n, method, h);
  const nv = t.variables.length;
  for (let p = 0; p < n; p++) {
    for (let v = 0; v < nv; v++) {
      if (!needsRetry(method, out.value[p]!, out.derivative[p * nv + v]!)) continue;
      const x = new Float64Array(nv);
      for (let u = 0; u < nv; u++) x[u] = columns[u * n + p]!;
      const axis = new Float64Array(nv);
      axis[v] = 1;
      const again = directionalColumns(t, x, 1, axis, method, h);
      out.derivative[p * nv + v] = again.derivative[0]!;
      out.errorEstimate[p * nv + v] = again.errorEstimate[0]!;
    }
  }
  return out;
}

/** One pass of the kernel's gradient, without retries. */
function gradientOnce(t: Target, columns: Float64Array, n: number, method: NumericMethod, h: number): NumericResult {
  const nv = t.variables.length;
  if (t.kind === 'closure') {
    const value = new Float64Array(n);
    const derivative = new Float64Array(n * nv);
    const errorEstimate = new Float64Array(n * nv);
    const x = new Float64Array(nv);
    const axis = new Float64Array(nv);
    for (let p = 0; p < n; p++) {
      for (let v = 0; v < nv; v++) x[v] = columns[v * n + p]!;
      value[p] = t.fn(...x);
      for (let v = 0; v < nv; v++) {
        axis.fill(0);
        axis[v] = 1;
        const r = closureStencil(t, x, axis, method, h);
        derivative[p * nv + v] = r[0]!;
        errorEstimate[p * nv + v] = r[1]!;
      }
    }
    return { value, derivative, errorEstimate };
  }
  const { exports, heap } = getKernel();
  t.fn.use(n * nv * stencilEvaluations(method));
  const descriptor = t.fn.descriptor;
  return withBlocks([columns.length * 8, n * 8, n * nv * 8, n * nv * 8], ([points, outV, outG, outE]) => {
    heap.f64().set(columns, points! >> 3);
    exports.gradient(descriptor, points!, n, Method[method], h, outV!, outG!, outE!);
    const view = heap.f64();
    return {
      value: view.slice(outV! >> 3, (outV! >> 3) + n),
      derivative: view.slice(outG! >> 3, (outG! >> 3) + n * nv),
      errorEstimate: view.slice(outE! >> 3, (outE! >> 3) + n * nv),
    };
  });
}

/**
 * One derivative of a JS closure along `dir` at x: the closure is evaluated
 * here, the stencil (offsets, step) and the arithmetic that combines the
 * values are the kernel's. Returns [derivative, errorEstimate, value].
 */
function closureStencil(t: Target & { kind: 'closure' }, x: Float64Array, dir: Float64Array, method: NumericMethod, h: number): Float64Array {
  const { exports, heap } = getKernel();
  const code = Method[method];
  const m = exports.stencilSize(code);
  return withBlocks([m * 8, m * 8, 3 * 8], ([offsetsPtr, valuesPtr, outPtr]) => {
    exports.stencilOffsets(code, offsetsPtr!);
    const offsets = heap.f64().slice(offsetsPtr! >> 3, (offsetsPtr! >> 3) + m);
    let along = 0;
    for (let v = 0; v < x.length; v++) along += x[v]! * dir[v]!;
    const step = exports.stencilStep(code, h, along);
    const values = new Float64Array(m);
    const shifted = new Array<number>(x.length);
    for (let k = 0; k < m; k++) {
      for (let v = 0; v < x.length; v++) shifted[v] = offsets[k] === 0 ? x[v]! : x[v]! + offsets[k]! * step * dir[v]!;
      values[k] = t.fn(...shifted);
    }
    heap.f64().set(values, valuesPtr! >> 3);
    exports.stencilCombine(code, step, valuesPtr!, outPtr!);
    return heap.f64().slice(outPtr! >> 3, (outPtr! >> 3) + 3);
  });
}
