import { describe, expect, it } from 'vitest';
import { derivative } from '../index.js';
import { evaluateIr } from '../ir/evaluate.js';
import { lower } from '../ir/lower.js';
import { Graph, type IrNode } from '../ir/node.js';
import { parse } from '../parse/parse.js';
import { differentiate } from '../symbolic/differentiate.js';
import { simplify } from '../symbolic/simplify.js';
import { OPS, OP_NAMES, type OpName } from './table.js';

/** Every op's symbolic derivative rule against Richardson extrapolation, at points inside its domain. */

/** The op written in the expression language, in a and b (the tape-only ops as what they compute). */
const TEXT: Partial<Record<OpName, string>> = {
  add: 'a + b', sub: 'a - b', mul: 'a*b', div: 'a/b', pow: 'a^b', neg: '-a', square: 'a^2', recip: '1/a',
};
const textOf = (op: OpName): string => TEXT[op] ?? (OPS[op].arity === 1 ? `${op}(a)` : `${op}(a, b)`);

const GENERIC = [-1.7, -0.45, 0.6, 2.3];
/** Points in each op's domain, away from poles, branch points and corners. */
const POINTS: Partial<Record<OpName, [number, number][]>> = {
  div: [[1.3, 0.7], [-2.1, -1.4], [0.5, 3]],
  pow: [[0.7, 2.5], [1.9, -1.3], [2.2, 3], [0.4, 0.5]],
  min: [[1.2, -0.4], [-0.8, 0.5], [2, 3]],
  max: [[1.2, -0.4], [-0.8, 0.5], [2, 3]],
  recip: [[-1.7, 0], [0.6, 0], [2.3, 0]],
  sqrt: [[0.3, 0], [1.7, 0], [9, 0]],
  log: [[0.3, 0], [1.7, 0], [9, 0]],
  log10: [[0.3, 0], [1.7, 0], [9, 0]],
  log2: [[0.3, 0], [1.7, 0], [9, 0]],
  asin: [[-0.9, 0], [0.2, 0], [0.7, 0]],
  acos: [[-0.9, 0], [0.2, 0], [0.7, 0]],
  atanh: [[-0.9, 0], [0.2, 0], [0.7, 0]],
  acosh: [[1.2, 0], [2, 0], [7, 0]],
  tan: [[-1.2, 0], [0.3, 0], [1.4, 0]],
  cbrt: [[-2.7, 0], [0.4, 0], [5, 0]],
};
const pointsOf = (op: OpName): [number, number][] => POINTS[op] ?? GENERIC.map((a, i) => [a, [0.8, -2.1, 1.1, -0.3][i]!]);

function build(op: OpName, n: number = OPS[op].arity): { g: Graph; node: IrNode; args: IrNode[] } {
  const g = new Graph();
  const args = ['a', 'b', 'c'].slice(0, n).map((v) => g.variable(v));
  return { g, node: g.apply(op, args), args };
}

describe('symbolic derivative rules of the op table', () => {
  it.each(OP_NAMES)('%s: each partial agrees with Richardson extrapolation', (op) => {
    const { g, node, args } = build(op);
    const partials = OPS[op].derivative(g, args, node, args.map(() => true));
    expect(partials).toHaveLength(args.length);
    const text = textOf(op);
    const variables = args.map((a) => a.name);
    for (const [a, b] of pointsOf(op)) {
      const at: Record<string, number> = args.length === 1 ? { a } : { a, b };
      args.forEach((v, i) => {
        if (op === 'pow' && i === 1 && a <= 0) return; // a^b for a <= 0 is not differentiable in b
        const symbolic = evaluateIr([partials[i]!], at)[0]!;
        const numeric = derivative(text, at, { method: 'richardson', wrt: v.name, variables });
        const err = numeric.errorEstimate ?? 0;
        expect(Math.abs(symbolic - numeric.derivative), `d ${text} / d${v.name} at ${JSON.stringify(at)}`).toBeLessThanOrEqual(
          Math.max(1e-8 * Math.abs(symbolic), 10 * err, 1e-12),
        );
        // differentiate (the chain rule) and simplify give the same number
        for (const d of [differentiate(g, node, v.name), simplify(g, differentiate(g, node, v.name))]) {
          expect(evaluateIr([d], at)[0]!).toBeCloseTo(symbolic, 10);
        }
      });
    }
  });

  it.each(OP_NAMES.filter((op) => !['add', 'sub', 'neg'].includes(op)))('%s: NaN in, NaN out', (op) => {
    const { g, node, args } = build(op);
    const partials = OPS[op].derivative(g, args, node, args.map(() => true));
    const values = evaluateIr(partials, { a: NaN, b: NaN });
    // the partial of a product by a is b: NaN when b is; every partial of a non-linear op is NaN
    expect(values.every(Number.isNaN), op).toBe(true);
  });

  it('n-ary sums and products: the partials are 1s and the products of the other factors', () => {
    const { g, node, args } = build('mul', 3);
    const partials = OPS.mul.derivative(g, args, node, [true, true, true]);
    expect(evaluateIr(partials, { a: 2, b: 3, c: 5 })).toEqual([15, 10, 6]);
    const sum = build('add', 3);
    expect(evaluateIr(OPS.add.derivative(sum.g, sum.args, sum.node, [true, true, true]), { a: 2, b: 3, c: 5 })).toEqual([1, 1, 1]);
    // partials not wanted are not built
    const skipped = OPS.mul.derivative(g, args, node, [true, false, false]);
    expect(skipped[1]).toBe(g.constant(0));
  });

  it('takes the kernel’s conventions at the corners of relu, min and max, and NaN where |a| has no derivative', () => {
    const at = (text: string, wrt: string, point: Record<string, number>): number => {
      const g = new Graph();
      const f = lower(g, parse(text));
      return evaluateIr([simplify(g, differentiate(g, f, wrt))], point)[0]!;
    };
    expect(at('relu(a)', 'a', { a: 0 })).toBe(0);
    expect(at('relu(a)', 'a', { a: -0 })).toBe(0);
    expect(at('relu(a)', 'a', { a: 1e-300 })).toBe(1);
    expect(at('relu(a)', 'a', { a: -2 })).toBe(0);
    expect(at('max(a, b)', 'a', { a: 1, b: 1 })).toBe(1); // a tie goes to a
    expect(at('max(a, b)', 'b', { a: 1, b: 1 })).toBe(0);
    expect(at('min(a, b)', 'a', { a: 1, b: 1 })).toBe(1);
    expect(at('min(a, b)', 'b', { a: 1, b: 1 })).toBe(0);
    expect(at('max(a, b)', 'b', { a: 1, b: 1 + 1e-15 })).toBe(1);
    expect(at('abs(a)', 'a', { a: -3 })).toBe(-1);
    expect(at('abs(a)', 'a', { a: 2e-300 })).toBeCloseTo(1, 15); // |a|*(1/a): one rounding
    expect(at('abs(a)', 'a', { a: 0 })).toBeNaN(); // |a| has no derivative at 0 (the numeric API warns there too)
    expect(at('a*abs(a)', 'a', { a: 0 })).toBe(0); // ... but a|a| does, and its simplified derivative 2|a| says so
    expect(at('0^b', 'b', { b: 0.5 })).toBe(0); // 0^b is a step: flat on each side
  });
});
