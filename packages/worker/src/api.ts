import {
  NudgeError,
  backprop,
  backpropDot,
  compile,
  critical,
  dataset,
  derivative,
  derivativeExpression,
  explainByLimit,
  explainChain,
  explainDerivative,
  explainGradient,
  gradientExpression,
  hessian,
  predictRows,
  derivativeMany,
  directional,
  evaluate,
  evaluateMany,
  gradient,
  gradientMany,
  init,
  partial,
  slope,
  startPoints,
  tangent,
  type BackpropOptions,
  type BackpropResult,
  type ChainExplanation,
  type CompileOptions,
  type CriticalResult,
  type DatasetName,
  type DatasetOptions,
  type DerivativeExplanation,
  type DerivativeExpression,
  type ExpressionOptions,
  type FitResult,
  type GradientExplanation,
  type GradientExpression,
  type HessianResult,
  type Model,
  type Table,
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
  type MinimizationResult,
  type MultiStartOptions,
  type Point,
  type Points,
  type SlopeResult,
  type TangentResult,
} from '@nudge/core';
import { descend, type ProgressProxy, type WorkerMinimizeOptions } from './descent.js';
import { fitJob, type EpochProxy, type WorkerFitOptions } from './fit-worker.js';
import { evaluateGrid, gradientGrid } from './grid-worker.js';
import type { Grid, GridGradientOptions, GridGradientResult, GridOptions, GridResult } from './grid.js';
import { JobRegistry } from './jobs.js';
import { owned, transferred } from './transfer.js';

/**
 * The worker-side API: the core's operations, callable across a thread.
 * f is always an EXPRESSION STRING (a JavaScript function cannot cross a
 * thread, and a compiled function is a handle into one thread's kernel
 * memory); points and options are plain data; results are the core's plain
 * result objects. The batch forms transfer their typed arrays instead of
 * copying them.
 *
 * Every method is async. The descents (`minimize`, `maximize`) run between
 * kernel chunks' yields, so that progress reaches the client and a `cancel`
 * message is handled while they run.
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
  /**
   * Gradient descent from `from` (the core's `minimizeAsync`; with `starts`,
   * a multi-start run in this worker). `jobId` names the run for `cancel`;
   * `progress` is a `Comlink.proxy` of a callback, called between chunks
   * without waiting. A cancelled run resolves with status 'cancelled' (the
   * client rejects with an AbortError instead). Arrays are transferred.
   */
  minimize(expression: string, from: Point, options?: WorkerMinimizeOptions, jobId?: string, progress?: ProgressProxy): Promise<MinimizationResult>;
  /** Gradient ascent: as `minimize`. */
  maximize(expression: string, from: Point, options?: WorkerMinimizeOptions, jobId?: string, progress?: ProgressProxy): Promise<MinimizationResult>;
  /**
   * Fit a model to data (the core's `fitAsync`). `jobId` names the run for
   * `cancel`; `progress` is a `Comlink.proxy` of a callback, called after
   * each epoch without waiting. A cancelled fit resolves with status
   * 'cancelled' and the best parameters so far (the client resolves too).
   */
  fit(data: Readonly<Record<string, Float64Array>>, options: WorkerFitOptions, jobId?: string, progress?: EpochProxy): Promise<FitResult>;
  /** Stop the descent or fit named `jobId` at its next chunk or epoch; false when no such job runs here. */
  cancel(jobId: string): Promise<boolean>;
  /** A point where the gradient vanishes, found from `near`, and its kind: minimum, maximum, saddle or degenerate (the core's `critical`). */
  critical(expression: string, near: Point, options?: CriticalOptions): Promise<CriticalResult>;
  /** The exact Hessian at a point (the core's `hessian`). */
  hessian(expression: string, at: Point, options?: FunctionOptions): Promise<HessianResult>;
  /** The simplified derivative as an expression and as LaTeX. */
  derivativeExpression(expression: string, options?: ExpressionOptions): Promise<DerivativeExpression>;
  /** Each partial derivative as an expression and as LaTeX. */
  gradientExpression(expression: string, options?: Omit<ExpressionOptions, 'wrt'>): Promise<GradientExpression>;
  /** The derivative rule by rule, steps as data with LaTeX (the core's `explainDerivative`). */
  explainDerivative(expression: string, wrt?: string): Promise<DerivativeExplanation>;
  /** Each partial derivative explained, then the gradient vector. */
  explainGradient(expression: string): Promise<GradientExplanation>;
  /** The chain rule for a composition given link by link: `explainChain('sin(u)', ['u=x^2'], { x: 2 })`. */
  explainChain(outer: string, links: readonly string[], at?: Readonly<Record<string, number>>, wrt?: string): Promise<ChainExplanation>;
  /** The derivative of a polynomial from the limit of the difference quotient. */
  explainByLimit(expression: string, wrt?: string): Promise<DerivativeExplanation>;
  /** The computational graph at a point: every node's forward value and adjoint, every edge's local partial. */
  backprop(expression: string, at?: Point, options?: BackpropOptions): Promise<BackpropResult>;
  /** The same graph in Graphviz's DOT language. */
  backpropDot(expression: string, at?: Point, options?: BackpropOptions): Promise<string>;
  /** One of the data sets Nudge ships (the core's `dataset`); columns transferred. */
  dataset(name: DatasetName, options?: DatasetOptions): Promise<Table>;
  /** A fitted model's predictions for the rows of `data` (a probability for a classifier): e.g. over a grid, for a decision boundary. Transferred. */
  predict(model: Model, params: Readonly<Record<string, number>>, data: Readonly<Record<string, Float64Array>>): Promise<Float64Array>;
  /** The starting points of a multi-start run (the core's `startPoints`): `from` first, in f's variable order. */
  startPoints(expression: string, from: Point, options?: MultiStartOptions & FunctionOptions): Promise<StartPlan>;
  /** f over a grid, or the band `options.range` of it; arrays transferred. */
  evaluateGrid(expression: string, grid: Grid, options?: GridOptions): Promise<GridResult>;
  /** f and its gradient over a grid (or a band); arrays transferred. */
  gradientGrid(expression: string, grid: Grid, options?: GridGradientOptions): Promise<GridGradientResult>;
}

