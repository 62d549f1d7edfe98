// A 1024 x 1024 grid of f and its exact gradient (what a heatmap with
// gradient arrows needs), f = sin(x)*exp(-y*y) + x*x*y over [-2, 2]^2:
// through @nudge/worker's pool with 1 worker and with 2, against the core on
// the calling thread (gradientMany on the same points). Asynchronous (the
// pool answers promises), so timed here rather than by lib/timing.mjs's
// synchronous loop: warm-ups, then interleaved repetitions, the order
// rotating every repetition (lib/async-timing.mjs).
import { gradientMany } from '@nudge/core';
import { createNodePool } from '@nudge/worker/node';
import { timeAsync } from '../lib/async-timing.mjs';

export const EXPRESSION = 'sin(x)*exp(-y*y) + x*x*y';
export const SIDE = 1024;
const GRID = { x: [-2, 2, SIDE], y: [-2, 2, SIDE] };

/** The grid's points as columns, row-major with y outer, from the axes the pool reports. */
function gridColumns(xs, ys) {
  const x = new Float64Array(xs.length * ys.length);
  const y = new Float64Array(x.length);
  for (let j = 0; j < ys.length; j++) {
    x.set(xs, j * xs.length);
    y.fill(ys[j], j * xs.length, (j + 1) * xs.length);
  }
  return { x, y };
}

function maxRelDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(1e-300, Math.abs(b[i]));
    if (d > worst || Number.isNaN(d)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

/** Runs the section; returns rows { implementation, role, ms: { median, min, max }, samples } and the agreement checks. */
export async function poolGrid({ reps, warmup }) {
  const pools = { 1: createNodePool({ size: 1 }), 2: createNodePool({ size: 2 }) };
  try {
    const axes = await pools[1].evaluateGrid(EXPRESSION, GRID);
    const columns = gridColumns(axes.x, axes.y);
    const impls = [
      {
        implementation: 'core gradientMany on the calling thread',
        role: 'core',
        run: async () => {
          // The same output as the pool's: one array per axis (gradientMany's is point-major).
          const g = gradientMany(EXPRESSION, columns);
          const gx = new Float64Array(g.value.length);
          const gy = new Float64Array(g.value.length);
          for (let p = 0; p < gx.length; p++) {
            gx[p] = g.gradient[2 * p];
            gy[p] = g.gradient[2 * p + 1];
          }
          return { values: g.value, gx, gy };
        },
      },
      ...[1, 2].map((size) => ({
        implementation: `pool of ${size} worker${size === 1 ? '' : 's'}, gradientGrid`,
        role: `pool-${size}`,
        run: async () => {
          const g = await pools[size].gradientGrid(EXPRESSION, GRID);
          return { values: g.values, gx: g.gradient.x, gy: g.gradient.y };
        },
      })),
    ];
    // Agreement first: the pool computes the same points as the core, so the same numbers.
    const reference = await impls[0].run();
    const checks = [];
    for (const impl of impls.slice(1)) {
      const r = await impl.run();
      const diff = Math.max(maxRelDiff(r.values, reference.values), maxRelDiff(r.gx, reference.gx), maxRelDiff(r.gy, reference.gy));
      checks.push({ implementation: impl.implementation, against: 'the core', what: 'f and gradient on the grid', points: SIDE * SIDE, maxRelDiff: diff, tolerance: 0, ok: diff === 0 });
    }
    const rows = await timeAsync(impls, { reps, warmup });
    return { rows, checks };
  } finally {
    await Promise.all(Object.values(pools).map((p) => p.terminate()));
  }
}
