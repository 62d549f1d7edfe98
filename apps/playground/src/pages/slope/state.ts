import type { UrlState } from '../../shell/url-state.js';

/** Everything page 1 shows follows from this, and all of it is in the URL. */
export interface SlopeState {
  /** f, as typed. */
  f: string;
  /** The secant's two points. */
  a: number;
  b: number;
  /** The point of the tangent, and the step h of the difference quotient there. */
  x: number;
  h: number;
  /** The x range drawn. */
  from: number;
  to: number;
}

/** The seed's examples: x^2+3 between 1 and 3 (slope 4); at 3 with h = 1e-4 (forward difference 6.0001, exact 6). */
export const DEFAULTS: SlopeState = { f: 'x^2+3', a: 1, b: 3, x: 3, h: 1e-4, from: -1, to: 4 };

export const MIN_LOG_H = -12;
export const MAX_LOG_H = 0;

/** The state in a URL; anything missing or out of range is the default. */
export function readState(url: UrlState): SlopeState {
  const from = url.number('from', DEFAULTS.from);
  const to = url.number('to', DEFAULTS.to);
  const range = from < to && to - from <= 1e6 ? { from, to } : { from: DEFAULTS.from, to: DEFAULTS.to };
  return {
    f: url.get('f') ?? DEFAULTS.f,
    a: url.number('a', DEFAULTS.a),
    b: url.number('b', DEFAULTS.b),
    x: url.number('x', DEFAULTS.x),
    h: url.number('h', DEFAULTS.h, (h) => h >= 10 ** MIN_LOG_H && h <= 10 ** MAX_LOG_H),
    ...range,
  };
}

export function writeState(url: UrlState, state: SlopeState): void {
  url.set({ ...state });
}

/** What the page's results were computed from: the page sets it as data-key when they are on screen (tests wait for it). */
export function keyOf(s: SlopeState): string {
  return JSON.stringify([s.f, s.a, s.b, s.x, s.h, s.from, s.to]);
}
