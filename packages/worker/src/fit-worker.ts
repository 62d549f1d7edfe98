import { fitAsync, type EpochRecord, type FitOptions, type FitResult } from '@nudge/core';
import { notify, release, type JobProxy } from './descent.js';
import type { JobRegistry } from './jobs.js';
import { transferred } from './transfer.js';

/** Options of a fit in the worker: the core's, less the two that cannot cross a thread (the client takes those). */
export type WorkerFitOptions = Omit<FitOptions, 'signal' | 'onEpoch'>;

/** What a fit sends after each epoch: the core's record and the parameters then (in the model's order). */
export type FitEpoch = EpochRecord & { params: Float64Array };

/** An epoch callback as the worker holds it: a comlink proxy of the client's function. */
export type EpochProxy = JobProxy<FitEpoch>;

/**
 * One fit in this worker: the core's `fitAsync`, which yields between
 * epochs so that a `cancel` message is handled meanwhile. A cancelled fit
 * RESOLVES with status 'cancelled' and the best parameters so far, as the
 * core's does. Each epoch is sent without waiting for the client.
 */
export async function fitJob(
  jobs: JobRegistry,
  data: Readonly<Record<string, Float64Array>>,
  options: WorkerFitOptions,
  jobId: string | undefined,
  progress: EpochProxy | undefined,
): Promise<FitResult> {
  const signal = jobs.start(jobId);
  try {
    const result = await fitAsync(data, {
      ...options,
      ...(signal ? { signal } : {}),
      ...(progress ? { onEpoch: (e: EpochRecord, params: Float64Array) => notify(progress, { ...e, params }) } : {}),
    });
    return transferred(result, [result.vector]);
  } finally {
    jobs.finish(jobId);
    if (progress) release(progress);
  }
}
