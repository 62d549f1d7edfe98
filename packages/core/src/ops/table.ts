import type { Graph, IrNode } from '../ir/node.js';
import { Op, type Body } from '../wasm/module.js';

/**
 * The op table: one row per primitive operation of the IR. A row holds
 * everything Nudge knows about the op: its arity, how it evaluates and its
 * symbolic derivative. The kernel's opcode numbers come from the one shared
 * list (@nudge/kernel-as opcodes.json); `ops.test.ts` checks that this table,
 * that list and the kernel agree, and `rules.test.ts` checks every derivative
 * rule against finite differences.
 *
 * The mapped type is total over `OpName`, so a new op without a row (or a row
 * without a derivative rule) is a compile error, not a runtime "no rule for op".
 */
export type OpName =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'min' | 'max'
  | 'neg' | 'square' | 'recip' | 'abs' | 'sqrt' | 'cbrt'
  | 'exp' | 'log' | 'log10' | 'log2'
  | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan'
  | 'sinh' | 'cosh' | 'tanh' | 'asinh' | 'acosh' | 'atanh'
  | 'sigmoid' | 'relu' | 'softplus';

/**
 * The partial derivatives of `self = op(args)` with respect to each argument,
 * built as IR in `g`: d op(args) = Σ partials[i] · d args[i]. `wanted[i]` is
 * false where the caller will not use the i-th partial (its argument does not
 * depend on the variable); a rule may then return anything there (zero), so
 * that no dead nodes are built.
 */
export type DerivativeRule = (g: Graph, args: readonly IrNode[], self: IrNode, wanted: readonly boolean[]) => IrNode[];

/** Pushes an operand's value (a local, or a constant) on the WebAssembly stack. */
export type Push = () => void;

/**
 * A partial derivative in compiled code (`jit/codegen.ts`): a number when it
 * is constant (1 and -1 then cost nothing: x * 1 and x * -1 are exact), or
 * code that pushes it, given pushes of the operands a, b and the result y.
 */
export type WasmPartial = number | ((e: Body, a: Push, b: Push, y: Push) => void);

/**
 * How compiled tapes compute an op inline. Whatever a row leaves out is a
 * call into the kernel's own row (`op_<name>_ev`, `_d`, `_da`, `_db`), so
 * compiled code and the interpreter agree to the bit; inline rules must be
 * the same IEEE operations, in the same order, as the kernel's row.
 */
export interface WasmRule {
  ev?: (e: Body, a: Push, b: Push) => void;
  /** Unary: dy/da. */
  d?: WasmPartial;
  /** Binary: dy/da and dy/db. */
  da?: WasmPartial;
  db?: WasmPartial;
}

export interface OpRow {
  arity: 1 | 2;
  /** f64 evaluation, the same semantics as the kernel (used for constant folding and as the reference). */
  eval: (a: number, b: number) => number;
  /** The symbolic derivative: the partials with respect to each argument (add and mul: one per argument). */
  derivative: DerivativeRule;
  /** Inline WebAssembly for compiled tapes (the kernel row's functions otherwise). */
  wasm?: WasmRule;
}

// Inline partials in the rows below are the kernel rows' formulas, operation for operation
// (exp: y; log: 1/a; log10: 1/(a ln 10); tan: 1 + y y; atan: 1/(1 + a a); atanh: 1/((1 - a)(1 + a))):
// jit/parity.test.ts holds them to the kernel's bits.

/** Inline evaluation by one instruction on the operands. */
const instr1 = (code: number) => (e: Body, a: Push) => (a(), e.op(code));
const instr2 = (code: number) => (e: Body, a: Push, b: Push) => (a(), b(), e.op(code));

// ---------------------------------------------------------------------------
// IR builders for the rules below (plain g.apply: constants fold, nothing else).
// ---------------------------------------------------------------------------

const num = (g: Graph, v: number): IrNode => g.constant(v);
const add = (g: Graph, ...xs: IrNode[]): IrNode => g.apply('add', xs);
const mul = (g: Graph, ...xs: IrNode[]): IrNode => g.apply('mul', xs);
const neg = (g: Graph, a: IrNode): IrNode => g.apply('neg', [a]);
const recip = (g: Graph, a: IrNode): IrNode => g.apply('recip', [a]);
const pow = (g: Graph, a: IrNode, k: number | IrNode): IrNode => g.apply('pow', [a, typeof k === 'number' ? g.constant(k) : k]);
const call = (g: Graph, op: OpName, a: IrNode): IrNode => g.apply(op, [a]);

