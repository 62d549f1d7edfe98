import { NudgeError } from '../errors.js';
import type { Target } from '../api/target.js';
import { directionalExact, gradientComplex, gradientExact } from './exact.js';
import { directionalColumns, gradientColumns, type Columns, type NumericMethod } from './numeric.js';

/**
 * Every way Nudge differentiates, behind one pair of functions: the exact
 * methods (automatic differentiation, the complex step) for compiled
 * functions, the finite-difference methods for anything.
 */
export type Method = 'exact' | 'complex' | NumericMethod;

export const EXACT_METHODS: readonly Method[] = ['exact', 'complex'];

export interface Derivatives {
  value: Float64Array;
  /** n values (directional) or n * inputs (gradient, point-major). */
  derivative: Float64Array;
  /** Same layout as derivative; undefined for the exact methods (0 everywhere). */
  errorEstimate: Float64Array | undefined;
}

function isExact(method: Method): method is 'exact' | 'complex' {
  return method === 'exact' || method === 'complex';
}

export function checkMethodFor(t: Target, method: Method): void {
  if (t.kind === 'closure' && isExact(method)) {
    throw new NudgeError(
      'invalid-argument',
      `method '${method}' needs an expression (a string or a compiled function): a JavaScript function can only be differentiated numerically (richardson, central, forward, backward)`,
    );
  }
  if (t.kind === 'compiled' && t.fn.vectorMode && !isExact(method)) {
    throw new NudgeError('invalid-argument', `method '${method}' is not available for functions with vector variables: use 'exact'`);
  }
}

/** The derivative along `dir` at n points (`points` in the kernel's layout for t). h is NaN for automatic steps. */
export function directionalAny(t: Target, points: Columns, n: number, dir: Float64Array, method: Method, h: number): Derivatives {
  checkMethodFor(t, method);
  if (isExact(method) && t.kind === 'compiled') {
    return { ...directionalExact(t.fn, points, n, dir, method), errorEstimate: undefined };
  }
  return directionalColumns(t, points, n, dir, method as NumericMethod, h);
}

/** Every partial derivative at n points: derivative[p * inputs + i]. */
export function gradientAny(t: Target, points: Columns, n: number, method: Method, h: number): Derivatives {
  checkMethodFor(t, method);
  if (isExact(method) && t.kind === 'compiled') {
    const r = method === 'exact' ? gradientExact(t.fn, points, n) : gradientComplex(t.fn, points, n);
    return { ...r, errorEstimate: undefined };
  }
  return gradientColumns(t, points, n, method as NumericMethod, h);
}
