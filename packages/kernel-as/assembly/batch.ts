// Batch-mode drivers: run a compiled function (a descriptor, see layout.ts)
// over many points, one batch of up to BATCH rows at a time, every slot a
// column of rows. Vector-mode descriptors go to vector.ts. A descriptor whose
// `compiled` field is k > 0 runs the tape's compiled functions (compiled.ts)
// instead of the interpreter in evaluate, jvp, gradientAD and the finite
// differences; the complex step is always interpreted.
import {
  BATCH, SLOT_BYTES, WS_OFFS, WS_VALS, WS_COUT, WS_STEPS, WS_UNITS,
  descTape, descNInstr, descConsts, descNConsts, descNVars, descNSlots, descResult, descScratch,
  batchTables, slotTableBytes, workspace, slotAt, setSlot, isVector, descCompiled,
} from './layout';
import { callEval, callJvp, callGradient } from './compiled';
import { setContext, setRows, runEval, runJvp, runVjp, runComplex, isConstSlot, planAdjoints, needsZero } from './sweeps';
import { fillF64 } from './loops';
import { checkDescriptor, checkUniqueDst } from './check';
import { evaluateVector, jvpVector, gradientVector, complexVector } from './vector';
import { stencilSizeOf, stencilOffsetsOf, stencilStepOf, stencilCombineOf } from './stencil';

