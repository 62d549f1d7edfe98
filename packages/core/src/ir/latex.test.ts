import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from '../parse/parse.js';
import { symbolicDerivative } from '../symbolic/index.js';
import { simplify } from '../symbolic/simplify.js';
import { latex, latexName } from './latex.js';
import { lower } from './lower.js';
import { Graph } from './node.js';

const tex = (text: string): string => {
  const g = new Graph();
  return latex(simplify(g, lower(g, parse(text))));
};
const dtex = (text: string, wrt?: string): string => symbolicDerivative(text, wrt).latex;

describe('LaTeX', () => {
  it.each([
    ['2*x', '2x'],
    ['x*y', 'x y'],
    ['x^2', 'x^{2}'],
    ['x^(y + 1)', 'x^{y + 1}'],
    ['(x + 1)^2', '\\left(x + 1\\right)^{2}'],
    ['sin(x^2)', '\\sin\\left(x^{2}\\right)'],
    ['sin(x)^2', '\\sin^{2}\\left(x\\right)'],
    ['1/(2*sqrt(x))', '\\frac{1}{2 \\sqrt{x}}'],
    ['cbrt(x)', '\\sqrt[3]{x}'],
    ['exp(-x)', 'e^{-x}'],
    ['exp(-x^2/2)', 'e^{-\\frac{x^{2}}{2}}'],
    ['exp(x)^2', '\\left(e^{x}\\right)^{2}'],
    ['sigmoid(x)', '\\sigma\\left(x\\right)'],
    ['log(x)', '\\ln\\left(x\\right)'],
    ['log10(x)', '\\log_{10}\\left(x\\right)'],
    ['log2(x)', '\\log_{2}\\left(x\\right)'],
    ['abs(x)', '\\left|x\\right|'],
    ['relu(x)', '\\operatorname{ReLU}\\left(x\\right)'],
    ['softplus(x)', '\\operatorname{softplus}\\left(x\\right)'],
    ['asinh(x)', '\\operatorname{arsinh}\\left(x\\right)'],
    ['atan(x)', '\\arctan\\left(x\\right)'],
    ['max(x, y)', '\\max\\left(x, y\\right)'],
    ['x - y - 1', 'x - y - 1'],
    ['-x*y', '-x y'],
    ['-(x + y)*z', '-z \\left(x + y\\right)'],
    ['2*pi*r', '2 \\pi r'],
    ['x*2^y', 'x \\cdot 2^{y}'],
    ['1e-7*x', '10^{-7} x'],
    ['theta + w1 + x_2 + lr', '\\mathrm{lr} + \\theta + w_{1} + x_{2}'],
    ['0^relu(x)', '\\left[x \\le 0\\right]'],
    ['1 - 0^relu(x)', '\\left[x > 0\\right]'],
    ['0^relu(1 - x)', '\\left[x \\ge 1\\right]'],
    ['0^relu(-x) - 0^relu(x)', '\\operatorname{sgn}\\left(x\\right)'],
  ])('%s is %s', (text, want) => {
    expect(tex(text)).toBe(want);
  });

  it('shows derivatives as a textbook does', () => {
    expect(dtex('x^2')).toBe('2x');
    expect(dtex('x^3')).toBe('3x^{2}');
    expect(dtex('sin(x^2)')).toBe('2x \\cos\\left(x^{2}\\right)');
    expect(dtex('exp(-x^2/2)')).toBe('-x e^{-\\frac{x^{2}}{2}}');
    expect(dtex('sigmoid(x)')).toBe('\\sigma\\left(x\\right) \\left(1 - \\sigma\\left(x\\right)\\right)');
    expect(dtex('log(x)')).toBe('\\frac{1}{x}');
    expect(dtex('sqrt(x)')).toBe('\\frac{1}{2 \\sqrt{x}}');
    expect(dtex('tan(x)')).toBe('\\sec^{2}\\left(x\\right)');
    expect(dtex('relu(w*x + b)', 'w')).toBe('x \\left[w x + b > 0\\right]');
    expect(dtex('max(x, 1)')).toBe('\\left[x \\ge 1\\right]');
    expect(dtex('abs(x)')).toBe('\\frac{\\left|x\\right|}{x}');
  });

  it('writes names KaTeX understands', () => {
    expect(latexName('x')).toBe('x');
    expect(latexName('x10')).toBe('x_{10}');
    expect(latexName('alpha')).toBe('\\alpha');
    expect(latexName('w_out')).toBe('w_{\\mathrm{out}}');
    expect(latexName('rate')).toBe('\\mathrm{rate}');
  });

  it('balances its braces and \\left/\\right pairs (property)', () => {
    const leaf = fc.constantFrom('x', 'y', '2', '0.5', 'pi', '3');
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
        fc.tuple(fc.constantFrom('sin', 'exp', 'log', 'sqrt', 'abs', 'sigmoid', 'relu', 'tanh', 'cbrt', '-'), tie('e')).map(([f, a]) => `${f}(${a})`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `max(${a}, ${b})`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, fc.boolean(), (text, differentiateIt) => {
        const g = new Graph();
        const f = lower(g, parse(text));
        const s = differentiateIt ? symbolicDerivative({ graph: g, node: f }, 'x').node : simplify(g, f);
        const t = latex(s);
        let depth = 0;
        for (const ch of t) {
          if (ch === '{') depth++;
          if (ch === '}') depth--;
          expect(depth).toBeGreaterThanOrEqual(0);
        }
        expect(depth).toBe(0);
        expect(t.split('\\left').length).toBe(t.split('\\right').length);
        expect(t).not.toMatch(/\^\{\}|\\frac\{\}|\*|NaN(?!\})/);
      }),
      { numRuns: 300 },
    );
  });
});
