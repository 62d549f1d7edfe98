// Nudge's WebAssembly kernel. Only numbers cross the boundary: pointers into
// this module's memory (allocated by the host), lengths and f64 scalars.
// The kernel never allocates; the host may grow the memory between calls.
//
// Finite-difference methods: 0 forward, 1 backward, 2 central, 3 richardson.
import { BATCH, SLOT_BYTES, WS_BYTES, slotTableBytes } from './layout';
import { evaluateBatches, differentiateBatches } from './batch';
import { stencilSizeOf, stencilOffsetsOf, stencilStepOf, stencilCombineOf } from './stencil';
export { opArity } from './opcodes';

/** First free byte after the kernel's static data, 16-byte aligned. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** Rows per batch (256). */
export function batchSize(): i32 {
  return BATCH;
}

/** Bytes of scratch a function with nSlots slots needs (16-byte aligned size). nVars is reserved. */
export function scratchBytes(nSlots: i32, nVars: i32): i32 {
  return <i32>(<usize>nSlots * SLOT_BYTES + slotTableBytes(nSlots) + WS_BYTES);
}

/** out[p] = f(point p), p < nPoints. `out` must not overlap `points`. */
export function evaluate(fn: usize, points: usize, nPoints: i32, out: usize): void {
  evaluateBatches(fn, points, nPoints, out);
}

/** m, the number of function values `method` needs (offset 0 first); 0 for an unknown method. */
export function stencilSize(method: i32): i32 {
  return stencilSizeOf(method);
}

/** Writes the m offsets (in units of the step; offsets[0] = 0) to out; returns m. */
export function stencilOffsets(method: i32, out: usize): i32 {
  return stencilOffsetsOf(method, out);
}

/** The step at coordinate x: h > 0 as given, h NaN automatic, else NaN. */
export function stencilStep(method: i32, h: f64, x: f64): f64 {
  return stencilStepOf(method, h, x);
}

/** values[k] = f(x + offsets[k] * h); writes out[0] = f'(x), out[1] = error estimate, out[2] = f(x). */
export function stencilCombine(method: i32, h: f64, values: usize, out: usize): void {
  stencilCombineOf(method, h, values, out);
}

/** The derivative of f along dir (nVars f64, not normalised) at every point. */
export function derivative(
  fn: usize, points: usize, nPoints: i32, dir: usize, method: i32, h: f64,
  outValue: usize, outDeriv: usize, outErr: usize,
): void {
  differentiateBatches(fn, points, nPoints, dir, false, method, h, outValue, outDeriv, outErr);
}

/** All partial derivatives: outGrad[p * nVars + v] = df/dx_v at point p. */
export function gradient(
  fn: usize, points: usize, nPoints: i32, method: i32, h: f64,
  outValue: usize, outGrad: usize, outErr: usize,
): void {
  differentiateBatches(fn, points, nPoints, 0, true, method, h, outValue, outGrad, outErr);
}
