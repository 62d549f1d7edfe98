import * as Comlink from 'comlink';
import { minimizeAsync, type DescentProgress, type MinimizationResult, type MinimizeAllOptions, type Point } from '@nudge/core';
import type { JobRegistry } from './jobs.js';
import { transferred } from './transfer.js';

/** Options of a descent in the worker: the core's, less the two that cannot cross a thread (the client takes those). */
export type WorkerMinimizeOptions = Omit<MinimizeAllOptions, 'signal' | 'onProgress'>;

/** A job's callback as the worker holds it: a comlink proxy of the client's function (each call is a message). */
export type JobProxy<P> = Comlink.Remote<(progress: P) => void>;

/** A descent's progress callback, as the worker holds it. */
export type ProgressProxy = JobProxy<DescentProgress>;

export interface DescentJob {
  /** Names the job for `cancel(jobId)`. */
  jobId: string | undefined;
  progress: ProgressProxy | undefined;
  maximize: boolean;
}

/**
 * One descent (or a multi-start run) in this worker: the core's
 * `minimizeAsync`, which yields between kernel chunks so that a `cancel`
 * message is handled meanwhile. A cancelled run RESOLVES with status
 * 'cancelled' (the client turns that into an AbortError). Progress is sent
 * without waiting for the client, and a failed delivery is ignored.
 */
export async function descend(jobs: JobRegistry, expression: string, from: Point, options: WorkerMinimizeOptions, job: DescentJob): Promise<MinimizationResult> {
  const signal = jobs.start(job.jobId);
  const progress = job.progress;
  try {
    const result = await minimizeAsync(expression, from, {
      ...options,
      maximize: job.maximize,
      ...(signal ? { signal } : {}),
      ...(progress ? { onProgress: (p: DescentProgress) => notify(progress, p) } : {}),
    });
    return transferred(result, resultArrays(result));
  } finally {
    jobs.finish(job.jobId);
    if (progress) release(progress);
  }
}

/** Fire and forget: the descent does not wait for the client's callback, nor care if it throws. */
export function notify<P>(progress: JobProxy<P>, p: P): void {
  try {
    (progress as unknown as (p: P) => Promise<void>)(p).catch(() => {});
  } catch {
    // a released proxy throws synchronously
  }
}

export function release<P>(progress: JobProxy<P>): void {
  try {
    progress[Comlink.releaseProxy]();
  } catch {
    // already released
  }
}

/** Every Float64Array of a result, for transfer (shared buffers are transferred once). */
export function resultArrays(r: MinimizationResult): Float64Array[] {
  const arrays = [r.vector, r.start, ...Object.values(r.vectors ?? {})];
  for (const run of r.runs ?? []) arrays.push(run.start, run.point);
  for (const m of r.minima ?? []) arrays.push(m.point);
  return arrays;
}
