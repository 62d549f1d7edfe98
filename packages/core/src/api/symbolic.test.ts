import { describe, expect, it } from 'vitest';
import { compile, derivative, derivativeExpression, evaluate, gradientExpression, NudgeError } from '../index.js';

describe('a derivative outputs an expression', () => {
  it('x^2 -> 2*x, with LaTeX', () => {
    const d = derivative('x^2');
    expect(d).toMatchObject({ expression: '2*x', wrt: 'x', of: 'x^2' });
    expect(d.latex.replace(/\s/g, '')).toBe('2x');
  });

  it('takes partial derivatives and gradients as expressions', () => {
    expect(derivative('x^2*y', undefined, { wrt: 'y' }).expression).toBe('x^2');
    const g = gradientExpression('x^2*y + sin(z)');
    expect(g.variables).toEqual(['x', 'y', 'z']);
    expect(g.gradient.z).toBe('cos(z)');
  });

  it('prints text that nudge can evaluate, agreeing with the exact derivative', () => {
    for (const [f, x] of [['sin(x^2)', 1.3], ['exp(-x^2/2)', 0.7], ['sigmoid(x)', -0.4], ['log(x)*sqrt(x)', 2.5]] as const) {
      const d = derivativeExpression(f);
      expect(evaluate(d.expression, x).value).toBeCloseTo(derivative(f, x).derivative, 13);
    }
  });

  it('works on compiled functions, and refuses JS functions', () => {
    const f = compile('x^3');
    expect(derivative(f).expression).toBe('3*x^2');
    f.dispose();
    expect(() => derivativeExpression(((x: number) => x) as never)).toThrow(NudgeError);
  });
});
