import { NudgeError } from '../errors.js';
import { COMPLEX_STEP_H } from '@nudge/kernel-as';
import { directionalAny } from '../diff/methods.js';
import { directionalColumns, evaluateColumns, stencilEvaluations, stepAt } from '../diff/numeric.js';
import { finiteOrNull, resolveMethod, resolveNumeric, resolveWrt, type DerivativeMethod, type DerivativeOptions } from './options.js';
import { toColumnList, toColumns, toCoordinates, toRecord, type Point, type Points } from './points.js';
import type { CompiledFunction } from './compiled.js';
import { derivativeExpression, type DerivativeExpression, type ExpressionOptions } from './symbolic.js';
import { withTarget, type Target } from './target.js';
import type { Fn } from './target.js';
import { formatNumber } from './format.js';
import { describePoint, derivativeWarning } from './warnings.js';

export interface DerivativeResult {
  /** f at the point. */
  value: number;
  /** df/d(wrt) at the point: NaN or ±Infinity where it does not exist, with a warning. */
  derivative: number;
  method: DerivativeMethod;
  /** The step used at this point (for richardson: the largest step of its tableau; null for exact). */
  h: number | null;
  /** An estimate of |derivative - true derivative|: 0 for the exact methods; null when there is none. */
  errorEstimate: number | null;
  /** How many times f was evaluated (a pass of automatic differentiation counts as one). */
  evaluations: number;
  wrt: string;
  at: Record<string, number>;
  warning?: string;
}

/**
 * The derivative of f at a point: exact by default (automatic
 * differentiation: `derivative('x^2', 3).derivative === 6`), or by a
 * finite-difference method: `derivative('x^2', 3, { method: 'forward' })`
 * gives 6.000100000012054, the textbook (f(x+h)-f(x))/h with h = 1e-4.
 */
export function derivative(f: Fn, at: Point, options?: DerivativeOptions): DerivativeResult;
/** With no point: the derivative as an expression, `derivative('x^2').expression === '2*x'`. */
export function derivative(f: string | CompiledFunction, at?: undefined, options?: ExpressionOptions): DerivativeExpression;
export function derivative(f: Fn, at?: Point, options: DerivativeOptions = {}): DerivativeResult | DerivativeExpression {
  if (at === undefined && typeof f !== 'function') {
    const o: ExpressionOptions = {};
    if (options.wrt !== undefined) o.wrt = options.wrt;
    if (options.variables !== undefined) o.variables = options.variables;
    return derivativeExpression(f, o);
  }
  if (at === undefined) throw new NudgeError('invalid-argument', 'a JavaScript function can only be differentiated at a point: give the point');
  resolveNumeric(options); // options are checked before anything runs
  return withTarget(f, options, at, (t) => {
    const m = resolveMethod(options, t);
    const x = toCoordinates(at, t.variables);
    const i = resolveWrt(t.variables, options.wrt);
    return derivativeAt(t, x, i, m.method, m.h);
  });
}

/** The partial derivative of f with respect to `wrt` at a point. */
export function partial(f: Fn, at: Point, wrt: string, options: Omit<DerivativeOptions, 'wrt'> = {}): DerivativeResult {
  return derivative(f, at, { ...options, wrt });
}

/** @internal The derivative along variable i at coordinates x (i = -1: f has no variables). */
export function derivativeAt(t: Target, x: Float64Array, i: number, method: DerivativeMethod, h: number): DerivativeResult {
  const where = describePoint(t.variables, x);
  const wrt = i >= 0 ? t.variables[i]! : (t.variables[0] ?? 'x');
  if (i < 0) {
    // A constant function: its derivative is exactly 0.
    const value = evaluateColumns(t, x, 1)[0]!;
    const r: DerivativeResult = { value, derivative: 0, method, h: 0, errorEstimate: 0, evaluations: 1, wrt, at: {} };
    const warning = derivativeWarning('derivative', 0, value, where);
    if (warning) r.warning = warning;
    return r;
  }
  const dir = new Float64Array(t.variables.length);
  dir[i] = 1;
  const out = directionalAny(t, x, 1, dir, method, h);
  const d = out.derivative[0]!;
  const value = out.value[0]!;
  const exact = method === 'exact' || method === 'complex';
  const result: DerivativeResult = {
    value,
    derivative: d,
    method,
    h: method === 'exact' ? null : method === 'complex' ? COMPLEX_STEP_H : stepAt(method, h, x[i]!),
    errorEstimate: out.errorEstimate ? finiteOrNull(out.errorEstimate[0]!) : 0,
    evaluations: exact ? 1 : stencilEvaluations(method),
    wrt,
    at: toRecord(x, t.variables),
  };
  const warnings = [derivativeWarning('derivative', d, value, where), Number.isFinite(value) ? kinkWarning(t, x, dir, where) : undefined];
  const warning = warnings.filter((w) => w !== undefined).join('; ');
  if (warning) result.warning = warning;
  return result;
}

/**
 * A corner (abs or relu at 0) fools a symmetric stencil into a tidy answer,
 * so the one-sided derivatives are compared too: where they differ by more
 * than their own error estimates allow, the derivative does not exist.
 */
