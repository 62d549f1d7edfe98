import { readView, type SquareView } from '../../components/plane-state.js';
import type { UrlState } from '../../shell/url-state.js';

export const OPTIMIZERS = ['gd', 'momentum', 'nesterov', 'adam', 'line-search'] as const;
export type Optimizer = (typeof OPTIMIZERS)[number];

/** Everything page 4 shows follows from this, and all of it is in the URL. */
export interface DescentState extends SquareView {
  f: string;
  /** The start. */
  x: number;
  y: number;
  /** The learning rate of gd, momentum, nesterov and adam (the line search picks its own steps). */
  lr: number;
  /** The optimisers racing, in OPTIMIZERS order. */
  opt: Optimizer[];
  /** Steps at most per run. */
  steps: number;
}

/** The seed: Rosenbrock from (-1.2, 1), every optimiser, lr 0.001: each ends near (1, 1). */
export const DEFAULTS: DescentState = { f: '(1-x)^2 + 100*(y-x^2)^2', x: -1.2, y: 1, lr: 0.001, opt: [...OPTIMIZERS], steps: 50_000, cx: 0, cy: 1, r: 2 };

export const MAX_STEPS = 1_000_000;

export function readState(url: UrlState): DescentState {
  const listed = (url.get('opt') ?? DEFAULTS.opt.join(',')).split(',');
  const opt = OPTIMIZERS.filter((o) => listed.includes(o));
  return {
    f: url.get('f') ?? DEFAULTS.f,
    x: url.number('x', DEFAULTS.x),
    y: url.number('y', DEFAULTS.y),
    lr: url.number('lr', DEFAULTS.lr, (v) => v > 0 && v <= 100),
    opt: opt.length > 0 ? opt : [...DEFAULTS.opt],
    steps: url.number('steps', DEFAULTS.steps, (v) => Number.isInteger(v) && v >= 1 && v <= MAX_STEPS),
    ...readView(url, DEFAULTS),
  };
}

export function writeState(url: UrlState, s: DescentState): void {
  url.set({ ...s, opt: s.opt.join(',') });
}

export function keyOf(s: DescentState): string {
  return JSON.stringify([s.f, s.x, s.y, s.lr, s.opt, s.steps, s.cx, s.cy, s.r]);
}
