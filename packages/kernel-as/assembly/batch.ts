// Drivers that run a compiled function (a descriptor, see layout.ts) over
// many points, one batch of rows at a time.
import {
  BATCH, SLOT_BYTES, WS_OFFS, WS_VALS, WS_COUT, WS_STEPS, WS_UNITS,
  descTape, descNInstr, descConsts, descNConsts, descNVars, descNSlots, descResult, descScratch,
  slotTable, workspace, slotAt, setSlot,
} from './layout';
import { runTape } from './tape';
import { opArity } from './opcodes';
import { stencilSizeOf, stencilOffsetsOf, stencilStepOf, stencilCombineOf } from './stencil';

@inline function f64At(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function f64Set(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

/** Coordinate v of point p (structure of arrays). */
@inline function coord(points: usize, nPoints: i32, v: i32, p: i32): f64 {
  return load<f64>(points + ((<usize>v * <usize>nPoints + <usize>p) << 3));
}

function fill(p: usize, value: f64, n: i32): void {
  for (let i = 0; i < n; i++) f64Set(p, i, value);
}

/**
 * Debug builds check a descriptor before running it: a bad one is a bug of
 * the host (abort), not a domain failure. Release builds skip this.
 */
function checkDescriptor(fn: usize): void {
  const nInstr = descNInstr(fn);
  const nVars = descNVars(fn);
  const nConsts = descNConsts(fn);
  const nSlots = descNSlots(fn);
  const result = descResult(fn);
  const fixed = nVars + nConsts;
  assert(nInstr >= 0 && nVars >= 0 && nConsts >= 0, 'nudge kernel: negative count in the descriptor');
  assert(nSlots >= fixed, 'nudge kernel: nSlots < nVars + nConsts');
  assert(result >= 0 && result < nSlots, 'nudge kernel: result slot out of range');
  assert((descScratch(fn) & 15) == 0, 'nudge kernel: scratch is not 16-byte aligned');
  const tape = descTape(fn);
  for (let i = 0; i < nInstr; i++) {
    const ins = tape + (<usize>i << 4);
    const arity = opArity(load<i32>(ins, 0));
    if (arity < 0) continue; // runTape reports unknown opcodes
    const d = load<i32>(ins, 4);
    const a = load<i32>(ins, 8);
    assert(d >= fixed && d < nSlots, 'nudge kernel: an instruction writes outside the op slots');
    assert(a >= 0 && a < nSlots, 'nudge kernel: operand slot out of range');
    if (arity == 2) {
      const b = load<i32>(ins, 12);
      assert(b >= 0 && b < nSlots, 'nudge kernel: operand slot out of range');
    }
  }
}

/** Points every slot at its own column in scratch and broadcasts the constants (once per call). */
function prepareSlots(fn: usize): usize {
  const nVars = descNVars(fn);
  const nConsts = descNConsts(fn);
  const nSlots = descNSlots(fn);
  const scratch = descScratch(fn);
  const consts = descConsts(fn);
  const tab = slotTable(scratch, nSlots);
  for (let s = 0; s < nSlots; s++) setSlot(tab, s, scratch + <usize>s * SLOT_BYTES);
  for (let c = 0; c < nConsts; c++) {
    const value = f64At(consts, c);
    const col = slotAt(tab, nVars + c);
    if (ASC_FEATURE_SIMD) {
      const v = f64x2.splat(value);
      for (let o: usize = 0; o < SLOT_BYTES; o += 16) v128.store(col + o, v);
    } else {
      fill(col, value, BATCH);
    }
  }
  return tab;
}

/** out[p] = f(point p). Variables are read in place and the result written in place. */
export function evaluateBatches(fn: usize, points: usize, nPoints: i32, out: usize): void {
  if (nPoints <= 0) return;
  if (!ASC_NO_ASSERT) checkDescriptor(fn);
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  const nVars = descNVars(fn);
  const result = descResult(fn);
  const tab = prepareSlots(fn);
  // The result slot is an op slot unless the tape is empty (f = x or f = 3).
  const direct = result >= nVars + descNConsts(fn);
  for (let p0 = 0; p0 < nPoints; p0 += BATCH) {
    const n = min(BATCH, nPoints - p0);
    for (let v = 0; v < nVars; v++) {
      setSlot(tab, v, points + ((<usize>v * <usize>nPoints + <usize>p0) << 3));
    }
    const dst = out + (<usize>p0 << 3);
    if (direct) setSlot(tab, result, dst);
    runTape(tape, nInstr, tab, n);
    if (!direct) memory.copy(dst, slotAt(tab, result), <usize>n << 3);
  }
}

/**
 * Finite differences of f at every point, along one direction `dir` (axes =
 * false: nVars f64) or along every axis (axes = true: the gradient).
 *
 * The rows of a batch are grouped in units: one unit is a point p and a run of
 * g consecutive directions; its first row is the point itself (offset 0) and
 * each direction adds m - 1 rows (its nonzero offsets). A unit holds up to
 * floor((BATCH - 1) / (m - 1)) directions, so f(x) is evaluated once per unit,
 * not once per direction; a batch holds as many whole units as fit.
 */
export function differentiateBatches(
  fn: usize, points: usize, nPoints: i32, dir: usize, axes: bool,
  method: i32, h: f64, outValue: usize, outDeriv: usize, outErr: usize,
): void {
  if (nPoints <= 0) return;
  if (!ASC_NO_ASSERT) checkDescriptor(fn);
  const nVars = descNVars(fn);
  const nDirs = axes ? nVars : 1;
  const m = stencilSizeOf(method);
  if (m == 0) {
    // Unknown method: every output is NaN.
    fill(outValue, NaN, nPoints);
    fill(outDeriv, NaN, nPoints * nDirs);
    fill(outErr, NaN, nPoints * nDirs);
    return;
  }
  if (nDirs == 0) {
    // The gradient of a function of no variables has no components.
    evaluateBatches(fn, points, nPoints, outValue);
    return;
  }
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  const result = descResult(fn);
  const nSlots = descNSlots(fn);
  const tab = prepareSlots(fn);
  const ws = workspace(descScratch(fn), nSlots);
  const offs = ws + WS_OFFS;
  const vals = ws + WS_VALS;
  const cout = ws + WS_COUT;
  const steps = ws + WS_STEPS;
  const units = ws + WS_UNITS;
  stencilOffsetsOf(method, offs);
  const k = m - 1;
  const perUnit = min(nDirs, (BATCH - 1) / k);

  let p = 0;
  let d0 = 0;
  while (p < nPoints) {
    // Plan the batch: whole units while they fit.
    let rows = 0;
    let nUnits = 0;
    while (p < nPoints) {
      const g = min(perUnit, nDirs - d0);
      const need = 1 + g * k;
      if (rows + need > BATCH) break;
      const u = units + (<usize>nUnits << 4);
      store<i32>(u, p, 0);
      store<i32>(u, d0, 4);
      store<i32>(u, g, 8);
      store<i32>(u, rows, 12);
      nUnits++;
      rows += need;
      d0 += g;
      if (d0 >= nDirs) { d0 = 0; p++; }
    }

    // Fill the variable slots: every row of a unit starts at the point, then
    // each direction's rows move along it by offset * step.
    for (let ui = 0; ui < nUnits; ui++) {
      const u = units + (<usize>ui << 4);
      const up = load<i32>(u, 0);
      const ud0 = load<i32>(u, 4);
      const ug = load<i32>(u, 8);
      const r0 = load<i32>(u, 12);
      const nRows = 1 + ug * k;
      for (let v = 0; v < nVars; v++) {
        fill(slotAt(tab, v) + (<usize>r0 << 3), coord(points, nPoints, v, up), nRows);
      }
      for (let j = 0; j < ug; j++) {
        const dd = ud0 + j;
        const rb = r0 + 1 + j * k;
        if (axes) {
          const x = coord(points, nPoints, dd, up);
          const step = stencilStepOf(method, h, x);
          f64Set(steps, rb, step);
          const col = slotAt(tab, dd) + (<usize>rb << 3);
          for (let q = 1; q < m; q++) f64Set(col, q - 1, x + f64At(offs, q) * step);
        } else {
          let t: f64 = 0;
          for (let v = 0; v < nVars; v++) t += coord(points, nPoints, v, up) * f64At(dir, v);
          const step = stencilStepOf(method, h, t);
          f64Set(steps, rb, step);
          for (let v = 0; v < nVars; v++) {
            const x = coord(points, nPoints, v, up);
            const dv = f64At(dir, v);
            const col = slotAt(tab, v) + (<usize>rb << 3);
            for (let q = 1; q < m; q++) f64Set(col, q - 1, x + (f64At(offs, q) * step) * dv);
          }
        }
      }
    }

    runTape(tape, nInstr, tab, rows);

    // Combine each (point, direction): gather its values, f(x) first.
    const res = slotAt(tab, result);
    for (let ui = 0; ui < nUnits; ui++) {
      const u = units + (<usize>ui << 4);
      const up = load<i32>(u, 0);
      const ud0 = load<i32>(u, 4);
      const ug = load<i32>(u, 8);
      const r0 = load<i32>(u, 12);
      const f0 = f64At(res, r0);
      if (ud0 == 0) f64Set(outValue, up, f0);
      f64Set(vals, 0, f0);
      for (let j = 0; j < ug; j++) {
        const rb = r0 + 1 + j * k;
        const src = res + (<usize>rb << 3);
        for (let q = 0; q < k; q++) f64Set(vals + 8, q, f64At(src, q));
        stencilCombineOf(method, f64At(steps, rb), vals, cout);
        const idx = axes ? up * nDirs + ud0 + j : up;
        f64Set(outDeriv, idx, f64At(cout, 0));
        f64Set(outErr, idx, f64At(cout, 1));
      }
    }
  }
}
