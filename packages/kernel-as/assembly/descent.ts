// Gradient descent, in chunks: descend() runs up to nSteps steps of one
// optimiser on a compiled function and returns why it stopped, so that the
// host can report progress, drain the trajectory and cancel between chunks
// while the loop itself never leaves the kernel.
//
// All of a run's state lives in one block the host allocated (the STATE
// layout below): settings written once, counters and results read back after
// every chunk, and the vectors (nIn f64 each) at the addresses the host wrote
// into the P* fields. The objective is phi = sign * f (sign -1 maximises f).
import { isVector, descCompiled } from './layout';
import { gradientADPrepared, prepareGradientAD, differentiateBatches } from './batch';
import { callGradient } from './compiled';
import { gradientVector } from './vector';

// ------------------------------------------------------------ the state block (f64 fields)
/** Optimiser: OPT_* below. */
export const S_OPTIMIZER: i32 = 0;
/** Gradient: -1 reverse mode (exact), else a finite-difference method (0 forward, 2 central). */
export const S_GRADIENT: i32 = 1;
/** +1 minimise, -1 maximise. */
export const S_SIGN: i32 = 2;
export const S_LR: i32 = 3;
/** Momentum's and Nesterov's beta, Adam's beta1. */
export const S_BETA1: i32 = 4;
export const S_BETA2: i32 = 5;
export const S_EPSILON: i32 = 6;
/** Converged when |grad| <= this (absolute). */
export const S_GRAD_TOL: i32 = 7;
/** Converged when |step| <= this * (1 + |x|); 0: off. */
export const S_STEP_TOL: i32 = 8;
/** Converged when |f change| <= this * max(1, |f|); 0: off. */
export const S_VALUE_TOL: i32 = 9;
/** Diverged when phi rises above this. */
export const S_GROWTH_LIMIT: i32 = 10;
/** Diverged when a coordinate's magnitude exceeds this. */
export const S_X_LIMIT: i32 = 11;
/** Finite-difference step (NaN: automatic per coordinate). */
export const S_H: i32 = 12;
/** Armijo's sufficient-decrease constant c. */
export const S_ARMIJO: i32 = 13;
/** A trajectory record every this many steps (>= 1). */
export const S_TRACE_EVERY: i32 = 14;
/** Records the trace buffer holds. */
export const S_TRACE_CAPACITY: i32 = 15;
/** 1: records hold x, 0: step, value and gradient norm only. */
export const S_TRACE_X: i32 = 16;
/** Records written since the host last reset this to 0. */
export const S_TRACE_COUNT: i32 = 17;
/** Steps taken. */
export const S_STEP: i32 = 18;
/** f at x, |grad f| at x (current once S_READY is 1). */
export const S_VALUE: i32 = 19;
export const S_GRAD_NORM: i32 = 20;
/** The line search's step length (the host sets the first). */
export const S_ALPHA: i32 = 21;
/** 1 once a previous point exists (the line search's Barzilai-Borwein step). */
export const S_HAS_PREVIOUS: i32 = 22;
/** The lowest phi seen: its f, |grad|, step; its point is at S_P_BEST. */
export const S_BEST_VALUE: i32 = 23;
export const S_BEST_GRAD_NORM: i32 = 24;
export const S_BEST_STEP: i32 = 25;
/** Length of the last step. */
export const S_STEP_NORM: i32 = 26;
/** The last status returned. */
export const S_STATUS: i32 = 27;
/** 1 when S_VALUE, S_GRAD_NORM and the gradient belong to x (0: the first call computes them). */
export const S_READY: i32 = 28;
/** Halvings of the line search, gradient evaluations: totals. */
export const S_BACKTRACKS: i32 = 29;
export const S_EVALUATIONS: i32 = 30;
/** Why it diverged: DIV_* below; the offending value. */
export const S_DIVERGED_BY: i32 = 31;
export const S_BAD_VALUE: i32 = 32;
/** The f of the step before the last (value-change test). */
export const S_PREVIOUS_VALUE: i32 = 33;
/** f at the trial point. */
export const S_TRIAL_VALUE: i32 = 34;
/** The step of the next trajectory record (the host sets it when it changes S_TRACE_EVERY: a multiple of it). */
export const S_TRACE_NEXT: i32 = 35;
// Vector addresses (nIn f64 each): x, its gradient, the trial point and its
// gradient (swapped with x's on acceptance: after a step they hold the
// previous point), first and second moments, the best point, FD error estimates.
export const S_P_X: i32 = 40;
export const S_P_GRAD: i32 = 41;
export const S_P_TRIAL: i32 = 42;
export const S_P_TRIAL_GRAD: i32 = 43;
export const S_P_MOMENT1: i32 = 44;
export const S_P_MOMENT2: i32 = 45;
export const S_P_BEST: i32 = 46;
export const S_P_ERR: i32 = 47;
/** f64 fields of the state block (the vectors live elsewhere). */
export const STATE_FIELDS: i32 = 48;

