// The sweeps over a tape. One switch (dispatch.ts, generated) maps an opcode
// to its row in ops.ts, once per instruction; each sweep is a class that says
// how to run a unary row, a binary row, sum and slice:
//
//   EvalSweep   values                                  (evaluate, finite differences, reverse mode's forward sweep)
//   JvpSweep    values and tangents, one pass            (jvp)
//   VjpSweep    adjoints, instructions in reverse order  (gradientAD's backward sweep)
//   CxSweep     real and imaginary parts                 (complexStep)
//
// Every slot has two columns: its value and a second one (tangent, adjoint or
// imaginary part). The four slot tables (see layout.ts) give their addresses;
// an instruction first resets its dst to the home addresses (a slice may have
// pointed it elsewhere), then writes there.
//
// Lengths: in batch mode every slot holds `rows` values, one per point. In
// vector mode slot s holds slotLens[s] elements of one point; an element-wise
// op's operand of length 1 is broadcast.
import { OP_SLICE, opArity } from './opcodes';
import { dispatch } from './dispatch';
import {
  evalUnary, evalBinary, jvpUnary, jvpBinary, vjpUnary, vjpBinary, cxUnary, cxBinary,
  sumOf, addTo, addScalarTo, fillF64,
} from './loops';
import { slotAt, setSlot } from './layout';

// ------------------------------------------------------------ the context
// Set by the drivers before a sweep (module globals: the sweeps run one at a time).

/** The slot tables: live value, live second, home value, home second (u32 each), adjoint plan. */
let tabV: usize = 0;
let tabW: usize = 0;
let homeV: usize = 0;
let homeW: usize = 0;
let plan: usize = 0;
/** slotLens (vector mode) or 0 (batch mode). */
let lens: usize = 0;
/** Rows of the current batch (batch mode). */
let rows: i32 = 0;
/** Constant slots: [constLo, constHi). */
let constLo: i32 = 0;
let constHi: i32 = 0;

/** Sets the context of the next sweeps. */
export function setContext(tables: usize, nSlots: i32, slotLens: usize, nVars: i32, nConsts: i32): void {
  const t = ((<usize>nSlots << 2) + 15) & ~(<usize>15);
  tabV = tables;
  tabW = tables + t;
  homeV = tables + 2 * t;
  homeW = tables + 3 * t;
  plan = tables + 4 * t;
  lens = slotLens;
  constLo = nVars;
  constHi = nVars + nConsts;
}

/** Sets the number of rows of the next batch (batch mode). */
export function setRows(n: i32): void {
  rows = n;
}

@inline function lenOf(s: i32): i32 {
  return lens != 0 ? load<i32>(lens + (<usize>s << 2)) : rows;
}

@inline function isConst(s: i32): bool {
  return <u32>(s - constLo) < <u32>(constHi - constLo);
}

@inline function liveV(s: i32): usize { return slotAt(tabV, s); }
@inline function liveW(s: i32): usize { return slotAt(tabW, s); }

/** The dst's value column, reset to its home. */
@inline function openV(s: i32): usize {
  const p = slotAt(homeV, s);
  setSlot(tabV, s, p);
  return p;
}

/** The dst's second column, reset to its home. */
@inline function openW(s: i32): usize {
  const p = slotAt(homeW, s);
  setSlot(tabW, s, p);
  return p;
}

/** Broadcast variant of a binary op from its operands' lengths (see loops.ts). */
@inline function bcOf(la: i32, lb: i32): i32 {
  return la == lb ? 0 : la == 1 ? 1 : 2;
}

/** A slice: dst becomes a view of a from element `first`, in both columns (no copy). */
@inline function sliceView(dst: i32, a: i32, first: i32): void {
  assert(lens != 0 || first == 0, 'nudge kernel: a batch-mode slice must start at 0');
  const o = <usize>first << 3;
  setSlot(tabV, dst, liveV(a) + o);
  setSlot(tabW, dst, liveW(a) + o);
}

