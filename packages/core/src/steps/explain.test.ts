import { describe, expect, it } from 'vitest';
import { NudgeError, NudgeSyntaxError } from '../errors.js';
import { lower } from '../ir/lower.js';
import { Graph } from '../ir/node.js';
import { parse } from '../parse/parse.js';
import { differentiate } from '../symbolic/differentiate.js';
import { format } from '../symbolic/print.js';
import { simplify } from '../symbolic/simplify.js';
import { allSteps } from './explain.js';
import { explainDerivative, explainGradient, flattenSteps, renderSteps, type DerivativeStep, type Step } from './index.js';
import { verifySteps } from './verify.js';

const POINTS = [
  { x: 0.7, y: -1.3, z: 2.1, w: 0.4, b: -0.9, u: 1.1, v: -0.6 },
  { x: -1.9, y: 0.5, z: -0.2, w: -1.5, b: 1.7, u: 0.3, v: 2.2 },
  { x: 2.6, y: 1.2, z: 0.9, w: 2.3, b: 0.1, u: -1.4, v: 0.8 },
];

/** The symbolic derivative's text, as symbolic/ gives it. */
function symbolic(expression: string, wrt: string): string {
  const g = new Graph();
  return format(simplify(g, differentiate(g, lower(g, parse(expression)), wrt)));
}

function derivativeSteps(steps: readonly Step[]): DerivativeStep[] {
  return allSteps(steps).filter((s): s is DerivativeStep => s.kind === 'derivative');
}

/** The explanation, checked: the final derivative is the symbolic one and every step is right. */
function explained(expression: string, wrt?: string) {
  const r = explainDerivative(expression, wrt);
  expect(r.derivative).toBe(symbolic(expression, r.wrt));
  expect(verifySteps(r.steps, POINTS)).toEqual([]);
  return r;
}

