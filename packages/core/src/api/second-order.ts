import { NudgeError } from '../errors.js';
import { findCritical, type CriticalKind, type CriticalOptions } from '../hessian/critical.js';
import { secondOrderAt } from '../hessian/second-order.js';
import type { CompiledFunction } from './compiled.js';
import { toCoordinates, toRecord, type Point } from './points.js';
import { withTarget, type Fn, type FunctionOptions, type Target } from './target.js';
import { describePoint, valueWarning } from './warnings.js';

export interface HessianResult {
  value: number;
  variables: string[];
  /** The matrix of second partial derivatives, rows and columns in variable order. */
  hessian: number[][];
  gradient: Record<string, number>;
  at: Record<string, number>;
  warning?: string;
}

function compiledOnly(t: Target, what: string): CompiledFunction {
  if (t.kind !== 'compiled') {
    throw new NudgeError('invalid-argument', `${what} needs an expression (a string or a compiled function): a JavaScript function cannot be differentiated exactly`);
  }
  return t.fn;
}

/** The Hessian of f at a point, exact: `hessian('x^2*y', { x: 1, y: 2 }).hessian` is [[4, 2], [2, 0]]. */
export function hessian(f: Fn, at: Point, options: FunctionOptions = {}): HessianResult {
  return withTarget(f, options, at, (t) => {
    const fn = compiledOnly(t, 'a Hessian');
    const x = toCoordinates(at, t.variables);
    const s = secondOrderAt(fn, x);
    const result: HessianResult = {
      value: s.value,
      variables: [...t.variables],
      hessian: s.hessian,
      gradient: toRecord(s.gradient, t.variables),
      at: toRecord(x, t.variables),
    };
    const where = describePoint(t.variables, x);
    const warning = valueWarning(s.value, where) ?? (s.hessian.flat().every(Number.isFinite) ? undefined : `the Hessian has entries that are not finite at ${where}`);
    if (warning) result.warning = warning;
    return result;
  });
}

export interface CriticalResult {
  /** Where the search ended: a critical point when status is 'converged'. */
  point: Record<string, number>;
  value: number;
  gradient: Record<string, number>;
  hessian: number[][];
  /** The Hessian's eigenvalues, ascending: their signs say what the point is. */
  eigenvalues: number[];
  kind: CriticalKind;
  status: 'converged' | 'not-converged';
  iterations: number;
  variables: string[];
  /** Why the search stopped, for people. */
  reason: string;
}

/**
 * A point where the gradient vanishes, found from `near` by a safeguarded
 * Newton's method, and what it is: minimum, maximum, saddle or degenerate.
 */
export function critical(f: Fn, near: Point, options: CriticalOptions & FunctionOptions = {}): CriticalResult {
  if (options.tol !== undefined && !(options.tol > 0)) throw new NudgeError('invalid-argument', `tol must be a positive number, got ${options.tol}`);
  if (options.maxIterations !== undefined && !(Number.isInteger(options.maxIterations) && options.maxIterations > 0)) {
    throw new NudgeError('invalid-argument', `maxIterations must be a positive whole number, got ${options.maxIterations}`);
  }
  return withTarget(f, options, near, (t) => {
    const fn = compiledOnly(t, 'finding a critical point');
    const start = toCoordinates(near, t.variables, 'the start');
    if (t.variables.length === 0) throw new NudgeError('invalid-argument', 'f has no variables: every point is critical');
    const r = findCritical(fn, start, options);
    return {
      point: toRecord(r.point, t.variables),
      value: r.value,
      gradient: toRecord(r.gradient, t.variables),
      hessian: r.hessian,
      eigenvalues: r.eigenvalues,
      kind: r.kind,
      status: r.status,
      iterations: r.iterations,
      variables: [...t.variables],
      reason: r.status === 'converged' ? r.reason : `${r.reason}; stopped at ${describePoint(t.variables, r.point)}`,
    };
  });
}
