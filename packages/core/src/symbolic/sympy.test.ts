import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { derivative as mathjsDerivative, parse as mathjsParse, type MathNode } from 'mathjs';
import { evaluateIr } from '../ir/evaluate.js';
import { lower } from '../ir/lower.js';
import { Graph } from '../ir/node.js';
import { parse } from '../parse/parse.js';
import { differentiate } from './differentiate.js';
import { format } from './print.js';
import { simplify } from './simplify.js';
import { astSize, treeSize } from './size.js';

/** test-data/symbolic-table.json, made by test-data/make-symbolic-table.py (SymPy). */
interface Case {
  expr: string;
  wrt: string;
  sympy: string;
  points: { at: Record<string, number>; derivative: number }[];
}
const table = JSON.parse(readFileSync(new URL('../../test-data/symbolic-table.json', import.meta.url), 'utf8')) as { cases: Case[] };

function nudge(c: Case): { text: string; size: number; values: number[] } {
  const g = new Graph();
  const f = lower(g, parse(c.expr));
  const d = simplify(g, differentiate(g, f, c.wrt));
  return { text: format(d), size: treeSize(d), values: c.points.map((p) => evaluateIr([d], p.at)[0]!) };
}

const relativeError = (got: number, want: number): number => Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);

describe('symbolic derivatives against SymPy', () => {
  it(`has at least 150 derivatives (${table.cases.length})`, () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(150);
  });

  it('reads SymPy’s derivatives (printed in Nudge syntax) as the same numbers', () => {
    for (const c of table.cases) {
      const g = new Graph();
      const d = lower(g, parse(c.sympy));
      for (const p of c.points) {
        expect(relativeError(evaluateIr([d], p.at)[0]!, p.derivative), `${c.sympy} at ${JSON.stringify(p.at)}`).toBeLessThan(1e-9);
      }
    }
  });

  it('agrees with SymPy at every sample point to 1e-10 relative, and compares sizes', () => {
    let smaller = 0;
    let equal = 0;
    let larger = 0;
    let nudgeNodes = 0;
    let sympyNodes = 0;
    const largest: { expr: string; nudge: string; sympy: string; diff: number }[] = [];
    for (const c of table.cases) {
      const n = nudge(c);
      c.points.forEach((p, i) => {
        expect(relativeError(n.values[i]!, p.derivative), `${c.expr} d/d${c.wrt} = ${n.text} at ${JSON.stringify(p.at)} (SymPy: ${c.sympy})`).toBeLessThan(1e-10);
      });
      const s = astSize(parse(c.sympy));
      nudgeNodes += n.size;
      sympyNodes += s;
      if (n.size < s) smaller++;
      else if (n.size === s) equal++;
      else {
        larger++;
        largest.push({ expr: `${c.expr} d/d${c.wrt}`, nudge: n.text, sympy: c.sympy, diff: n.size - s });
      }
    }
    const total = table.cases.length;
    console.log(
      `Nudge vs SymPy, ${total} derivatives: Nudge's printed tree is smaller in ${smaller}, equal in ${equal}, larger in ${larger}; ` +
        `${nudgeNodes} nodes in all against SymPy's ${sympyNodes}.`,
    );
    largest.sort((a, b) => b.diff - a.diff);
    for (const l of largest.slice(0, 8)) console.log(`  +${l.diff}: ${l.expr}: Nudge ${l.nudge}; SymPy ${l.sympy}`);
  });
});

/** Nudge syntax -> math.js: ln is log; sigmoid, softplus and log2 written out; relu, min and max have no math.js derivative. */
function toMathjs(expr: string): MathNode | undefined {
  let unsupported = false;
  const node = mathjsParse(expr).transform((n) => {
    if (n.type !== 'FunctionNode') return n;
    const f = n as unknown as { fn: { name: string }; args: MathNode[] };
    const arg = f.args[0] ? `(${f.args[0].toString()})` : '';
    switch (f.fn.name) {
      case 'ln':
        return mathjsParse(`log${arg}`);
      case 'sigmoid':
        return mathjsParse(`1 / (1 + exp(-${arg}))`);
      case 'softplus':
        return mathjsParse(`log(1 + exp${arg})`);
      case 'log2':
        return mathjsParse(`log${arg} / log(2)`);
      case 'relu':
      case 'min':
      case 'max':
        unsupported = true;
        return n;
      default:
        return n;
    }
  });
  return unsupported ? undefined : node;
}

