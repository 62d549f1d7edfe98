// The batch tape interpreter: runs every instruction over n rows. The switch
// over opcodes happens once per instruction, never per element. Element-wise
// arithmetic uses f64x2 SIMD when the build enables it (the scalar loop below
// it handles an odd last row, and all rows in a build without SIMD);
// transcendental functions are scalar loops over AssemblyScript's Math (musl ports).
import {
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW, OP_MIN, OP_MAX, OP_NEG, OP_SQUARE, OP_ABS,
  OP_SQRT, OP_CBRT, OP_EXP, OP_LOG, OP_LOG10, OP_LOG2, OP_SIN, OP_COS, OP_TAN, OP_ASIN,
  OP_ACOS, OP_ATAN, OP_SINH, OP_COSH, OP_TANH, OP_ASINH, OP_ACOSH, OP_ATANH, OP_SIGMOID,
  OP_RELU, OP_SOFTPLUS, OP_RECIP,
} from './opcodes';
import { slotAt } from './layout';

// sigmoid(a) = 1 / (1 + exp(-a)), written so that exp never overflows:
// for a < 0 it is exp(a) / (1 + exp(a)).
@inline export function sigmoid(a: f64): f64 {
  if (a >= 0) return 1.0 / (1.0 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1.0 + e);
}

// softplus(a) = log(1 + exp(a)) = max(a, 0) + log1p(exp(-|a|)), stable for large |a|.
@inline export function softplus(a: f64): f64 {
  return Math.max(a, 0.0) + Math.log1p(Math.exp(-Math.abs(a)));
}

// Binary and unary element-wise loops. `nv` is the byte length covered by the
// f64x2 loop (an even number of rows), `nb` the byte length of all n rows.

function vAdd(d: usize, a: usize, b: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) for (; o < nv; o += 16) v128.store(d + o, f64x2.add(v128.load(a + o), v128.load(b + o)));
  for (; o < nb; o += 8) store<f64>(d + o, load<f64>(a + o) + load<f64>(b + o));
}

function vSub(d: usize, a: usize, b: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) for (; o < nv; o += 16) v128.store(d + o, f64x2.sub(v128.load(a + o), v128.load(b + o)));
  for (; o < nb; o += 8) store<f64>(d + o, load<f64>(a + o) - load<f64>(b + o));
}

function vMul(d: usize, a: usize, b: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) for (; o < nv; o += 16) v128.store(d + o, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  for (; o < nb; o += 8) store<f64>(d + o, load<f64>(a + o) * load<f64>(b + o));
}

function vDiv(d: usize, a: usize, b: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) for (; o < nv; o += 16) v128.store(d + o, f64x2.div(v128.load(a + o), v128.load(b + o)));
  for (; o < nb; o += 8) store<f64>(d + o, load<f64>(a + o) / load<f64>(b + o));
}

// WebAssembly's f64.min/f64.max (and their f64x2 forms) return NaN if either
// operand is NaN and order -0 below +0, exactly like JS Math.min/Math.max.
function vMin(d: usize, a: usize, b: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) for (; o < nv; o += 16) v128.store(d + o, f64x2.min(v128.load(a + o), v128.load(b + o)));
  for (; o < nb; o += 8) store<f64>(d + o, Math.min(load<f64>(a + o), load<f64>(b + o)));
}

function vMax(d: usize, a: usize, b: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) for (; o < nv; o += 16) v128.store(d + o, f64x2.max(v128.load(a + o), v128.load(b + o)));
  for (; o < nb; o += 8) store<f64>(d + o, Math.max(load<f64>(a + o), load<f64>(b + o)));
}

function vNeg(d: usize, a: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) for (; o < nv; o += 16) v128.store(d + o, f64x2.neg(v128.load(a + o)));
  for (; o < nb; o += 8) store<f64>(d + o, -load<f64>(a + o));
}

function vSquare(d: usize, a: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) for (; o < nv; o += 16) { const x = v128.load(a + o); v128.store(d + o, f64x2.mul(x, x)); }
  for (; o < nb; o += 8) { const x = load<f64>(a + o); store<f64>(d + o, x * x); }
}

function vAbs(d: usize, a: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) for (; o < nv; o += 16) v128.store(d + o, f64x2.abs(v128.load(a + o)));
  for (; o < nb; o += 8) store<f64>(d + o, Math.abs(load<f64>(a + o)));
}

function vSqrt(d: usize, a: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) for (; o < nv; o += 16) v128.store(d + o, f64x2.sqrt(v128.load(a + o)));
  for (; o < nb; o += 8) store<f64>(d + o, Math.sqrt(load<f64>(a + o)));
}

function vRecip(d: usize, a: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const one = f64x2.splat(1.0);
    for (; o < nv; o += 16) v128.store(d + o, f64x2.div(one, v128.load(a + o)));
  }
  for (; o < nb; o += 8) store<f64>(d + o, 1.0 / load<f64>(a + o));
}

// relu(a) = a > 0 ? a : 0, relu(NaN) = NaN. max(a, +0) is exactly that,
// including relu(-0) = +0.
function vRelu(d: usize, a: usize, nv: usize, nb: usize): void {
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f64x2.splat(0.0);
    for (; o < nv; o += 16) v128.store(d + o, f64x2.max(v128.load(a + o), zero));
  }
  for (; o < nb; o += 8) store<f64>(d + o, Math.max(load<f64>(a + o), 0.0));
}

