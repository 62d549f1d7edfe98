import { describe, expect, it } from 'vitest';
import { NudgeError } from '../errors.js';
import { evaluateIr } from '../ir/evaluate.js';
import { lower } from '../ir/lower.js';
import { Graph } from '../ir/node.js';
import { parse } from '../parse/parse.js';
import { astSize, simplifyExpression, symbolicDerivative, symbolicGradient, treeSize } from './index.js';

describe('symbolicDerivative', () => {
  it.each([
    ['x^2', 'x', '2*x', '2x'],
    ['x^3', 'x', '3*x^2', '3x^{2}'],
    ['sin(x^2)', 'x', '2*x*cos(x^2)', '2x \\cos\\left(x^{2}\\right)'],
    ['exp(-x^2/2)', 'x', '-x*exp(-x^2/2)', '-x e^{-\\frac{x^{2}}{2}}'],
    ['sigmoid(x)', 'x', 'sigmoid(x)*(1 - sigmoid(x))', '\\sigma\\left(x\\right) \\left(1 - \\sigma\\left(x\\right)\\right)'],
    ['log(x)', 'x', '1/x', '\\frac{1}{x}'],
    ['sqrt(x)', 'x', '1/(2*sqrt(x))', '\\frac{1}{2 \\sqrt{x}}'],
    ['x^2*y', 'x', '2*x*y', '2x y'],
    ['x^2*y', 'y', 'x^2', 'x^{2}'],
    ['tanh(w*x+b)', 'w', 'x*(1 - tanh(w*x + b)^2)', 'x \\left(1 - \\tanh^{2}\\left(w x + b\\right)\\right)'],
    ['-y*log(sigmoid(w*x)) - (1-y)*log(1-sigmoid(w*x))', 'w', 'x*(sigmoid(w*x) - y)', 'x \\left(\\sigma\\left(w x\\right) - y\\right)'],
    ['(w*x + b - y)^2', 'b', '2*(w*x + b - y)', '2 \\left(w x + b - y\\right)'],
    ['x*log(x)', 'x', 'log(x) + 1', '\\ln\\left(x\\right) + 1'],
    ['x^x', 'x', 'x^x*(log(x) + 1)', 'x^{x} \\left(\\ln\\left(x\\right) + 1\\right)'],
    ['x*exp(x)', 'x', 'exp(x)*(x + 1)', 'e^{x} \\left(x + 1\\right)'],
    ['tan(x)', 'x', 'sec(x)^2', '\\sec^{2}\\left(x\\right)'],
    ['log10(x)', 'x', 'log10(e)/x', '\\frac{\\log_{10} e}{x}'],
    ['2^x', 'x', '2^x*log(2)', '2^{x} \\ln 2'],
    ['relu(x)', 'x', '1 - 0^relu(x)', '\\left[x > 0\\right]'],
    ['abs(x)', 'x', 'abs(x)/x', '\\frac{\\left|x\\right|}{x}'],
  ])('d/d%1$s of %0$s', (text, wrt, expression, latex) => {
    const d = symbolicDerivative(text, wrt);
    expect(d.expression).toBe(expression);
    expect(d.latex).toBe(latex);
    expect(d.wrt).toBe(wrt);
    expect(d.size).toBe(astSize(parse(expression)));
  });

  it('takes the only variable by default, and higher orders', () => {
    expect(symbolicDerivative('x^3').expression).toBe('3*x^2');
    expect(symbolicDerivative('x^3', 'x', { order: 2 }).expression).toBe('6*x');
    expect(symbolicDerivative('x^3', 'x', { order: 4 }).expression).toBe('0');
    expect(symbolicDerivative('sin(x)', undefined, { order: 0 }).expression).toBe('sin(x)');
    expect(symbolicDerivative('sigmoid(x)', 'x', { order: 2 }).expression).toBe('sigmoid(x)*(1 - 2*sigmoid(x))*(1 - sigmoid(x))');
    expect(symbolicDerivative('5').expression).toBe('0');
    expect(symbolicDerivative('x^2', 'z').expression).toBe('0');
  });

  it('gives the raw chain rule when asked', () => {
    expect(symbolicDerivative('x*x', 'x', { simplify: false }).expression).toBe('x + x');
    expect(symbolicDerivative('x*x', 'x').expression).toBe('2*x');
  });

  it('works on IR in a graph of the caller’s, and keeps the expression it differentiated', () => {
    const g = new Graph();
    const f = lower(g, parse('x*y + sin(x)'));
    const d = symbolicDerivative({ graph: g, node: f }, 'x');
    expect(d.graph).toBe(g);
    expect(d.expression).toBe('y + cos(x)');
    expect(d.of.expression).toBe('x*y + sin(x)');
    expect(evaluateIr([d.node], { x: 0, y: 2 })).toEqual([3]);
  });

  it('says what is wrong', () => {
    const error = (fn: () => unknown): NudgeError => {
      try {
        fn();
      } catch (e) {
        if (e instanceof NudgeError) return e;
        throw e;
      }
      throw new Error('no error');
    };
    expect(error(() => symbolicDerivative('x*y')).message).toBe('f has 2 variables (x, y): say which one to differentiate by');
    expect(error(() => symbolicDerivative('x^2', 'x', { order: 1.5 })).code).toBe('invalid-argument');
    expect(error(() => symbolicDerivative('x^2', 'q', { variables: ['x'] })).code).toBe('unknown-variable');
    expect(error(() => symbolicDerivative('x^2', '2x')).message).toMatch(/not a variable name/);
    expect(error(() => symbolicDerivative('sin(x')).code).toBe('syntax');
  });
});

describe('symbolicGradient and simplifyExpression', () => {
  it('gives every partial derivative in natural order, in one graph', () => {
    const grad = symbolicGradient('x^2*y + sin(z)');
    expect(grad.map((d) => [d.wrt, d.expression])).toEqual([
      ['x', '2*x*y'],
      ['y', 'x^2'],
      ['z', 'cos(z)'],
    ]);
    expect(new Set(grad.map((d) => d.graph)).size).toBe(1);
  });

  it('simplifies an expression', () => {
    const s = simplifyExpression('x*x + 2*x*x - 3*x^2 + y/y');
    expect(s.expression).toBe('1');
    expect(s.latex).toBe('1');
  });
});

describe('treeSize', () => {
  it('counts the printed tree, numbers as one node wherever they stand', () => {
    const size = (text: string): number => {
      const g = new Graph();
      return treeSize(lower(g, parse(text)));
    };
    expect(size('x')).toBe(1);
    expect(size('2*x')).toBe(3);
    expect(size('x/2')).toBe(3);
    expect(size('-x/2')).toBe(3);
    expect(size('-x*y')).toBe(4);
    expect(size('1/(2*sqrt(x))')).toBe(4);
    expect(size('x^2 + 3*x + 2*log(10)')).toBe(9);
    expect(size('sin(x)^2 + cos(x)^2')).toBe(9);
    expect(astSize(parse('1/2/sqrt(x)'))).toBe(4);
    expect(astSize(parse('-(x*y)'))).toBe(4);
  });
});
