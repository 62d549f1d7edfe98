import { describe, expect, it } from 'vitest';
import * as P from './polynomial.js';

const names = { x: 'x', h: 'h' };

describe('polynomials in x and h', () => {
  it('(x + h)^n by the binomial theorem: Pascal coefficients, written highest power of x first', () => {
    expect(P.toText(P.binomial(2), names)).toBe('x^2 + 2*x*h + h^2');
    expect(P.toText(P.binomial(3), names)).toBe('x^3 + 3*x^2*h + 3*x*h^2 + h^3');
    expect(P.binomial(6).map((t) => t.coef)).toEqual([1, 6, 15, 20, 15, 6, 1]);
    expect(P.toLatex(P.binomial(2), names)).toBe('x^{2} + 2 x h + h^{2}');
  });

  it('the binomial expansion equals repeated multiplication', () => {
    for (let n = 0; n <= 8; n++) expect(P.binomial(n)).toEqual(P.power(P.add(P.X, P.H), n));
  });

  it('collects like terms and drops zeros', () => {
    expect(P.subtract(P.X, P.X)).toEqual(P.ZERO);
    expect(P.toText(P.ZERO, names)).toBe('0');
    expect(P.toText(P.add(P.X, P.X, P.constant(-3)), names)).toBe('2*x - 3');
    expect(P.toText(P.scale(P.power(P.X, 2), -1), names)).toBe('-x^2');
  });

  it('shift: p(x + h), multiplied out', () => {
    const p = P.add(P.power(P.X, 3), P.scale(P.X, 2)); // x^3 + 2x
    const shifted = P.shift(p);
    expect(P.toText(shifted, names)).toBe('x^3 + 3*x^2*h + 3*x*h^2 + h^3 + 2*x + 2*h');
    for (const [x, h] of [[0.3, 1.7], [-2, 0.25]] as const) expect(P.evaluate(shifted, x, h)).toBeCloseTo(P.evaluate(p, x + h, 0), 12);
  });

  it('the difference quotient divided by h, then h = 0', () => {
    const p = P.power(P.X, 2);
    const d = P.subtract(P.shift(p), p);
    expect(P.splitByH(d).withoutH).toEqual([]);
    const q = P.divideByH(d);
    expect(P.toText(q, names)).toBe('2*x + h');
    expect(P.toText(P.atHZero(q), names)).toBe('2*x');
    expect(() => P.divideByH(P.add(p, P.H))).toThrow(/internal/);
  });

  it('other names for x and h', () => {
    expect(P.toText(P.binomial(2), { x: 't', h: 'k' })).toBe('t^2 + 2*t*k + k^2');
  });
});