// ------------------------------------------------------------ the adjoint plan
// Reverse mode accumulates into adjoints, which would have to be zeroed on
// every pass. Instead, the last instruction (in tape order) that reads an op
// slot is the first to reach it in the backward sweep: it STORES its
// contribution (ā = ...) rather than adding it, and that slot's adjoint needs
// no zeroing. This holds for op slots that are only ever read whole, i.e. not
// a slice's source or dst (views share their source's adjoint) and not the
// result (seeded with 1 before the sweep). Those, the variables and the op
// slots nobody reads are zeroed on every pass (flag ZERO). One u32 per slot:

/** The instruction whose dst is this slot stores (not adds) its contribution to operand a. */
export const STORE_A: u32 = 1;
/** ... to operand b. */
export const STORE_B: u32 = 2;
/** This slot's adjoint is zeroed before every backward sweep. */
export const ZERO: u32 = 4;
const SLICE_SRC: u32 = 8;
const SLICE_DST: u32 = 16;
/** Bits 8 and up: 1 + the index of the last instruction that reads the slot (0: none). */
const LAST_SHIFT: u32 = 8;

@inline function planOf(s: i32): u32 {
  return load<u32>(plan + (<usize>s << 2));
}

@inline function setPlan(s: i32, f: u32): void {
  store<u32>(plan + (<usize>s << 2), f);
}

/**
 * Writes the adjoint plan of a tape without slot reuse (each instruction's
 * dst unique; checked in debug builds) into the plan table. Once per call.
 */
export function planAdjoints(tape: usize, nInstr: i32, nSlots: i32, result: i32): void {
  for (let s = 0; s < nSlots; s++) setPlan(s, 0);
  const last: u32 = ~(<u32>0) << LAST_SHIFT;
  for (let i = 0; i < nInstr; i++) {
    const ins = tape + (<usize>i << 4);
    const op = load<i32>(ins, 0);
    const arity = opArity(op);
    if (arity < 0) continue;
    const d = load<i32>(ins, 4);
    const a = load<i32>(ins, 8);
    const use = <u32>(i + 1) << LAST_SHIFT;
    setPlan(a, (planOf(a) & ~last) | use | (op == OP_SLICE ? SLICE_SRC : 0));
    if (op == OP_SLICE) setPlan(d, planOf(d) | SLICE_DST);
    if (arity == 2) {
      const b = load<i32>(ins, 12);
      setPlan(b, (planOf(b) & ~last) | use);
    }
  }
  for (let i = 0; i < nInstr; i++) {
    const ins = tape + (<usize>i << 4);
    const op = load<i32>(ins, 0);
    const arity = opArity(op);
    if (arity < 0 || op == OP_SLICE) continue;
    const d = load<i32>(ins, 4);
    const a = load<i32>(ins, 8);
    const use = <u32>(i + 1) << LAST_SHIFT;
    let f: u32 = 0;
    if (storable(a, result) && (planOf(a) & last) == use) f |= STORE_A;
    if (arity == 2) {
      const b = load<i32>(ins, 12);
      if (b != a && storable(b, result) && (planOf(b) & last) == use) f |= STORE_B;
    }
    setPlan(d, planOf(d) | f);
  }
  for (let s = constHi; s < nSlots; s++) {
    const f = planOf(s);
    if ((f & SLICE_DST) != 0) continue; // a view: its source is zeroed
    if (s == result || (f & SLICE_SRC) != 0 || (f & last) == 0) setPlan(s, f | ZERO);
  }
}

@inline function storable(s: i32, result: i32): bool {
  return s >= constHi && s != result && (planOf(s) & (SLICE_SRC | SLICE_DST)) == 0;
}

/** Whether op slot s's adjoint must be zeroed before every backward sweep (after planAdjoints). */
export function needsZero(s: i32): bool {
  return (planOf(s) & ZERO) != 0;
}

// ------------------------------------------------------------ the sweeps