/**
 * The indicator [u <= 0] with the ops the kernel has: 0^relu(u) is 0^0 = 1
 * where u <= 0 and 0^positive = 0 where u > 0 (NaN stays NaN). It is exact at
 * every point, so the non-differentiable ops below get the kernel's values at
 * their corners (0 at 0 for abs and relu, max(a, a) going to a), not NaN.
 * The LaTeX printer shows it as an Iverson bracket.
 */
export const atMostZero = (g: Graph, u: IrNode): IrNode => pow(g, num(g, 0), call(g, 'relu', u));
/** [u > 0] = 1 - [u <= 0]. */
const aboveZero = (g: Graph, u: IrNode): IrNode => add(g, num(g, 1), neg(g, atMostZero(g, u)));
const difference = (g: Graph, a: IrNode, b: IrNode): IrNode => add(g, a, neg(g, b));

// ---------------------------------------------------------------------------
// Row factories: families get their rules from these; only genuinely
// non-linear ops have hand-written rules.
// ---------------------------------------------------------------------------

type Eval1 = (a: number) => number;
type Eval2 = (a: number, b: number) => number;

/** A unary op whose derivative is f'(a), built from a and f(a) itself. */
const unary = (fn: Eval1, d: (g: Graph, a: IrNode, self: IrNode) => IrNode): OpRow => ({
  arity: 1,
  eval: (a) => fn(a),
  derivative: (g, [a], self) => [d(g, a!, self)],
});

/** A unary op with f'(a) = 1/h(a) (the inverse functions). */
const reciprocalOf = (fn: Eval1, h: (g: Graph, a: IrNode) => IrNode): OpRow => unary(fn, (g, a) => recip(g, h(g, a)));

/** log base b: d log_b(a) = 1/(a ln b) da. */
const logarithm = (fn: Eval1, lnBase: number): OpRow =>
  reciprocalOf(fn, (g, a) => (lnBase === 1 ? a : mul(g, a, num(g, lnBase))));

/** A linear op: constant partials (add: n-ary, all 1). */
const linear = (arity: 1 | 2, fn: Eval2, coefficients: (n: number) => number[]): OpRow => ({
  arity,
  eval: fn,
  derivative: (g, args) => coefficients(args.length).map((c) => num(g, c)),
});

/** A binary op with hand-written partials. */
const binary = (fn: Eval2, d: DerivativeRule): OpRow => ({ arity: 2, eval: fn, derivative: d });

/** min/max: the argument that wins gets the whole derivative; `first(a, b)` is [a wins] (ties go to a). */
const selection = (fn: Eval2, first: (g: Graph, a: IrNode, b: IrNode) => IrNode): OpRow =>
  binary(fn, (g, [a, b]) => {
    const wins = first(g, a!, b!);
    return [wins, add(g, num(g, 1), neg(g, wins))];
  });

const sigmoid = (a: number): number => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)));

