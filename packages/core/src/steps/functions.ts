import { latex, latexName } from '../ir/latex.js';
import { Graph } from '../ir/node.js';
import { OPS } from '../ops/table.js';
import { differentiate } from '../symbolic/differentiate.js';
import { format } from '../symbolic/print.js';
import { simplify } from '../symbolic/simplify.js';
import type { FunctionRule } from './types.js';

/**
 * The functions with a derivative rule of their own, by name. The table is
 * total over FunctionRule (the op table's functions), so a new op without a
 * name here is a compile error. The rules themselves are not repeated here:
 * they come from the op table's rows (see `functionRule`).
 */
const NAMES: { readonly [F in FunctionRule]: string } = {
  min: 'the minimum',
  max: 'the maximum',
  abs: 'the absolute value',
  sqrt: 'the square root',
  cbrt: 'the cube root',
  exp: 'the exponential',
  log: 'the natural logarithm',
  log10: 'the base-10 logarithm',
  log2: 'the base-2 logarithm',
  sin: 'sine',
  cos: 'cosine',
  tan: 'tangent',
  asin: 'arcsine',
  acos: 'arccosine',
  atan: 'arctangent',
  sinh: 'hyperbolic sine',
  cosh: 'hyperbolic cosine',
  tanh: 'hyperbolic tangent',
  asinh: 'inverse hyperbolic sine',
  acosh: 'inverse hyperbolic cosine',
  atanh: 'inverse hyperbolic tangent',
  sigmoid: 'the sigmoid',
  relu: 'ReLU',
  softplus: 'softplus',
};

export function isFunctionRule(op: string): op is FunctionRule {
  return Object.hasOwn(NAMES, op);
}

export function functionTitle(f: FunctionRule): string {
  return `Derivative of ${NAMES[f]}`;
}

export interface RuleStatement {
  readonly text: string;
  readonly latex: string;
}

const statements = new Map<string, RuleStatement>();

/**
 * The rule of a one-argument function in general form, from its op-table
 * row: `d/du[sin(u)] = cos(u)`, `d/du[sigmoid(u)] = sigmoid(u)*(1 - sigmoid(u))`.
 */
export function functionRule(f: FunctionRule, variable = 'u'): RuleStatement {
  const key = `${f} ${variable}`;
  let s = statements.get(key);
  if (s === undefined) {
    const g = new Graph();
    const u = g.variable(variable);
    const v = g.variable(variable === 'v' ? 'w' : 'v');
    const node = g.apply(f, OPS[f].arity === 1 ? [u] : [u, v]);
    if (OPS[f].arity === 1) {
      const d = simplify(g, differentiate(g, node, variable));
      s = {
        text: `d/d${variable}[${format(node)}] = ${format(d)}`,
        latex: `\\frac{d}{d${latexName(variable)}}\\left[${latex(node)}\\right] = ${latex(d)}`,
      };
    } else {
      // d op(u, v) = p_u du + p_v dv, the partials from the row
      const [pu, pv] = OPS[f].derivative(g, [u, v], node, [true, true]).map((p) => simplify(g, p));
      const [du, dv] = [u, v].map((w) => `d${w.name}`);
      s = {
        text: `d[${format(node)}] = ${format(pu!)}*${du} + ${format(pv!)}*${dv}`,
        latex: `d\\left[${latex(node)}\\right] = ${latex(pu!)} \\, ${du} + ${latex(pv!)} \\, ${dv}`,
      };
    }
    statements.set(key, s);
  }
  return s;
}