/** Options of `critical`: its stopping rule and f's variables. */
export type CriticalOptions = NonNullable<Parameters<typeof critical>[2]>;

/** The starting points of a multi-start run, as coordinate vectors in the order of `variables`. */
export interface StartPlan {
  variables: string[];
  points: Float64Array[];
}

/** What `inspect` tells about an expression. */
export interface ExpressionInfo {
  /** The expression as Nudge prints it (parses back to the same function). */
  expression: string;
  /** Its variables, in the order vectors (points given as arrays) use. */
  variables: string[];
}

/**
 * How the client offers a method: 'forward' passes the arguments as they are;
 * 'descent' takes a signal and a progress callback (client-descent.ts);
 * 'fit' takes a signal and an epoch callback (client-descent.ts);
 * 'none' is for the client's own use (cancel).
 */
export type ClientForm = 'forward' | 'descent' | 'fit' | 'none';

interface MethodFlags {
  /** Whether the first argument is an expression string. */
  expression: boolean;
  client: ClientForm;
}

/** The API's method names; the mapped type makes a method missing here a compile error. */
const METHOD_FLAGS: { readonly [K in keyof NudgeApi]: MethodFlags } = {
  init: { expression: false, client: 'forward' },
  inspect: { expression: true, client: 'forward' },
  evaluate: { expression: true, client: 'forward' },
  evaluateMany: { expression: true, client: 'forward' },
  slope: { expression: true, client: 'forward' },
  derivative: { expression: true, client: 'forward' },
  derivativeMany: { expression: true, client: 'forward' },
  tangent: { expression: true, client: 'forward' },
  partial: { expression: true, client: 'forward' },
  gradient: { expression: true, client: 'forward' },
  gradientMany: { expression: true, client: 'forward' },
  directional: { expression: true, client: 'forward' },
  minimize: { expression: true, client: 'descent' },
  maximize: { expression: true, client: 'descent' },
  fit: { expression: false, client: 'fit' },
  cancel: { expression: false, client: 'none' },
  critical: { expression: true, client: 'forward' },
  hessian: { expression: true, client: 'forward' },
  derivativeExpression: { expression: true, client: 'forward' },
  gradientExpression: { expression: true, client: 'forward' },
  explainDerivative: { expression: true, client: 'forward' },
  explainGradient: { expression: true, client: 'forward' },
  explainChain: { expression: true, client: 'forward' },
  explainByLimit: { expression: true, client: 'forward' },
  backprop: { expression: true, client: 'forward' },
  backpropDot: { expression: true, client: 'forward' },
  dataset: { expression: false, client: 'forward' },
  predict: { expression: false, client: 'forward' },
  startPoints: { expression: true, client: 'forward' },
  evaluateGrid: { expression: true, client: 'forward' },
  gradientGrid: { expression: true, client: 'forward' },
};

