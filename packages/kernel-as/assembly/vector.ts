// Vector-mode drivers (descriptor mode 1): one point per pass, each slot a
// vector of slotLens[s] elements, so that a function of thousands of
// variables built by a program (sum(100*(x[1:] - x[:-1]^2)^2 + ...)) is a
// handful of instructions, each a loop over the vector.
//
// A point is the concatenation of its variables' elements (nIn f64), points
// one after the other: point p at points + p * nIn * 8. Variable slots are
// views into the point; constants are views into the descriptor's constants
// (length 1, broadcast by the ops); op slots have storage in scratch, except
// a slice's dst, which is a view into its source set when the slice runs.
import {
  descTape, descNInstr, descConsts, descNConsts, descNVars, descNSlots, descResult, descScratch,
  descSlotLens, descNIn, slotTableBytes, slotAt, setSlot, align16, descCompiledVector,
  vectorHDir, vectorStorage, vectorStorageBytes,
} from './layout';
import { OP_SLICE } from './opcodes';
import { callEvalVector, callJvpVector, callGradientVector } from './compiled';
import { setContext, runEval, runJvp, runVjp, runComplex, isConstSlot, planAdjoints, needsZero } from './sweeps';

let tabV: usize = 0;
let tabW: usize = 0;
let homeV: usize = 0;
let homeW: usize = 0;
/** One f64 zero: the second column of every constant. */
let zeroAt: usize = 0;

@inline function lenAt(lens: usize, s: i32): i32 {
  return load<i32>(lens + (<usize>s << 2));
}

/**
 * Sets the tables for the descriptor: variables' homes hold their byte
 * offset inside a point; constants are views of the constants with a zero
 * second part; op slots get storage, slices' dsts none.
 */
function prepareVector(fn: usize): void {
  const nVars = descNVars(fn);
  const nConsts = descNConsts(fn);
  const nSlots = descNSlots(fn);
  const scratch = descScratch(fn);
  const lens = descSlotLens(fn);
  const nIn = descNIn(fn);
  const consts = descConsts(fn);
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  const fixed = nVars + nConsts;
  const t = slotTableBytes(nSlots);
  tabV = scratch;
  tabW = scratch + t;
  homeV = scratch + 2 * t;
  homeW = scratch + 3 * t;
  setContext(scratch, nSlots, lens, nVars, nConsts);
  zeroAt = vectorHDir(scratch, nSlots) - 16;
  store<f64>(zeroAt, 0.0);

  let off: usize = 0;
  for (let v = 0; v < nVars; v++) {
    setSlot(homeV, v, off << 3);
    off += <usize>lenAt(lens, v);
  }
  for (let c = 0; c < nConsts; c++) {
    const p = consts + (<usize>c << 3);
    setSlot(homeV, nVars + c, p);
    setSlot(tabV, nVars + c, p);
    setSlot(homeW, nVars + c, zeroAt);
    setSlot(tabW, nVars + c, zeroAt);
  }
  // Mark the slices' dsts (1: no storage), then lay out the others in slot order.
  for (let s = fixed; s < nSlots; s++) setSlot(homeV, s, 0);
  for (let i = 0; i < nInstr; i++) {
    const ins = tape + (<usize>i << 4);
    if (load<i32>(ins) == OP_SLICE) setSlot(homeV, load<i32>(ins, 4), 1);
  }
  const storeV = vectorStorage(scratch, nSlots, nIn);
  const storeW = storeV + vectorStorageBytes(fn);
  let at: usize = 0;
  for (let s = fixed; s < nSlots; s++) {
    if (slotAt(homeV, s) == 1) {
      setSlot(homeV, s, 0);
      setSlot(homeW, s, 0);
      continue;
    }
    setSlot(homeV, s, storeV + at);
    setSlot(tabV, s, storeV + at);
    setSlot(homeW, s, storeW + at);
    setSlot(tabW, s, storeW + at);
    at += align16(<usize>max(lenAt(lens, s), 0) << 3);
  }
}

/** Points the variables at point p (values) and at `second` + their offset (second parts). */
@inline function viewPoint(nVars: i32, point: usize, second: usize): void {
  for (let v = 0; v < nVars; v++) {
    const off = slotAt(homeV, v);
    setSlot(tabV, v, point + off);
    setSlot(tabW, v, second + off);
  }
}

@inline function pointAt(points: usize, nIn: i32, p: i32): usize {
  return points + ((<usize>p * <usize>nIn) << 3);
}

