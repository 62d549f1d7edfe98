import { NudgeError } from '../errors.js';
import type { MinimizeResult } from './minimize.js';
import { Random } from '../data/random.js';

export interface MultiStartOptions {
  /** Number of starting points (the given start first, the others drawn at random). Default 1. */
  starts?: number;
  /** Seed of the random starts: the same seed gives the same starts. Default 1. */
  seed?: number;
  /** The random starts are drawn uniformly within this distance of the given start, per coordinate. Default 5. */
  spread?: number;
}

/** A minimum that several starts reached, with how many. */
export interface FoundMinimum {
  point: Float64Array;
  value: number;
  starts: number;
}

/** One start of a multi-start run, in brief. */
export interface StartSummary {
  start: Float64Array;
  point: Float64Array;
  value: number;
  status: MinimizeResult['status'];
  converged: boolean;
  kind: MinimizeResult['kind'];
  iterations: number;
}

/** What a multi-start result adds to the best run's. */
export interface MultiStartParts {
  runs: StartSummary[];
  minima: FoundMinimum[];
  /** Steps of all the runs together (`iterations` is the best run's). */
  totalIterations: number;
}

export const DEFAULT_SPREAD = 5;

/** Uniform numbers in [0, 1) from a seed: the project's one generator (mulberry32, data/random.ts). */
export function uniform(seed: number): () => number {
  const random = new Random(seed);
  return () => random.uniform();
}

export function checkMultiStart(o: MultiStartOptions): Required<MultiStartOptions> {
  const starts = o.starts ?? 1;
  if (!Number.isInteger(starts) || starts < 1) throw new NudgeError('invalid-argument', `starts must be a whole number >= 1, got ${String(o.starts)}`);
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) throw new NudgeError('invalid-argument', `seed must be a whole number, got ${String(o.seed)}`);
  const spread = o.spread ?? DEFAULT_SPREAD;
  if (typeof spread !== 'number' || !(spread > 0) || !Number.isFinite(spread)) {
    throw new NudgeError('invalid-argument', `spread must be a positive number, got ${String(o.spread)}`);
  }
  return { starts, seed, spread };
}

/** The starting points of a multi-start run: `from` itself, then starts - 1 seeded random points around it. */
export function startPoints(from: ArrayLike<number>, options: MultiStartOptions = {}): Float64Array[] {
  const { starts, seed, spread } = checkMultiStart(options);
  const next = uniform(seed);
  const points = [Float64Array.from(from)];
  for (let k = 1; k < starts; k++) points.push(Float64Array.from(from, (c) => c + spread * (2 * next() - 1)));
  return points;
}

/** Whether a run's end is better than another's (lower f minimising, higher maximising; successes first). */
function better(a: MinimizeResult, b: MinimizeResult): boolean {
  const rank = (r: MinimizeResult) => (r.converged ? 0 : r.status === 'diverged' ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(a) < rank(b);
  return a.maximize ? a.value > b.value : a.value < b.value;
}

/**
 * The best of several runs from different starts, with every run in brief
 * and the distinct minima (maxima) they converged to, best first.
 */
export function combineStarts(runs: readonly MinimizeResult[]): MinimizeResult & MultiStartParts {
  if (runs.length === 0) throw new NudgeError('invalid-argument', 'combineStarts needs at least one run');
  let best = runs[0]!;
  for (const r of runs) if (better(r, best)) best = r;
  const minima: FoundMinimum[] = [];
  for (const r of runs) {
    if (!r.converged) continue;
    const same = minima.find((m) => distance(m.point, r.vector) <= 1e-6 * (1 + norm(r.vector)));
    if (!same) minima.push({ point: r.vector, value: r.value, starts: 1 });
    else {
      same.starts++;
      // The cluster is represented by its best run.
      if (r.maximize ? r.value > same.value : r.value < same.value) Object.assign(same, { point: r.vector, value: r.value });
    }
  }
  minima.sort((a, b) => (best.maximize ? b.value - a.value : a.value - b.value));
  return {
    ...best,
    runs: runs.map((r) => ({ start: r.start, point: r.vector, value: r.value, status: r.status, converged: r.converged, kind: r.kind, iterations: r.iterations })),
    minima,
    totalIterations: runs.reduce((s, r) => s + r.iterations, 0),
  };
}

function norm(v: Float64Array): number {
  let s = 0;
  for (const c of v) s += c * c;
  return Math.sqrt(s);
}

function distance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}
