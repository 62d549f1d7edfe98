import type { OpName } from '../ops/table.js';
import type { Graph, IrNode } from './node.js';

/**
 * The functions of the expression language and the IR each one lowers to.
 * Most are one primitive op; the rest are sugar over primitives, so that only
 * primitives need rules (sec(x) = 1/cos(x), ln = log).
 */
export interface LanguageFunction {
  arity: number;
  lower: (g: Graph, args: readonly IrNode[]) => IrNode;
}

const primitive = (op: OpName, arity: 1 | 2 = 1): LanguageFunction => ({
  arity,
  lower: (g, args) => g.apply(op, args),
});

const reciprocalOf = (op: OpName): LanguageFunction => ({
  arity: 1,
  lower: (g, [a]) => g.apply('recip', [g.apply(op, [a!])]),
});

export const FUNCTIONS: Readonly<Record<string, LanguageFunction>> = {
  sin: primitive('sin'),
  cos: primitive('cos'),
  tan: primitive('tan'),
  sec: reciprocalOf('cos'),
  csc: reciprocalOf('sin'),
  cot: reciprocalOf('tan'),
  asin: primitive('asin'),
  acos: primitive('acos'),
  atan: primitive('atan'),
  sinh: primitive('sinh'),
  cosh: primitive('cosh'),
  tanh: primitive('tanh'),
  asinh: primitive('asinh'),
  acosh: primitive('acosh'),
  atanh: primitive('atanh'),
  exp: primitive('exp'),
  log: primitive('log'),
  ln: primitive('log'),
  log10: primitive('log10'),
  log2: primitive('log2'),
  sqrt: primitive('sqrt'),
  cbrt: primitive('cbrt'),
  abs: primitive('abs'),
  pow: primitive('pow', 2),
  min: primitive('min', 2),
  max: primitive('max', 2),
  sigmoid: primitive('sigmoid'),
  relu: primitive('relu'),
  softplus: primitive('softplus'),
};

/** Named constants; a declared variable of the same name takes precedence. */
export const CONSTANTS: Readonly<Record<string, number>> = {
  pi: Math.PI,
  e: Math.E,
};

/** The known function closest to `name` (edit distance at most 2), for "did you mean". */
export function closestFunction(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of Object.keys(FUNCTIONS)) {
    const d = editDistance(name.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Damerau-Levenshtein distance (optimal string alignment): a swap of two letters costs 1. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
