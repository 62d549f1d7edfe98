import { COMPLEX_STEP_H } from '@nudge/kernel-as';
import type { CompiledFunction } from '../api/compiled.js';
import { getKernel } from '../kernel/instance.js';
import { runBatch, type Columns } from './numeric.js';

/**
 * Exact derivatives by the kernel's automatic differentiation: forward mode
 * (dual numbers: one directional derivative per pass), reverse mode (the
 * whole gradient in one forward and one backward sweep), and the complex
 * step, f(x + ih)/h's imaginary part, exact to rounding for analytic f.
 *
 * Points arrive as the API holds them (`Columns`): coordinate v of point p
 * at v*n + p, or one column per variable, for scalar functions; for vector
 * functions, point after point. The kernel gets them a chunk at a time (`runBatch`).
 */
export interface ExactResult {
  value: Float64Array;
  /** n values (directional), or n * inputLength (gradient, point-major). */
  derivative: Float64Array;
}

/** The derivative along `dir` (inputLength f64, as given) at n points, by forward mode or the complex step. */
export function directionalExact(fn: CompiledFunction, points: Columns, n: number, dir: Float64Array, method: 'exact' | 'complex'): ExactResult {
  const { exports } = getKernel();
  if (method === 'exact') fn.use(n);
  const descriptor = fn.differentiationDescriptor;
  const [value, derivative] = runBatch(fn, points, n, [1, 1], dir, (pts, m, [outV, outD], d) => {
    if (method === 'exact') exports.jvp(descriptor, pts, m, d, outV!, outD!);
    else exports.complexStep(descriptor, pts, m, d, COMPLEX_STEP_H, outV!, outD!);
  });
  return { value: value!, derivative: derivative! };
}

/** The gradient at n points by reverse mode: derivative[p * inputLength + i]. */
export function gradientExact(fn: CompiledFunction, points: Columns, n: number): ExactResult {
  const { exports } = getKernel();
  fn.use(n);
  const descriptor = fn.differentiationDescriptor;
  const [value, derivative] = runBatch(fn, points, n, [1, fn.inputLength], undefined, (pts, m, [outV, outG]) =>
    exports.gradientAD(descriptor, pts, m, outV!, outG!),
  );
  return { value: value!, derivative: derivative! };
}

/** The gradient at n points by the complex step, one input at a time. */
export function gradientComplex(fn: CompiledFunction, points: Columns, n: number): ExactResult {
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
