import type { ExpressionInfo } from '@nudge/worker';
import type { UrlState } from '../shell/url-state.js';
import type { PlotView } from './contour-plot.js';

/**
 * What the pages of f(x, y) share: the variables on the two axes, and a
 * square view (centre and half-width) kept in the URL as cx, cy and r.
 */
export interface SquareView {
  cx: number;
  cy: number;
  r: number;
}

export const plotView = (v: SquareView): PlotView => ({ x: [v.cx - v.r, v.cx + v.r], y: [v.cy - v.r, v.cy + v.r] });

/** The view in a URL; a half-width that is not positive (or absurd) is the default's. */
export function readView(url: UrlState, defaults: SquareView): SquareView {
  return {
    cx: url.number('cx', defaults.cx, (v) => Math.abs(v) <= 1e6),
    cy: url.number('cy', defaults.cy, (v) => Math.abs(v) <= 1e6),
    r: url.number('r', defaults.r, (v) => v > 1e-6 && v <= 1e6),
  };
}

/** A plane's refusal: f has more than two variables. */
export function acceptPlane(info: ExpressionInfo): string | undefined {
  return info.variables.length > 2 ? `this page draws functions of two variables, and f has ${info.variables.length}: ${info.variables.join(', ')}` : undefined;
}

/** The axes' variables: f's two, or f's one with x or y beside it (f then ignores the other), or x and y for a constant. */
export function planeVariables(info: ExpressionInfo): [string, string] {
  const [a, b] = info.variables;
  if (a !== undefined && b !== undefined) return [a, b];
  if (a === undefined || a === 'x' || a === 'y') return ['x', 'y'];
  return [a, 'y'];
}
