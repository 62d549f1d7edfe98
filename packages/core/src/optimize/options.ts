import { NudgeError } from '../errors.js';
import type { FunctionOptions } from '../api/target.js';

export const OPTIMIZERS = ['line-search', 'gd', 'momentum', 'nesterov', 'adam'] as const;
/**
 * line-search: steepest descent with a Barzilai-Borwein first step and
 * Armijo backtracking (no learning rate needed; the default). gd: plain
 * gradient descent, x <- x - lr * grad. momentum, nesterov: with a velocity
 * (beta = `momentum`). adam: Adam with bias correction.
 */
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const DESCENT_GRADIENTS = ['exact', 'central', 'forward'] as const;
/** exact: reverse-mode AD; central, forward: finite differences (what a course teaches first). */
export type DescentGradient = (typeof DESCENT_GRADIENTS)[number];

/** Why a descent stopped. `converged` covers the gradient, step and value tests and a line search that can no longer descend. */
export type DescentStatus = 'converged' | 'max-steps' | 'time-budget' | 'diverged' | 'cancelled';

/** Which rule stopped it, in detail. */
export type StoppedBy = 'gradient' | 'step' | 'value' | 'no-decrease' | 'max-steps' | 'time-budget' | 'diverged' | 'cancelled';

export interface DescentProgress {
  /** Steps taken so far. */
  step: number;
  maxSteps: number;
  /** f at the current point, |grad f| there. */
  value: number;
  gradientNorm: number;
  /** The lowest (highest, maximising) f so far. */
  bestValue: number;
  /** The current point, in input order. */
  point: Float64Array;
  elapsedMs: number;
  /** With several starts: which run this is (from 0), of how many. */
  run?: number;
  runs?: number;
}

export interface MinimizeOptions extends FunctionOptions {
  /** Default 'line-search'. */
  optimizer?: OptimizerName;
  /** Learning rate of gd, momentum, nesterov and adam. Default 0.001. */
  lr?: number;
  /** Momentum's and Nesterov's beta. Default 0.9. */
  momentum?: number;
  /** Adam's decay rates and epsilon. Defaults 0.9, 0.999, 1e-8. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** How the gradient is computed. Default 'exact'. */
  gradient?: DescentGradient;
  /** Finite-difference step (central, forward). Default 'auto': error-optimal per coordinate. */
  h?: number | 'auto';
  /** Maximum steps. Default 100,000. */
  maxSteps?: number;
  /**
   * Gradient-norm tolerance, relative: converged when
   * |grad f(x)| <= tol * max(1, |grad f(x0)|). Default 1e-10.
   */
  tol?: number;
  /** Converged when a step is shorter than stepTol * (1 + |x|). Default 0: off. */
  stepTol?: number;
  /** Converged when f changes by less than valueTol * max(1, |f|) in one step. Default 0: off. */
  valueTol?: number;
  /** Stop after this many milliseconds (checked between chunks); status 'time-budget'. */
  timeBudget?: number;
  /** Record the trajectory (default true): at most `limit` points (default 2048), every k-th step, k doubling as needed. */
  trace?: boolean | { limit?: number };
  /** Called between chunks of steps (not awaited). */
  onProgress?: (progress: DescentProgress) => void;
  /** Checked between chunks: once aborted, the run stops with status 'cancelled' and the best point so far. */
  signal?: AbortSignal;
  /** Steps per kernel call. Default: adaptive, about 10 ms of work per call. */
  chunkSteps?: number;
}

/** Every setting resolved and checked. */
export interface DescentSettings {
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  gradient: DescentGradient;
  /** NaN: automatic. */
  h: number;
  maxSteps: number;
  tol: number;
  stepTol: number;
  valueTol: number;
  timeBudget: number;
  traceLimit: number;
  chunkSteps: number | undefined;
}

export const DEFAULT_LR = 0.001;
export const DEFAULT_MAX_STEPS = 100_000;
export const DEFAULT_TOL = 1e-10;
export const DEFAULT_TRACE_LIMIT = 2048;

export function bad(message: string): never {
  throw new NudgeError('invalid-argument', message);
}

export function positive(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) bad(`${name} must be a positive number, got ${String(v)}`);
  return v;
}

export function nonNegative(name: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) bad(`${name} must be a number >= 0, got ${String(v)}`);
  return v;
}

export function fraction(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) bad(`${name} must be a number in [0, 1), got ${String(v)}`);
  return v;
}

export function count(name: string, v: number | undefined, fallback: number | undefined): number | undefined {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad(`${name} must be a whole number >= 1, got ${String(v)}`);
  return v;
}

export function resolveDescent(o: MinimizeOptions): DescentSettings {
  const optimizer = o.optimizer ?? 'line-search';
  if (!OPTIMIZERS.includes(optimizer)) bad(`unknown optimizer '${String(optimizer)}': use one of ${OPTIMIZERS.join(', ')}`);
  const gradient = o.gradient ?? 'exact';
  if (!DESCENT_GRADIENTS.includes(gradient)) bad(`unknown gradient '${String(gradient)}': use one of ${DESCENT_GRADIENTS.join(', ')}`);
  if (o.lr !== undefined && optimizer === 'line-search') bad(`the line search chooses its own steps: lr is for ${OPTIMIZERS.slice(1).join(', ')}`);
  let h = NaN;
  if (o.h !== undefined && o.h !== 'auto') {
    if (gradient === 'exact') bad(`h is the finite-difference step: it needs gradient 'central' or 'forward'`);
    h = positive('the step h', o.h, NaN);
  }
  const trace = o.trace ?? true;
  const traceLimit = trace === false ? 0 : trace === true ? DEFAULT_TRACE_LIMIT : count('trace.limit', trace.limit, DEFAULT_TRACE_LIMIT)!;
  if (traceLimit === 1) bad('trace.limit must be at least 2 (the start and the end)');
  return {
    optimizer,
    lr: positive('the learning rate lr', o.lr, DEFAULT_LR),
    momentum: fraction('momentum', o.momentum, 0.9),
    beta1: fraction('beta1', o.beta1, 0.9),
    beta2: fraction('beta2', o.beta2, 0.999),
    epsilon: positive('epsilon', o.epsilon, 1e-8),
    gradient,
    h,
    maxSteps: count('maxSteps', o.maxSteps, DEFAULT_MAX_STEPS)!,
    tol: nonNegative('tol', o.tol ?? DEFAULT_TOL),
    stepTol: nonNegative('stepTol', o.stepTol),
    valueTol: nonNegative('valueTol', o.valueTol),
    timeBudget: o.timeBudget === undefined ? Infinity : positive('timeBudget (ms)', o.timeBudget, 0),
    traceLimit,
    chunkSteps: count('chunkSteps', o.chunkSteps, undefined),
  };
}