export const OPS: { readonly [P in OpName]: OpRow } = {
  // d(a + b + ...) = da + db + ...
  add: { ...linear(2, (a, b) => a + b, (n) => Array<number>(n).fill(1)), wasm: { ev: instr2(Op.f64Add), da: 1, db: 1 } },
  // d(a - b) = da - db
  sub: { ...linear(2, (a, b) => a - b, () => [1, -1]), wasm: { ev: instr2(Op.f64Sub), da: 1, db: -1 } },
  // d(a b c) = (b c) da + (a c) db + (a b) dc: each partial is the product of the other factors
  mul: {
    arity: 2,
    eval: (a, b) => a * b,
    derivative: (g, args, _self, wanted) =>
      args.map((_, i) => (wanted[i] ? mul(g, ...args.filter((_, j) => j !== i)) : num(g, 0))),
    wasm: { ev: instr2(Op.f64Mul), da: (_e, _a, b) => b(), db: (_e, a) => a() },
  },
  // d(a/b) = 1/b da - a/b^2 db
  div: {
    ...binary(
      (a, b) => a / b,
      (g, [a, b]) => [recip(g, b!), neg(g, mul(g, a!, recip(g, pow(g, b!, 2))))],
    ),
    // da = 1/b, db = -y/b, as the kernel's row
    wasm: { ev: instr2(Op.f64Div), da: (e, _a, b) => (e.f64(1), b(), e.op(Op.f64Div)), db: (e, _a, b, y) => (y(), e.op(Op.f64Neg), b(), e.op(Op.f64Div)) },
  },
  // d a^b = b a^(b-1) da + a^b ln(a) db; when both vary, a^b (b/a da + ln(a) db), which simplifies to
  // SymPy's x^x (ln x + 1); d 0^b = 0 (0^b is a step: 1 at b = 0, 0 above).
  pow: binary(Math.pow, (g, [a, b], self, wanted) => {
    const zero = num(g, 0);
    if (!wanted[1]) return [mul(g, b!, pow(g, a!, add(g, b!, num(g, -1)))), zero];
    const db = a!.op === 'const' && a!.value === 0 ? zero : mul(g, self, call(g, 'log', a!));
    if (!wanted[0]) return [zero, db];
    return [mul(g, self, b!, recip(g, a!)), db];
  }),
  // d min(a, b) = [a <= b] da + [a > b] db (NaN in, NaN out, as Math.min)
  min: { ...selection(Math.min, (g, a, b) => atMostZero(g, difference(g, a, b))), wasm: { ev: instr2(Op.f64Min) } },
  // d max(a, b) = [a >= b] da + [a < b] db
  max: { ...selection(Math.max, (g, a, b) => atMostZero(g, difference(g, b, a))), wasm: { ev: instr2(Op.f64Max) } },
  // d(-a) = -da
  neg: { ...linear(1, (a) => -a, () => [-1]), wasm: { ev: instr1(Op.f64Neg), d: -1 } },
  // d a^2 = 2a da
  square: { ...unary((a) => a * a, (g, a) => mul(g, num(g, 2), a)), wasm: { ev: (e, a) => (a(), a(), e.op(Op.f64Mul)), d: (e, a) => (a(), a(), e.op(Op.f64Add)) } },
  // d(1/a) = -1/a^2 da
  recip: {
    ...unary((a) => 1 / a, (g, a) => neg(g, recip(g, pow(g, a, 2)))),
    // d = -(y y), as the kernel's row
    wasm: { ev: (e, a) => (e.f64(1), a(), e.op(Op.f64Div)), d: (e, _a, _b, y) => (y(), y(), e.op(Op.f64Mul), e.op(Op.f64Neg)) },
  },
  // d|a| = |a|/a da: sign(a), and NaN at a = 0, where |a| has no derivative (the numeric derivative warns
  // there too). The kernel's forward and reverse modes take sign(0) = 0 instead. The exact sign with 0 at 0,
  // [-a <= 0] - [a <= 0] = 0^relu(-a) - 0^relu(a), would print as 9 nodes where |a|/a is 4, and |a|/a
  // cancels: d(x|x|) = |x| + x|x|/x = 2|x|.
  abs: { ...unary(Math.abs, (g, a, self) => mul(g, self, recip(g, a))), wasm: { ev: instr1(Op.f64Abs) } },
  // d sqrt(a) = 1/(2 sqrt(a)) da
  sqrt: { ...unary(Math.sqrt, (g, _a, self) => recip(g, mul(g, num(g, 2), self))), wasm: { ev: instr1(Op.f64Sqrt), d: (e, _a, _b, y) => (e.f64(0.5), y(), e.op(Op.f64Div)) } },
  // d cbrt(a) = 1/(3 cbrt(a)^2) da
  cbrt: unary(Math.cbrt, (g, _a, self) => recip(g, mul(g, num(g, 3), pow(g, self, 2)))),
  // d e^a = e^a da
  exp: { ...unary(Math.exp, (_g, _a, self) => self), wasm: { d: (_e, _a, _b, y) => y() } },
  // d ln(a) = 1/a da
  log: { ...logarithm(Math.log, 1), wasm: { d: (e, a) => (e.f64(1), a(), e.op(Op.f64Div)) } },
  // d log10(a) = 1/(a ln 10) da
  log10: { ...logarithm(Math.log10, Math.LN10), wasm: { d: (e, a) => (e.f64(1), a(), e.f64(Math.LN10), e.op(Op.f64Mul), e.op(Op.f64Div)) } },
  // d log2(a) = 1/(a ln 2) da
  log2: { ...logarithm(Math.log2, Math.LN2), wasm: { d: (e, a) => (e.f64(1), a(), e.f64(Math.LN2), e.op(Op.f64Mul), e.op(Op.f64Div)) } },
  // d sin(a) = cos(a) da
  sin: unary(Math.sin, (g, a) => call(g, 'cos', a)),
  // d cos(a) = -sin(a) da
  cos: unary(Math.cos, (g, a) => neg(g, call(g, 'sin', a))),
  // d tan(a) = 1/cos(a)^2 da (sec^2)
  tan: { ...reciprocalOf(Math.tan, (g, a) => pow(g, call(g, 'cos', a), 2)), wasm: { d: (e, _a, _b, y) => (e.f64(1), y(), y(), e.op(Op.f64Mul), e.op(Op.f64Add)) } },
  // d asin(a) = 1/sqrt(1 - a^2) da
  asin: reciprocalOf(Math.asin, (g, a) => call(g, 'sqrt', difference(g, num(g, 1), pow(g, a, 2)))),
  // d acos(a) = -1/sqrt(1 - a^2) da
  acos: unary(Math.acos, (g, a) => neg(g, recip(g, call(g, 'sqrt', difference(g, num(g, 1), pow(g, a, 2)))))),
  // d atan(a) = 1/(1 + a^2) da
  atan: { ...reciprocalOf(Math.atan, (g, a) => add(g, num(g, 1), pow(g, a, 2))), wasm: { d: (e, a) => (e.f64(1), e.f64(1), a(), a(), e.op(Op.f64Mul), e.op(Op.f64Add), e.op(Op.f64Div)) } },
  // d sinh(a) = cosh(a) da
  sinh: unary(Math.sinh, (g, a) => call(g, 'cosh', a)),
  // d cosh(a) = sinh(a) da
  cosh: unary(Math.cosh, (g, a) => call(g, 'sinh', a)),
  // d tanh(a) = (1 - tanh(a)^2) da
  tanh: unary(Math.tanh, (g, _a, self) => difference(g, num(g, 1), pow(g, self, 2))),
  // d asinh(a) = 1/sqrt(a^2 + 1) da
  asinh: reciprocalOf(Math.asinh, (g, a) => call(g, 'sqrt', add(g, pow(g, a, 2), num(g, 1)))),
  // d acosh(a) = 1/sqrt(a^2 - 1) da
  acosh: reciprocalOf(Math.acosh, (g, a) => call(g, 'sqrt', add(g, pow(g, a, 2), num(g, -1)))),
  // d atanh(a) = 1/(1 - a^2) da
  atanh: { ...reciprocalOf(Math.atanh, (g, a) => difference(g, num(g, 1), pow(g, a, 2))), wasm: { d: (e, a) => (e.f64(1), e.f64(1), a(), e.op(Op.f64Sub), e.f64(1), a(), e.op(Op.f64Add), e.op(Op.f64Mul), e.op(Op.f64Div)) } },
  // sigmoid(a) = 1/(1+e^-a), written so that neither branch overflows.
  // d sigmoid(a) = sigmoid(a) (1 - sigmoid(a)) da
  sigmoid: unary(sigmoid, (g, _a, self) => mul(g, self, difference(g, num(g, 1), self))),
  // relu(NaN) is NaN, like the kernel.
  // d relu(a) = [a > 0] da (0 at 0, as the kernel)
  relu: { ...unary((a) => (a > 0 ? a : a !== a ? a : 0), (g, a) => aboveZero(g, a)), wasm: { ev: (e, a) => (a(), e.f64(0), e.op(Op.f64Max)) } },
  // softplus(a) = log(1+e^a) = max(a,0) + log1p(e^-|a|), which never overflows.
  // d softplus(a) = sigmoid(a) da
  softplus: unary((a) => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))), (g, a) => call(g, 'sigmoid', a)),
};

export const OP_NAMES = Object.keys(OPS) as OpName[];

/** True for the names of the op table (not `const`, `var` or the structural ops of the IR). */
export function isOpName(op: string): op is OpName {
  return Object.hasOwn(OPS, op);
}
