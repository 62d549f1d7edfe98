import { checkGrid, gridBands, joinBands, type Grid, type GridGradientOptions, type GridResult } from './grid.js';
import { abortReason, JobGroup } from './jobs.js';
import type { Scheduler } from './scheduler.js';

/** Options of a pool's grid: the worker's, less `range` (the pool splits the grid), plus a signal. */
export type PoolGridOptions = Omit<GridGradientOptions, 'range'> & {
  /** Rejects the call with the signal's reason at once; bands already running finish in their workers, unused. */
  signal?: AbortSignal;
};

/** A band is at least this many points (fewer bands for small grids: each costs a round trip and a compile). */
const MIN_BAND_POINTS = 4096;
/** Bands per worker: more than one, so that a slow (shared) core does not hold the rest back. */
const BANDS_PER_WORKER = 4;

/**
 * A grid across the pool's workers: bands of whole rows, computed where a
 * worker is free, joined in order. A band whose worker crashes is run once
 * more (a band is pure work); a second crash, or any error, rejects the
 * call, and its bands still queued are dropped.
 */
export async function poolGrid<R extends GridResult>(
  scheduler: Scheduler,
  method: 'evaluateGrid' | 'gradientGrid',
  expression: string,
  grid: Grid,
  options: PoolGridOptions = {},
): Promise<R> {
  const { signal, ...rest } = options; // (a stray `range` in rest is overridden per band)
  if (signal?.aborted) throw abortReason(signal);
  const shape = checkGrid(grid);
  const bands = gridBands(shape, Math.min(scheduler.size * BANDS_PER_WORKER, Math.ceil(shape.points / MIN_BAND_POINTS)));
  // A failed band ends the call: the bands still queued are dropped (running ones finish, unused).
  const group = new JobGroup(bands.length, signal);
  const parts = Promise.all(
    bands.map((range, k) =>
      scheduler
        .run(`${method} band ${k + 1} of ${bands.length}`, (client) => client[method](expression, grid, { ...rest, range }) as Promise<R>, {
          retries: 1,
          signal: group.signal(k),
        })
        .catch((error: unknown) => {
          group.stop(error);
          throw error;
        }),
    ),
  );
  try {
    return joinBands(grid, await untilAborted(parts, signal));
  } finally {
    group.release();
  }
}

/** The promise, or the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
