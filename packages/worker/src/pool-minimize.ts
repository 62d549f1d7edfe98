import { NudgeError, checkMinimizeOptions, combineStarts, type DescentProgress, type MinimizationResult, type MinimizeResult, type Point } from '@nudge/core';
import type { DescentCallOptions } from './client-descent.js';
import type { NudgeClient } from './client.js';
import { abortReason, JobGroup } from './jobs.js';
import type { Scheduler } from './scheduler.js';

/** Options of a pool's descent: the client's, with `starts`, `seed` and `spread` spread over the workers. */
export type PoolMinimizeOptions = DescentCallOptions;

/**
 * A multi-start descent across the pool, with the core's semantics: the
 * starts are the core's `startPoints` (computed in a worker), each start is a
 * single-start job on a free worker, and the runs are combined in start
 * order with the core's `combineStarts`, so the result is the core's
 * `minimize(f, from, { starts, seed })`. A random start the core would skip
 * (a NudgeError: outside f's domain) is skipped; the given start's error, or
 * any other failure (a crash), rejects the call and cancels the other runs.
 * Aborting the signal cancels every run; the call rejects with its reason
 * once the running ones have stopped. Progress carries `run` and `runs`
 * with several starts, as in the core.
 */
export async function poolDescent(
  scheduler: Scheduler,
  method: 'minimize' | 'maximize',
  expression: string,
  from: Point,
  options: PoolMinimizeOptions = {},
): Promise<MinimizationResult> {
  const { signal, onProgress, starts, seed, spread, ...rest } = options;
  if (signal?.aborted) throw abortReason(signal);
  const multi = { ...(starts !== undefined ? { starts } : {}), ...(seed !== undefined ? { seed } : {}), ...(spread !== undefined ? { spread } : {}) };
  const names = rest.variables ? { variables: rest.variables } : {};
  // Bad options fail here, before any job is sent.
  checkMinimizeOptions({ ...rest, ...multi });
  const plan = await scheduler.run('startPoints', (client) => client.startPoints(expression, from, { ...multi, ...names }), signal ? { signal } : {});
  if (signal?.aborted) throw abortReason(signal);
  const runs = plan.points.length;

  const group = new JobGroup(runs, signal);
  let fatal: { error: unknown } | undefined;
  try {
    const settled = await Promise.allSettled(
      plan.points.map((start, run) => {
        const own = group.signal(run);
        const progress = onProgress && (runs > 1 ? (p: DescentProgress) => onProgress({ ...p, run, runs }) : onProgress);
        const job = (client: NudgeClient) => client[method](expression, start, { ...rest, signal: own, ...(progress ? { onProgress: progress } : {}) });
        return scheduler.run(`${method} start ${run + 1} of ${runs}`, job, { signal: own }).catch((error: unknown) => {
          if (!group.stopped && (run === 0 || !(error instanceof NudgeError))) {
            fatal = { error };
            group.stop();
          }
          throw error;
        });
      }),
    );
    if (signal?.aborted) throw abortReason(signal);
    if (fatal) throw fatal.error;
    const results = settled.flatMap((s): MinimizeResult[] => (s.status === 'fulfilled' ? [s.value] : []));
    return runs === 1 ? results[0]! : combineStarts(results);
  } finally {
    group.release();
  }
}