describe('explainDerivative: the rules as a course writes them', () => {
  it('d/dx x^2: the power rule gives 2x', () => {
    const r = explained('x^2');
    expect(r.derivative).toBe('2*x');
    expect(r.latex).toBe('\\frac{d}{dx}\\left[x^{2}\\right] = 2x');
    expect(r.steps).toHaveLength(1);
    const power = r.steps[0] as DerivativeStep;
    expect(power).toMatchObject({ kind: 'derivative', rule: 'power', expression: 'x^2', wrt: 'x', result: '2*x', applied: '2*x^1' });
    expect(power.equation).toBe('d/dx[x^2] = 2*x^1 = 2*x');
    expect(power.latex).toBe('\\frac{d}{dx}\\left[x^{2}\\right] = 2 \\cdot x^{1} = 2x');
    expect(power.text).toContain('n = 2');
  });

  it('3x^2: the constant multiple stays in front of the power rule', () => {
    const r = explained('3*x^2');
    const top = r.steps[0] as DerivativeStep;
    expect(top).toMatchObject({ rule: 'constant-multiple', formula: '3*d/dx[x^2]', applied: '3*(2*x)', result: '6*x' });
    expect(top.steps.map((s) => s.rule)).toEqual(['power']);
  });

  it('x^2 + 3x: the sum rule, term by term', () => {
    const r = explained('x^2 + 3*x');
    const top = r.steps[0] as DerivativeStep;
    expect(top).toMatchObject({ rule: 'sum', formula: 'd/dx[x^2] + d/dx[3*x]', applied: '2*x + 3', result: '2*x + 3' });
    expect(top.steps.map((s) => [s.rule, s.expression, s.result])).toEqual([
      ['power', 'x^2', '2*x'],
      ['constant-multiple', '3*x', '3'],
    ]);
    expect(top.steps[1]!.steps.map((s) => s.rule)).toEqual(['variable']);
  });

  it('a difference and a constant term', () => {
    const r = explained('x^3 - 4*x + 5');
    const top = r.steps[0] as DerivativeStep;
    expect(top.title).toBe('Sum and difference rule');
    expect(top.formula).toBe('d/dx[x^3] - d/dx[4*x] + d/dx[5]');
    expect(top.steps.map((s) => s.rule)).toEqual(['power', 'constant-multiple', 'constant']);
    expect(top.steps[2]!.result).toBe('0');
  });

  it('x*sin(x): the product rule', () => {
    const r = explained('x*sin(x)');
    const top = r.steps[0] as DerivativeStep;
    expect(top).toMatchObject({
      rule: 'product',
      formula: 'd/dx[x]*sin(x) + x*d/dx[sin(x)]',
      applied: '1*sin(x) + x*cos(x)',
      result: symbolic('x*sin(x)', 'x'),
    });
    expect(top.steps.map((s) => [s.rule, s.result])).toEqual([
      ['variable', '1'],
      ['sin', 'cos(x)'],
    ]);
  });

  it('sin(x)/x: a quotient for people, though the IR holds sin(x)*(1/x)', () => {
    const r = explained('sin(x)/x');
    const top = r.steps[0] as DerivativeStep;
    expect(top.rule).toBe('quotient');
    expect(top.text).toContain('f = sin(x) and g = x');
    expect(top.formula).toBe('(d/dx[sin(x)]*x - sin(x)*d/dx[x])/x^2');
    expect(top.applied).toBe('(cos(x)*x - sin(x)*1)/x^2');
    expect(top.latex).toContain('\\frac{\\cos\\left(x\\right) \\cdot x - \\sin\\left(x\\right) \\cdot 1}{x^{2}}');
    expect(top.steps.map((s) => s.rule)).toEqual(['sin', 'variable']);
  });

  it('1/x and 2/x: the reciprocal rule (with a constant multiple)', () => {
    expect(explained('1/x').steps[0]).toMatchObject({ rule: 'reciprocal', result: '-1/x^2' });
    const two = explained('2/x').steps[0]!;
    expect(two).toMatchObject({ rule: 'constant-multiple', result: '-2/x^2' });
    expect(two.steps[0]).toMatchObject({ rule: 'reciprocal', expression: '1/x' });
  });

  it('sin(x^2): the chain rule in four steps, u = x^2', () => {
    const r = explained('sin(x^2)');
    expect(r.derivative).toBe('2*x*cos(x^2)');
    const chain = r.steps[0] as DerivativeStep;
    expect(chain).toMatchObject({ rule: 'chain', formula: 'dy/du*du/dx', result: '2*x*cos(x^2)' });
    expect(chain.text).toContain('y = sin(u), u = x^2');
    const [inner, outer, swap, product] = chain.steps as DerivativeStep[];
    // (1) the inner derivative
    expect(inner).toMatchObject({ rule: 'chain-inner', name: 'du/dx', expression: 'x^2', wrt: 'x', result: '2*x' });
    expect(inner!.steps.map((s) => s.rule)).toEqual(['power']);
    // (2) the outer derivative, u as the variable
    expect(outer).toMatchObject({ rule: 'chain-outer', name: 'dy/du', expression: 'sin(u)', wrt: 'u', result: 'cos(u)' });
    expect(outer!.steps.map((s) => s.rule)).toEqual(['sin']);
    // (3) u swapped back for x^2
    expect(swap).toMatchObject({ rule: 'chain-substitute', expression: 'sin(u)', wrt: 'u', where: { u: 'x^2' }, result: 'cos(x^2)' });
    expect(swap!.equation).toBe('dy/du = cos(u) = cos(x^2), with u = x^2');
    // (4) the product
    expect(product).toMatchObject({ rule: 'chain-product', formula: 'dy/du*du/dx', applied: 'cos(x^2)*(2*x)', result: '2*x*cos(x^2)' });
    expect(product!.latex).toBe(
      '\\frac{dy}{dx} = \\frac{dy}{du} \\cdot \\frac{du}{dx} = \\cos\\left(x^{2}\\right) \\cdot \\left(2x\\right) = 2x \\cos\\left(x^{2}\\right)',
    );
    expect(chain.steps).toHaveLength(4);
  });

  it('exp(sin(x^2)): a nested chain, u then v, in Leibniz form', () => {
    const r = explained('exp(sin(x^2))');
    const chain = r.steps[0] as DerivativeStep;
    expect(chain.text).toContain('y = exp(u), u = sin(v), v = x^2');
    expect(chain.formula).toBe('dy/du*du/dv*dv/dx');
    const steps = chain.steps as DerivativeStep[];
    expect(steps.map((s) => [s.rule, s.name, s.result])).toEqual([
      ['chain-inner', 'dv/dx', '2*x'],
      ['chain-outer', 'dy/du', 'exp(u)'],
      ['chain-outer', 'du/dv', 'cos(v)'],
      ['chain-substitute', 'dy/du', 'exp(sin(x^2))'],
      ['chain-substitute', 'du/dv', 'cos(x^2)'],
      ['chain-product', 'dy/dx', symbolic('exp(sin(x^2))', 'x')],
    ]);
    expect(steps[5]!.applied).toBe('exp(sin(x^2))*cos(x^2)*(2*x)');
    expect(steps[5]!.latex).toContain('\\frac{dy}{du} \\cdot \\frac{du}{dv} \\cdot \\frac{dv}{dx}');
  });

  it('(x^2 + 1)^3 and sqrt(x^2 + 1): powers and roots of an inner function', () => {
    const cube = explained('(x^2 + 1)^3').steps[0] as DerivativeStep;
    expect(cube.steps.map((s) => [s.rule, s.result])).toEqual([
      ['chain-inner', '2*x'],
      ['chain-outer', '3*u^2'],
      ['chain-substitute', '3*(x^2 + 1)^2'],
      ['chain-product', symbolic('(x^2 + 1)^3', 'x')],
    ]);
    expect(cube.steps[1]!.steps[0]!.rule).toBe('power');
    const root = explained('sqrt(x^2 + 1)').steps[0] as DerivativeStep;
    expect(root.steps[1]!.steps[0]!.rule).toBe('sqrt');
  });

  it('sigmoid(w*x + b) by w: a chain inside a partial derivative', () => {
    const r = explained('sigmoid(w*x + b)', 'w');
    expect(r.latex.startsWith('\\frac{\\partial}{\\partial w}')).toBe(true);
    const held = r.steps[0] as DerivativeStep;
    expect(held.rule).toBe('hold-constant');
    expect(held.text).toContain('treat b and x as constants');
    const chain = held.steps[0] as DerivativeStep;
    expect(chain.rule).toBe('chain');
    const [inner, outer, swap, product] = chain.steps as DerivativeStep[];
    expect(inner).toMatchObject({ name: 'du/dw', expression: 'w*x + b', result: 'x' });
    expect(inner!.latex.startsWith('\\frac{\\partial u}{\\partial w}')).toBe(true);
    expect(inner!.steps[0]!.rule).toBe('sum');
    expect(outer).toMatchObject({ expression: 'sigmoid(u)', result: 'sigmoid(u)*(1 - sigmoid(u))' });
    expect(outer!.steps[0]!.rule).toBe('sigmoid');
    expect(swap!.result).toBe('sigmoid(w*x + b)*(1 - sigmoid(w*x + b))');
    expect(product!.result).toBe(symbolic('sigmoid(w*x + b)', 'w'));
  });

  it('the partial of x^2*y + sin(z) by y holds x and z constant', () => {
    const r = explained('x^2*y + sin(z)', 'y');
    expect(r.derivative).toBe('x^2');
    const held = r.steps[0] as DerivativeStep;
    expect(held).toMatchObject({ rule: 'hold-constant', expression: 'x^2*y + sin(z)', wrt: 'y', result: 'x^2' });
    expect(held.text).toBe('Only y varies: treat x and z as constants, numbers that do not change when y changes.');
    const sum = held.steps[0]!;
    expect(sum.rule).toBe('sum');
    expect(sum.steps.map((s) => [s.rule, s.expression, s.result])).toEqual([
      ['constant-multiple', 'x^2*y', 'x^2'],
      ['constant', 'sin(z)', '0'],
    ]);
    expect(sum.steps[0]!.text).toContain('c = x^2 (x^2 does not depend on y)');
    expect(sum.steps[1]!.text).toBe('sin(z) does not depend on y: it is a constant, so its derivative is 0.');
  });

  it('each function has its own rule, from the op table', () => {
    for (const [f, d] of [
      ['exp(x)', 'exp(x)'],
      ['log(x)', '1/x'],
      ['cos(x)', '-sin(x)'],
      ['tan(x)', 'sec(x)^2'],
      ['sqrt(x)', '1/(2*sqrt(x))'],
      ['atan(x)', '1/(x^2 + 1)'],
      ['tanh(x)', '1 - tanh(x)^2'],
      ['softplus(x)', 'sigmoid(x)'],
    ] as const) {
      const r = explained(f);
      expect(r.steps[0]).toMatchObject({ rule: f.slice(0, f.indexOf('(')), result: d });
    }
    expect(explained('cos(x)').steps[0]!.text).toBe('The rule for cos: d/du[cos(u)] = -sin(u).');
  });

  it('2^x, e^x and x^x: exponentials and a varying power', () => {
    expect(explained('2^x').steps[0]).toMatchObject({ rule: 'exponential', result: '2^x*log(2)' });
    expect(explained('e^x').steps[0]).toMatchObject({ rule: 'exp', result: 'exp(x)' });
    const xx = explained('x^x').steps[0] as DerivativeStep;
    expect(xx).toMatchObject({ rule: 'general-power', result: 'x^x*(log(x) + 1)' });
    expect(xx.steps.map((s) => s.rule)).toEqual(['variable', 'variable']);
  });

  it('max(x, x^2): the selection rule with its indicator', () => {
    const top = explained('max(x, x^2)').steps[0] as DerivativeStep;
    expect(top.rule).toBe('max');
    expect(top.steps.map((s) => s.rule)).toEqual(['variable', 'power']);
  });

  it('placeholders never clash with the variables: u is taken, so v', () => {
    const r = explained('sin(u^2)');
    const chain = r.steps[0] as DerivativeStep;
    expect(chain.text).toContain('y = sin(v), v = u^2');
    const y = explained('exp(y^2)');
    expect((y.steps[0] as DerivativeStep).text).toContain('f = exp(u), u = y^2');
  });

  it('sibling chains reuse u; a chain inside a chain gets new names', () => {
    const r = explained('sin(x^2) + cos(x^3)');
    const chains = derivativeSteps(r.steps).filter((s) => s.rule === 'chain');
    expect(chains.map((c) => c.text.match(/: (.*)\. Its/)![1])).toEqual(['y = sin(u), u = x^2', 'y = cos(u), u = x^3']);
    const nested = explained('sin(x*cos(x^2))');
    const inner = derivativeSteps(nested.steps).filter((s) => s.rule === 'chain');
    expect(inner.map((c) => c.text.match(/: (.*)\. Its/)![1])).toEqual(['y = sin(u), u = x*cos(x^2)', 'f = cos(v), v = x^2']);
  });

  it('steps read depth-first, each before its details', () => {
    const r = explained('x*sin(x^2)');
    const flat = flattenSteps(r.steps).map(({ step, depth }) => `${depth}:${step.rule}`);
    expect(flat).toEqual([
      '0:product',
      '1:variable',
      '1:chain',
      '2:chain-inner',
      '3:power',
      '2:chain-outer',
      '3:sin',
      '2:chain-substitute',
      '2:chain-product',
    ]);
    const text = renderSteps(r.steps);
    expect(text.split('\n')[0]).toMatch(/^Product rule: /);
    expect(text).toContain('\n      du/dx = d/dx[x^2] = 2*x');
  });

  it('every step has its LaTeX line', () => {
    const r = explained('exp(-x^2/2)*log(x) + 1/(x^2 + 1)');
    for (const s of allSteps(r.steps)) {
      expect(s.latex.length).toBeGreaterThan(0);
      expect(s.latex).toContain('=');
      expect(s.latex).not.toMatch(/undefined|NaN/);
    }
  });

  it('bad input: a typed error', () => {
    expect(() => explainDerivative('x^^2')).toThrow(NudgeSyntaxError);
    const several = (() => {
      try {
        explainDerivative('x*y');
      } catch (e) {
        return e;
      }
    })();
    expect(several).toBeInstanceOf(NudgeError);
    expect((several as NudgeError).code).toBe('invalid-argument');
    expect((several as NudgeError).message).toContain('x, y');
    expect(() => explainDerivative('x', '2x')).toThrow(/not a variable name/);
  });

  it('a variable the expression does not use: everything is held constant', () => {
    const r = explained('x^2', 'y');
    expect(r.derivative).toBe('0');
    expect(r.steps[0]!.rule).toBe('hold-constant');
  });
});

