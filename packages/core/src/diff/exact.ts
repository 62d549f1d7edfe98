import { COMPLEX_STEP_H } from '@nudge/kernel-as';
import type { CompiledFunction } from '../api/compiled.js';
import { getKernel } from '../kernel/instance.js';

/**
 * Exact derivatives by the kernel's automatic differentiation: forward mode
 * (dual numbers: one directional derivative per pass), reverse mode (the
 * whole gradient in one forward and one backward sweep), and the complex
 * step, f(x + ih)/h's imaginary part, exact to rounding for analytic f.
 *
 * Points arrive as the API holds them: `columns` (coordinate v of point p at
 * v*n + p) for scalar functions; for vector functions, point after point.
 */
export interface ExactResult {
  value: Float64Array;
  /** n values (directional), or n * inputLength (gradient, point-major). */
  derivative: Float64Array;
}

/** Consecutive 16-aligned parts of the function's reusable workspace, one per size. */
function withBlocks<T>(fn: CompiledFunction, sizes: number[], body: (ptrs: number[]) => T): T {
  const aligned = sizes.map((s) => Math.ceil(s / 16) * 16);
  let ptr = fn.workspace(aligned.reduce((a, b) => a + b, 0));
  const ptrs = aligned.map((s) => {
    const p = ptr;
    ptr += s;
    return p;
  });
  return body(ptrs);
}

/** The derivative along `dir` (inputLength f64, as given) at n points, by forward mode or the complex step. */
export function directionalExact(fn: CompiledFunction, points: Float64Array, n: number, dir: Float64Array, method: 'exact' | 'complex'): ExactResult {
  const { exports, heap } = getKernel();
  if (method === 'exact') fn.use(n);
  const descriptor = fn.differentiationDescriptor;
  return withBlocks(fn, [points.length * 8, dir.length * 8, n * 8, n * 8], ([pts, d, outV, outD]) => {
    heap.f64().set(points, pts! >> 3);
    heap.f64().set(dir, d! >> 3);
    if (method === 'exact') exports.jvp(descriptor, pts!, n, d!, outV!, outD!);
    else exports.complexStep(descriptor, pts!, n, d!, COMPLEX_STEP_H, outV!, outD!);
    const view = heap.f64();
    return { value: view.slice(outV! >> 3, (outV! >> 3) + n), derivative: view.slice(outD! >> 3, (outD! >> 3) + n) };
  });
}

/** The gradient at n points by reverse mode: derivative[p * inputLength + i]. */
export function gradientExact(fn: CompiledFunction, points: Float64Array, n: number): ExactResult {
  const { exports, heap } = getKernel();
  fn.use(n);
  const descriptor = fn.differentiationDescriptor;
  const nIn = fn.inputLength;
  return withBlocks(fn, [points.length * 8, n * 8, n * nIn * 8], ([pts, outV, outG]) => {
    heap.f64().set(points, pts! >> 3);
    exports.gradientAD(descriptor, pts!, n, outV!, outG!);
    const view = heap.f64();
    return { value: view.slice(outV! >> 3, (outV! >> 3) + n), derivative: view.slice(outG! >> 3, (outG! >> 3) + n * nIn) };
  });
}

/** The gradient at n points by the complex step, one input at a time. */
export function gradientComplex(fn: CompiledFunction, points: Float64Array, n: number): ExactResult {
  const nIn = fn.inputLength;
  const derivative = new Float64Array(n * nIn);
  let value: Float64Array = new Float64Array(n);
  const dir = new Float64Array(nIn);
  for (let i = 0; i < nIn; i++) {
    dir.fill(0);
    dir[i] = 1;
    const r = directionalExact(fn, points, n, dir, 'complex');
    value = r.value;
    for (let p = 0; p < n; p++) derivative[p * nIn + i] = r.derivative[p]!;
  }
  if (nIn === 0) value = directionalExact(fn, points, n, dir, 'complex').value;
  return { value, derivative };
}
