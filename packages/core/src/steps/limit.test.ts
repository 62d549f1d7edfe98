import { describe, expect, it } from 'vitest';
import { NudgeError } from '../errors.js';
import { explainByLimit, explainDerivative, renderSteps, type Step } from './index.js';
import { verifySteps } from './verify.js';

const POINTS = [
  { x: 0.7, h: 0.3, t: -1.1, k: 0.45 },
  { x: -1.9, h: -0.6, t: 2.2, k: -0.2 },
  { x: 2.6, h: 1.4, t: 0.5, k: 0.9 },
];

const byRule = (steps: readonly Step[], rule: string): Step => {
  const s = steps.find((x) => x.rule === rule);
  if (!s) throw new Error(`no ${rule}`);
  return s;
};

function errorOf(f: () => unknown): NudgeError {
  try {
    f();
  } catch (e) {
    if (e instanceof NudgeError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('explainByLimit: the derivative from the limit definition', () => {
  it('x^2: the difference quotient, multiplied out, f(x) cancelled, 2x + h, then h -> 0', () => {
    const r = explainByLimit('x^2');
    expect(r.derivative).toBe('2*x');
    expect(r.derivative).toBe(explainDerivative('x^2').derivative);
    expect(r.steps.map((s) => s.rule)).toEqual([
      'limit-definition',
      'limit-substitute',
      'difference-quotient',
      'expand',
      'cancel',
      'divide',
      'limit',
    ]);
    expect(byRule(r.steps, 'limit-substitute').result).toBe('(x + h)^2');
    expect(byRule(r.steps, 'difference-quotient').result).toBe('((x + h)^2 - x^2)/h');
    const expand = byRule(r.steps, 'expand');
    expect(expand.result).toBe('((x^2 + 2*x*h + h^2) - x^2)/h');
    expect(expand.steps.map((s) => [s.rule, s.expression, s.result])).toEqual([['binomial', '(x + h)^2', 'x^2 + 2*x*h + h^2']]);
    expect(byRule(r.steps, 'cancel').result).toBe('(2*x*h + h^2)/h');
    const divide = byRule(r.steps, 'divide');
    expect(divide.result).toBe('2*x + h');
    const limit = byRule(r.steps, 'limit');
    expect(limit).toMatchObject({ kind: 'limit', expression: '2*x + h', result: '2*x', variable: 'h', to: 0 });
    // 2x + h comes before h -> 0
    expect(r.steps.indexOf(divide)).toBeLessThan(r.steps.indexOf(limit));
    expect(limit.latex).toBe('\\lim_{h \\to 0} \\left(2 x + h\\right) = 2 x');
    expect(byRule(r.steps, 'difference-quotient').latex).toBe(
      '\\frac{f(x + h) - f(x)}{h} = \\frac{\\left(x + h\\right)^{2} - x^{2}}{h}',
    );
    expect(r.latex).toBe('\\frac{d}{dx}\\left[x^{2}\\right] = \\lim_{h \\to 0} \\frac{\\left(x + h\\right)^{2} - x^{2}}{h} = 2 x');
    expect(verifySteps(r.steps, POINTS)).toEqual([]);
  });

  it('x^3 + 2x: a sum of powers, each multiplied out', () => {
    const r = explainByLimit('x^3 + 2*x');
    expect(r.derivative).toBe('3*x^2 + 2');
    expect(r.derivative).toBe(explainDerivative('x^3 + 2*x').derivative);
    expect(byRule(r.steps, 'limit-substitute').result).toBe('(x + h)^3 + 2*(x + h)');
    expect(byRule(r.steps, 'difference-quotient').result).toBe('(((x + h)^3 + 2*(x + h)) - (x^3 + 2*x))/h');
    expect(byRule(r.steps, 'expand').steps.map((s) => s.result)).toEqual(['x^3 + 3*x^2*h + 3*x*h^2 + h^3']);
    expect(byRule(r.steps, 'cancel').result).toBe('(3*x^2*h + 3*x*h^2 + h^3 + 2*h)/h');
    expect(byRule(r.steps, 'divide').result).toBe('3*x^2 + 3*x*h + h^2 + 2');
    expect(byRule(r.steps, 'limit').result).toBe('3*x^2 + 2');
    expect(verifySteps(r.steps, POINTS)).toEqual([]);
  });

  it('a product form is multiplied out first', () => {
    const r = explainByLimit('(x + 1)*(x - 1) + x/4');
    expect(r.steps[1]).toMatchObject({ rule: 'expand', result: 'x^2 + 0.25*x - 1' });
    expect(byRule(r.steps, 'limit').result).toBe('2*x + 0.25');
    expect(verifySteps(r.steps, POINTS)).toEqual([]);
    expect(verifySteps(explainByLimit('3*x^4 - x^2 + 7').steps, POINTS)).toEqual([]);
  });

  it('a constant: nothing is left after f(x) cancels', () => {
    const r = explainByLimit('5');
    expect(byRule(r.steps, 'cancel').result).toBe('0/h');
    expect(r.derivative).toBe('0');
  });

  it('another variable name, and h as the variable (the increment is then k)', () => {
    const t = explainByLimit('t^2', 't');
    expect(byRule(t.steps, 'divide').result).toBe('2*t + h');
    const h = explainByLimit('h^2');
    expect(byRule(h.steps, 'difference-quotient').result).toBe('((h + k)^2 - h^2)/k');
    expect(byRule(h.steps, 'limit').result).toBe('2*h');
    expect(verifySteps(h.steps, POINTS)).toEqual([]);
  });

  it('refuses what is not a polynomial, saying why', () => {
    const sin = errorOf(() => explainByLimit('sin(x)'));
    expect(sin.code).toBe('invalid-argument');
    expect(sin.message).toContain('sin(x) is not a polynomial');
    expect(errorOf(() => explainByLimit('1/x')).message).toContain('dividing by x');
    expect(errorOf(() => explainByLimit('x^0.5')).message).toContain('not a whole number');
    expect(errorOf(() => explainByLimit('x^-1')).message).toMatch(/x\^-1|1\/x/);
    expect(errorOf(() => explainByLimit('2^x')).message).toContain('not a number');
    expect(errorOf(() => explainByLimit('x^2*y', 'x')).message).toContain("'y' is another variable");
    expect(errorOf(() => explainByLimit('x*y')).message).toContain('one variable');
    expect(errorOf(() => explainByLimit('x^13')).message).toContain('more than 12');
  });

  it('renders as text', () => {
    const text = renderSteps(explainByLimit('x^2').steps);
    expect(text).toContain('((x + h)^2 - x^2)/h');
    expect(text).toContain('lim_{h->0} (2*x + h) = 2*x');
  });
});
