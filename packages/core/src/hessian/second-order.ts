import { NudgeError } from '../errors.js';
import { evaluateIr } from '../ir/evaluate.js';
import type { IrNode } from '../ir/node.js';
import { differentiate } from '../symbolic/differentiate.js';
import type { CompiledFunction } from '../api/compiled.js';

/**
 * The gradient and the Hessian of f as expressions, built once per compiled
 * function by differentiating symbolically twice (exact, and shared: the
 * DAG keeps common subexpressions common), then evaluated at points by the
 * reference interpreter. For the few-variable functions Hessians are for.
 */
export interface SecondOrder {
  variables: readonly string[];
  gradient: IrNode[];
  /** Row-major, symmetric: hessian[i][j] is the same node as hessian[j][i]. */
  hessian: IrNode[][];
}

/** Hessians of more variables than this are refused: n² entries, each a symbolic derivative. */
export const MAX_HESSIAN_VARIABLES = 64;

const cache = new WeakMap<CompiledFunction, SecondOrder>();

export function secondOrder(fn: CompiledFunction): SecondOrder {
  const known = cache.get(fn);
  if (known) return known;
  if (fn.inputs.some((i) => i.vector)) {
    throw new NudgeError('invalid-argument', 'Hessians of functions with vector variables are not available: they would have n² entries');
  }
  const n = fn.variables.length;
  if (n > MAX_HESSIAN_VARIABLES) {
    throw new NudgeError('invalid-argument', `f has ${n} variables: Hessians are computed for at most ${MAX_HESSIAN_VARIABLES}`);
  }
  const g = fn.graph;
  const gradient = fn.variables.map((v) => differentiate(g, fn.ir, v));
  const hessian: IrNode[][] = gradient.map(() => new Array<IrNode>(n));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const h = differentiate(g, gradient[i]!, fn.variables[j]!);
      hessian[i]![j] = h;
      hessian[j]![i] = h;
    }
  }
  const result = { variables: fn.variables, gradient, hessian };
  cache.set(fn, result);
  return result;
}

export interface SecondOrderValues {
  value: number;
  gradient: number[];
  hessian: number[][];
}

/** f, its gradient and its Hessian at one point, exactly (to rounding). */
export function secondOrderAt(fn: CompiledFunction, x: ArrayLike<number>): SecondOrderValues {
  const s = secondOrder(fn);
  const n = s.variables.length;
  const at: Record<string, number> = {};
  s.variables.forEach((v, i) => (at[v] = x[i]!));
  const flat = evaluateIr([fn.ir, ...s.gradient, ...s.hessian.flat()], at);
  return {
    value: flat[0]!,
    gradient: flat.slice(1, 1 + n),
    hessian: Array.from({ length: n }, (_, i) => flat.slice(1 + n + i * n, 1 + n + (i + 1) * n)),
  };
}
