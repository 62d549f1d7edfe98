import { DescentField as F, DescentStatus as K } from '@nudge/kernel-as';
import { NudgeError } from '../errors.js';
import { splitInputs } from '../api/gradient.js';
import { toCoordinates, toInputVector, type Point } from '../api/points.js';
import { compileOptionsOf, hasVectors, withTarget, type Fn, type Target } from '../api/target.js';
import { describePoint } from '../api/warnings.js';
import { formatNumber } from '../api/format.js';
import { compile } from '../api/compiled.js';
import { divergenceHint, maxStepsHint } from './hints.js';
import { resolveDescent, type DescentSettings, type DescentStatus, type MinimizeOptions, type StoppedBy } from './options.js';
import { DescentRun } from './run.js';
import { classifyEnd, type EndKind } from './classify.js';
import { TrajectoryRecorder, type Trajectory } from './trajectory.js';
import { checkMultiStart, combineStarts, startPoints, type MultiStartOptions, type MultiStartParts } from './multistart.js';

export interface MinimizeResult {
  /** Where the run ended (see `status`), scalar variables by name. */
  point: Record<string, number>;
  /** For a function with vector variables: the point's vectors. */
  vectors?: Record<string, Float64Array>;
  /** The whole point in input order. */
  vector: Float64Array;
  value: number;
  gradientNorm: number;
  /** Steps taken. */
  iterations: number;
  status: DescentStatus;
  stoppedBy: StoppedBy;
  /**
   * True when a convergence test stopped the run and the point is not known
   * to be of the wrong kind: a saddle or a maximum (a minimum or a saddle
   * when maximising) is a stationary point, not a success.
   */
  converged: boolean;
  /** What the end point is, from the Hessian's eigenvalues (functions of up to 16 scalar variables, after convergence). */
  kind: EndKind;
  eigenvalues?: number[];
  /** What to try, when the run diverged or ran out of steps. */
  hint?: string;
  /** Why a converged run is not a success (a saddle point), or why it may not be (a singular Hessian). */
  warning?: string;
  maximize: boolean;
  variables: string[];
  start: Float64Array;
  startValue: number;
  optimizer: DescentSettings['optimizer'];
  gradient: DescentSettings['gradient'];
  /** The learning rate (fixed-step optimisers). */
  lr?: number;
  /** Gradient evaluations, and the line search's halvings. */
  evaluations: number;
  backtracks: number;
  /** Kernel calls (chunks of steps). */
  chunks: number;
  elapsedMs: number;
  trajectory: Trajectory | null;
}

/** Options of `minimize`: the descent's, and several starts. */
export type MinimizeAllOptions = MinimizeOptions & MultiStartOptions;

/** A result; with several starts, the best run's plus every run in brief and the distinct minima found. */
export type MinimizationResult = MinimizeResult & Partial<MultiStartParts>;

/** The adaptive chunk aims at this much work per kernel call: progress ~100 times a second, cancel well within 50 ms. */
const CHUNK_TARGET_MS = 10;
const FIRST_CHUNK = 8;
const MAX_CHUNK = 1 << 22;
/** Scalar variables up to which the end point is classified by its Hessian. */
const CLASSIFY_MAX_VARIABLES = 16;

const now = () => performance.now();

const STOPS: Record<number, StoppedBy> = {
  [K.convergedGradient]: 'gradient',
  [K.convergedStep]: 'step',
  [K.convergedValue]: 'value',
  [K.noDecrease]: 'no-decrease',
  [K.diverged]: 'diverged',
};

/**
 * The descent as a generator: one kernel call per chunk, yielding between
 * chunks (the async driver awaits there so that messages such as a cancel
 * can arrive); returns the result.
 */
