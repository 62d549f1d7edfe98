import { NudgeError } from '../errors.js';
import { gradientColumns, stencilEvaluations } from '../diff/numeric.js';
import { finiteOrNull, resolveNumeric, type DerivativeMethod } from './options.js';
import type { DerivativeOptions } from './options.js';
import { toColumns, toCoordinates, toRecord, type Point, type Points } from './points.js';
import { withTarget, type Fn, type Target } from './target.js';
import { describePoint, derivativeWarning } from './warnings.js';

export type GradientOptions = Omit<DerivativeOptions, 'wrt'>;

export interface GradientResult {
  value: number;
  /** The partial derivatives by variable name. */
  gradient: Record<string, number>;
  /** The variables, in vector order. */
  variables: string[];
  /** |∇f|: the slope in the direction of steepest ascent. */
  norm: number;
  /** ∇f/|∇f|, the unit direction of steepest ascent; null where the gradient vanishes (a critical point). */
  ascent: Record<string, number> | null;
  method: DerivativeMethod;
  errorEstimate: Record<string, number | null>;
  evaluations: number;
  at: Record<string, number>;
  warning?: string;
}

/** The gradient of f at a point, with its norm and the direction of steepest ascent. */
export function gradient(f: Fn, at: Point, options: GradientOptions = {}): GradientResult {
  const numeric = resolveNumeric(options);
  return withTarget(f, options, at, (t) => gradientAt(t, toCoordinates(at, t.variables), numeric.method, numeric.h));
}

/** @internal */
export function gradientAt(t: Target, x: Float64Array, method: DerivativeMethod, h: number): GradientResult {
  const nv = t.variables.length;
  const out = gradientColumns(t, x, 1, method, h);
  const g = out.derivative;
  const norm = Math.hypot(...g);
  const value = out.value[0]!;
  const result: GradientResult = {
    value,
    gradient: toRecord(g, t.variables),
    variables: [...t.variables],
    norm,
    ascent: norm > 0 && Number.isFinite(norm) ? toRecord(Array.from(g, (v) => v / norm), t.variables) : null,
    method,
    errorEstimate: Object.fromEntries(t.variables.map((name, v) => [name, finiteOrNull(out.errorEstimate[v]!)])),
    evaluations: 1 + nv * (stencilEvaluations(method) - 1),
    at: toRecord(x, t.variables),
  };
  const where = describePoint(t.variables, x);
  const warning = derivativeWarning('gradient', norm, value, where);
  if (warning) result.warning = warning;
  else if (norm === 0 && nv > 0) result.warning = `the gradient is zero at ${where}: a critical point, with no direction of steepest ascent`;
  return result;
}

export interface DirectionalOptions extends GradientOptions {
  /** Scale v to a unit vector first (default true). false gives the plain ∇f·v. */
  normalize?: boolean;
}

export interface DirectionalResult {
  value: number;
  /** ∇f·u: the rate of change of f along the direction. */
  directional: number;
  /** The direction used: the unit vector of v (or v itself with normalize: false). */
  direction: Record<string, number>;
  gradient: Record<string, number>;
  method: DerivativeMethod;
  errorEstimate: number | null;
  evaluations: number;
  at: Record<string, number>;
  warning?: string;
}

/** The directional derivative: the gradient dotted with the unit vector of v. */
export function directional(f: Fn, at: Point, v: Point, options: DirectionalOptions = {}): DirectionalResult {
  const numeric = resolveNumeric(options);
  return withTarget(f, options, at, (t) => {
    const x = toCoordinates(at, t.variables);
    const raw = toCoordinates(v, t.variables, 'the direction');
    const length = Math.hypot(...raw);
    if (length === 0) throw new NudgeError('invalid-argument', 'the direction is the zero vector: it has no unit vector');
    if (!Number.isFinite(length)) throw new NudgeError('invalid-argument', 'the direction must have finite coordinates');
    const u = options.normalize === false ? raw : raw.map((c) => c / length);
    const g = gradientAt(t, x, numeric.method, numeric.h);
    let dot = 0;
    let err = 0;
    t.variables.forEach((name, k) => {
      dot += g.gradient[name]! * u[k]!;
      err += Math.abs(u[k]!) * (g.errorEstimate[name] ?? NaN);
    });
    const result: DirectionalResult = {
      value: g.value,
      directional: dot,
      direction: toRecord(u, t.variables),
      gradient: g.gradient,
      method: numeric.method,
      errorEstimate: finiteOrNull(err),
      evaluations: g.evaluations,
      at: g.at,
    };
    const warning = derivativeWarning('directional derivative', dot, g.value, describePoint(t.variables, x));
    if (warning) result.warning = warning;
    return result;
  });
}

export interface ManyGradients {
  value: Float64Array;
  /** Point-major: gradient[p * variables.length + v]. */
  gradient: Float64Array;
  errorEstimate: Float64Array;
  variables: string[];
}

/** Gradients at many points at once, in the kernel. */
export function gradientMany(f: Fn, points: Points, options: GradientOptions = {}): ManyGradients {
  const numeric = resolveNumeric(options);
  return withTarget(f, options, undefined, (t) => {
    const { columns, n } = toColumns(points, t.variables);
    const out = gradientColumns(t, columns, n, numeric.method, numeric.h);
    return { value: out.value, gradient: out.derivative, errorEstimate: out.errorEstimate, variables: [...t.variables] };
  });
}
