import * as Comlink from 'comlink';
import type { DescentProgress, FitResult, MinimizationResult, Point } from '@nudge/core';
import type { FitEpoch } from './fit-worker.js';
import type { WorkerMinimizeOptions } from './descent.js';
import type { WorkerFitOptions } from './fit-worker.js';
import { abortReason, nextJobId } from './jobs.js';

/** Options of the client's `minimize`: the worker's, plus the signal and progress callback, which stay on this side. */
export interface DescentCallOptions extends WorkerMinimizeOptions {
  /**
   * Cancels the run. The call then rejects with the signal's reason (a
   * DOMException named 'AbortError' unless `abort(reason)` was given one),
   * once the worker has stopped the run (at its next chunk, within about
   * 10-20 ms); the worker is free for the next call by then. An already
   * aborted signal rejects at once and starts nothing.
   */
  signal?: AbortSignal;
  /** Called about every 10 ms while the run lasts (never after the call settles). Its errors are ignored. */
  onProgress?: (progress: DescentProgress) => void;
}

/** A descent method as the client offers it. */
export type DescentMethod = (expression: string, from: Point, options?: DescentCallOptions) => Promise<MinimizationResult>;

/** Options of the client's `fit`: the worker's, plus the signal and epoch callback, which stay on this side. */
export interface FitCallOptions extends WorkerFitOptions {
  /**
   * Stops the fit at its next epoch. Unlike a descent, the call then
   * RESOLVES, with status 'cancelled' and the best parameters so far (what
   * was learned is kept, as the core's `fit` does).
   */
  signal?: AbortSignal;
  /** Called after every epoch (never after the call settles). Its errors are ignored. */
  /** After each epoch: its record and the parameters then, so that a picture can follow the run. */
  onEpoch?: (epoch: FitEpoch) => void;
  /** Move the data's buffers to the worker instead of copying them (the arrays here are then detached). Default false. */
  transfer?: boolean;
}

/** The client's `fit`. */
export type FitMethod = (data: Readonly<Record<string, Float64Array>>, options: FitCallOptions) => Promise<FitResult>;

/** How the client sends a call: through its in-flight tracking, so that a dying worker rejects it. */
export type SendCall = (method: 'minimize' | 'maximize' | 'fit', args: unknown[]) => Promise<unknown>;

type Cancel = (jobId: string) => Promise<unknown>;

/**
 * One cancellable job: a job id, a `Comlink.proxy` of the callback (never
 * called once the call settles), and the signal's abort sent as
 * `cancel(jobId)` to the worker. `keep`: an aborted job resolves with what
 * the worker returned instead of rejecting.
 */
async function job<P, R>(
  signal: AbortSignal | undefined,
  callback: ((p: P) => void) | undefined,
  cancel: Cancel,
  keep: boolean,
  start: (jobId: string, progress: ((p: P) => void) | undefined) => Promise<R>,
): Promise<R> {
  if (signal?.aborted) throw abortReason(signal);
  const jobId = nextJobId();
  let settled = false;
  // A new function to proxy: Comlink.proxy marks the object it is given, and the caller's callback is not ours to mark.
  const progress = callback
    ? Comlink.proxy((p: P) => {
        if (!settled) callback(p);
      })
    : undefined;
  const onAbort = (): void => void cancel(jobId).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await start(jobId, progress);
    if (signal?.aborted && !keep) throw abortReason(signal);
    return result;
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw error;
  } finally {
    settled = true;
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The client's `minimize` or `maximize`: a cancelled descent rejects with the signal's reason. */
export function descentMethod(method: 'minimize' | 'maximize', send: SendCall, cancel: Cancel): DescentMethod {
  return (expression, from, options = {}) => {
    const { signal, onProgress, ...rest } = options;
    return job(signal, onProgress, cancel, false, (jobId, progress) => send(method, [expression, from, rest, jobId, progress]) as Promise<MinimizationResult>);
  };
}

/** The client's `fit`: a cancelled fit resolves with the best parameters so far. */
export function fitMethod(send: SendCall, cancel: Cancel): FitMethod {
  return (data, options) => {
    const { signal, onEpoch, transfer, ...rest } = options;
    const buffers = transfer ? [...new Set(Object.values(data).map((a) => a.buffer as ArrayBuffer))] : [];
    return job(signal, onEpoch, cancel, true, (jobId, progress) => send('fit', [Comlink.transfer(data, buffers), rest, jobId, progress]) as Promise<FitResult>);
  };
}
