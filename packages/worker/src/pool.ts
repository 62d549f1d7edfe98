import type { MinimizationResult, Point } from '@nudge/core';
import { NudgeError } from '@nudge/core';
import type { Grid, GridGradientResult, GridResult } from './grid.js';
import { poolGrid, type PoolGridOptions } from './pool-grid.js';
import { poolDescent, type PoolMinimizeOptions } from './pool-minimize.js';
import type { PoolWorkerFactory } from './pool-types.js';
import { Scheduler, type PoolWorkerInfo } from './scheduler.js';

/**
 * Several Nudge workers behind one object: a grid is split into bands of rows
 * across them, a multi-start descent runs one start per free worker. Each
 * worker runs one job at a time; the others wait in a queue. A worker that
 * dies (process.exit, an uncaught error, terminated from outside) is
 * replaced by a fresh one: the descent it was running rejects with a
 * NudgeWorkerError ('crashed') naming the pool worker; a grid band it was
 * running is run once more on another worker (a second crash rejects the
 * grid). Later calls are served as usual.
 */
export interface NudgePool {
  /** Workers in the pool. */
  readonly size: number;
  /** The slots, for monitoring and tests: names, which are busy, how many replacements. */
  readonly workers: readonly PoolWorkerInfo[];
  /**
   * f over a grid `{ x: [min, max, nx], y: [min, max, ny] }` (or `{ x }` for a
   * function of one variable): `values[j * nx + i]` = f(x[i], y[j]), equal to
   * the core's `evaluateMany` at those points.
   */
  evaluateGrid(expression: string, grid: Grid, options?: PoolGridOptions): Promise<GridResult>;
  /** f and its gradient over a grid (`gradient.x`, `gradient.y`, laid out as `values`), equal to the core's `gradientMany`. */
  gradientGrid(expression: string, grid: Grid, options?: PoolGridOptions): Promise<GridGradientResult>;
  /**
   * Gradient descent from `from`; with `starts` > 1, a multi-start run whose
   * starts go to free workers (one start per job), combined as the core's
   * `minimize(f, from, { starts, seed, spread })` combines them.
   * `signal` cancels every run (the call rejects with an AbortError);
   * `onProgress` receives every run's progress, with `run` and `runs`.
   */
  minimize(expression: string, from: Point, options?: PoolMinimizeOptions): Promise<MinimizationResult>;
  /** Gradient ascent: as `minimize`. */
  maximize(expression: string, from: Point, options?: PoolMinimizeOptions): Promise<MinimizationResult>;
  /** Refuse new calls, finish the ones made (queued included), then stop every worker. */
  close(): Promise<void>;
  /** Stop every worker now: calls queued or running reject with a NudgeWorkerError ('closed'). */
  terminate(): Promise<void>;
  /** Stop the thread of worker `index` as a crash would (a test hook; the slot gets a fresh worker). */
  terminateWorker(index: number): Promise<void>;
}

export interface PoolOptions {
  /** Workers in the pool (a whole number >= 1). The Node and browser pools default to the number of cores. */
  size?: number;
  /** Prefix of the workers' names (default 'nudge-pool'): worker i is '<name>-<i>'. */
  name?: string;
}

/** A pool over any worker factory (`createNodePool` and `createBrowserPool` are this with theirs). */
export function createPool(factory: PoolWorkerFactory, options: PoolOptions & { size: number }): NudgePool {
  const size = options.size;
  if (!Number.isInteger(size) || size < 1) throw new NudgeError('invalid-argument', `a pool's size is a whole number >= 1, got ${String(size)}`);
  const scheduler = new Scheduler(factory, size, options.name ?? 'nudge-pool');
  return Object.freeze({
    size,
    get workers() {
      return scheduler.workers;
    },
    evaluateGrid: (expression: string, grid: Grid, o?: PoolGridOptions) => scheduler.call(() => poolGrid<GridResult>(scheduler, 'evaluateGrid', expression, grid, o)),
    gradientGrid: (expression: string, grid: Grid, o?: PoolGridOptions) => scheduler.call(() => poolGrid<GridGradientResult>(scheduler, 'gradientGrid', expression, grid, o)),
    minimize: (expression: string, from: Point, o?: PoolMinimizeOptions) => scheduler.call(() => poolDescent(scheduler, 'minimize', expression, from, o)),
    maximize: (expression: string, from: Point, o?: PoolMinimizeOptions) => scheduler.call(() => poolDescent(scheduler, 'maximize', expression, from, o)),
    close: () => scheduler.close(),
    terminate: () => scheduler.terminate(),
    terminateWorker: (index: number) => scheduler.terminateWorker(index),
  });
}

export type { PoolWorkerInfo } from './scheduler.js';
export type { PoolGridOptions } from './pool-grid.js';
export type { PoolMinimizeOptions } from './pool-minimize.js';
export type { PoolWorkerFactory, PoolWorkerHandle } from './pool-types.js';
