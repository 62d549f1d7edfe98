import type { CriticalResult, DirectionalResult, GradientResult } from '@nudge/core';
import type { NudgeClient } from '@nudge/worker/browser';
import type { PlotView } from '../../components/contour-plot.js';

/** Page 3's questions to the worker; the page only lays out and draws the answers. */
export interface PointView {
  gradient: GradientResult;
  directional: DirectionalResult;
}

export async function pointView(nudge: NudgeClient, f: string, variables: [string, string], at: [number, number], u: [number, number]): Promise<PointView> {
  const point = { [variables[0]]: at[0], [variables[1]]: at[1] };
  const direction = { [variables[0]]: u[0], [variables[1]]: u[1] };
  const [gradient, directional] = await Promise.all([nudge.gradient(f, point, { variables }), nudge.directional(f, point, direction, { variables })]);
  return { gradient, directional };
}

/** Starts of the search for critical points: a 4 x 4 lattice inside the view. */
export const CRITICAL_STARTS = 4;

/**
 * The critical points in the view: the core's `critical` (a safeguarded
 * Newton's method) from each start of a lattice, the converged ones inside
 * the view, each point once (two ends closer than 1e-6 of the view are one).
 * Sorted by x, then y.
 */
export async function criticalPoints(nudge: NudgeClient, f: string, variables: [string, string], view: PlotView): Promise<CriticalResult[]> {
  const starts: [number, number][] = [];
  for (let j = 0; j < CRITICAL_STARTS; j++) {
    for (let i = 0; i < CRITICAL_STARTS; i++) {
      starts.push([
        view.x[0] + ((i + 0.5) / CRITICAL_STARTS) * (view.x[1] - view.x[0]),
        view.y[0] + ((j + 0.5) / CRITICAL_STARTS) * (view.y[1] - view.y[0]),
      ]);
    }
  }
  const found = await Promise.all(starts.map(([x, y]) => nudge.critical(f, { [variables[0]]: x, [variables[1]]: y }, { variables }).catch(() => undefined)));
  const span = view.x[1] - view.x[0];
  const out: CriticalResult[] = [];
  const coords = (c: CriticalResult): [number, number] => [c.point[variables[0]]!, c.point[variables[1]]!];
  for (const c of found) {
    if (!c || c.status !== 'converged') continue;
    const [x, y] = coords(c);
    if (!(x >= view.x[0] && x <= view.x[1] && y >= view.y[0] && y <= view.y[1])) continue;
    if (out.some((o) => Math.hypot(coords(o)[0] - x, coords(o)[1] - y) < 1e-6 * span)) continue;
    out.push(c);
  }
  return out.sort((a, b) => coords(a)[0] - coords(b)[0] || coords(a)[1] - coords(b)[1]);
}
