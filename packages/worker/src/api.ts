import * as Comlink from 'comlink';
import {
  NudgeError,
  compile,
  derivative,
  derivativeMany,
  directional,
  evaluate,
  evaluateMany,
  gradient,
  gradientMany,
  init,
  partial,
  slope,
  tangent,
  type CompileOptions,
  type DerivativeOptions,
  type DerivativeResult,
  type DirectionalOptions,
  type DirectionalResult,
  type EvaluateResult,
  type FunctionOptions,
  type GradientOptions,
  type GradientResult,
  type ManyDerivatives,
  type ManyGradients,
  type Point,
  type Points,
  type SlopeResult,
  type TangentResult,
} from '@nudge/core';

/**
 * The worker-side API: the core's operations, callable across a thread.
 * f is always an EXPRESSION STRING (a JavaScript function cannot cross a
 * thread, and a compiled function is a handle into one thread's kernel
 * memory); points and options are plain data; results are the core's plain
 * result objects. The batch forms transfer their typed arrays instead of
 * copying them.
 *
 * Every method is async, so that later methods (descent, fitting) can report
 * progress and be cancelled between kernel chunks without changing the shape.
 */
export interface NudgeApi {
  /** Compile the kernel now (it is otherwise compiled on first use). */
  init(): Promise<void>;
  /** Parse and compile f, and describe it: its variables (vector order) and its printed form. Nothing is kept. */
  inspect(expression: string, options?: CompileOptions): Promise<ExpressionInfo>;
  evaluate(expression: string, at?: Point, options?: FunctionOptions): Promise<EvaluateResult>;
  evaluateMany(expression: string, points: Points, options?: FunctionOptions): Promise<Float64Array>;
  slope(expression: string, a: Point, b: Point, options?: FunctionOptions): Promise<SlopeResult>;
  derivative(expression: string, at: Point, options?: DerivativeOptions): Promise<DerivativeResult>;
  derivativeMany(expression: string, points: Points, options?: DerivativeOptions): Promise<ManyDerivatives>;
  tangent(expression: string, at: Point, options?: DerivativeOptions): Promise<TangentResult>;
  partial(expression: string, at: Point, wrt: string, options?: Omit<DerivativeOptions, 'wrt'>): Promise<DerivativeResult>;
  gradient(expression: string, at: Point, options?: GradientOptions): Promise<GradientResult>;
  gradientMany(expression: string, points: Points, options?: GradientOptions): Promise<ManyGradients>;
  directional(expression: string, at: Point, v: Point, options?: DirectionalOptions): Promise<DirectionalResult>;
}

/** What `inspect` tells about an expression. */
export interface ExpressionInfo {
  /** The expression as Nudge prints it (parses back to the same function). */
  expression: string;
  /** Its variables, in the order vectors (points given as arrays) use. */
  variables: string[];
}

/** The API's method names; the mapped type makes a method missing here a compile error. */
const METHOD_FLAGS: { readonly [K in keyof NudgeApi]: { expression: boolean } } = {
  init: { expression: false },
  inspect: { expression: true },
  evaluate: { expression: true },
  evaluateMany: { expression: true },
  slope: { expression: true },
  derivative: { expression: true },
  derivativeMany: { expression: true },
  tangent: { expression: true },
  partial: { expression: true },
  gradient: { expression: true },
  gradientMany: { expression: true },
  directional: { expression: true },
};

export const NUDGE_METHODS = Object.keys(METHOD_FLAGS) as (keyof NudgeApi)[];

/** Whether the method's first argument is an expression string. */
export function takesExpression(method: keyof NudgeApi): boolean {
  return METHOD_FLAGS[method].expression;
}

/** The error for an f that is not a string: says why and what to pass instead. */
export function expressionError(method: string, f: unknown): NudgeError | undefined {
  if (typeof f === 'string') return undefined;
  const why =
    typeof f === 'function'
      ? 'a JavaScript function cannot cross to another thread'
      : typeof f === 'object' && f !== null && typeof (f as { expression?: unknown }).expression === 'string'
        ? `a compiled function belongs to the thread that compiled it (pass its expression '${(f as { expression: string }).expression}')`
        : `got ${f === null ? 'null' : Array.isArray(f) ? 'an array' : typeof f}`;
  return new NudgeError('invalid-argument', `${method} in the worker takes f as an expression string such as 'x^2': ${why}`);
}

function expression(method: string, f: unknown): string {
  const error = expressionError(method, f);
  if (error) throw error;
  return f as string;
}

/** Transfer the buffers of the arrays (each once) rather than copying them; an array that views only part of its buffer is copied first. */
function transferred<T extends object>(result: T, arrays: Float64Array[]): T {
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) {
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer);
  }
  return Comlink.transfer(result, [...buffers]);
}

function owned(a: Float64Array): Float64Array {
  return a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
}

/** The API object a worker exposes (`exposeNudge`). */
export const nudgeApi: NudgeApi = {
  async init() {
    await init();
  },

  async inspect(f, options = {}) {
    const fn = compile(expression('inspect', f), options);
    try {
      return { expression: fn.expression, variables: [...fn.variables] };
    } finally {
      fn.dispose();
    }
  },

  async evaluate(f, at, options = {}) {
    return evaluate(expression('evaluate', f), at, options);
  },

  async evaluateMany(f, points, options = {}) {
    const values = owned(evaluateMany(expression('evaluateMany', f), points, options));
    return transferred(values, [values]);
  },

  async slope(f, a, b, options = {}) {
    return slope(expression('slope', f), a, b, options);
  },

  async derivative(f, at, options = {}) {
    return derivative(expression('derivative', f), at, options);
  },

  async derivativeMany(f, points, options = {}) {
    const r = derivativeMany(expression('derivativeMany', f), points, options);
    const result: ManyDerivatives = { value: owned(r.value), derivative: owned(r.derivative), errorEstimate: owned(r.errorEstimate) };
    return transferred(result, [result.value, result.derivative, result.errorEstimate]);
  },

  async tangent(f, at, options = {}) {
    return tangent(expression('tangent', f), at, options);
  },

  async partial(f, at, wrt, options = {}) {
    return partial(expression('partial', f), at, wrt, options);
  },

  async gradient(f, at, options = {}) {
    return gradient(expression('gradient', f), at, options);
  },

  async gradientMany(f, points, options = {}) {
    const r = gradientMany(expression('gradientMany', f), points, options);
    const result: ManyGradients = {
      value: owned(r.value),
      gradient: owned(r.gradient),
      errorEstimate: owned(r.errorEstimate),
      variables: r.variables,
    };
    return transferred(result, [result.value, result.gradient, result.errorEstimate]);
  },

  async directional(f, at, v, options = {}) {
    return directional(expression('directional', f), at, v, options);
  },
};
