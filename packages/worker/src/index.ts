/**
 * @nudge/worker: Nudge's core off the main thread, over comlink. The worker
 * side is `exposeNudge(endpoint)`; the client is `wrapNudge(endpoint)`, or
 * `createNodeWorker()` from '@nudge/worker/node' and `createBrowserWorker()`
 * from '@nudge/worker/browser', which also start the thread. Pools of
 * workers: `createNodePool()` and `createBrowserPool()` from the same
 * entries, or `createPool(factory)` over any worker factory.
 */
export { nudgeApi, NUDGE_METHODS, type NudgeApi, type CriticalOptions, type ExpressionInfo, type StartPlan } from './api.js';
export { exposeNudge } from './expose.js';
export { wrapNudge, type NudgeClient, type NudgeRemote, type WrapOptions } from './client.js';
export type { DescentCallOptions, DescentMethod, FitCallOptions, FitMethod } from './client-descent.js';
export type { WorkerFitOptions, EpochProxy, FitEpoch } from './fit-worker.js';
export type { WorkerMinimizeOptions, ProgressProxy } from './descent.js';
export { installErrorTransfer, NudgeWorkerError } from './errors.js';
export { gridAxis, gridBands, MAX_GRID_POINTS, type Grid, type GridAxis, type GridOptions, type GridGradientOptions, type GridResult, type GridGradientResult } from './grid.js';
export {
  createPool,
  type NudgePool,
  type PoolOptions,
  type PoolWorkerInfo,
  type PoolGridOptions,
  type PoolMinimizeOptions,
  type PoolWorkerFactory,
  type PoolWorkerHandle,
} from './pool.js';
