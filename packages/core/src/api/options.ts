import { NudgeError } from '../errors.js';
import type { Method } from '../diff/methods.js';
import type { FunctionOptions, Target } from './target.js';

/** exact (automatic differentiation), complex (the complex step), or a finite difference. */
export type DerivativeMethod = Method;

export const METHODS: readonly DerivativeMethod[] = ['exact', 'complex', 'forward', 'backward', 'central', 'richardson'];

/** The textbook step of the difference quotient. */
export const DEFAULT_H = 1e-4;

export interface DerivativeOptions extends FunctionOptions {
  /**
   * Default: 'exact' (automatic differentiation) for expressions and compiled
   * functions; 'richardson' (extrapolated central differences, with an error
   * estimate) for JavaScript functions, which cannot be differentiated exactly.
   */
  method?: DerivativeMethod;
  /** Step: a positive number, or 'auto' for the error-optimal step. Default 1e-4 (forward, backward, central), 'auto' (richardson). */
  h?: number | 'auto';
  /** The variable to differentiate with respect to, where f has several. */
  wrt?: string;
}

export interface ResolvedNumeric {
  method: DerivativeMethod;
  /** NaN means automatic. */
  h: number;
}

/** The method and step for f: the default method depends on what f is. */
export function resolveMethod(options: DerivativeOptions, t: Target): ResolvedNumeric {
  return resolveNumeric({ ...options, method: options.method ?? (t.kind === 'closure' ? 'richardson' : 'exact') });
}

export function resolveNumeric(options: DerivativeOptions): ResolvedNumeric {
  const method = options.method ?? 'richardson';
  if (!METHODS.includes(method)) {
    throw new NudgeError('invalid-argument', `unknown method '${String(method)}': use one of ${METHODS.join(', ')}`);
  }
  const h = options.h;
  if (method === 'exact' || method === 'complex') {
    if (h !== undefined) throw new NudgeError('invalid-argument', `method '${method}' takes no step h: it is exact`);
    return { method, h: NaN };
  }
  if (h === undefined) return { method, h: method === 'richardson' ? NaN : DEFAULT_H };
  if (h === 'auto') return { method, h: NaN };
  if (typeof h !== 'number' || !(h > 0) || !Number.isFinite(h)) {
    throw new NudgeError('invalid-argument', `the step h must be a positive number or 'auto', got ${String(h)}`);
  }
  return { method, h };
}

/** The index of the variable to differentiate by: `wrt`, or the only variable. */
export function resolveWrt(variables: readonly string[], wrt: string | undefined): number {
  if (wrt !== undefined) {
    const i = variables.indexOf(wrt);
    if (i < 0) {
      const list = variables.length > 0 ? `its variables are ${variables.join(', ')}` : 'it has no variables';
      throw new NudgeError('unknown-variable', `cannot differentiate with respect to '${wrt}': f has no variable '${wrt}' (${list})`);
    }
    return i;
  }
  if (variables.length === 1) return 0;
  if (variables.length === 0) return -1; // a constant: its derivative is 0 along any variable
  throw new NudgeError('invalid-argument', `f has ${variables.length} variables (${variables.join(', ')}): say which one with wrt`);
}

/** JSON-friendly: NaN and infinities become null. */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