@inline function f64At(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function f64Set(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

/** Coordinate v of point p (structure of arrays). */
@inline function coord(points: usize, nPoints: i32, v: i32, p: i32): f64 {
  return load<f64>(points + ((<usize>v * <usize>nPoints + <usize>p) << 3));
}

function fill(p: usize, value: f64, n: i32): void {
  fillF64(p, value, n);
}

/** Fills a whole column (BATCH rows) with one value. */
function fillColumn(col: usize, value: f64): void {
  if (ASC_FEATURE_SIMD) {
    const v = f64x2.splat(value);
    for (let o: usize = 0; o < SLOT_BYTES; o += 16) v128.store(col + o, v);
  } else {
    fill(col, value, BATCH);
  }
}

// Four of the five slot tables of batch-mode scratch (the adjoint plan is sweeps.ts').
let tabV: usize = 0;
let tabW: usize = 0;
let homeV: usize = 0;
let homeW: usize = 0;

/**
 * Points every slot's two columns at its own storage (home = live), sets the
 * sweeps' context and broadcasts the constants' values into their columns
 * (once per call); `zeroConstW`: the constants' second columns are zero too
 * (their tangents, their imaginary parts).
 */
function prepareBatch(fn: usize, zeroConstW: bool): void {
  const nVars = descNVars(fn);
  const nConsts = descNConsts(fn);
  const nSlots = descNSlots(fn);
  const scratch = descScratch(fn);
  const consts = descConsts(fn);
  const tables = batchTables(scratch, nSlots);
  const t = slotTableBytes(nSlots);
  tabV = tables;
  tabW = tables + t;
  homeV = tables + 2 * t;
  homeW = tables + 3 * t;
  setContext(tables, nSlots, 0, nVars, nConsts);
  const second = scratch + <usize>nSlots * SLOT_BYTES;
  for (let s = 0; s < nSlots; s++) {
    const v = scratch + <usize>s * SLOT_BYTES;
    const w = second + <usize>s * SLOT_BYTES;
    setSlot(homeV, s, v);
    setSlot(tabV, s, v);
    setSlot(homeW, s, w);
    setSlot(tabW, s, w);
  }
  for (let c = 0; c < nConsts; c++) {
    fillColumn(slotAt(tabV, nVars + c), f64At(consts, c));
    if (zeroConstW) fillColumn(slotAt(tabW, nVars + c), 0.0);
  }
}

/** Points the variables' value columns at rows p0.. of `points` (read in place). */
function viewPoints(nVars: i32, points: usize, nPoints: i32, p0: i32): void {
  for (let v = 0; v < nVars; v++) {
    setSlot(tabV, v, points + ((<usize>v * <usize>nPoints + <usize>p0) << 3));
  }
}

/** out[p] = f(point p). Variables are read in place and the result written in place. */
export function evaluateBatches(fn: usize, points: usize, nPoints: i32, out: usize): void {
  if (nPoints <= 0) return;
  if (!ASC_NO_ASSERT) checkDescriptor(fn);
  if (isVector(fn)) {
    evaluateVector(fn, points, nPoints, out);
    return;
  }
  const k = descCompiled(fn, nPoints);
  if (k > 0) {
    // All points in one call: the compiled function loops over the rows.
    callEval(k, points, nPoints, nPoints, out);
    return;
  }
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  const nVars = descNVars(fn);
  const result = descResult(fn);
  prepareBatch(fn, false);
  // The result slot is an op slot unless the tape is empty (f = x or f = 3):
  // then the instruction that writes it writes straight into `out`.
  const direct = result >= nVars + descNConsts(fn);
  for (let p0 = 0; p0 < nPoints; p0 += BATCH) {
    const n = min(BATCH, nPoints - p0);
    setRows(n);
    viewPoints(nVars, points, nPoints, p0);
    const dst = out + (<usize>p0 << 3);
    if (direct) setSlot(homeV, result, dst);
    runEval(tape, nInstr);
    const src = slotAt(tabV, result);
    if (src != dst) memory.copy(dst, src, <usize>n << 3);
  }
}

/**
 * Forward mode: outValue[p] = f, outTangent[p] = the derivative along dir
 * (nVars f64, as given), by dual numbers: every slot's second column is its
 * tangent, computed in the same pass as its value.
 */
export function jvpBatches(fn: usize, points: usize, nPoints: i32, dir: usize, outValue: usize, outTangent: usize): void {
  if (nPoints <= 0) return;
  if (!ASC_NO_ASSERT) checkDescriptor(fn);
  if (isVector(fn)) {
    jvpVector(fn, points, nPoints, dir, outValue, outTangent);
    return;
  }
  const k = descCompiled(fn, nPoints);
  if (k > 0) {
    callJvp(k, points, nPoints, nPoints, dir, outValue, outTangent);
    return;
  }
  // The tangent of variable v is dir[v] at every point.
  twoColumnBatches(fn, points, nPoints, dir, 1.0, outValue, outTangent, false);
}

/**
 * Complex step: f(x + i h dir) in complex arithmetic (every slot's second
 * column is its imaginary part); outValue[p] = Re f, outDeriv[p] = Im f / h.
 */
export function complexBatches(
  fn: usize, points: usize, nPoints: i32, dir: usize, h: f64, outValue: usize, outDeriv: usize,
): void {
  if (nPoints <= 0) return;
  if (!ASC_NO_ASSERT) checkDescriptor(fn);
  if (isVector(fn)) {
    complexVector(fn, points, nPoints, dir, h, outValue, outDeriv);
    return;
  }
  // The imaginary part of variable v is h * dir[v].
  twoColumnBatches(fn, points, nPoints, dir, h, outValue, outDeriv, true);
}

/**
 * The batch driver shared by forward mode and the complex step: every slot
 * has a value column and a second column (tangent or imaginary part), seeded
 * with scale * dir[v] for variable v; the result's two columns go to
 * outValue and outSecond (divided by `scale` for the complex step).
 */
function twoColumnBatches(
  fn: usize, points: usize, nPoints: i32, dir: usize, scale: f64, outValue: usize, outSecond: usize, complex: bool,
): void {
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  const nVars = descNVars(fn);
  const result = descResult(fn);
  prepareBatch(fn, true);
  for (let v = 0; v < nVars; v++) fillColumn(slotAt(tabW, v), scale * f64At(dir, v));
  const direct = result >= nVars + descNConsts(fn);
  for (let p0 = 0; p0 < nPoints; p0 += BATCH) {
    const n = min(BATCH, nPoints - p0);
    setRows(n);
    viewPoints(nVars, points, nPoints, p0);
    const dv = outValue + (<usize>p0 << 3);
    const ds = outSecond + (<usize>p0 << 3);
    if (direct) {
      setSlot(homeV, result, dv);
      setSlot(homeW, result, ds);
    }
    if (complex) runComplex(tape, nInstr);
    else runJvp(tape, nInstr);
    const sv = slotAt(tabV, result);
    const s2 = slotAt(tabW, result);
    if (sv != dv) memory.copy(dv, sv, <usize>n << 3);
    if (s2 != ds) memory.copy(ds, s2, <usize>n << 3);
    if (complex) for (let r = 0; r < n; r++) f64Set(ds, r, f64At(ds, r) / scale);
  }
}

/**
 * Reverse mode: outValue[p] = f, outGrad[p * nVars + v] = df/dx_v. Per batch:
 * a forward sweep stores every slot (the tape has no slot reuse: every
 * instruction its own dst), the adjoint columns that the plan says are
 * accumulated into are zeroed (the variables', the result's, ...), the
 * result's is seeded with 1, and a backward sweep writes the adjoints.
 */
export function gradientADBatches(fn: usize, points: usize, nPoints: i32, outValue: usize, outGrad: usize): void {
  if (nPoints <= 0) return;
  const k = descCompiled(fn, nPoints);
  if (!ASC_NO_ASSERT) {
    checkDescriptor(fn);
    if (k == 0) checkUniqueDst(fn); // the interpreter's backward sweep needs it; compiled code does not
  }
  if (isVector(fn)) {
    gradientVector(fn, points, nPoints, outValue, outGrad);
    return;
  }
  if (k > 0) {
    callGradient(k, points, nPoints, nPoints, outValue, outGrad);
    return;
  }
  prepareGradientAD(fn);
  gradientADPrepared(fn, points, nPoints, outValue, outGrad);
}

/**
 * The once-per-call part of reverse mode (batch mode): slot tables, constant
 * columns, the adjoint plan. Descent calls it once per chunk of steps, then
 * gradientADPrepared once per point, as long as no other driver runs between.
 */
export function prepareGradientAD(fn: usize): void {
  prepareBatch(fn, false);
  planAdjoints(descTape(fn), descNInstr(fn), descNSlots(fn), descResult(fn));
}

/** Reverse mode over points, after prepareGradientAD(fn). */
export function gradientADPrepared(fn: usize, points: usize, nPoints: i32, outValue: usize, outGrad: usize): void {
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  const nVars = descNVars(fn);
  const nSlots = descNSlots(fn);
  const result = descResult(fn);
  const fixed = nVars + descNConsts(fn);
  const direct = result >= fixed;
  const seed = !isConstSlot(result);
  for (let p0 = 0; p0 < nPoints; p0 += BATCH) {
    const n = min(BATCH, nPoints - p0);
    setRows(n);
    viewPoints(nVars, points, nPoints, p0);
    const dv = outValue + (<usize>p0 << 3);
    if (direct) setSlot(homeV, result, dv);
    runEval(tape, nInstr);
    // Adjoints: zero the variables' rows and the op slots'
    // the plan says are accumulated into, then seed the result's with 1.
    for (let v = 0; v < nVars; v++) memory.fill(slotAt(homeW, v), 0, <usize>n << 3);
    for (let s = fixed; s < nSlots; s++) if (needsZero(s)) memory.fill(slotAt(homeW, s), 0, <usize>n << 3);
    if (seed) fill(slotAt(tabW, result), 1.0, n);
    runVjp(tape, nInstr);
    for (let v = 0; v < nVars; v++) {
      const col = slotAt(tabW, v);
      const g = outGrad + ((<usize>p0 * <usize>nVars + <usize>v) << 3);
      const stride = <usize>nVars << 3;
      for (let r = 0; r < n; r++) store<f64>(g + <usize>r * stride, f64At(col, r));
    }
    const sv = slotAt(tabV, result);
    if (sv != dv) memory.copy(dv, sv, <usize>n << 3);
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
  assert(!isVector(fn), 'nudge kernel: derivative and gradient run batch-mode descriptors only');
  if (m == 0 || isVector(fn)) {
    // Unknown method (or a vector-mode descriptor): every output is NaN.
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
  const scratch = descScratch(fn);
  // Compiled: the eval function reads the variables' columns where
  // prepareBatch put them, variable v at scratch + v * SLOT_BYTES (stride
  // BATCH rows from variable 0's), and writes the result slot's own column.
  // A result that is a variable or a constant needs no evaluation.
  const compiled = descCompiled(fn, BATCH);
  const evalResult = result >= descNVars(fn) + descNConsts(fn);
  prepareBatch(fn, false);
  const tab = tabV;
  const ws = workspace(scratch, nSlots);
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

    if (compiled > 0) {
      if (evalResult) callEval(compiled, scratch, BATCH, rows, slotAt(homeV, result));
    } else {
      setRows(rows);
      runEval(tape, nInstr);
    }

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
