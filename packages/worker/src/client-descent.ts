import * as Comlink from 'comlink';
import type { DescentProgress, MinimizationResult, Point } from '@nudge/core';
import type { WorkerMinimizeOptions } from './descent.js';
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

/** How the client sends a call: through its in-flight tracking, so that a dying worker rejects it. */
export type SendCall = (method: 'minimize' | 'maximize', args: unknown[]) => Promise<unknown>;

/**
 * The client's `minimize` or `maximize`: a job id per call, a
 * `Comlink.proxy` of the progress callback, and the signal's abort sent as
 * `cancel(jobId)` to the worker.
 */
export function descentMethod(method: 'minimize' | 'maximize', send: SendCall, cancel: (jobId: string) => Promise<unknown>): DescentMethod {
  return async (expression, from, options = {}) => {
    const { signal, onProgress, ...rest } = options;
    if (signal?.aborted) throw abortReason(signal);
    const jobId = nextJobId();
    let settled = false;
    // A new function to proxy: Comlink.proxy marks the object it is given, and the caller's callback is not ours to mark.
    const progress = onProgress
      ? Comlink.proxy((p: DescentProgress) => {
          if (!settled) onProgress(p);
        })
      : undefined;
    const onAbort = (): void => void cancel(jobId).catch(() => {});
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = (await send(method, [expression, from, rest, jobId, progress])) as MinimizationResult;
      if (signal?.aborted) throw abortReason(signal);
      return result;
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      throw error;
    } finally {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
    }
  };
}
