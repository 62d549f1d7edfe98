// Memory layout shared by the kernel's entry points. Everything lives in
// buffers the host allocated; the kernel only computes addresses.
import { OP_SLICE } from './opcodes';

/** Rows per batch: every instruction loops over this many rows at once. */
export const BATCH: i32 = 256;
/** Bytes of one batch-mode slot (a column of BATCH f64). */
export const SLOT_BYTES: usize = <usize>BATCH << 3;

/** Largest stencil (richardson: 1 + 2 * RICHARDSON_ROWS). */
export const MAX_STENCIL: i32 = 32;

/** Descriptor modes (field 10 of a 12-field descriptor). */
export const MODE_BATCH: i32 = 0;
export const MODE_VECTOR: i32 = 1;

// The function descriptor: 8 or 12 consecutive i32 at `fn`.
//   [tape, nInstr, consts, nConsts, nVars, nSlots, result, scratch, slotLens, nIn, mode, compiled]
// The kernel reads the last four only after the host called
// setDescriptorFields(12) on this instance (a fresh instance reads 8: the
// layout of the first ABI, which is batch mode with nIn = nVars).
let descFields: i32 = 8;

/** The number of descriptor fields this instance reads (8 or 12). */
export function descriptorFieldCount(): i32 { return descFields; }

/** Sets the number of descriptor fields (8 or 12); any other value changes nothing. Returns the count in effect. */
export function setDescriptorFieldCount(n: i32): i32 {
  assert(n == 8 || n == 12, 'nudge kernel: setDescriptorFields takes 8 or 12');
  if (n == 8 || n == 12) descFields = n;
  return descFields;
}

@inline export function descTape(fn: usize): usize { return <usize>load<u32>(fn, 0); }
@inline export function descNInstr(fn: usize): i32 { return load<i32>(fn, 4); }
@inline export function descConsts(fn: usize): usize { return <usize>load<u32>(fn, 8); }
@inline export function descNConsts(fn: usize): i32 { return load<i32>(fn, 12); }
@inline export function descNVars(fn: usize): i32 { return load<i32>(fn, 16); }
@inline export function descNSlots(fn: usize): i32 { return load<i32>(fn, 20); }
@inline export function descResult(fn: usize): i32 { return load<i32>(fn, 24); }
@inline export function descScratch(fn: usize): usize { return <usize>load<u32>(fn, 28); }
/** slotLens: nSlots i32 (vector mode), 0 in batch mode (and for 8-field descriptors). */
@inline export function descSlotLens(fn: usize): usize { return descFields == 12 ? <usize>load<u32>(fn, 32) : 0; }
/** f64 per point: nVars in batch mode, the sum of the variables' lengths in vector mode. */
@inline export function descNIn(fn: usize): i32 { return descFields == 12 ? load<i32>(fn, 36) : descNVars(fn); }
@inline export function descMode(fn: usize): i32 { return descFields == 12 ? load<i32>(fn, 40) : MODE_BATCH; }
@inline export function isVector(fn: usize): bool { return descMode(fn) == MODE_VECTOR; }
/**
 * compiled: 0 interprets the tape; k > 0 is the function-table index of the
 * tape's compiled eval function (k + 1 its jvp, k + 2 its gradient; see
 * compiled.ts). In vector mode see descCompiledVector; 0 for 8-field
 * descriptors.
 */
/**
 * Rows up to which a descriptor with compiled = -k calls its compiled code;
 * more rows are interpreted (the host's choice for tapes whose compiled code
 * would call the kernel's rows at every row: the interpreter's loops are
 * faster over a large batch, the compiled code over a few rows).
 */
export const SMALL_BATCH: i32 = 16;

@inline export function descCompiled(fn: usize, rows: i32): i32 {
  if (descFields != 12 || load<i32>(fn, 40) != MODE_BATCH) return 0;
  const k = load<i32>(fn, 44);
  return k > 0 ? k : k < 0 && rows <= SMALL_BATCH ? -k : 0;
}
/**
 * Vector mode: k > 0 is the table index of the tape's compiled vector
 * functions (compiled.ts: eval at k, jvp at k + 1, gradient at k + 2, one
 * point per call); 0 interprets.
 */
@inline export function descCompiledVector(fn: usize): i32 {
  if (descFields != 12 || load<i32>(fn, 40) != MODE_VECTOR) return 0;
  const k = load<i32>(fn, 44);
  return k > 0 ? k : 0;
}
/** The raw field 11 (debug checks); 0 for 8-field descriptors. */
@inline export function descCompiledField(fn: usize): i32 { return descFields == 12 ? load<i32>(fn, 44) : 0; }

