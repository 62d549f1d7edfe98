import { NudgeError } from '../errors.js';
import { gradientAny } from '../diff/methods.js';
import { stencilEvaluations } from '../diff/numeric.js';
import { finiteOrNull, resolveMethod, resolveNumeric, type DerivativeMethod } from './options.js';
import type { DerivativeOptions } from './options.js';
import { checkInputVector, toColumnList, toColumns, toCoordinates, toInputVector, toRecord, type Point, type Points } from './points.js';
import { hasVectors, withTarget, type Fn, type Target } from './target.js';
import { describePoint, derivativeWarning } from './warnings.js';

export type GradientOptions = Omit<DerivativeOptions, 'wrt'>;

export interface GradientResult {
  value: number;
  /** The partial derivatives by variable name (scalar variables). */
  gradient: Record<string, number>;
  /** The whole gradient as one vector, in input order (every element of vector variables included). */
  vector: Float64Array;
  /** For a function with vector variables: the gradient's part for each vector variable. */
  vectors?: Record<string, Float64Array>;
  /** The variables, in vector order. */
  variables: string[];
  /** |∇f|: the slope in the direction of steepest ascent. */
  norm: number;
  /** ∇f/|∇f|, the unit direction of steepest ascent; null where the gradient vanishes (a critical point) and for vector functions (use vector/norm). */
  ascent: Record<string, number> | null;
  method: DerivativeMethod;
  errorEstimate: Record<string, number | null>;
  evaluations: number;
  at: Record<string, number>;
  warning?: string;
}

/** The gradient of f at a point, with its norm and the direction of steepest ascent. */
export function gradient(f: Fn, at: Point, options: GradientOptions = {}): GradientResult {
  resolveNumeric(options);
  return withTarget(f, options, at, (t) => {
    const m = resolveMethod(options, t);
    return gradientAt(t, hasVectors(t) ? toInputVector(at, t.inputs) : toCoordinates(at, t.variables), m.method, m.h);
  });
}

/**
 * |v|. The squares are added in index order, as a plain loop adds them (the
 * same bits), four to an iteration: a long gradient's norm costs about what
 * its dependent additions do, not the loop around them.
 */
/** @internal |v|: the plain sum of squares, rescaled only where it could have overflowed or underflowed. */
export function euclidean(v: Float64Array): number {
  const n = v.length;
  let s = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = v[i]!;
    const b = v[i + 1]!;
    const c = v[i + 2]!;
    const d = v[i + 3]!;
    s += a * a;
    s += b * b;
    s += c * c;
    s += d * d;
  }
  for (; i < n; i++) s += v[i]! * v[i]!;
  // Rescale only when the plain sum could have overflowed or underflowed.
  if (Number.isFinite(s) && s > 1e-290) return Math.sqrt(s);
  return Math.hypot(...Array.from(v));
}

/** Scalar variables by name, vector variables as views of their elements. */
export function splitInputs(flat: Float64Array, t: Pick<Target, 'inputs'>): { scalars: Record<string, number>; vectors: Record<string, Float64Array> } {
  const scalars: Record<string, number> = {};
  const vectors: Record<string, Float64Array> = {};
  let offset = 0;
  for (const input of t.inputs) {
    if (input.vector) vectors[input.name] = flat.subarray(offset, offset + input.length);
    else scalars[input.name] = flat[offset]!;
    offset += input.length;
  }
  return { scalars, vectors };
}

/** @internal */
export function gradientAt(t: Target, x: Float64Array, method: DerivativeMethod, h: number): GradientResult {
  const nv = x.length;
  const out = gradientAny(t, x, 1, method, h);
  const g = out.derivative;
  const norm = euclidean(g);
  const value = out.value[0]!;
  const vectorMode = hasVectors(t);
  if (vectorMode && Number.isNaN(value)) checkInputVector(x, t.inputs);
  const parts = splitInputs(g, t);
  const result: GradientResult = {
    value,
    gradient: parts.scalars,
    vector: g,
    variables: [...t.variables],
    norm,
    ascent: !vectorMode && norm > 0 && Number.isFinite(norm) ? toRecord(Array.from(g, (v) => v / norm), t.variables) : null,
    method,
    errorEstimate: vectorMode ? {} : Object.fromEntries(t.variables.map((name, v) => [name, out.errorEstimate ? finiteOrNull(out.errorEstimate[v]!) : 0])),
    evaluations: method === 'exact' ? 1 : method === 'complex' ? nv : 1 + nv * (stencilEvaluations(method) - 1),
    at: vectorMode ? splitInputs(x, t).scalars : toRecord(x, t.variables),
  };
  if (vectorMode) result.vectors = parts.vectors;
  const where = vectorMode ? 'this point' : describePoint(t.variables, x);
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
  resolveNumeric(options);
  return withTarget(f, options, at, (t) => {
    const numeric = resolveMethod(options, t);
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
  resolveNumeric(options);
  return withTarget(f, options, undefined, (t) => {
    const numeric = resolveMethod(options, t);
    const { columns, n } = t.kind === 'compiled' ? toColumnList(points, t.variables) : toColumns(points, t.variables);
    const out = gradientAny(t, columns, n, numeric.method, numeric.h);
    return { value: out.value, gradient: out.derivative, errorEstimate: out.errorEstimate ?? new Float64Array(out.derivative.length), variables: [...t.variables] };
  });
}
