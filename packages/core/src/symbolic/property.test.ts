import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { derivative } from '../index.js';
import { evaluateIr } from '../ir/evaluate.js';
import { lower } from '../ir/lower.js';
import { Graph, reachable, type IrNode } from '../ir/node.js';
import { print } from '../ir/print.js';
import { parse } from '../parse/parse.js';
import { differentiate } from './differentiate.js';
import { format } from './print.js';
import { simplify } from './simplify.js';
import { astSize, treeSize } from './size.js';

/** Random well-formed expressions in x and y. */
const leaf = fc.constantFrom('x', 'y', 'x', 'y', '2', '3', '0.5', '1', 'pi');
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
    fc.tuple(tie('e'), fc.constantFrom('-2', '-1', '0', '1', '2', '3', '4', '0.5', '1.5', '-0.5', '2.5')).map(([a, k]) => `(${a})^(${k})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a})^(${b})`),
    fc.tuple(
      fc.constantFrom(
        'sin', 'cos', 'tan', 'exp', 'log', 'log10', 'log2', 'sqrt', 'cbrt', 'abs', 'tanh', 'sinh', 'cosh',
        'sigmoid', 'softplus', 'relu', 'atan', 'asin', 'acos', 'asinh', 'acosh', 'atanh', 'sec', 'csc', 'cot', '-',
      ),
      tie('e'),
    ).map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom('min', 'max', 'pow'), tie('e'), tie('e')).map(([f, a, b]) => `${f}(${a}, ${b})`),
  ),
})).e;

const point = fc.record({
  // (-0 is left out: sqrt(-0) is -0 where (-0)^0.5 is 0, and 1/-0 is -inf)
  x: fc.double({ min: -3, max: 3, noNaN: true }).map((v) => Math.round(v * 1000) / 1000 + 0),
  y: fc.double({ min: -3, max: 3, noNaN: true }).map((v) => Math.round(v * 1000) / 1000 + 0),
});

/** Magnitude of the terms that make up a value: the scale of its rounding errors. */
function scale(root: IrNode, at: Record<string, number>): number {
  const memo = new Map<number, number>();
  const go = (n: IrNode): number => {
    const m = memo.get(n.id);
    if (m !== undefined) return m;
    let s: number;
    const v = Math.abs(evaluateIr([n], at)[0]!);
    if (n.op === 'add') s = n.args.reduce((acc, a) => acc + go(a), 0);
    else if (n.op === 'mul') s = n.args.reduce((acc, a) => acc * go(a), 1);
    else s = Math.max(v, ...n.args.map(go));
    memo.set(n.id, s);
    return s;
  };
  return go(root);
}

/**
 * True when every subexpression of f is finite at the point. Elsewhere IEEE
 * arithmetic gives values to undefined expressions (1/inf = 0, (-inf)^0.5 =
 * inf where sqrt(-inf) is NaN), which identities need not keep.
 */
function allFinite(f: IrNode, at: Record<string, number>): boolean {
  const nodes = reachable([f]);
  return evaluateIr(nodes, at).every(Number.isFinite);
}

/** True when some min, max, abs or relu in f is (nearly) at its corner, where one-sided derivatives differ. */
function nearKink(f: IrNode, at: Record<string, number>): boolean {
  return reachable([f]).some((n) => {
    if (n.op === 'min' || n.op === 'max') {
      const [a, b] = evaluateIr([n.args[0]!, n.args[1]!], at);
      return !(Math.abs(a! - b!) > 1e-6 * Math.max(1, Math.abs(a!), Math.abs(b!)));
    }
    if (n.op === 'abs' || n.op === 'relu') return !(Math.abs(evaluateIr([n.args[0]!], at)[0]!) > 1e-6);
    return false;
  });
}

describe('symbolic derivatives of random expressions (property)', () => {
  it('agree with the raw chain rule and with Richardson extrapolation, and simplify idempotently', () => {
    let checked = 0;
    fc.assert(
      fc.property(expr, point, fc.constantFrom('x', 'y'), (text, at, wrt) => {
        const g = new Graph();
        const f = lower(g, parse(text), { variables: ['x', 'y'] });
        const raw = differentiate(g, f, wrt);
        const s = simplify(g, raw);
        // idempotent
        expect(simplify(g, s)).toBe(s);
        // the printed text parses back to the same node after simplification
        expect(simplify(g, lower(g, parse(format(s)), { variables: ['x', 'y'] })), format(s)).toBe(s);
        expect(lower(g, parse(print(s)), { variables: ['x', 'y'] })).toBe(s);

        // the size as printed is the size of the printed text
        expect(treeSize(s), format(s)).toBe(astSize(parse(format(s))));
        // simplifying f itself keeps its value
        const sf = simplify(g, f);
        if (!allFinite(f, at)) return;
        const [v0, v1] = evaluateIr([f, sf], at);
        {
          expect(Math.abs(v0! - v1!), `${text} = ${v0}, simplified ${format(sf)} = ${v1}`).toBeLessThanOrEqual(
            1e-9 * Math.max(...[scale(f, at), scale(sf, at)].filter(Number.isFinite), Math.abs(v0!)),
          );
        }

        const [fv, dr, ds] = evaluateIr([f, raw, s], at);
        if (!Number.isFinite(fv!) || !Number.isFinite(dr!) || !Number.isFinite(ds!)) return;
        const scales = [scale(raw, at), scale(s, at)].filter(Number.isFinite);
        const tol = 1e-9 * Math.max(...scales, Math.abs(dr!), Math.abs(ds!), 1e-300);
        expect(Math.abs(dr! - ds!), `${text} d/d${wrt} at ${JSON.stringify(at)}: raw ${print(raw)} = ${dr}, simplified ${format(s)} = ${ds}`).toBeLessThanOrEqual(tol);
        if (nearKink(f, at)) return;
        const n = derivative(text, at, { method: 'richardson', wrt, variables: ['x', 'y'] });
        if (n.errorEstimate !== null && n.errorEstimate < 1e-7 * Math.max(1, Math.abs(n.derivative)) && !n.warning) {
          expect(Math.abs(ds! - n.derivative), `${text} d/d${wrt} at ${JSON.stringify(at)}: ${format(s)} = ${ds}, richardson ${n.derivative}`).toBeLessThanOrEqual(
            Math.max(1e-8 * Math.abs(n.derivative), 10 * n.errorEstimate, tol),
          );
          checked++;
        }
      }),
      { numRuns: 1500, seed: 20260101 },
    );
    console.log(`random expressions: ${checked} derivatives checked against Richardson extrapolation`);
    expect(checked).toBeGreaterThan(300);
  });
});