function* descent(t: Target & { kind: 'compiled' }, x0: Float64Array, options: MinimizeOptions, maximize: boolean): Generator<void, MinimizeResult> {
  const settings = resolveDescent(options);
  const fn = t.fn;
  if (settings.gradient !== 'exact' && fn.vectorMode) {
    throw new NudgeError('invalid-argument', `finite-difference gradients ('${settings.gradient}') are for functions of scalar variables: use gradient 'exact' for vector variables`);
  }
  const started = now();
  const run = new DescentRun(fn, x0, settings, maximize);
  try {
    const recorder = new TrajectoryRecorder(t.variables, settings.traceLimit, run.traceWithX, run.n);
    let chunks = 1;
    let code = run.advance(0);
    if (code === K.diverged) {
      const v = run.get(F.value);
      const what = Number.isNaN(v) ? 'not a number (NaN)' : formatNumber(v);
      const where = describePoint(t.variables, x0);
      throw new NudgeError('invalid-argument', Number.isFinite(v)
        ? `the gradient of f is not finite at the start ${where}: start where f is differentiable`
        : `f is ${what} at the start ${where}: start inside f's domain`);
    }
    const startValue = run.get(F.value);
    let chunk = settings.chunkSteps ?? FIRST_CHUNK;
    let stopped: StoppedBy | undefined;
    for (;;) {
      const doubled = recorder.add(run.drainTrace());
      if (doubled !== undefined) {
        // Records stay on multiples of `every`: the next one after the current step.
        run.set(F.traceEvery, doubled);
        run.set(F.traceNext, (Math.floor(run.get(F.step) / doubled) + 1) * doubled);
      }
      if (code !== K.running && code !== K.traceFull) {
        stopped = STOPS[code];
        break;
      }
      const steps = run.get(F.step);
      const elapsed = now() - started;
      if (steps >= settings.maxSteps) stopped = 'max-steps';
      else if (elapsed >= settings.timeBudget) stopped = 'time-budget';
      else if (options.signal?.aborted) stopped = 'cancelled';
      if (stopped) break;
      if (code === K.running) {
        options.onProgress?.({
          step: steps,
          maxSteps: settings.maxSteps,
          value: run.get(F.value),
          gradientNorm: run.get(F.gradNorm),
          bestValue: run.get(F.bestValue),
          point: run.vector(F.pX),
          elapsedMs: elapsed,
        });
        yield;
        if (options.signal?.aborted) {
          stopped = 'cancelled';
          break;
        }
      }
      const n = Math.min(chunk, settings.maxSteps - steps);
      const t0 = now();
      code = run.advance(n);
      chunks++;
      if (settings.chunkSteps === undefined && code === K.running) {
        const took = Math.max(now() - t0, 0.01);
        const left = settings.timeBudget - (now() - started);
        chunk = Math.round(Math.min(chunk * 4, MAX_CHUNK, Math.max(1, (n * Math.min(CHUNK_TARGET_MS, left)) / took)));
      }
    }
    if (!stopped) throw new Error('internal: a descent ended without a reason');
    return finish(t, run, recorder, settings, { stopped, start: x0, startValue, maximize, chunks, started });
  } finally {
    run.dispose();
  }
}

interface Ending {
  stopped: StoppedBy;
  start: Float64Array;
  startValue: number;
  maximize: boolean;
  chunks: number;
  started: number;
}

function statusOf(stopped: StoppedBy): DescentStatus {
  return stopped === 'gradient' || stopped === 'step' || stopped === 'value' || stopped === 'no-decrease' ? 'converged' : stopped;
}

function finish(t: Target & { kind: 'compiled' }, run: DescentRun, recorder: TrajectoryRecorder, settings: DescentSettings, e: Ending): MinimizeResult {
  const status = statusOf(e.stopped);
  // A run stopped early reports the best point it saw; a converged or diverged one where it is (the last finite point).
  const useBest = status === 'max-steps' || status === 'time-budget' || status === 'cancelled';
  const vector = run.vector(useBest ? F.pBest : F.pX);
  const value = run.get(useBest ? F.bestValue : F.value);
  const gradientNorm = run.get(useBest ? F.bestGradNorm : F.gradNorm);
  const iterations = run.get(F.step);
  const where = describePoint(t.variables, vector);
  recorder.finish(iterations, run.get(F.value), run.get(F.gradNorm), run.vector(F.pX));
  const parts = splitInputs(vector, t);
  const result: MinimizeResult = {
    point: parts.scalars,
    vector,
    value,
    gradientNorm,
    iterations,
    status,
    stoppedBy: e.stopped,
    converged: status === 'converged',
    kind: 'unknown',
    maximize: e.maximize,
    variables: [...t.variables],
    start: e.start,
    startValue: e.startValue,
    optimizer: settings.optimizer,
    gradient: settings.gradient,
    evaluations: run.get(F.evaluations),
    backtracks: run.get(F.backtracks),
    chunks: e.chunks,
    elapsedMs: now() - e.started,
    trajectory: settings.traceLimit > 0 ? recorder.trajectory : null,
  };
  if (hasVectors(t)) result.vectors = parts.vectors;
  if (settings.optimizer !== 'line-search') result.lr = settings.lr;
  if (status === 'converged' && !hasVectors(t) && t.variables.length <= CLASSIFY_MAX_VARIABLES) {
    const c = classifyEnd(t.fn, vector, e.maximize, where);
    result.kind = c.kind;
    result.eigenvalues = c.eigenvalues;
    if (c.warning) {
      result.converged = false;
      result.warning = c.warning;
    } else if (c.note) {
      result.warning = c.note;
    }
  }
  if (status === 'diverged') {
    result.hint = divergenceHint({
      by: run.get(F.divergedBy),
      settings,
      maximize: e.maximize,
      startValue: e.startValue,
      lastValue: run.get(F.value),
      badValue: run.get(F.badValue),
      steps: iterations,
      where,
    });
  } else if (status === 'max-steps') {
    const hint = maxStepsHint(settings, run.get(F.gradNorm), run.get(F.gradTol));
    if (hint) result.hint = hint;
  }
  return result;
}