/** out[p] = f(point p). */
export function evaluateVector(fn: usize, points: usize, nPoints: i32, out: usize): void {
  const nIn = descNIn(fn);
  const k = descCompiledVector(fn);
  if (k > 0) {
    for (let p = 0; p < nPoints; p++) callEvalVector(k, pointAt(points, nIn, p), out + (<usize>p << 3));
    return;
  }
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  const nVars = descNVars(fn);
  const result = descResult(fn);
  prepareVector(fn);
  for (let p = 0; p < nPoints; p++) {
    const pt = pointAt(points, nIn, p);
    viewPoint(nVars, pt, pt);
    runEval(tape, nInstr);
    store<f64>(out + (<usize>p << 3), load<f64>(slotAt(tabV, result)));
  }
}

/** outValue[p] = f, outTangent[p] = derivative along dir (nIn f64): the variables' tangents are views of dir. */
export function jvpVector(fn: usize, points: usize, nPoints: i32, dir: usize, outValue: usize, outTangent: usize): void {
  const nIn = descNIn(fn);
  const k = descCompiledVector(fn);
  if (k > 0) {
    for (let p = 0; p < nPoints; p++) {
      const o = <usize>p << 3;
      callJvpVector(k, pointAt(points, nIn, p), dir, outValue + o, outTangent + o);
    }
    return;
  }
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  const nVars = descNVars(fn);
  const result = descResult(fn);
  prepareVector(fn);
  for (let p = 0; p < nPoints; p++) {
    viewPoint(nVars, pointAt(points, nIn, p), dir);
    runJvp(tape, nInstr);
    store<f64>(outValue + (<usize>p << 3), load<f64>(slotAt(tabV, result)));
    store<f64>(outTangent + (<usize>p << 3), load<f64>(slotAt(tabW, result)));
  }
}

/** outValue[p] = Re f(x + i h dir), outDeriv[p] = Im f / h: the variables' imaginary parts are views of h * dir. */
export function complexVector(
  fn: usize, points: usize, nPoints: i32, dir: usize, h: f64, outValue: usize, outDeriv: usize,
): void {
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  const nVars = descNVars(fn);
  const nIn = descNIn(fn);
  const result = descResult(fn);
  prepareVector(fn);
  const hdir = vectorHDir(descScratch(fn), descNSlots(fn));
  for (let i = 0; i < nIn; i++) {
    const o = <usize>i << 3;
    store<f64>(hdir + o, h * load<f64>(dir + o));
  }
  for (let p = 0; p < nPoints; p++) {
    viewPoint(nVars, pointAt(points, nIn, p), hdir);
    runComplex(tape, nInstr);
    store<f64>(outValue + (<usize>p << 3), load<f64>(slotAt(tabV, result)));
    store<f64>(outDeriv + (<usize>p << 3), load<f64>(slotAt(tabW, result)) / h);
  }
}

/**
 * outValue[p] = f, outGrad[p * nIn + i] = df/dx_i. The variables' adjoints
 * are views of outGrad: per point they are zeroed with the op slots' the
 * adjoint plan accumulates into, the result's is seeded with 1, and the
 * backward sweep writes straight into outGrad (slices into their sources'
 * adjoints).
 */
export function gradientVector(fn: usize, points: usize, nPoints: i32, outValue: usize, outGrad: usize): void {
  const nIn = descNIn(fn);
  const k = descCompiledVector(fn);
  if (k > 0) {
    for (let p = 0; p < nPoints; p++) {
      const g = pointAt(outGrad, nIn, p);
      memory.fill(g, 0, <usize>nIn << 3);
      callGradientVector(k, pointAt(points, nIn, p), outValue + (<usize>p << 3), g);
    }
    return;
  }
  const tape = descTape(fn);
  const nInstr = descNInstr(fn);
  const nVars = descNVars(fn);
  const result = descResult(fn);
  const nSlots = descNSlots(fn);
  const lens = descSlotLens(fn);
  const fixed = nVars + descNConsts(fn);
  prepareVector(fn);
  planAdjoints(tape, nInstr, nSlots, result);
  const seed = !isConstSlot(result);
  for (let p = 0; p < nPoints; p++) {
    const g = pointAt(outGrad, nIn, p);
    viewPoint(nVars, pointAt(points, nIn, p), g);
    runEval(tape, nInstr);
    memory.fill(g, 0, <usize>nIn << 3);
    for (let s = fixed; s < nSlots; s++) {
      if (needsZero(s)) memory.fill(slotAt(homeW, s), 0, <usize>lenAt(lens, s) << 3);
    }
    if (seed) store<f64>(slotAt(tabW, result), 1.0);
    runVjp(tape, nInstr);
    store<f64>(outValue + (<usize>p << 3), load<f64>(slotAt(tabV, result)));
  }
}
