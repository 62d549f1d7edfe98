import type { UrlState } from '../../shell/url-state.js';

/** Everything page 2 shows follows from this, and all of it is in the URL. */
export interface ExpressionState {
  /** f, as typed. */
  f: string;
  /** The variable differentiated by ('' for f's first). */
  wrt: string;
}

/** The seed's example: d/dx x^2 = 2x. */
export const DEFAULTS: ExpressionState = { f: 'x^2', wrt: '' };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The state in a URL; a wrt that is not a variable name is ignored. */
export function readState(url: UrlState): ExpressionState {
  const wrt = url.get('wrt') ?? '';
  return { f: url.get('f') ?? DEFAULTS.f, wrt: NAME.test(wrt) ? wrt : '' };
}

export function writeState(url: UrlState, state: ExpressionState): void {
  url.set({ f: state.f, wrt: state.wrt || undefined });
}

/** What the page's results were computed from: set as data-key when they are on screen (tests wait for it). */
export function keyOf(s: ExpressionState): string {
  return JSON.stringify([s.f, s.wrt]);
}