/** math.js's tree as printed, counted by size.ts's rules: a subtree without variables is one number; the numbers and signs of a chain of products or sums fold into one. */
function mathjsSize(node: MathNode): number {
  type Any = { type: string; fn?: string; args?: Any[]; content?: Any; name?: string };
  const strip = (n: Any): Any => (n.type === 'ParenthesisNode' ? strip(n.content!) : n);
  const constant = (n: Any): boolean => {
    switch (n.type) {
      case 'ConstantNode':
        return true;
      case 'SymbolNode':
        return n.name === 'pi' || n.name === 'e';
      case 'ParenthesisNode':
        return constant(n.content!);
      case 'OperatorNode':
      case 'FunctionNode':
        return n.args!.every(constant);
      default:
        return false;
    }
  };
  const isOp = (n: Any, ...fns: string[]): boolean => n.type === 'OperatorNode' && fns.includes(n.fn!) && n.args!.length >= 1;
  const chain = (operands: Any[], numbers: number, negative: boolean): number => {
    const items = operands.length + (numbers > 0 ? 1 : 0);
    return (numbers > 0 || negative ? 1 : 0) + operands.reduce((s, o) => s + size(o), 0) + items - 1;
  };
  const product = (n: Any, negative: boolean): number => {
    const operands: Any[] = [];
    const sign = { negative };
    const flatten = (m: Any): void => {
      const x = strip(m);
      if (!constant(x) && isOp(x, 'multiply', 'divide') && x.args!.length === 2) x.args!.forEach(flatten);
      else if (!constant(x) && isOp(x, 'unaryMinus')) {
        sign.negative = !sign.negative;
        flatten(x.args![0]!);
      } else operands.push(x);
    };
    flatten(n);
    const variable = operands.filter((o) => !constant(o));
    return chain(variable, operands.length - variable.length, sign.negative);
  };
  const sum = (n: Any): number => {
    const operands: Any[] = [];
    const flatten = (m: Any): void => {
      if (isOp(m, 'add', 'subtract') && m.args!.length === 2) m.args!.forEach(flatten);
      else operands.push(m);
    };
    flatten(n);
    const variable = operands.filter((o) => !constant(o));
    return chain(variable, operands.length - variable.length, false);
  };
  const size = (n: Any): number => {
    if (n.type === 'ParenthesisNode') return size(n.content!);
    if (constant(n)) return 1;
    if (isOp(n, 'multiply', 'divide')) return product(n, false);
    if (isOp(n, 'add', 'subtract')) return sum(n);
    if (isOp(n, 'unaryMinus')) {
      const a = strip(n.args![0]!);
      return isOp(a, 'multiply', 'divide') ? product(a, true) : 1 + size(a);
    }
    if (n.type === 'OperatorNode' || n.type === 'FunctionNode') {
      return (n.type === 'FunctionNode' ? 1 : Math.max(1, n.args!.length - 1)) + n.args!.reduce((s, x) => s + size(x), 0);
    }
    return 1;
  };
  return size(mathjsParse(node.toString()) as unknown as Any);
}

describe('the size of derivatives against math.js', () => {
  it('is smaller or equal in at least 90% of the SymPy table', () => {
    let compared = 0;
    let notLarger = 0;
    let skipped = 0;
    let nudgeNodes = 0;
    let mathjsNodes = 0;
    const worse: { expr: string; nudge: string; mathjs: string; diff: number }[] = [];
    for (const c of table.cases) {
      const m = toMathjs(c.expr);
      if (m === undefined) {
        skipped++;
        continue;
      }
      const md = mathjsDerivative(m, c.wrt);
      const ms = mathjsSize(md);
      const n = nudge(c);
      compared++;
      nudgeNodes += n.size;
      mathjsNodes += ms;
      if (n.size <= ms) notLarger++;
      else worse.push({ expr: `${c.expr} d/d${c.wrt}`, nudge: n.text, mathjs: md.toString(), diff: n.size - ms });
    }
    const share = notLarger / compared;
    console.log(
      `Nudge vs math.js ${'15.2.0'}, ${compared} derivatives (${skipped} skipped: relu, min, max): Nudge's printed tree is smaller or equal in ` +
        `${notLarger} (${(100 * share).toFixed(1)}%); ${nudgeNodes} nodes in all against math.js's ${mathjsNodes}.`,
    );
    worse.sort((a, b) => b.diff - a.diff);
    for (const w of worse.slice(0, Number(process.env.WORSE ?? 10))) console.log(`  +${w.diff}: ${w.expr}: Nudge ${w.nudge}; math.js ${w.mathjs}`);
    expect(share).toBeGreaterThanOrEqual(0.9);
  });
});