export const NUDGE_METHODS = Object.keys(METHOD_FLAGS) as (keyof NudgeApi)[];

/** The methods the client offers in the given form. */
export function methodsOf<F extends ClientForm>(form: F): (keyof NudgeApi)[] {
  return NUDGE_METHODS.filter((m) => METHOD_FLAGS[m].client === form);
}

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

/** The descents running in this thread, by job id. */
const jobs = new JobRegistry();

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

  async minimize(f, from, options = {}, jobId, progress) {
    return descend(jobs, expression('minimize', f), from, options, { jobId, progress, maximize: false });
  },

  async maximize(f, from, options = {}, jobId, progress) {
    return descend(jobs, expression('maximize', f), from, options, { jobId, progress, maximize: true });
  },

  async fit(data, options, jobId, progress) {
    return fitJob(jobs, data, options, jobId, progress);
  },

  async cancel(jobId) {
    return jobs.cancel(jobId);
  },

  async critical(f, near, options = {}) {
    return critical(expression('critical', f), near, options);
  },

  async hessian(f, at, options = {}) {
    return hessian(expression('hessian', f), at, options);
  },

  async derivativeExpression(f, options = {}) {
    return derivativeExpression(expression('derivativeExpression', f), options);
  },

  async gradientExpression(f, options = {}) {
    return gradientExpression(expression('gradientExpression', f), options);
  },

  async explainDerivative(f, wrt) {
    return explainDerivative(expression('explainDerivative', f), wrt);
  },

  async explainGradient(f) {
    return explainGradient(expression('explainGradient', f));
  },

  async explainChain(outer, links, at, wrt) {
    return explainChain(expression('explainChain', outer), links, at, wrt);
  },

  async explainByLimit(f, wrt) {
    return explainByLimit(expression('explainByLimit', f), wrt);
  },

  async backprop(f, at, options = {}) {
    return backprop(expression('backprop', f), at, options);
  },

  async backpropDot(f, at, options = {}) {
    return backpropDot(backprop(expression('backpropDot', f), at, options));
  },

  async dataset(name, options = {}) {
    const table = dataset(name, options);
    const data = Object.fromEntries(Object.entries(table.data).map(([c, v]) => [c, owned(v)]));
    return transferred({ columns: [...table.columns], data, rows: table.rows }, Object.values(data));
  },

  async predict(model, params, data) {
    const values = owned(predictRows(model, params, data));
    return transferred(values, [values]);
  },

  async startPoints(f, from, options = {}) {
    const { variables: names, ...multiStart } = options;
    const fn = compile(expression('startPoints', f), names ? { variables: names } : {});
    try {
      // evaluate checks the point as every call does (missing, unknown or non-numeric coordinates) and gives it by name
      const at = evaluate(fn, from).at;
      const variables = [...fn.variables];
      return { variables, points: startPoints(variables.map((v) => at[v]!), multiStart) };
    } finally {
      fn.dispose();
    }
  },

  async evaluateGrid(f, grid, options = {}) {
    return evaluateGrid(expression('evaluateGrid', f), grid, options);
  },

  async gradientGrid(f, grid, options = {}) {
    return gradientGrid(expression('gradientGrid', f), grid, options);
  },
};