export const OPT_GD: i32 = 0;
export const OPT_MOMENTUM: i32 = 1;
export const OPT_NESTEROV: i32 = 2;
export const OPT_ADAM: i32 = 3;
export const OPT_LINE_SEARCH: i32 = 4;

/** descend() returns: still running (nSteps done), a stop, or an early return to drain the trace. */
export const RUNNING: i32 = 0;
export const CONVERGED_GRADIENT: i32 = 1;
export const CONVERGED_STEP: i32 = 2;
export const CONVERGED_VALUE: i32 = 3;
/** The line search found no step that lowers phi: a minimum to working precision. */
export const NO_DECREASE: i32 = 4;
export const DIVERGED: i32 = 5;
export const TRACE_FULL: i32 = 6;

export const DIV_VALUE: i32 = 1;
export const DIV_GRADIENT: i32 = 2;
export const DIV_GROWTH: i32 = 3;
export const DIV_RUNAWAY: i32 = 4;

/** Halvings before the line search gives up (2^-60: below any useful step). */
const MAX_BACKTRACKS: i32 = 60;

@inline function field(s: usize, i: i32): f64 { return load<f64>(s + (<usize>i << 3)); }
@inline function setField(s: usize, i: i32, v: f64): void { store<f64>(s + (<usize>i << 3), v); }
@inline function ptr(s: usize, i: i32): usize { return <usize>field(s, i); }
@inline function at(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function put(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

function norm(p: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) { const v = at(p, i); s += v * v; }
  return Math.sqrt(s);
}

function maxAbs(p: usize, n: i32): f64 {
  let m: f64 = 0;
  for (let i = 0; i < n; i++) m = max(m, Math.abs(at(p, i)));
  return m;
}

/** f and its gradient at point x (one point), by the run's gradient method. */
function valueAndGradient(fn: usize, state: usize, x: usize, outValue: usize, outGrad: usize): void {
  const method = <i32>field(state, S_GRADIENT);
  if (method < 0) {
    const k = descCompiled(fn, 1);
    if (isVector(fn)) gradientVector(fn, x, 1, outValue, outGrad);
    else if (k > 0) callGradient(k, x, 1, 1, outValue, outGrad); // one row: x itself, stride 1
    else gradientADPrepared(fn, x, 1, outValue, outGrad);
  } else {
    differentiateBatches(fn, x, 1, 0, true, method, field(state, S_H), outValue, outGrad, ptr(state, S_P_ERR));
  }
  setField(state, S_EVALUATIONS, field(state, S_EVALUATIONS) + 1);
}

/**
 * Writes the trial point for the fixed-step optimisers (the gradient g is of
 * f; sign turns it into phi's). Updates the moments.
 */
function proposeStep(state: usize, n: i32, t: f64, x: usize, g: usize, xt: usize): void {
  const opt = <i32>field(state, S_OPTIMIZER);
  const sign = field(state, S_SIGN);
  const lr = field(state, S_LR);
  const b1 = field(state, S_BETA1);
  const m1 = ptr(state, S_P_MOMENT1);
  if (opt == OPT_GD) {
    for (let i = 0; i < n; i++) put(xt, i, at(x, i) - lr * sign * at(g, i));
  } else if (opt == OPT_MOMENTUM) {
    // v = beta v + grad; x -= lr v
    for (let i = 0; i < n; i++) {
      const v = b1 * at(m1, i) + sign * at(g, i);
      put(m1, i, v);
      put(xt, i, at(x, i) - lr * v);
    }
  } else if (opt == OPT_NESTEROV) {
    // The look-ahead form that needs the gradient at x only: v = beta v + grad; x -= lr (grad + beta v)
    for (let i = 0; i < n; i++) {
      const gi = sign * at(g, i);
      const v = b1 * at(m1, i) + gi;
      put(m1, i, v);
      put(xt, i, at(x, i) - lr * (gi + b1 * v));
    }
  } else {
    // Adam, with bias correction at step t (1-based)
    const b2 = field(state, S_BETA2);
    const eps = field(state, S_EPSILON);
    const m2 = ptr(state, S_P_MOMENT2);
    const c1 = 1 - Math.pow(b1, t);
    const c2 = 1 - Math.pow(b2, t);
    for (let i = 0; i < n; i++) {
      const gi = sign * at(g, i);
      const m = b1 * at(m1, i) + (1 - b1) * gi;
      const v = b2 * at(m2, i) + (1 - b2) * gi * gi;
      put(m1, i, m);
      put(m2, i, v);
      put(xt, i, at(x, i) - lr * (m / c1) / (Math.sqrt(v / c2) + eps));
    }
  }
}

/**
 * The line search's first trial step: Barzilai-Borwein (alternating its two
 * formulas) from the last step, else twice the last accepted step.
 */
function firstAlpha(state: usize, n: i32, t: f64): f64 {
  let alpha = field(state, S_ALPHA);
  if (field(state, S_HAS_PREVIOUS) == 0) return alpha;
  const sign = field(state, S_SIGN);
  const x = ptr(state, S_P_X);
  const g = ptr(state, S_P_GRAD);
  const xp = ptr(state, S_P_TRIAL); // the previous point (swapped out on acceptance)
  const gp = ptr(state, S_P_TRIAL_GRAD);
  let sy: f64 = 0, ss: f64 = 0, yy: f64 = 0;
  for (let i = 0; i < n; i++) {
    const s = at(x, i) - at(xp, i);
    const y = sign * (at(g, i) - at(gp, i));
    sy += s * y;
    ss += s * s;
    yy += y * y;
  }
  if (sy > 0 && isFinite(sy)) {
    const bb = (<i64>t & 1) != 0 ? ss / sy : sy / yy;
    if (bb > 0 && isFinite(bb)) return bb;
  }
  return alpha * 2;
}

/** Records (step, f, |grad|, x...) if the step is due; returns false when the buffer is full afterwards. */
function record(state: usize, trace: usize, n: i32, t: f64, f: f64, gradNorm: f64, x: usize): bool {
  if (t < field(state, S_TRACE_NEXT)) return true;
  const cap = <i32>field(state, S_TRACE_CAPACITY);
  let count = <i32>field(state, S_TRACE_COUNT);
  if (cap <= 0) return true;
  if (count >= cap) return false;
  const withX = field(state, S_TRACE_X) != 0;
  const stride = 3 + (withX ? n : 0);
  const r = trace + (<usize>(count * stride) << 3);
  put(r, 0, t);
  put(r, 1, f);
  put(r, 2, gradNorm);
  if (withX) copy(r + 24, x, n);
  count++;
  setField(state, S_TRACE_COUNT, count);
  setField(state, S_TRACE_NEXT, t + field(state, S_TRACE_EVERY));
  return count < cap;
}

function diverged(state: usize, by: i32, value: f64): i32 {
  setField(state, S_DIVERGED_BY, by);
  setField(state, S_BAD_VALUE, value);
  setField(state, S_STATUS, DIVERGED);
  return DIVERGED;
}

function stop(state: usize, status: i32): i32 {
  setField(state, S_STATUS, status);
  return status;
}

/** Evaluates the trial point; false (and the divergence recorded) if f or its gradient is not finite there. */
function evaluateTrial(fn: usize, state: usize, n: i32): bool {
  const vt = state + (<usize>S_TRIAL_VALUE << 3);
  valueAndGradient(fn, state, ptr(state, S_P_TRIAL), vt, ptr(state, S_P_TRIAL_GRAD));
  return isFinite(load<f64>(vt));
}

/** Makes the trial point the current one (swapping the vectors) and updates best and the counters. */
function accept(state: usize, n: i32, value: f64, gradNorm: f64): void {
  const x = ptr(state, S_P_X);
  const g = ptr(state, S_P_GRAD);
  const xt = ptr(state, S_P_TRIAL);
  setField(state, S_P_X, <f64>xt);
  setField(state, S_P_TRIAL, <f64>x);
  setField(state, S_P_GRAD, field(state, S_P_TRIAL_GRAD));
  setField(state, S_P_TRIAL_GRAD, <f64>g);
  setField(state, S_PREVIOUS_VALUE, field(state, S_VALUE));
  setField(state, S_VALUE, value);
  setField(state, S_GRAD_NORM, gradNorm);
  setField(state, S_HAS_PREVIOUS, 1);
  const t = field(state, S_STEP) + 1;
  setField(state, S_STEP, t);
  const sign = field(state, S_SIGN);
  if (sign * value < sign * field(state, S_BEST_VALUE)) {
    setField(state, S_BEST_VALUE, value);
    setField(state, S_BEST_GRAD_NORM, gradNorm);
    setField(state, S_BEST_STEP, t);
    copy(ptr(state, S_P_BEST), xt, n);
  }
}

/** n f64 from src to dst (a loop: memory.copy is a call into the engine, dear for the few coordinates of a typical run). */
@inline function copy(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) put(dst, i, at(src, i));
}

