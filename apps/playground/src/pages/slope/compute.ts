import type { DerivativeMethod, DerivativeResult, SlopeResult, TangentResult } from '@nudge/core';
import type { NudgeClient } from '@nudge/worker/browser';

/**
 * Page 1's questions to the worker. Every number on the page comes from the
 * core through these calls; the page only formats and draws them.
 */
export interface Fn {
  expression: string;
  /** For a constant (no variable), the variable to treat it as a function of. */
  variables?: string[];
}

const opts = (f: Fn): { variables?: string[] } => (f.variables ? { variables: f.variables } : {});

export const CURVE_POINTS = 401;

export interface Curves {
  xs: number[];
  f: Float64Array;
  derivative: Float64Array;
}

/** f and its exact derivative (automatic differentiation) across the range drawn. */
export async function curves(nudge: NudgeClient, f: Fn, from: number, to: number): Promise<Curves> {
  const xs = Array.from({ length: CURVE_POINTS }, (_, i) => from + ((to - from) * i) / (CURVE_POINTS - 1));
  const [values, d] = await Promise.all([nudge.evaluateMany(f.expression, xs, opts(f)), nudge.derivativeMany(f.expression, xs, { ...opts(f), method: 'exact' })]);
  return { xs, f: values, derivative: d.derivative };
}

export function secant(nudge: NudgeClient, f: Fn, a: number, b: number): Promise<SlopeResult> {
  return nudge.slope(f.expression, a, b, opts(f));
}

/** The steps of the table, largest first. */
export const TABLE_STEPS = [1, 0.1, 0.01, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8];

export interface TangentView {
  /** The forward difference at the chosen h. */
  forward: DerivativeResult;
  /** The exact derivative, and the tangent line built on it. */
  tangent: TangentResult;
  /** The forward difference at each step of the table (the chosen h among them). */
  table: { h: number; forward: DerivativeResult }[];
}

export async function tangentView(nudge: NudgeClient, f: Fn, x: number, h: number): Promise<TangentView> {
  const steps = [...new Set([...TABLE_STEPS, h])].sort((p, q) => q - p);
  const forwardAt = (step: number): Promise<DerivativeResult> => nudge.derivative(f.expression, x, { ...opts(f), method: 'forward', h: step });
  const [forward, tangent, ...rows] = await Promise.all([forwardAt(h), nudge.tangent(f.expression, x, { ...opts(f), method: 'exact' }), ...steps.map(forwardAt)]);
  return { forward, tangent, table: steps.map((step, i) => ({ h: step, forward: rows[i]! })) };
}

/** The steps of the error chart: 10^-16 to 1, four per decade. */
export const SWEEP_STEPS = Array.from({ length: 65 }, (_, k) => 10 ** (-16 + k / 4));

/** The methods that take a step h, and those that do not. */
export const STEPPED: readonly DerivativeMethod[] = ['forward', 'central', 'richardson'];

export interface Sweep {
  exact: DerivativeResult;
  complex: DerivativeResult;
  /** Each stepped method's estimate at each of SWEEP_STEPS. */
  estimates: Record<string, Float64Array>;
}

export async function errorSweep(nudge: NudgeClient, f: Fn, x: number): Promise<Sweep> {
  const stepped = STEPPED.flatMap((method) => SWEEP_STEPS.map((h) => nudge.derivative(f.expression, x, { ...opts(f), method, h })));
  const [exact, complex, ...results] = await Promise.all([
    nudge.derivative(f.expression, x, { ...opts(f), method: 'exact' }),
    nudge.derivative(f.expression, x, { ...opts(f), method: 'complex' }),
    ...stepped,
  ]);
  const estimates: Record<string, Float64Array> = {};
  STEPPED.forEach((method, m) => {
    estimates[method] = Float64Array.from(SWEEP_STEPS, (_, i) => results[m * SWEEP_STEPS.length + i]!.derivative);
  });
  return { exact, complex, estimates };
}
