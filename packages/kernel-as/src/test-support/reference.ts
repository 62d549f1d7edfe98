// The JS reference semantics of every opcode (the kernel must agree), and
// helpers to compare floats.
import type { OpName } from '../index.js';
import type { Expr } from './tape.js';

const sigmoid = (a: number): number => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)));

/** Total over OpName: a new opcode without a reference is a type error. */
export const reference: { readonly [N in OpName]: (a: number, b: number) => number } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => Math.pow(a, b),
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
  neg: (a) => -a,
  square: (a) => a * a,
  abs: (a) => Math.abs(a),
  sqrt: (a) => Math.sqrt(a),
  cbrt: (a) => Math.cbrt(a),
  exp: (a) => Math.exp(a),
  log: (a) => Math.log(a),
  log10: (a) => Math.log10(a),
  log2: (a) => Math.log2(a),
  sin: (a) => Math.sin(a),
  cos: (a) => Math.cos(a),
  tan: (a) => Math.tan(a),
  asin: (a) => Math.asin(a),
  acos: (a) => Math.acos(a),
  atan: (a) => Math.atan(a),
  sinh: (a) => Math.sinh(a),
  cosh: (a) => Math.cosh(a),
  tanh: (a) => Math.tanh(a),
  asinh: (a) => Math.asinh(a),
  acosh: (a) => Math.acosh(a),
  atanh: (a) => Math.atanh(a),
  sigmoid,
  relu: (a) => (a > 0 ? a : Number.isNaN(a) ? NaN : 0),
  softplus: (a) => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))),
  recip: (a) => 1 / a,
};

/** Ops whose kernel result must be bit-identical to JS (correctly rounded or exact). */
export const exactOps: ReadonlySet<OpName> = new Set<OpName>([
  'add', 'sub', 'mul', 'div', 'min', 'max', 'neg', 'square', 'abs', 'sqrt', 'relu', 'recip',
]);

/** Evaluates a test expression in JS. */
export function evalExpr(e: Expr, x: readonly number[]): number {
  if (typeof e === 'number') return e;
  if ('v' in e) return x[e.v]!;
  const [a, b] = e.args.map((arg) => evalExpr(arg, x));
  return reference[e.op](a!, b ?? NaN);
}

const buffer = new DataView(new ArrayBuffer(8));
function ordered(x: number): bigint {
  buffer.setFloat64(0, x);
  const bits = buffer.getBigInt64(0);
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/** Distance in units in the last place (0 for equal values, both NaN, or +0/-0; Infinity if only one is NaN). */
export function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}

/** A deterministic pseudo-random generator (mulberry32) for reproducible test inputs. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The partial derivatives of every opcode, [d/da, d/db] (d/db NaN for unary
 * ops), written from calculus independently of the kernel; the kernel's
 * conventions at non-differentiable points: abs'(0) = relu'(0) = 0,
 * sqrt'(0) = cbrt'(0) = +Infinity, min/max send a tie to a, pow's d/da is 0
 * where b == 0. Total over OpName.
 */
export const partials: { readonly [N in OpName]: (a: number, b: number) => [number, number] } = {
  add: () => [1, 1],
  sub: () => [1, -1],
  mul: (a, b) => [b, a],
  div: (a, b) => [1 / b, -a / (b * b)],
  pow: (a, b) => [b === 0 ? 0 : b * Math.pow(a, b - 1), Math.pow(a, b) * Math.log(a)],
  min: (a, b) => (a <= b ? [1, 0] : [0, 1]),
  max: (a, b) => (a >= b ? [1, 0] : [0, 1]),
  neg: () => [-1, NaN],
  square: (a) => [2 * a, NaN],
  abs: (a) => [a > 0 ? 1 : a < 0 ? -1 : 0, NaN],
  sqrt: (a) => [1 / (2 * Math.sqrt(a)), NaN],
  cbrt: (a) => [1 / (3 * Math.cbrt(a) ** 2), NaN],
  exp: (a) => [Math.exp(a), NaN],
  log: (a) => [1 / a, NaN],
  log10: (a) => [1 / (a * Math.LN10), NaN],
  log2: (a) => [1 / (a * Math.LN2), NaN],
  sin: (a) => [Math.cos(a), NaN],
  cos: (a) => [-Math.sin(a), NaN],
  tan: (a) => [1 / Math.cos(a) ** 2, NaN],
  asin: (a) => [1 / Math.sqrt(1 - a * a), NaN],
  acos: (a) => [-1 / Math.sqrt(1 - a * a), NaN],
  atan: (a) => [1 / (1 + a * a), NaN],
  sinh: (a) => [Math.cosh(a), NaN],
  cosh: (a) => [Math.sinh(a), NaN],
  tanh: (a) => [1 / Math.cosh(a) ** 2, NaN],
  asinh: (a) => [1 / Math.sqrt(a * a + 1), NaN],
  acosh: (a) => [1 / Math.sqrt(a * a - 1), NaN],
  atanh: (a) => [1 / (1 - a * a), NaN],
  sigmoid: (a) => [sigmoid(a) * sigmoid(-a), NaN],
  relu: (a) => [a > 0 ? 1 : 0, NaN],
  softplus: (a) => [sigmoid(a), NaN],
  recip: (a) => [-1 / (a * a), NaN],
};

/** Relative difference scaled by max(|a|, |b|, floor). */
export function relDiff(a: number, b: number, floor = 1e-300): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}