describe('explainGradient', () => {
  it('the gradient of x^2*y collects the partials into a vector', () => {
    const r = explainGradient('x^2*y');
    expect(r.variables).toEqual(['x', 'y']);
    expect(r.gradient).toEqual(['2*x*y', 'x^2']);
    expect(r.steps.map((s) => s.rule)).toEqual(['hold-constant', 'hold-constant', 'gradient']);
    expect(r.steps[0]!.text).toContain('treat y as a constant');
    const last = r.steps[2]!;
    expect(last).toMatchObject({ kind: 'gradient', result: '(2*x*y, x^2)', components: ['2*x*y', 'x^2'] });
    expect(r.latex).toBe(
      '\\nabla f = \\left(\\frac{\\partial f}{\\partial x}, \\frac{\\partial f}{\\partial y}\\right) = \\left(2x y, x^{2}\\right)',
    );
    expect(verifySteps(r.steps, POINTS)).toEqual([]);
  });

  it('one variable: one component, no variable held constant', () => {
    const r = explainGradient('sin(x)');
    expect(r.gradient).toEqual(['cos(x)']);
    expect(r.steps.map((s) => s.rule)).toEqual(['sin', 'gradient']);
  });

  it('variables in natural order', () => {
    expect(explainGradient('x10*x2 + x1').variables).toEqual(['x1', 'x2', 'x10']);
  });
});

describe('verifySteps catches a wrong step', () => {
  it('a result that is not the derivative is reported', () => {
    const r = explainDerivative('x^3');
    const wrong = { ...(r.steps[0] as DerivativeStep), result: '3*x' };
    expect(verifySteps([wrong], POINTS).length).toBeGreaterThan(0);
  });
});