/** The first call: f and its gradient at the start point, which is also the best so far. */
function start(fn: usize, state: usize, trace: usize, n: i32): i32 {
  const x = ptr(state, S_P_X);
  valueAndGradient(fn, state, x, state + (<usize>S_VALUE << 3), ptr(state, S_P_GRAD));
  const f = field(state, S_VALUE);
  const gn = norm(ptr(state, S_P_GRAD), n);
  setField(state, S_GRAD_NORM, gn);
  setField(state, S_READY, 1);
  setField(state, S_BEST_VALUE, f);
  setField(state, S_BEST_GRAD_NORM, gn);
  setField(state, S_BEST_STEP, 0);
  memory.copy(ptr(state, S_P_BEST), x, <usize>n << 3);
  if (!isFinite(f)) return diverged(state, DIV_VALUE, f);
  if (!isFinite(gn)) return diverged(state, DIV_GRADIENT, gn);
  record(state, trace, n, 0, f, gn, x);
  return RUNNING;
}

/**
 * Runs up to nSteps steps of descent on fn (nIn inputs) from the state at
 * `state`, recording the trajectory into `trace`. Returns RUNNING when the
 * steps are done, a stop (CONVERGED_*, NO_DECREASE, DIVERGED), or TRACE_FULL
 * after a record filled the trace buffer (the host drains it, resets
 * S_TRACE_COUNT and calls again).
 */
