import { availableParallelism } from 'node:os';
import type { NudgeClient } from './client.js';
import { startNodeWorker, type NodeWorkerOptions } from './node-start.js';
import { createPool, type NudgePool, type PoolOptions } from './pool.js';

/**
 * Start the Nudge core in a worker_threads Worker and return its client.
 * Call `close()` when done, or the worker keeps the process alive.
 */
export function createNodeWorker(options: NodeWorkerOptions = {}): NudgeClient {
  return startNodeWorker(options).client;
}

export interface NodePoolOptions extends PoolOptions {
  /** Workers in the pool. Default: `os.availableParallelism()`. */
  size?: number;
  resourceLimits?: NodeWorkerOptions['resourceLimits'];
}

/**
 * Start a pool of worker_threads Workers (see `NudgePool`): grids split into
 * bands across them, multi-start descents one start per worker, a crashed
 * worker replaced. Call `close()` when done.
 */
export function createNodePool(options: NodePoolOptions = {}): NudgePool {
  const { resourceLimits, ...pool } = options;
  return createPool((name, onFail) => startNodeWorker({ name, onFail, ...(resourceLimits ? { resourceLimits } : {}) }), {
    ...pool,
    size: pool.size ?? availableParallelism(),
  });
}

export type { NodeWorkerOptions } from './node-start.js';
export type { NudgeClient } from './client.js';
export type { NudgePool, PoolOptions, PoolWorkerInfo, PoolMinimizeOptions, PoolGridOptions } from './pool.js';