function kinkWarning(t: Target, x: Float64Array, dir: Float64Array, where: string): string | undefined {
  const right = directionalColumns(t, x, 1, dir, 'forward', NaN);
  const left = directionalColumns(t, x, 1, dir, 'backward', NaN);
  const r = right.derivative[0]!;
  const l = left.derivative[0]!;
  if (!Number.isFinite(r) || !Number.isFinite(l)) {
    if (Number.isFinite(r) === Number.isFinite(l)) return undefined;
    return `f may not be differentiable at ${where}: one one-sided derivative is not finite (left ≈ ${formatNumber(l)}, right ≈ ${formatNumber(r)})`;
  }
  const allowed = Math.max(10 * (right.errorEstimate[0]! + left.errorEstimate[0]!), 1e-6 * Math.max(1, Math.abs(r), Math.abs(l)));
  if (!(Math.abs(r - l) > allowed)) return undefined;
  return `f is not differentiable at ${where}: the one-sided derivatives differ (left ≈ ${formatNumber(l, 6)}, right ≈ ${formatNumber(r, 6)})`;
}

export interface ManyDerivatives {
  value: Float64Array;
  derivative: Float64Array;
  errorEstimate: Float64Array;
}

/** The derivative at many points at once, in the kernel. */
export function derivativeMany(f: Fn, points: Points, options: DerivativeOptions = {}): ManyDerivatives {
  resolveNumeric(options);
  return withTarget(f, options, undefined, (t) => {
    const numeric = resolveMethod(options, t);
    const i = resolveWrt(t.variables, options.wrt);
    const { columns, n } = t.kind === 'compiled' ? toColumnList(points, t.variables) : toColumns(points, t.variables);
    if (i < 0) {
      return { value: evaluateColumns(t, columns, n), derivative: new Float64Array(n), errorEstimate: new Float64Array(n) };
    }
    const dir = new Float64Array(t.variables.length);
    dir[i] = 1;
    const out = directionalAny(t, columns, n, dir, numeric.method, numeric.h);
    return { value: out.value, derivative: out.derivative, errorEstimate: out.errorEstimate ?? new Float64Array(n) };
  });
}

export interface TangentResult extends DerivativeResult {
  /** The slope m of the tangent line y = m*x + b (the derivative). */
  slope: number;
  intercept: number;
  /** The line for people: `y = 6x - 9`. */
  equation: string;
}

/** The tangent line at a point, f modelled as a linear function: x^2 at 3 gives y = 6x - 9. */
export function tangent(f: Fn, at: Point, options: DerivativeOptions = {}): TangentResult {
  const d = derivative(f, at, options);
  const a = d.at[d.wrt] ?? 0;
  const intercept = d.value - d.derivative * a;
  return { ...d, slope: d.derivative, intercept, equation: lineEquation(d.wrt, d.derivative, intercept, d.errorEstimate) };
}

/** `y = 6x - 9`, coefficients rounded to what the error estimate leaves meaningful. */
function lineEquation(variable: string, slope: number, intercept: number, err: number | null): string {
  const digits = err != null && err > 0 ? Math.min(12, Math.max(1, 1 - Math.floor(Math.log10(err)))) : 12;
  const round = (v: number): number => Number(v.toFixed(Math.min(digits, 15)));
  const m = round(slope);
  const b = round(intercept);
  if (!Number.isFinite(m) || !Number.isFinite(b)) return `y = ${slope}${variable} + ${intercept}`;
  const num = (v: number): string => Number(v.toPrecision(12)).toString();
  let text = m === 0 ? '' : m === 1 ? variable : m === -1 ? `-${variable}` : `${num(m)}${variable}`;
  if (b !== 0 || text === '') text = text === '' ? num(b) : `${text} ${b < 0 ? '-' : '+'} ${num(Math.abs(b))}`;
  return `y = ${text}`;
}

export interface SlopeResult {
  /** Rise over run between the two points. */
  slope: number;
  rise: number;
  /** The distance between the points (b - a for one variable). */
  run: number;
  from: { at: Record<string, number>; value: number };
  to: { at: Record<string, number>; value: number };
  warning?: string;
}

/** The secant's slope between two points: `slope('x^2+3', 1, 3).slope === 4` (from (1, 4) to (3, 12)). */
export function slope(f: Fn, a: Point, b: Point, options: { variables?: readonly string[] } = {}): SlopeResult {
  return withTarget(f, options, a, (t) => {
    const xa = toCoordinates(a, t.variables, 'the first point');
    const xb = toCoordinates(b, t.variables, 'the second point');
    let run: number;
    if (t.variables.length === 1) run = xb[0]! - xa[0]!;
    else run = Math.hypot(...Array.from(xb, (v, k) => v - xa[k]!));
    if (run === 0 || !Number.isFinite(run)) {
      throw new NudgeError('invalid-argument', `the slope needs two different finite points, got ${describePoint(t.variables, xa)} twice`);
    }
    const columns = new Float64Array(2 * t.variables.length);
    t.variables.forEach((_, v) => {
      columns[v * 2] = xa[v]!;
      columns[v * 2 + 1] = xb[v]!;
    });
    const values = evaluateColumns(t, columns, 2);
    const fa = values[0]!;
    const fb = values[1]!;
    const rise = fb - fa;
    const result: SlopeResult = {
      slope: rise / run,
      rise,
      run,
      from: { at: toRecord(xa, t.variables), value: fa },
      to: { at: toRecord(xb, t.variables), value: fb },
    };
    const bad = !Number.isFinite(fa) ? describePoint(t.variables, xa) : !Number.isFinite(fb) ? describePoint(t.variables, xb) : undefined;
    if (bad) result.warning = `f is not a finite number at ${bad}: the secant does not exist`;
    return result;
  });
}
