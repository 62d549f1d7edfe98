// The playground's heatmap (issue 7): a 512 x 512 grid of f (evaluateGrid)
// and of f and its exact gradient (gradientGrid), f = sin(x)*exp(-y*y) + x*x*y
// over [-2, 2]^2, through @nudge/worker's pool of Node workers with 1 worker
// and with 2: the page's pool in the browser is the same code over Web
// Workers. The target: under 100 ms for f and gradient. The pools are started
// and warmed before timing (a page starts its pool once); each call compiles
// f once per band in its worker, as the page's calls do. Timed by its own
// loop (asynchronous): warm-ups, then interleaved repetitions, the order
// rotating every repetition (lib/async-timing.mjs).
import { evaluateMany } from '@nudge/core';
import { createNodePool } from '@nudge/worker/node';
import { timeAsync } from '../lib/async-timing.mjs';

export const EXPRESSION = 'sin(x)*exp(-y*y) + x*x*y';
export const SIDE = 512;
export const TARGET_MS = 100;
const GRID = { x: [-2, 2, SIDE], y: [-2, 2, SIDE] };

/** Runs the section; returns rows { implementation, role, ms: { median, min, max }, samples } and the agreement checks. */
export async function heatmap512({ reps, warmup }) {
  const pools = { 1: createNodePool({ size: 1 }), 2: createNodePool({ size: 2 }) };
  try {
    const impls = [1, 2].flatMap((size) => [
      { implementation: `f, evaluateGrid, pool of ${size}`, role: `f-${size}`, run: () => pools[size].evaluateGrid(EXPRESSION, GRID) },
      { implementation: `f and gradient, gradientGrid, pool of ${size}`, role: `gradient-${size}`, run: () => pools[size].gradientGrid(EXPRESSION, GRID) },
    ]);
    // Agreement: the pool's values are the core's at the grid's points (a sample of rows, bit for bit).
    const g = await pools[2].gradientGrid(EXPRESSION, GRID);
    const checks = [];
    let worst = 0;
    for (const j of [0, 1, SIDE / 2, SIDE - 1]) {
      const x = g.x;
      const y = new Float64Array(SIDE).fill(g.y[j]);
      const core = evaluateMany(EXPRESSION, { x, y });
      for (let i = 0; i < SIDE; i++) if (!Object.is(core[i], g.values[j * SIDE + i])) worst = Math.max(worst, Math.abs(core[i] - g.values[j * SIDE + i]) || Infinity);
    }
    checks.push({ implementation: 'pool of 2, gradientGrid', against: 'the core', what: 'f on 4 rows of the grid', points: 4 * SIDE, maxRelDiff: worst, tolerance: 0, ok: worst === 0 });
    const rows = await timeAsync(impls, { reps, warmup });
    return { rows, checks };
  } finally {
    await Promise.all(Object.values(pools).map((p) => p.terminate()));
  }
}
