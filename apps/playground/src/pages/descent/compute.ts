import type { DescentProgress, MinimizationResult } from '@nudge/core';
import type { NudgePool } from '@nudge/worker/browser';
import type { DescentState, Optimizer } from './state.js';

/** Trajectory records kept per run (the core keeps every k-th step, k doubling). */
export const TRACE_LIMIT = 1024;

/** The options of one optimiser's run, as the page sends them (and as the tests give the core). */
export function runOptions(s: DescentState, optimizer: Optimizer, variables: [string, string]) {
  return { optimizer, ...(optimizer === 'line-search' ? {} : { lr: s.lr }), maxSteps: s.steps, trace: { limit: TRACE_LIMIT }, variables };
}

export type Race = Map<Optimizer, MinimizationResult>;

/**
 * Every optimiser's descent from the start, each a job in the worker pool
 * (they run side by side on its workers), with progress and one signal to
 * cancel them all.
 */
export async function race(
  pool: NudgePool,
  s: DescentState,
  variables: [string, string],
  signal: AbortSignal,
  onProgress: (optimizer: Optimizer, p: DescentProgress) => void,
): Promise<Race> {
  const from = { [variables[0]]: s.x, [variables[1]]: s.y };
  const results = await Promise.all(
    s.opt.map((optimizer) => pool.minimize(s.f, from, { ...runOptions(s, optimizer, variables), signal, onProgress: (p) => onProgress(optimizer, p) })),
  );
  return new Map(s.opt.map((o, i) => [o, results[i]!]));
}
