import type { UrlState } from '../../shell/url-state.js';

export const DATA = ['moons', 'circles', 'blobs', 'line', 'clicked'] as const;
export type DataName = (typeof DATA)[number];
export const MODELS = ['line', 'logistic', 'mlp'] as const;
export type ModelName = (typeof MODELS)[number];
export const RATES = [0.01, 0.03, 0.1, 0.3, 1] as const;
export const EPOCHS = [100, 300, 1000, 3000] as const;
export const HIDDEN = [2, 4, 8, 16] as const;
/** At most this many clicked points (they live in the URL). */
export const MAX_POINTS = 300;

/** A clicked point: its two features and its class. */
export interface Clicked {
  x1: number;
  x2: number;
  label: 0 | 1;
}

/** Everything page 6 trains follows from this, and all of it is in the URL. */
export interface TrainingState {
  data: DataName;
  model: ModelName;
  hidden: number;
  lr: number;
  epochs: number;
  points: Clicked[];
}

/** The seed: a small network learning the two moons. */
export const DEFAULTS: TrainingState = { data: 'moons', model: 'mlp', hidden: 8, lr: 0.3, epochs: 1000, points: [] };

/** The models that fit a data set: a line for the line data (y from x), a classifier for two classes. */
export function modelsFor(data: DataName): ModelName[] {
  return data === 'line' ? ['line'] : ['logistic', 'mlp'];
}

function oneOf<T extends string | number>(list: readonly T[], value: string | undefined, fallback: T): T {
  const found = list.find((v) => String(v) === value);
  return found ?? fallback;
}

export function formatPoints(points: readonly Clicked[]): string {
  return points.map((p) => `${+p.x1.toFixed(3)}:${+p.x2.toFixed(3)}:${p.label}`).join(',');
}

/** Points `x1:x2:label` separated by commas; anything else is dropped. */
export function parsePoints(text: string): Clicked[] {
  const points: Clicked[] = [];
  for (const item of text.split(',').slice(0, MAX_POINTS)) {
    const [a = '', b = '', c = ''] = item.split(':');
    const x1 = Number(a);
    const x2 = Number(b);
    if (a.trim() === '' || b.trim() === '' || !Number.isFinite(x1) || !Number.isFinite(x2) || Math.abs(x1) > 1e6 || Math.abs(x2) > 1e6 || (c !== '0' && c !== '1')) continue;
    points.push({ x1, x2, label: c === '1' ? 1 : 0 });
  }
  return points;
}

export function readState(url: UrlState): TrainingState {
  const data = oneOf(DATA, url.get('data'), DEFAULTS.data);
  const allowed = modelsFor(data);
  const model = oneOf(MODELS, url.get('model'), DEFAULTS.model);
  return {
    data,
    model: allowed.includes(model) ? model : allowed[allowed.length - 1]!,
    hidden: oneOf(HIDDEN, url.get('hidden'), DEFAULTS.hidden),
    lr: oneOf(RATES, url.get('lr'), DEFAULTS.lr),
    epochs: oneOf(EPOCHS, url.get('epochs'), DEFAULTS.epochs),
    points: parsePoints(url.get('points') ?? ''),
  };
}

export function writeState(url: UrlState, s: TrainingState): void {
  url.set({ data: s.data, model: s.model, hidden: s.model === 'mlp' ? s.hidden : undefined, lr: s.lr, epochs: s.epochs, points: s.data === 'clicked' ? formatPoints(s.points) : undefined });
}

/** What the page's results were computed from: set as data-key when a run has ended (tests wait for it). */
export function keyOf(s: TrainingState): string {
  return JSON.stringify([s.data, s.model, s.hidden, s.lr, s.epochs, formatPoints(s.points)]);
}

/** The core's model spec, target and features for the state. */
export function modelSpec(s: TrainingState): { model: string; target: string; features: string[] } {
  if (s.model === 'line') return { model: 'linear', target: 'y', features: ['x'] };
  return { model: s.model === 'mlp' ? `mlp:2-${s.hidden}-1` : 'logistic', target: 'label', features: ['x1', 'x2'] };
}
