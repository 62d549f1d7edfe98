// Nudge's WebAssembly kernel. Only numbers cross the boundary: pointers into
// this module's memory (allocated by the host), lengths and f64 scalars.
// The kernel never allocates; the host may grow the memory between calls.
//
// Finite-difference methods: 0 forward, 1 backward, 2 central, 3 richardson.
import { BATCH, batchScratchBytes, vectorScratchBytes, isVector, descriptorFieldCount, setDescriptorFieldCount } from './layout';
import { evaluateBatches, differentiateBatches, jvpBatches, gradientADBatches, complexBatches } from './batch';
import { descend as descendSteps, optimizerStep as optimizerStepOf } from './descent';
import { stencilSizeOf, stencilOffsetsOf, stencilStepOf, stencilCombineOf } from './stencil';
export { opArity } from './opcodes';
// Dense layers, activations, losses over a batch of rows (networks, fitted by the host).
export { denseForward, denseBackward, activationForward, activationBackward, lossForward, softmaxLoss, gatherRows, addL2 } from './dense';
// op_<name>_ev, op_<name>_d / _da / _db, op_pow_jvp: the rows of ops.ts for compiled tapes (generated).
export * from './opexports';

/** First free byte after the kernel's static data, 16-byte aligned. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** Rows per batch (256). */
export function batchSize(): i32 {
  return BATCH;
}

/** The number of i32 fields this instance reads at a descriptor: 8 (a fresh instance) or 12. */
export function descriptorFields(): i32 {
  return descriptorFieldCount();
}

/**
 * Makes this instance read 8 or 12 descriptor fields (12: slotLens, nIn,
 * mode, compiled follow the first 8). Returns the count in effect; any other
 * value changes nothing (and aborts in debug builds).
 */
export function setDescriptorFields(fields: i32): i32 {
  return setDescriptorFieldCount(fields);
}

/**
 * Bytes of scratch of a batch-mode function with nSlots slots: enough for
 * every entry point (evaluate, derivative, gradient, jvp, gradientAD,
 * complexStep). nVars is reserved.
 */
export function scratchBytes(nSlots: i32, nVars: i32): i32 {
  return <i32>batchScratchBytes(nSlots);
}

/**
 * Bytes of scratch the descriptor at fn needs, in either mode (every field
 * but `scratch` must be written; vector mode reads slotLens and the tape).
 */
export function scratchBytesFor(fn: usize): i32 {
  return <i32>(isVector(fn) ? vectorScratchBytes(fn) : batchScratchBytes(load<i32>(fn, 20)));
}

/** out[p] = f(point p), p < nPoints. `out` must not overlap `points`. */
export function evaluate(fn: usize, points: usize, nPoints: i32, out: usize): void {
  evaluateBatches(fn, points, nPoints, out);
}

/** Forward mode (dual numbers): outValue[p] = f, outTangent[p] = the derivative along dir (nIn f64, as given). */
export function jvp(fn: usize, points: usize, nPoints: i32, dir: usize, outValue: usize, outTangent: usize): void {
  jvpBatches(fn, points, nPoints, dir, outValue, outTangent);
}

/**
 * Reverse mode: outValue[p] = f, outGrad[p * nIn + i] = df/dx_i. The tape
 * must have no slot reuse (every instruction its own dst).
 */
export function gradientAD(fn: usize, points: usize, nPoints: i32, outValue: usize, outGrad: usize): void {
  gradientADBatches(fn, points, nPoints, outValue, outGrad);
}

/** Complex step: outValue[p] = Re f(x + i h dir), outDeriv[p] = Im f(x + i h dir) / h (dir: nIn f64). */
export function complexStep(
  fn: usize, points: usize, nPoints: i32, dir: usize, h: f64, outValue: usize, outDeriv: usize,
): void {
  complexBatches(fn, points, nPoints, dir, h, outValue, outDeriv);
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

/** The derivative of f along dir (nVars f64, not normalised) at every point (batch mode). */
export function derivative(
  fn: usize, points: usize, nPoints: i32, dir: usize, method: i32, h: f64,
  outValue: usize, outDeriv: usize, outErr: usize,
): void {
  differentiateBatches(fn, points, nPoints, dir, false, method, h, outValue, outDeriv, outErr);
}

/** All partial derivatives: outGrad[p * nVars + v] = df/dx_v at point p (batch mode). */
export function gradient(
  fn: usize, points: usize, nPoints: i32, method: i32, h: f64,
  outValue: usize, outGrad: usize, outErr: usize,
): void {
  differentiateBatches(fn, points, nPoints, 0, true, method, h, outValue, outGrad, outErr);
}

/**
 * Up to nSteps steps of gradient descent on fn (nIn inputs per point) from
 * the run's state block (layout: descent.ts), recording the trajectory into
 * `trace`. Returns why it stopped: 0 steps done, 1-3 converged (gradient,
 * step, value change), 4 no decrease possible, 5 diverged, 6 trace full.
 */
export function descend(fn: usize, state: usize, trace: usize, nIn: i32, nSteps: i32): i32 {
  return descendSteps(fn, state, trace, nIn, nSteps);
}

/**
 * One optimiser step on the parameters at x (n f64, in place) from the
 * gradient g: the state block's optimiser, learning rate and moments
 * (descent.ts). t: the step number, from 1. Returns the step's length.
 */
export function optimizerStep(state: usize, x: usize, g: usize, n: i32, t: f64): f64 {
  return optimizerStepOf(state, x, g, n, t);
}