function vFill(d: usize, value: f64, nb: usize): void {
  for (let o: usize = 0; o < nb; o += 8) store<f64>(d + o, value);
}

/**
 * Runs the tape's nInstr instructions ([opcode, dst, a, b] as i32 each) over
 * rows 0..n-1 of the slots whose column addresses are in the slot table `tab`.
 */
export function runTape(tape: usize, nInstr: i32, tab: usize, n: i32): void {
  const nb = <usize>n << 3;
  const nv = <usize>(n & ~1) << 3;
  for (let i = 0; i < nInstr; i++) {
    const ins = tape + (<usize>i << 4);
    const op = load<i32>(ins, 0);
    const d = slotAt(tab, load<i32>(ins, 4));
    const a = slotAt(tab, load<i32>(ins, 8));
    let o: usize = 0;
    switch (op) {
      case OP_ADD: vAdd(d, a, slotAt(tab, load<i32>(ins, 12)), nv, nb); break;
      case OP_SUB: vSub(d, a, slotAt(tab, load<i32>(ins, 12)), nv, nb); break;
      case OP_MUL: vMul(d, a, slotAt(tab, load<i32>(ins, 12)), nv, nb); break;
      case OP_DIV: vDiv(d, a, slotAt(tab, load<i32>(ins, 12)), nv, nb); break;
      case OP_MIN: vMin(d, a, slotAt(tab, load<i32>(ins, 12)), nv, nb); break;
      case OP_MAX: vMax(d, a, slotAt(tab, load<i32>(ins, 12)), nv, nb); break;
      case OP_POW: {
        const b = slotAt(tab, load<i32>(ins, 12));
        for (; o < nb; o += 8) store<f64>(d + o, Math.pow(load<f64>(a + o), load<f64>(b + o)));
        break;
      }
      case OP_NEG: vNeg(d, a, nv, nb); break;
      case OP_SQUARE: vSquare(d, a, nv, nb); break;
      case OP_ABS: vAbs(d, a, nv, nb); break;
      case OP_SQRT: vSqrt(d, a, nv, nb); break;
      case OP_RECIP: vRecip(d, a, nv, nb); break;
      case OP_RELU: vRelu(d, a, nv, nb); break;
      case OP_CBRT: for (; o < nb; o += 8) store<f64>(d + o, Math.cbrt(load<f64>(a + o))); break;
      case OP_EXP: for (; o < nb; o += 8) store<f64>(d + o, Math.exp(load<f64>(a + o))); break;
      case OP_LOG: for (; o < nb; o += 8) store<f64>(d + o, Math.log(load<f64>(a + o))); break;
      case OP_LOG10: for (; o < nb; o += 8) store<f64>(d + o, Math.log10(load<f64>(a + o))); break;
      case OP_LOG2: for (; o < nb; o += 8) store<f64>(d + o, Math.log2(load<f64>(a + o))); break;
      case OP_SIN: for (; o < nb; o += 8) store<f64>(d + o, Math.sin(load<f64>(a + o))); break;
      case OP_COS: for (; o < nb; o += 8) store<f64>(d + o, Math.cos(load<f64>(a + o))); break;
      case OP_TAN: for (; o < nb; o += 8) store<f64>(d + o, Math.tan(load<f64>(a + o))); break;
      case OP_ASIN: for (; o < nb; o += 8) store<f64>(d + o, Math.asin(load<f64>(a + o))); break;
      case OP_ACOS: for (; o < nb; o += 8) store<f64>(d + o, Math.acos(load<f64>(a + o))); break;
      case OP_ATAN: for (; o < nb; o += 8) store<f64>(d + o, Math.atan(load<f64>(a + o))); break;
      case OP_SINH: for (; o < nb; o += 8) store<f64>(d + o, Math.sinh(load<f64>(a + o))); break;
      case OP_COSH: for (; o < nb; o += 8) store<f64>(d + o, Math.cosh(load<f64>(a + o))); break;
      case OP_TANH: for (; o < nb; o += 8) store<f64>(d + o, Math.tanh(load<f64>(a + o))); break;
      case OP_ASINH: for (; o < nb; o += 8) store<f64>(d + o, Math.asinh(load<f64>(a + o))); break;
      case OP_ACOSH: for (; o < nb; o += 8) store<f64>(d + o, Math.acosh(load<f64>(a + o))); break;
      case OP_ATANH: for (; o < nb; o += 8) store<f64>(d + o, Math.atanh(load<f64>(a + o))); break;
      case OP_SIGMOID: for (; o < nb; o += 8) store<f64>(d + o, sigmoid(load<f64>(a + o))); break;
      case OP_SOFTPLUS: for (; o < nb; o += 8) store<f64>(d + o, softplus(load<f64>(a + o))); break;
      default: {
        // A tape the core compiled never holds an unknown opcode: a bug.
        // Debug builds stop here; release builds (noAssert) yield NaN.
        assert(false, 'nudge kernel: unknown opcode');
        vFill(d, NaN, nb);
      }
    }
  }
}