@final class EvalSweep {
  unary<R>(dst: i32, a: i32): void {
    evalUnary<R>(openV(dst), liveV(a), lenOf(dst));
  }

  binary<R>(dst: i32, a: i32, b: i32): void {
    const d = openV(dst);
    const n = lenOf(dst);
    if (n == 0) return; // an empty vector (the loops read an operand's first element)
    const pa = liveV(a);
    const pb = liveV(b);
    const bc = bcOf(lenOf(a), lenOf(b));
    if (bc == 0) evalBinary<R>(d, pa, pb, n, 0);
    else if (bc == 1) evalBinary<R>(d, pa, pb, n, 1);
    else evalBinary<R>(d, pa, pb, n, 2);
  }

  // y = sum(a); batch mode: each row is one point's scalar, so y = a
  sum(dst: i32, a: i32): void {
    const d = openV(dst);
    if (lens != 0) store<f64>(d, sumOf(liveV(a), lenOf(a)));
    else memory.copy(d, liveV(a), <usize>rows << 3);
  }

  slice(dst: i32, a: i32, first: i32): void {
    sliceView(dst, a, first);
  }

  unknown(dst: i32): void {
    // A tape the core compiled never holds an unknown opcode: a bug.
    // Debug builds stop here; release builds (noAssert) yield NaN.
    assert(false, 'nudge kernel: unknown opcode');
    fillF64(openV(dst), NaN, lenOf(dst));
  }
}

@final class JvpSweep {
  unary<R>(dst: i32, a: i32): void {
    jvpUnary<R>(openV(dst), openW(dst), liveV(a), liveW(a), lenOf(dst));
  }

  binary<R>(dst: i32, a: i32, b: i32): void {
    const d = openV(dst);
    const td = openW(dst);
    const n = lenOf(dst);
    if (n == 0) return;
    const pa = liveV(a);
    const pb = liveV(b);
    const ta = liveW(a);
    const tb = liveW(b);
    const bc = bcOf(lenOf(a), lenOf(b));
    const na = !isConst(a);
    const nb = !isConst(b);
    if (!na && !nb) {
      // Both constant (the core folds these): the tangent is zero.
      if (bc == 0) evalBinary<R>(d, pa, pb, n, 0);
      else if (bc == 1) evalBinary<R>(d, pa, pb, n, 1);
      else evalBinary<R>(d, pa, pb, n, 2);
      fillF64(td, 0.0, n);
    } else if (bc == 0) {
      if (na && nb) jvpBinary<R>(d, td, pa, ta, pb, tb, n, 0, true, true);
      else if (na) jvpBinary<R>(d, td, pa, ta, pb, tb, n, 0, true, false);
      else jvpBinary<R>(d, td, pa, ta, pb, tb, n, 0, false, true);
    } else if (bc == 1) {
      if (na && nb) jvpBinary<R>(d, td, pa, ta, pb, tb, n, 1, true, true);
      else if (na) jvpBinary<R>(d, td, pa, ta, pb, tb, n, 1, true, false);
      else jvpBinary<R>(d, td, pa, ta, pb, tb, n, 1, false, true);
    } else {
      if (na && nb) jvpBinary<R>(d, td, pa, ta, pb, tb, n, 2, true, true);
      else if (na) jvpBinary<R>(d, td, pa, ta, pb, tb, n, 2, true, false);
      else jvpBinary<R>(d, td, pa, ta, pb, tb, n, 2, false, true);
    }
  }

  // y = sum(a), ẏ = sum(ȧ)
  sum(dst: i32, a: i32): void {
    const d = openV(dst);
    const td = openW(dst);
    if (lens != 0) {
      const n = lenOf(a);
      store<f64>(d, sumOf(liveV(a), n));
      store<f64>(td, sumOf(liveW(a), n));
    } else {
      memory.copy(d, liveV(a), <usize>rows << 3);
      memory.copy(td, liveW(a), <usize>rows << 3);
    }
  }

  slice(dst: i32, a: i32, first: i32): void {
    sliceView(dst, a, first);
  }