/** Checks descent and multi-start options without running anything (throws the NudgeError a run would). */
export function checkMinimizeOptions(options: MinimizeAllOptions): void {
  resolveDescent(options);
  checkMultiStart(options);
}

/** Resolve f and the start point, then run `body`. */
function withStart<T>(f: Fn, from: Point, options: MinimizeOptions, body: (t: Target & { kind: 'compiled' }, x0: Float64Array) => T): T {
  return withTarget(f, options, from, (t) => {
    if (t.kind !== 'compiled') {
      throw new NudgeError('invalid-argument', 'minimize needs an expression (a string or a compiled function): the descent loop runs in the kernel, which cannot call a JavaScript function');
    }
    if (t.variables.length === 0) throw new NudgeError('invalid-argument', 'f has no variables: there is nothing to minimise');
    const x0 = hasVectors(t) ? toInputVector(from, t.inputs) : toCoordinates(from, t.variables, 'the start');
    return body(t, x0);
  });
}

/**
 * One descent, or one per start (`starts` > 1) and their best. A random
 * start outside f's domain is skipped; the given start is not.
 */
function* descents(t: Target & { kind: 'compiled' }, x0: Float64Array, options: MinimizeAllOptions, maximize: boolean): Generator<void, MinimizationResult> {
  resolveDescent(options);
  const ms = checkMultiStart(options);
  if (ms.starts === 1) return yield* descent(t, x0, options, maximize);
  const results: MinimizeResult[] = [];
  for (const [i, start] of startPoints(x0, ms).entries()) {
    if (options.signal?.aborted && results.length > 0) break;
    const onProgress = options.onProgress;
    const each: MinimizeOptions = { ...options, ...(onProgress ? { onProgress: (p) => onProgress({ ...p, run: i, runs: ms.starts }) } : {}) };
    try {
      results.push(yield* descent(t, start, each, maximize));
    } catch (e) {
      if (i === 0 || !(e instanceof NudgeError)) throw e;
    }
  }
  return combineStarts(results);
}

export function drive<R>(g: Generator<void, R>): R {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** Lets queued tasks (a cancel message, a signal's abort) run between chunks. */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export async function driveAsync<R>(g: Generator<void, R>): Promise<R> {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    await yieldToEventLoop();
  }
}

/**
 * Minimise f from a point by gradient descent, the loop running in the
 * kernel: `minimize('(1-x)^2 + 100*(y-x^2)^2', { x: -1.2, y: 1 })` ends at
 * (1, 1) with status 'converged'. Synchronous: progress and the signal are
 * seen between chunks; `minimizeAsync` lets other work (and a cancel) run
 * meanwhile. With `starts: 16`, descends from 16 starts and reports the best.
 */
export function minimize(f: Fn, from: Point, options: MinimizeAllOptions = {}): MinimizationResult {
  return withStart(f, from, options, (t, x0) => drive(descents(t, x0, options, false)));
}

/** Maximise f by gradient ascent: the gradient points uphill. */
export function maximize(f: Fn, from: Point, options: MinimizeAllOptions = {}): MinimizationResult {
  return withStart(f, from, options, (t, x0) => drive(descents(t, x0, options, true)));
}

/** `minimize` (or, with `maximize: true`, `maximize`), yielding to the event loop between chunks. */
export async function minimizeAsync(f: Fn, from: Point, options: MinimizeAllOptions & { maximize?: boolean } = {}): Promise<MinimizationResult> {
  // A string is compiled for the call: kept alive across the awaits, then freed.
  if (typeof f === 'string') {
    const fn = compile(f, compileOptionsOf(options));
    try {
      return await minimizeAsync(fn, from, options);
    } finally {
      fn.dispose();
    }
  }
  return driveAsync(withStart(f, from, options, (t, x0) => descents(t, x0, options, options.maximize ?? false)));
}
