import type { UrlState } from '../../shell/url-state.js';

/** Everything page 5 computes follows from this, and all of it is in the URL (`at=w:0.5,x:2,b:-1`). */
export interface BackpropState {
  /** f, as typed. */
  f: string;
  /** The point, by variable; a variable missing here starts at 1. */
  at: Record<string, number>;
}

/** The seed's neuron, at a point where its numbers are easy to follow: w*x + b = 0, sigmoid = 0.5, its slope 0.25. */
export const DEFAULTS: BackpropState = { f: 'sigmoid(w*x + b)', at: { w: 0.5, x: 2, b: -1 } };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The point written as `w:0.5,x:2`; read back by `parsePoint`. */
export function formatPoint(at: Readonly<Record<string, number>>): string {
  return Object.entries(at)
    .map(([k, v]) => `${k}:${v}`)
    .join(',');
}

/** The pairs of a point that are a variable name and a finite number; the rest is dropped. */
export function parsePoint(text: string): Record<string, number> {
  const at: Record<string, number> = {};
  for (const pair of text.split(',')) {
    const [name = '', value = ''] = pair.split(':');
    const v = Number(value);
    if (NAME.test(name) && value.trim() !== '' && Number.isFinite(v)) at[name] = v;
  }
  return at;
}

export function readState(url: UrlState): BackpropState {
  const at = url.get('at');
  return { f: url.get('f') ?? DEFAULTS.f, at: at === undefined ? { ...DEFAULTS.at } : parsePoint(at) };
}

export function writeState(url: UrlState, state: BackpropState): void {
  url.set({ f: state.f, at: formatPoint(state.at) });
}

/** What the page's results were computed from: set as data-key when they are on screen (tests wait for it). */
export function keyOf(s: BackpropState, variables: readonly string[]): string {
  return JSON.stringify([s.f, variables.map((v) => [v, s.at[v] ?? 1])]);
}