  unknown(dst: i32): void {
    assert(false, 'nudge kernel: unknown opcode');
    fillF64(openV(dst), NaN, lenOf(dst));
    fillF64(openW(dst), NaN, lenOf(dst));
  }
}

/**
 * The backward sweep: every slot's value was stored by the forward sweep (a
 * tape without slot reuse); the adjoint plan says which contributions are
 * stored rather than added.
 */
@final class VjpSweep {
  unary<R>(dst: i32, a: i32): void {
    if (isConst(a)) return;
    const y = liveV(dst);
    const g = liveW(dst);
    const n = lenOf(dst);
    if ((planOf(dst) & STORE_A) != 0) vjpUnary<R>(y, g, liveV(a), liveW(a), n, true);
    else vjpUnary<R>(y, g, liveV(a), liveW(a), n, false);
  }

  binary<R>(dst: i32, a: i32, b: i32): void {
    const na = !isConst(a);
    const nb = !isConst(b);
    if (!na && !nb) return;
    const f = planOf(dst);
    const sa = (f & STORE_A) != 0;
    const sb = (f & STORE_B) != 0;
    const y = liveV(dst);
    const g = liveW(dst);
    const n = lenOf(dst);
    const pa = liveV(a);
    const pb = liveV(b);
    const ga = liveW(a);
    const gb = liveW(b);
    if (n == 0) {
      // An empty vector: a broadcast operand's contribution is an empty sum.
      if (sa) memory.fill(ga, 0, <usize>lenOf(a) << 3);
      if (sb) memory.fill(gb, 0, <usize>lenOf(b) << 3);
      return;
    }
    const bc = bcOf(lenOf(a), lenOf(b));
    // The store flags are literals for the full-length operands (one loop
    // each), a runtime value for a broadcast one (used once, after its loop).
    if (bc == 0) {
      if (na && nb) {
        if (sa) {
          if (sb) vjpBinary<R>(y, g, pa, ga, pb, gb, n, 0, true, true, true, true);
          else vjpBinary<R>(y, g, pa, ga, pb, gb, n, 0, true, true, true, false);
        } else {
          if (sb) vjpBinary<R>(y, g, pa, ga, pb, gb, n, 0, true, true, false, true);
          else vjpBinary<R>(y, g, pa, ga, pb, gb, n, 0, true, true, false, false);
        }
      } else if (na) {
        if (sa) vjpBinary<R>(y, g, pa, ga, pb, gb, n, 0, true, false, true, false);
        else vjpBinary<R>(y, g, pa, ga, pb, gb, n, 0, true, false, false, false);
      } else {
        if (sb) vjpBinary<R>(y, g, pa, ga, pb, gb, n, 0, false, true, false, true);
        else vjpBinary<R>(y, g, pa, ga, pb, gb, n, 0, false, true, false, false);
      }
    } else if (bc == 1) {
      if (nb) {
        if (sb) vjpBinary<R>(y, g, pa, ga, pb, gb, n, 1, na, true, sa, true);
        else vjpBinary<R>(y, g, pa, ga, pb, gb, n, 1, na, true, sa, false);
      } else {
        vjpBinary<R>(y, g, pa, ga, pb, gb, n, 1, true, false, sa, false);
      }
    } else {
      if (na) {
        if (sa) vjpBinary<R>(y, g, pa, ga, pb, gb, n, 2, true, nb, true, sb);
        else vjpBinary<R>(y, g, pa, ga, pb, gb, n, 2, true, nb, false, sb);
      } else {
        vjpBinary<R>(y, g, pa, ga, pb, gb, n, 2, false, true, false, sb);
      }
    }
  }

