import { describe, expect, it } from 'vitest';
import { NudgeError, NudgeSyntaxError } from '../errors.js';
import { explainChain, explainDerivative, type DerivativeStep, type Step, type ValueStep } from './index.js';
import { verifySteps } from './verify.js';

const POINTS = [
  { x: 0.7, u: 1.1, v: -0.6, w: 0.4, b: -0.9 },
  { x: -1.9, u: 0.3, v: 2.2, w: -1.5, b: 1.7 },
];

function errorOf(f: () => unknown): NudgeError {
  try {
    f();
  } catch (e) {
    if (e instanceof NudgeError) return e;
    throw e;
  }
  throw new Error('no error');
}

const values = (steps: readonly Step[]): ValueStep[] => steps.filter((s): s is ValueStep => s.kind === 'value');

describe('explainChain: a composition link by link', () => {
  it('sin(u), u = x^2 at x = 1.5: factors cos(2.25) and 3, their product the derivative', () => {
    const r = explainChain('sin(u)', ['u=x^2'], { x: 1.5 });
    expect(r.composed).toBe('sin(x^2)');
    expect(r.wrt).toBe('x');
    expect(r.derivative).toBe('2*x*cos(x^2)');
    expect(r.derivative).toBe(explainDerivative('sin(x^2)').derivative);
    expect(r.links).toEqual([
      { name: 'y', expression: 'sin(u)' },
      { name: 'u', expression: 'x^2' },
    ]);
    expect(r.factors.map((f) => [f.name, f.expression, f.substituted])).toEqual([
      ['dy/du', 'cos(u)', 'cos(x^2)'],
      ['du/dx', '2*x', '2*x'],
    ]);
    const at = r.at!;
    expect(at.links).toEqual({ u: 2.25 });
    expect(at.factors[0]).toBe(Math.cos(2.25));
    expect(at.factors[1]).toBe(3);
    expect(at.product).toBe(Math.cos(2.25) * 3);
    expect(at.derivative).toBeCloseTo(2 * 1.5 * Math.cos(2.25), 14);
    expect(at.agrees).toBe(true);
    expect(Math.abs(at.product - at.derivative)).toBeLessThan(1e-12);

    expect(r.steps.map((s) => s.rule)).toEqual(['compose', 'chain', 'value', 'value', 'value', 'value', 'value']);
    expect(r.steps[0]).toMatchObject({ kind: 'rewrite', expression: 'sin(u)', where: { u: 'x^2' }, result: 'sin(x^2)' });
    const chain = r.steps[1] as DerivativeStep;
    expect(chain.steps.map((s) => s.rule)).toEqual(['chain-inner', 'chain-outer', 'chain-substitute', 'chain-product']);
    const [u, dydu, dudx, product, derivative] = values(r.steps);
    expect(u!.equation).toBe('u = x^2 = 1.5^2 = 2.25');
    expect(dydu!.equation).toBe(`dy/du = cos(u) = cos(2.25) = ${Number(Math.cos(2.25).toPrecision(12))}`);
    expect(dydu!.latex).toContain('\\cos\\left(2.25\\right)');
    expect(dudx!.equation).toBe('du/dx = 2*x = 2*1.5 = 3');
    expect(dudx!.latex).toBe('\\frac{du}{dx} = 2x = 2 \\cdot 1.5 = 3');
    expect(product!.equation).toMatch(/^dy\/dx = dy\/du\*du\/dx = \(-0\.628\d+\)\*3 = -1\.884\d+$/);
    expect(derivative!.text).toContain('the chain rule checks out');
    expect(verifySteps(r.steps, POINTS)).toEqual([]);
  });

  it('three links: y = exp(u), u = sin(v), v = 3*x', () => {
    const r = explainChain('exp(u)', ['u = sin(v)', 'v=3*x'], { x: -0.4 });
    expect(r.composed).toBe('exp(sin(3*x))');
    expect(r.factors.map((f) => f.name)).toEqual(['dy/du', 'du/dv', 'dv/dx']);
    expect(r.steps.filter((s) => s.rule === 'compose').map((s) => s.result)).toEqual(['exp(sin(v))', 'exp(sin(3*x))']);
    const chain = r.steps.find((s) => s.rule === 'chain') as DerivativeStep;
    expect(chain.formula).toBe('dy/du*du/dv*dv/dx');
    expect(r.at!.links.v).toBeCloseTo(-1.2, 15);
    expect(r.at!.links.u).toBe(Math.sin(r.at!.links.v!));
    expect(r.at!.factors).toEqual([Math.exp(r.at!.links.u!), Math.cos(r.at!.links.v!), 3]);
    expect(r.at!.agrees).toBe(true);
    expect(verifySteps(r.steps, POINTS)).toEqual([]);
  });

  it('links may be any expressions, explained rule by rule', () => {
    const r = explainChain('u^2 + 1/u', ['u=x*sin(x)']);
    const chain = r.steps.find((s) => s.rule === 'chain') as DerivativeStep;
    expect(chain.steps[0]!.steps[0]!.rule).toBe('product');
    expect(chain.steps[1]!.steps[0]!.rule).toBe('sum');
    expect(r.at).toBeUndefined();
    expect(verifySteps(r.steps, POINTS)).toEqual([]);
  });

  it('a last link in several variables: say which one, the others are held constant', () => {
    const r = explainChain('sigmoid(z)', ['z = w*x + b'], { w: 0.5, x: 2, b: -0.3 }, 'w');
    expect(r.output).toBe('y');
    expect(r.factors.map((f) => f.name)).toEqual(['dy/dz', 'dz/dw']);
    expect(r.at!.agrees).toBe(true);
    expect(r.at!.factors[1]).toBe(2);
    expect(errorOf(() => explainChain('sigmoid(z)', ['z = w*x + b'])).message).toContain('say which one');
  });

  it('y is not the output name when y is a link', () => {
    const r = explainChain('sin(y)', ['y=x^2']);
    expect(r.output).toBe('f');
    expect(r.factors[0]!.name).toBe('df/dy');
  });

  it('values that have no derivative are reported, not hidden', () => {
    const r = explainChain('sqrt(u)', ['u=x^2'], { x: 0 });
    expect(r.at!.factors[0]).toBe(Infinity);
    expect(r.at!.product).toBeNaN();
    expect(values(r.steps)[1]!.equation).toContain('Infinity');
  });

  it('errors: a link without =, an unused link, a cycle, extra variables, a bad point', () => {
    const noEquals = errorOf(() => explainChain('sin(u)', ['x^2']));
    expect(noEquals.code).toBe('invalid-argument');
    expect(noEquals.message).toBe("link 1 'x^2' has no '=': write each link as name=expression, e.g. u=x^2");
    expect(errorOf(() => explainChain('sin(u)', ['v=x^2'])).message).toBe(
      "the link 'v=x^2' defines v, but the outer expression 'sin(u)' does not use v",
    );
    expect(errorOf(() => explainChain('sin(u)', ['u=v^2', 'w=x'])).message).toContain("the link 'w=x' defines w, but the link 'u=v^2' does not use w");
    expect(errorOf(() => explainChain('sin(u)', ['u=v', 'v=u'])).message).toContain('cycle');
    expect(errorOf(() => explainChain('sin(u)', ['u=u+1'])).message).toContain('cycle');
    expect(errorOf(() => explainChain('sin(u)', ['u=v', 'u=x'])).message).toMatch(/cycle|twice/);
    expect(errorOf(() => explainChain('sin(u)*x', ['u=x^2'])).message).toContain('uses x as well as u');
    expect(errorOf(() => explainChain('sin(u)', [])).code).toBe('invalid-argument');
    expect(errorOf(() => explainChain('sin(u)', ['2u=x'])).message).toContain('variable name');
    expect(errorOf(() => explainChain('sin(pi)', ['pi=x'])).message).toContain('constant');
    expect(errorOf(() => explainChain('sin(u)', ['u=x^2'], {})).code).toBe('missing-variable');
    expect(errorOf(() => explainChain('sin(u)', ['u=x^2'], { x: 1, y: 2 })).code).toBe('unknown-variable');
    expect(errorOf(() => explainChain('sin(u)', ['u=x^2'], { x: NaN })).code).toBe('invalid-argument');
    expect(errorOf(() => explainChain('sin(u)', ['u=x^2'], undefined, 'y')).code).toBe('unknown-variable');
  });

  it('a syntax error in a link points at its column in the link as written', () => {
    const e = errorOf(() => explainChain('sin(u)', ['u=x^^2']));
    expect(e).toBeInstanceOf(NudgeSyntaxError);
    expect(e.column).toBe(5);
    expect(e.message).toBe("in the link 'u=x^^2': unexpected '^' at column 5");
    const outer = errorOf(() => explainChain('sin(u', ['u=x']));
    expect(outer).toBeInstanceOf(NudgeSyntaxError);
    expect(outer.message).toMatch(/^in the outer expression: /);
  });
});