export function descend(fn: usize, state: usize, trace: usize, nIn: i32, nSteps: i32): i32 {
  const n = nIn;
  const exact = field(state, S_GRADIENT) < 0;
  if (exact && !isVector(fn) && descCompiled(fn, 1) == 0) prepareGradientAD(fn);
  if (field(state, S_READY) == 0) {
    const s = start(fn, state, trace, n);
    if (s != RUNNING) return s;
  }
  return <i32>field(state, S_OPTIMIZER) == OPT_LINE_SEARCH ? lineSearchSteps(fn, state, trace, n, nSteps) : fixedSteps(fn, state, trace, n, nSteps);
}

/**
 * One step of a fixed-step optimiser (gd, momentum, Nesterov, Adam) on the
 * parameters at x (n f64), in place, from the gradient g that the host
 * computed (a mini-batch's: the function changes from step to step, so no
 * descent loop runs here). The settings and the moments are the state
 * block's, as descend's; t is the step's number (1-based, Adam's bias
 * correction). Returns the step's Euclidean length.
 */
export function optimizerStep(state: usize, x: usize, g: usize, n: i32, t: f64): f64 {
  let d: f64 = 0;
  const before = ptr(state, S_P_TRIAL);
  copy(before, x, n);
  proposeStep(state, n, t, before, g, x);
  for (let i = 0; i < n; i++) {
    const s = at(x, i) - at(before, i);
    d += s * s;
  }
  return Math.sqrt(d);
}