  // ā[i] (+)= ȳ (every element of a gets the sum's adjoint); batch mode: ā (+)= ȳ
  sum(dst: i32, a: i32): void {
    if (isConst(a)) return;
    const st = (planOf(dst) & STORE_A) != 0;
    const ga = liveW(a);
    if (lens != 0) {
      const g0 = load<f64>(liveW(dst));
      if (st) fillF64(ga, g0, lenOf(a));
      else addScalarTo(ga, g0, lenOf(a));
    } else if (st) {
      memory.copy(ga, liveW(dst), <usize>rows << 3);
    } else {
      addTo(ga, liveW(dst), rows);
    }
  }

  // A slice's adjoint is a view into its source's adjoint: its consumers
  // already accumulated there. Nothing to do.
  slice(dst: i32, a: i32, first: i32): void {}

  unknown(dst: i32): void {
    assert(false, 'nudge kernel: unknown opcode');
  }
}

@final class CxSweep {
  unary<R>(dst: i32, a: i32): void {
    cxUnary<R>(openV(dst), openW(dst), liveV(a), liveW(a), lenOf(dst));
  }

  binary<R>(dst: i32, a: i32, b: i32): void {
    const d = openV(dst);
    const di = openW(dst);
    const n = lenOf(dst);
    if (n == 0) return;
    const pa = liveV(a);
    const pb = liveV(b);
    const ai = liveW(a);
    const bi = liveW(b);
    const bc = bcOf(lenOf(a), lenOf(b));
    if (bc == 0) cxBinary<R>(d, di, pa, ai, pb, bi, n, 0);
    else if (bc == 1) cxBinary<R>(d, di, pa, ai, pb, bi, n, 1);
    else cxBinary<R>(d, di, pa, ai, pb, bi, n, 2);
  }

  // sum(a + i ai) = sum(a) + i sum(ai)
  sum(dst: i32, a: i32): void {
    const d = openV(dst);
    const di = openW(dst);
    if (lens != 0) {
      const n = lenOf(a);
      store<f64>(d, sumOf(liveV(a), n));
      store<f64>(di, sumOf(liveW(a), n));
    } else {
      memory.copy(d, liveV(a), <usize>rows << 3);
      memory.copy(di, liveW(a), <usize>rows << 3);
    }
  }

  slice(dst: i32, a: i32, first: i32): void {
    sliceView(dst, a, first);
  }

  unknown(dst: i32): void {
    assert(false, 'nudge kernel: unknown opcode');
    fillF64(openV(dst), NaN, lenOf(dst));
    fillF64(openW(dst), NaN, lenOf(dst));
  }
}

// ------------------------------------------------------------ running a tape
// dispatch (assembly/dispatch.ts, generated from opcodes.json) maps each
// opcode to its row in ops.ts and calls the sweep's unary<Row>, binary<Row>,
// sum or slice: the one switch, once per instruction.

@inline function forward<S>(tape: usize, nInstr: i32): void {
  for (let i = 0; i < nInstr; i++) {
    const ins = tape + (<usize>i << 4);
    dispatch<S>(load<i32>(ins, 0), load<i32>(ins, 4), load<i32>(ins, 8), load<i32>(ins, 12));
  }
}

/** Values of every instruction, in order. */
export function runEval(tape: usize, nInstr: i32): void {
  forward<EvalSweep>(tape, nInstr);
}

/** Values and tangents of every instruction, in order. */
export function runJvp(tape: usize, nInstr: i32): void {
  forward<JvpSweep>(tape, nInstr);
}

/** Real and imaginary parts of every instruction, in order. */
export function runComplex(tape: usize, nInstr: i32): void {
  forward<CxSweep>(tape, nInstr);
}

/** Adjoints: the instructions in reverse order, after runEval stored every value. */
export function runVjp(tape: usize, nInstr: i32): void {
  for (let i = nInstr - 1; i >= 0; i--) {
    const ins = tape + (<usize>i << 4);
    dispatch<VjpSweep>(load<i32>(ins, 0), load<i32>(ins, 4), load<i32>(ins, 8), load<i32>(ins, 12));
  }
}

/** Whether slot s is a constant (in the current context). */
export function isConstSlot(s: i32): bool {
  return isConst(s);
}
