// Debug builds check a descriptor before running it: a bad one is a bug of
// the host (abort), not a domain failure. Release builds skip all of this.
import {
  descTape, descNInstr, descNConsts, descNVars, descNSlots, descResult, descScratch,
  descSlotLens, descNIn, descMode, descCompiledField, MODE_BATCH, MODE_VECTOR, slotTableBytes, batchTables,
} from './layout';
import { opArity, OP_SUM, OP_SLICE } from './opcodes';

@inline function lenAt(lens: usize, s: i32): i32 {
  return load<i32>(lens + (<usize>s << 2));
}

export function checkDescriptor(fn: usize): void {
  const nInstr = descNInstr(fn);
  const nVars = descNVars(fn);
  const nConsts = descNConsts(fn);
  const nSlots = descNSlots(fn);
  const result = descResult(fn);
  const mode = descMode(fn);
  const fixed = nVars + nConsts;
  assert(nInstr >= 0 && nVars >= 0 && nConsts >= 0, 'nudge kernel: negative count in the descriptor');
  assert(nSlots >= fixed, 'nudge kernel: nSlots < nVars + nConsts');
  assert(result >= 0 && result < nSlots, 'nudge kernel: result slot out of range');
  assert((descScratch(fn) & 15) == 0, 'nudge kernel: scratch is not 16-byte aligned');
  assert(mode == MODE_BATCH || mode == MODE_VECTOR, 'nudge kernel: unknown descriptor mode');
  const vector = mode == MODE_VECTOR;
  const compiled = descCompiledField(fn);
  assert(compiled >= 0 || !vector, 'nudge kernel: a vector-mode descriptor has compiled >= 0');
  const lens = descSlotLens(fn);
  if (vector) {
    assert(lens != 0, 'nudge kernel: a vector-mode descriptor needs slotLens');
    let nIn = 0;
    for (let s = 0; s < nSlots; s++) assert(lenAt(lens, s) >= 0, 'nudge kernel: negative slot length');
    for (let v = 0; v < nVars; v++) nIn += lenAt(lens, v);
    assert(nIn == descNIn(fn), 'nudge kernel: nIn is not the sum of the variables\' lengths');
    for (let c = nVars; c < fixed; c++) assert(lenAt(lens, c) == 1, 'nudge kernel: a constant has length 1');
    assert(lenAt(lens, result) == 1, 'nudge kernel: the result has length 1');
  } else {
    assert(descNIn(fn) == nVars, 'nudge kernel: batch mode has nIn == nVars');
  }
  const tape = descTape(fn);
  for (let i = 0; i < nInstr; i++) {
    const ins = tape + (<usize>i << 4);
    const op = load<i32>(ins, 0);
    const arity = opArity(op);
    if (arity < 0) continue; // the sweeps report unknown opcodes
    const d = load<i32>(ins, 4);
    const a = load<i32>(ins, 8);
    const b = load<i32>(ins, 12);
    assert(d >= fixed && d < nSlots, 'nudge kernel: an instruction writes outside the op slots');
    assert(a >= 0 && a < nSlots, 'nudge kernel: operand slot out of range');
    if (arity == 2) assert(b >= 0 && b < nSlots, 'nudge kernel: operand slot out of range');
    if (op == OP_SLICE) {
      if (vector) assert(b >= 0 && b + lenAt(lens, d) <= lenAt(lens, a), 'nudge kernel: slice out of its source');
      else assert(b == 0, 'nudge kernel: a batch-mode slice must start at 0');
    }
    if (!vector) continue;
    const n = lenAt(lens, d);
    const la = lenAt(lens, a);
    if (op == OP_SUM) {
      assert(n == 1, 'nudge kernel: sum has length 1');
    } else if (op != OP_SLICE) {
      if (arity == 1) {
        assert(la == n, 'nudge kernel: a unary op keeps its operand\'s length');
      } else {
        const lb = lenAt(lens, b);
        assert((la == n || la == 1) && (lb == n || lb == 1) && (la == n || lb == n),
          'nudge kernel: operand lengths do not broadcast to the dst\'s length');
      }
    }
  }
  if (vector) checkSlices(fn);
}

/**
 * A slice's dst is a view with no storage of its own: it must be the dst of
 * no other instruction. Uses the second live slot table as marks (the
 * drivers rewrite every table afterwards).
 */
function checkSlices(fn: usize): void {
  const nSlots = descNSlots(fn);
  const marks = descScratch(fn) + slotTableBytes(nSlots); // vector mode: the live second table
  for (let s = 0; s < nSlots; s++) store<u32>(marks + (<usize>s << 2), 0);
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  for (let i = 0; i < nInstr; i++) {
    const ins = tape + (<usize>i << 4);
    const op = load<i32>(ins, 0);
    if (opArity(op) < 0) continue;
    const at = marks + (<usize>load<i32>(ins, 4) << 2);
    const m = load<u32>(at);
    const want: u32 = op == OP_SLICE ? 2 : 1;
    assert(m == 0 || (m == 1 && want == 1), 'nudge kernel: a slice\'s dst is the dst of another instruction');
    store<u32>(at, want);
  }
}

/**
 * gradientAD needs every value at backward time: a tape without slot reuse,
 * every instruction with its own dst. Marks in scratch (the first slot table,
 * rewritten by the drivers).
 */
export function checkUniqueDst(fn: usize): void {
  const nSlots = descNSlots(fn);
  const marks = descMode(fn) == MODE_VECTOR ? descScratch(fn) : batchTables(descScratch(fn), nSlots);
  for (let s = 0; s < nSlots; s++) store<u32>(marks + (<usize>s << 2), 0);
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  for (let i = 0; i < nInstr; i++) {
    const at = marks + (<usize>load<i32>(tape + (<usize>i << 4), 4) << 2);
    assert(load<u32>(at) == 0, 'nudge kernel: gradientAD needs a tape without slot reuse (a dst written twice)');
    store<u32>(at, 1);
  }
}
