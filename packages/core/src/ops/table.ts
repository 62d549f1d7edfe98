/**
 * The op table: one row per primitive operation of the IR. A row holds
 * everything Nudge knows about the op: its arity, how it evaluates, how it
 * prints. The kernel's opcode numbers come from the one shared list
 * (@nudge/kernel-as opcodes.json); `ops.test.ts` checks that this table, that
 * list and the kernel agree.
 *
 * The mapped type is total over `OpName`, so a new op without a row is a
 * compile error, not a runtime "no rule for op".
 */
export type OpName =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'min' | 'max'
  | 'neg' | 'square' | 'recip' | 'abs' | 'sqrt' | 'cbrt'
  | 'exp' | 'log' | 'log10' | 'log2'
  | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan'
  | 'sinh' | 'cosh' | 'tanh' | 'asinh' | 'acosh' | 'atanh'
  | 'sigmoid' | 'relu' | 'softplus';

export interface OpRow {
  arity: 1 | 2;
  /** f64 evaluation, the same semantics as the kernel (used for constant folding and as the reference). */
  eval: (a: number, b: number) => number;
}

const unary = (fn: (a: number) => number): OpRow => ({ arity: 1, eval: (a) => fn(a) });
const binary = (fn: (a: number, b: number) => number): OpRow => ({ arity: 2, eval: fn });

export const OPS: { readonly [P in OpName]: OpRow } = {
  add: binary((a, b) => a + b),
  sub: binary((a, b) => a - b),
  mul: binary((a, b) => a * b),
  div: binary((a, b) => a / b),
  pow: binary(Math.pow),
  // NaN in, NaN out (Math.min does the same).
  min: binary(Math.min),
  max: binary(Math.max),
  neg: unary((a) => -a),
  square: unary((a) => a * a),
  recip: unary((a) => 1 / a),
  abs: unary(Math.abs),
  sqrt: unary(Math.sqrt),
  cbrt: unary(Math.cbrt),
  exp: unary(Math.exp),
  log: unary(Math.log),
  log10: unary(Math.log10),
  log2: unary(Math.log2),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  asin: unary(Math.asin),
  acos: unary(Math.acos),
  atan: unary(Math.atan),
  sinh: unary(Math.sinh),
  cosh: unary(Math.cosh),
  tanh: unary(Math.tanh),
  asinh: unary(Math.asinh),
  acosh: unary(Math.acosh),
  atanh: unary(Math.atanh),
  // sigmoid(a) = 1/(1+e^-a), written so that neither branch overflows.
  sigmoid: unary((a) => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)))),
  // relu(NaN) is NaN, like the kernel.
  relu: unary((a) => (a > 0 ? a : a !== a ? a : 0)),
  // softplus(a) = log(1+e^a) = max(a,0) + log1p(e^-|a|), which never overflows.
  softplus: unary((a) => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)))),
};

export const OP_NAMES = Object.keys(OPS) as OpName[];