// ---------------------------------------------------------------------------
// Batch-mode scratch (16-byte aligned, scratchBytes(nSlots, nVars) bytes),
// B = SLOT_BYTES = 2048, T = align16(4 * nSlots):
//
//   offset            size           contents
//   0                 nSlots * B     value column of slot s at s * B
//   nSlots * B        nSlots * B     second column of slot s (tangent, adjoint or imaginary part)
//   2 * nSlots * B    5 * T          slot tables (u32 each): live value, live second, home value, home
//                                    second (addresses), adjoint plan (flags, see sweeps.ts)
//   2 * nSlots * B + 5T  WS_BYTES    finite-difference working space (below)
//
// The live tables say where each slot's column is for the instruction
// running now: evaluate() points the variables at `points` and the result at
// `out` (no copies); a slice points its slot into its source. An instruction
// resets its dst to the home address first (home tables), so a slot that a
// slice once aimed elsewhere is written in its own storage again.
//
// Finite-difference working space (offsets from its start):
//   0      MAX_STENCIL * 8     stencil offsets (f64)
//   256    MAX_STENCIL * 8     one point's stencil values (f64)
//   512    32                  stencilCombine output (f64 x 3, padded)
//   544    BATCH * 8           step of each (point, direction) block, by first row
//   2592   (BATCH / 2) * 16    batch plan: units [point, firstDir, nDirs, firstRow] i32
//   4640   end
export const WS_OFFS: usize = 0;
export const WS_VALS: usize = WS_OFFS + (<usize>MAX_STENCIL << 3);
export const WS_COUT: usize = WS_VALS + (<usize>MAX_STENCIL << 3);
export const WS_STEPS: usize = WS_COUT + 32;
export const WS_UNITS: usize = WS_STEPS + SLOT_BYTES;
export const WS_BYTES: usize = WS_UNITS + (<usize>(BATCH >> 1) << 4);

@inline export function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

/** Slot tables in scratch: live value, live second, home value, home second, adjoint plan. */
export const TABLES: usize = 5;

@inline export function slotTableBytes(nSlots: i32): usize {
  return align16(<usize>nSlots << 2);
}

/** Bytes of batch-mode scratch: covers evaluate, derivative/gradient, jvp, gradientAD and complexStep. */
export function batchScratchBytes(nSlots: i32): usize {
  return (<usize>nSlots * SLOT_BYTES << 1) + TABLES * slotTableBytes(nSlots) + WS_BYTES;
}

/** Address of the first slot table inside batch-mode scratch. */
@inline export function batchTables(scratch: usize, nSlots: i32): usize {
  return scratch + (<usize>nSlots * SLOT_BYTES << 1);
}

/** Address of the finite-difference working space inside batch-mode scratch. */
@inline export function workspace(scratch: usize, nSlots: i32): usize {
  return batchTables(scratch, nSlots) + TABLES * slotTableBytes(nSlots);
}

// ---------------------------------------------------------------------------
// Vector-mode scratch (16-byte aligned, scratchBytesFor(fn) bytes), T = align16(4 * nSlots):
//
//   offset       size                 contents
//   0            5 * T                slot tables, as in batch mode
//   5T           16                   one f64 zero (the tangent and imaginary part of every constant)
//   5T + 16      align16(8 * nIn)     h * dir (complexStep)
//   then         V                    value storage of every op slot that is not a slice's dst,
//                                     align16(8 * slotLens[s]) bytes each, in slot order
//   then         V                    second storage (tangent, adjoint or imaginary part), same layout
//
// Variables are views into the point (values) and into dir, outGrad or
// h * dir (second); constants are views into the descriptor's constants (length 1).

/** Bytes of value storage of the op slots (vector mode): every op slot but the slices' dsts. */
export function vectorStorageBytes(fn: usize): usize {
  const nSlots = descNSlots(fn);
  const lens = descSlotLens(fn);
  const fixed = descNVars(fn) + descNConsts(fn);
  let bytes: usize = 0;
  for (let s = fixed; s < nSlots; s++) bytes += align16(<usize>max(load<i32>(lens + (<usize>s << 2)), 0) << 3);
  // A slice's dst is a view: no storage (a slice's dst is the dst of no other instruction).
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  for (let i = 0; i < nInstr; i++) {
    const ins = tape + (<usize>i << 4);
    if (load<i32>(ins) == OP_SLICE) {
      const d = load<i32>(ins, 4);
      if (d >= fixed && d < nSlots) bytes -= align16(<usize>max(load<i32>(lens + (<usize>d << 2)), 0) << 3);
    }
  }
  return bytes;
}

/** Offset of h * dir inside vector-mode scratch. */
@inline export function vectorHDir(scratch: usize, nSlots: i32): usize {
  return scratch + TABLES * slotTableBytes(nSlots) + 16;
}

/** Offset of the value storage inside vector-mode scratch. */
@inline export function vectorStorage(scratch: usize, nSlots: i32, nIn: i32): usize {
  return vectorHDir(scratch, nSlots) + align16(<usize>nIn << 3);
}

/** Bytes of vector-mode scratch for the descriptor at fn. */
export function vectorScratchBytes(fn: usize): usize {
  const nSlots = descNSlots(fn);
  return TABLES * slotTableBytes(nSlots) + 16 + align16(<usize>descNIn(fn) << 3) + (vectorStorageBytes(fn) << 1);
}

@inline export function slotAt(tab: usize, s: i32): usize {
  return <usize>load<u32>(tab + (<usize>s << 2));
}

@inline export function setSlot(tab: usize, s: i32, addr: usize): void {
  store<u32>(tab + (<usize>s << 2), <u32>addr);
}