/**
 * The tests after an accepted step to x (from xPrevious, f from `previous`),
 * shared by both loops: divergence (growth, a runaway point), the trajectory
 * record, the step and value tolerances, a full trace buffer. Returns the
 * status that ends the call, or RUNNING to go on.
 */
function afterStep(
  state: usize, trace: usize, n: i32, last: bool, t: f64, f: f64, previous: f64, gn: f64, x: usize, xPrevious: usize,
): i32 {
  if (field(state, S_SIGN) * f > field(state, S_GROWTH_LIMIT)) return diverged(state, DIV_GROWTH, f);
  // A runaway point is found within 16 steps (or at the chunk's end): the scan costs as much as a cheap step.
  if (((<i64>t & 15) == 0 || last) && maxAbs(x, n) > field(state, S_X_LIMIT)) return diverged(state, DIV_RUNAWAY, f);
  const room = t < field(state, S_TRACE_NEXT) || record(state, trace, n, t, f, gn, x);
  const stepTol = field(state, S_STEP_TOL);
  if (stepTol > 0) {
    let d: f64 = 0;
    for (let i = 0; i < n; i++) { const s = at(x, i) - at(xPrevious, i); d += s * s; }
    const step = Math.sqrt(d);
    setField(state, S_STEP_NORM, step);
    if (step <= stepTol * (1 + norm(x, n))) return CONVERGED_STEP;
  }
  const valueTol = field(state, S_VALUE_TOL);
  if (valueTol > 0 && Math.abs(f - previous) <= valueTol * max(1.0, Math.abs(previous))) return CONVERGED_VALUE;
  return room ? RUNNING : TRACE_FULL;
}

/**
 * gd, momentum, Nesterov, Adam: the point, its gradient and the counters in
 * locals (the vectors swapped by pointer), written back to the state when
 * the call returns; what a step costs beyond the gradient is a few loads and
 * stores per coordinate.
 */
function fixedSteps(fn: usize, state: usize, trace: usize, n: i32, nSteps: i32): i32 {
  const sign = field(state, S_SIGN);
  const gradTol = field(state, S_GRAD_TOL);
  const vt = state + (<usize>S_TRIAL_VALUE << 3);
  const best = ptr(state, S_P_BEST);
  let x = ptr(state, S_P_X);
  let g = ptr(state, S_P_GRAD);
  let xt = ptr(state, S_P_TRIAL);
  let gt = ptr(state, S_P_TRIAL_GRAD);
  let t = field(state, S_STEP);
  let f = field(state, S_VALUE);
  let gn = field(state, S_GRAD_NORM);
  let previous = field(state, S_PREVIOUS_VALUE);
  let bestValue = field(state, S_BEST_VALUE);
  // Plain gradient descent's step, and the compiled gradient, inline: the common case costs no calls but the gradient's.
  const gd = <i32>field(state, S_OPTIMIZER) == OPT_GD;
  const lrSign = field(state, S_LR) * sign;
  const compiled = field(state, S_GRADIENT) < 0 && !isVector(fn) ? descCompiled(fn, 1) : 0;
  let evaluations = field(state, S_EVALUATIONS);
  let status = RUNNING;
  for (let k = 0; k < nSteps; k++) {
    if (gn <= gradTol) {
      status = CONVERGED_GRADIENT;
      break;
    }
    const tt = t + 1;
    // (gd: x - lr * sign * g, the same products as proposeStep's)
    if (gd) for (let i = 0; i < n; i++) put(xt, i, at(x, i) - lrSign * at(g, i));
    else proposeStep(state, n, tt, x, g, xt);
    if (compiled > 0) {
      callGradient(compiled, xt, 1, 1, vt, gt);
      evaluations++;
    } else {
      setField(state, S_EVALUATIONS, evaluations);
      valueAndGradient(fn, state, xt, vt, gt);
      evaluations = field(state, S_EVALUATIONS);
    }
    const ft = load<f64>(vt);
    if (!isFinite(ft)) {
      status = diverged(state, DIV_VALUE, ft);
      break;
    }
    let s2: f64 = 0;
    for (let i = 0; i < n; i++) { const v = at(gt, i); s2 += v * v; }
    const gtn = Math.sqrt(s2);
    if (!isFinite(gtn)) {
      status = diverged(state, DIV_GRADIENT, gtn);
      break;
    }
    // Accept: the trial becomes the point (by pointer), the point becomes the previous one.
    const px = x;
    x = xt;
    xt = px;
    const pg = g;
    g = gt;
    gt = pg;
    previous = f;
    f = ft;
    gn = gtn;
    t = tt;
    if (sign * f < sign * bestValue) {
      bestValue = f;
      setField(state, S_BEST_GRAD_NORM, gn);
      setField(state, S_BEST_STEP, t);
      copy(best, x, n);
    }
    status = afterStep(state, trace, n, k == nSteps - 1, t, f, previous, gn, x, xt);
    if (status != RUNNING) break;
  }
  setField(state, S_P_X, <f64>x);
  setField(state, S_P_GRAD, <f64>g);
  setField(state, S_P_TRIAL, <f64>xt);
  setField(state, S_P_TRIAL_GRAD, <f64>gt);
  setField(state, S_STEP, t);
  setField(state, S_VALUE, f);
  setField(state, S_GRAD_NORM, gn);
  setField(state, S_PREVIOUS_VALUE, previous);
  setField(state, S_BEST_VALUE, bestValue);
  setField(state, S_EVALUATIONS, evaluations);
  if (t > 0) setField(state, S_HAS_PREVIOUS, 1);
  return stop(state, status);
}

