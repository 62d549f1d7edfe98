import { readView, type SquareView } from '../../components/plane-state.js';
import type { UrlState } from '../../shell/url-state.js';

/** Everything page 3 shows follows from this, and all of it is in the URL. */
export interface GradientState extends SquareView {
  /** f(x, y), as typed. */
  f: string;
  /** The marked point. */
  x: number;
  y: number;
  /** The direction u, in degrees from the x axis (counter-clockwise). */
  angle: number;
  /** Gradient arrows over the map: 1 on, 0 off. */
  arrows: number;
}

/** x^3 - 3x + y^2: a minimum at (1, 0) and a saddle at (-1, 0). */
export const DEFAULTS: GradientState = { f: 'x^3 - 3*x + y^2', x: 1.5, y: 1, angle: 45, arrows: 1, cx: 0, cy: 0, r: 2.5 };

export function readState(url: UrlState): GradientState {
  return {
    f: url.get('f') ?? DEFAULTS.f,
    x: url.number('x', DEFAULTS.x),
    y: url.number('y', DEFAULTS.y),
    angle: url.number('angle', DEFAULTS.angle, (a) => a >= 0 && a < 360),
    arrows: url.number('arrows', DEFAULTS.arrows, (a) => a === 0 || a === 1),
    ...readView(url, DEFAULTS),
  };
}

export function writeState(url: UrlState, s: GradientState): void {
  url.set({ ...s });
}

/** The state the page's results were computed from (its data-key when they are on screen). */
export function keyOf(s: GradientState): string {
  return JSON.stringify([s.f, s.x, s.y, s.angle, s.arrows, s.cx, s.cy, s.r]);
}

/** The unit vector of an angle in degrees, rounded so that 90 degrees is exactly (0, 1). */
export function unitOf(angle: number): [number, number] {
  const rad = (angle * Math.PI) / 180;
  const round = (v: number): number => Number(v.toFixed(15));
  return [round(Math.cos(rad)), round(Math.sin(rad))];
}
