import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { derivative } from '../index.js';
import { evaluateIr } from '../ir/evaluate.js';
import { lower } from '../ir/lower.js';
import { Graph, type IrNode } from '../ir/node.js';
import { print } from '../ir/print.js';
import { parse } from '../parse/parse.js';
import { differentiate } from './differentiate.js';
import { format } from './print.js';
import { simplify } from './simplify.js';

/** Random well-formed expressions in x and y. */
const leaf = fc.constantFrom('x', 'y', 'x', 'y', '2', '3', '0.5', '1', 'pi');
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
    fc.tuple(tie('e'), fc.integer({ min: -2, max: 4 })).map(([a, k]) => `(${a})^${k < 0 ? `(${k})` : k}`),
    fc.tuple(
      fc.constantFrom('sin', 'cos', 'exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'atan', 'softplus', 'abs', 'cbrt', 'asinh', 'sec', '-'),
      tie('e'),
    ).map(([f, a]) => `${f}(${a})`),
  ),
})).e;

const point = fc.record({
  x: fc.double({ min: -3, max: 3, noNaN: true }).map((v) => Math.round(v * 1000) / 1000),
  y: fc.double({ min: -3, max: 3, noNaN: true }).map((v) => Math.round(v * 1000) / 1000),
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

        const [fv, dr, ds] = evaluateIr([f, raw, s], at);
        if (!Number.isFinite(fv!) || !Number.isFinite(dr!) || !Number.isFinite(ds!)) return;
        const scales = [scale(raw, at), scale(s, at)].filter(Number.isFinite);
        const tol = 1e-9 * Math.max(...scales, Math.abs(dr!), Math.abs(ds!), 1e-300);
        expect(Math.abs(dr! - ds!), `${text} d/d${wrt} at ${JSON.stringify(at)}: raw ${print(raw)} = ${dr}, simplified ${format(s)} = ${ds}`).toBeLessThanOrEqual(tol);
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
