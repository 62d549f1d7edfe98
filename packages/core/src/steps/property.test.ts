import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lower } from '../ir/lower.js';
import { Graph } from '../ir/node.js';
import { parse } from '../parse/parse.js';
import { differentiate } from '../symbolic/differentiate.js';
import { format } from '../symbolic/print.js';
import { simplify } from '../symbolic/simplify.js';
import { allSteps } from './explain.js';
import { explainDerivative, explainGradient, type Step } from './index.js';
import { verifySteps } from './verify.js';

/** Expressions in x as a course meets them: sums, products, quotients, whole powers, and compositions. */
const leaf = fc.constantFrom('x', 'x', 'x', '2', '3', '0.5', '1');
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
    fc.tuple(tie('e'), fc.constantFrom('-2', '-1', '0', '1', '2', '3', '4')).map(([a, k]) => `(${a})^(${k})`),
    fc.tuple(fc.constantFrom('sin', 'cos', 'exp', 'log', 'sqrt', '-'), tie('e')).map(([f, a]) => `${f}(${a})`),
  ),
})).e;

/** Points for x and for the chain rule's placeholders (u, v, ...). */
const points = fc.array(fc.double({ min: -3, max: 3, noNaN: true }).map((v) => Math.round(v * 1000) / 1000 + 0), {
  minLength: 12,
  maxLength: 12,
});

/** Every function of the language, and a second variable. */
const anyLeaf = fc.constantFrom('x', 'y', 'x', 'y', '2', '3', '0.5', '1', 'pi');
const anyExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyLeaf,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
    fc.tuple(tie('e'), fc.constantFrom('-2', '-1', '0', '2', '3', '0.5', '-0.5', '2.5')).map(([a, k]) => `(${a})^(${k})`),
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

function symbolic(expression: string, wrt = 'x'): string {
  const g = new Graph();
  return format(simplify(g, differentiate(g, lower(g, parse(expression)), wrt)));
}

/** Braces and \left( \right) pairs balance: the line can be typeset. */
function balanced(latex: string): boolean {
  let depth = 0;
  for (const c of latex.replaceAll('\\{', '').replaceAll('\\}', '')) {
    if (c === '{') depth++;
    if (c === '}' && --depth < 0) return false;
  }
  return depth === 0 && latex.split('\\left').length === latex.split('\\right').length;
}

function pointsFrom(values: readonly number[]): Record<string, number>[] {
  const names = ['x', 'u', 'v', 'w', 's', 't', 'y', 'f', 'g', 'r', 'q', 'p'];
  return [0, 1, 2].map((k) => Object.fromEntries(names.map((n, i) => [n, values[(k * 4 + i) % values.length]!])));
}

describe('every step is right by itself (fast-check)', () => {
  it('each step result is the derivative of its own expression; the final derivative is the symbolic one', () => {
    fc.assert(
      fc.property(expr, points, (e, values) => {
        const r = explainDerivative(e, 'x');
        expect(r.derivative).toBe(symbolic(e));
        const mismatches = verifySteps(r.steps, pointsFrom(values), 1e-7);
        expect(mismatches.map((m) => `${m.step.rule}: ${m.step.expression} -> ${m.step.result} at ${JSON.stringify(m.at)}: ${m.expected} vs ${m.got}`)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('the same for every function of the language, by x or y, and for the gradient', () => {
    fc.assert(
      fc.property(anyExpr, fc.constantFrom('x', 'y'), points, (e, wrt, values) => {
        const r = explainDerivative(e, wrt);
        expect(r.derivative).toBe(symbolic(e, wrt));
        expect(verifySteps(r.steps, pointsFrom(values), 1e-6).map((m) => `${m.step.rule}: ${m.step.expression}`)).toEqual([]);
        expect(verifySteps(explainGradient(e).steps, pointsFrom(values), 1e-6).map((m) => `${m.step.rule}: ${m.step.expression}`)).toEqual([]);
        for (const s of allSteps(r.steps)) expect(balanced(s.latex), s.latex).toBe(true);
        expect(balanced(r.latex)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('every derivative step of a composition goes through the chain rule in order', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const steps: Step[] = allSteps(explainDerivative(e, 'x').steps);
        for (const chain of steps.filter((s) => s.rule === 'chain')) {
          const rules = chain.steps.map((s) => s.rule);
          const links = rules.filter((r) => r === 'chain-outer').length;
          expect(links).toBeGreaterThan(0);
          expect(rules).toEqual(['chain-inner', ...Array(links).fill('chain-outer'), ...Array(links).fill('chain-substitute'), 'chain-product']);
          expect(chain.result).toBe(chain.steps[chain.steps.length - 1]!.result);
        }
        for (const s of steps) expect(s.latex.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