/** The line search (Armijo backtracking from a Barzilai-Borwein first step). */
function lineSearchSteps(fn: usize, state: usize, trace: usize, n: i32, nSteps: i32): i32 {
  const sign = field(state, S_SIGN);
  const gradTol = field(state, S_GRAD_TOL);
  const c = field(state, S_ARMIJO);
  for (let k = 0; k < nSteps; k++) {
    const gn = field(state, S_GRAD_NORM);
    if (gn <= gradTol) return stop(state, CONVERGED_GRADIENT);
    const t = field(state, S_STEP) + 1;
    const f = field(state, S_VALUE);
    let ft: f64 = 0;
    {
      // Backtracking from the first trial step until Armijo's condition
      // phi(x - alpha grad) <= phi(x) - c alpha |grad|^2 holds (divided by
      // |grad|, so that |grad|^2 cannot overflow).
      let alpha = firstAlpha(state, n, t);
      const x = ptr(state, S_P_X);
      const g = ptr(state, S_P_GRAD);
      const xt = ptr(state, S_P_TRIAL);
      let found = false;
      for (let b = 0; b < MAX_BACKTRACKS; b++) {
        for (let i = 0; i < n; i++) put(xt, i, at(x, i) - alpha * sign * at(g, i));
        const finite = evaluateTrial(fn, state, n);
        // phi = -Infinity downhill: f is unbounded (or overflows) that way.
        if (sign * field(state, S_TRIAL_VALUE) == -Infinity) return diverged(state, DIV_VALUE, field(state, S_TRIAL_VALUE));
        if (finite) {
          ft = field(state, S_TRIAL_VALUE);
          if ((sign * f - sign * ft) / gn >= c * alpha * gn && isFinite(norm(ptr(state, S_P_TRIAL_GRAD), n))) {
            found = true;
            break;
          }
        }
        alpha *= 0.5;
        setField(state, S_BACKTRACKS, field(state, S_BACKTRACKS) + 1);
      }
      if (!found) return stop(state, NO_DECREASE);
      setField(state, S_ALPHA, alpha);
    }
    const gtn = norm(ptr(state, S_P_TRIAL_GRAD), n);
    if (!isFinite(gtn)) return diverged(state, DIV_GRADIENT, gtn);
    accept(state, n, ft, gtn);
    const status = afterStep(state, trace, n, k == nSteps - 1, t, ft, f, gtn, ptr(state, S_P_X), ptr(state, S_P_TRIAL));
    if (status != RUNNING) return stop(state, status);
  }
  return stop(state, RUNNING);
}
