import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { builder, compile, derivative, evaluate, derivativeMany, directional, gradient, gradientMany, NudgeError } from '../index.js';
import { differentiate } from '../symbolic/differentiate.js';
import { evaluateIr } from '../ir/evaluate.js';

describe('exact by default', () => {
  it('gives the exact 6 for x^2 at 3, where the difference quotient gives 6.0001', () => {
    const d = derivative('x^2', 3);
    expect(d).toMatchObject({ value: 9, derivative: 6, method: 'exact', errorEstimate: 0, h: null });
    expect(derivative('x^2', 3, { method: 'forward' }).derivative).toBe(6.000100000012054);
  });

  it('computes the whole gradient in one reverse sweep, exactly', () => {
    const g = gradient('x^2*y + sin(z)', { x: 1, y: 2, z: 3 });
    expect(g.method).toBe('exact');
    expect(g.gradient).toEqual({ x: 4, y: 1, z: Math.cos(3) });
    expect(g.evaluations).toBe(1);
  });

  it('takes directional derivatives exactly', () => {
    const d = directional('x^2*y', { x: 1, y: 2 }, { x: 3, y: 4 });
    expect(d.directional).toBeCloseTo(16 / 5, 15);
    expect(d.errorEstimate).toBe(0);
  });

  it('offers the complex step, exact to rounding for analytic functions', () => {
    const f = 'sin(x)*exp(-x*x/10) + x^3';
    const x = 1.3;
    const want = Math.cos(x) * Math.exp(-x * x / 10) - (x / 5) * Math.sin(x) * Math.exp(-x * x / 10) + 3 * x * x;
    const c = derivative(f, x, { method: 'complex' });
    expect(c.method).toBe('complex');
    expect(Math.abs(c.derivative - want)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(want));
    expect(Math.abs(derivative(f, x).derivative - want)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(want));
  });

  it('keeps Richardson the default for JS functions, and refuses exact methods on them', () => {
    expect(derivative((x) => x * x, 3).method).toBe('richardson');
    for (const method of ['exact', 'complex'] as const) {
      expect(() => derivative((x) => x * x, 3, { method })).toThrow(/JavaScript function can only be differentiated numerically/);
    }
    expect(() => derivative('x^2', 3, { method: 'exact', h: 1e-3 })).toThrow(NudgeError);
  });

  it('reports non-differentiable points with the one-sided derivatives', () => {
    expect(derivative('abs(x)', 0).warning).toMatch(/not differentiable at x = 0: the one-sided derivatives differ \(left ≈ -1, right ≈ 1\)/);
    expect(derivative('relu(x)', 0).warning).toMatch(/left ≈ 0, right ≈ 1/);
    const s = derivative('sqrt(x)', 0);
    expect(s.derivative).toBe(Infinity);
    expect(s.warning).toMatch(/x = 0/);
    expect(s.warning).toMatch(/one-sided/);
    expect(derivative('abs(x)', 2).warning).toBeUndefined();
  });

  it('differentiates many points in one pass', () => {
    const xs = Float64Array.from({ length: 1000 }, (_, i) => i / 100 - 5);
    const d = derivativeMany('x^3', { x: xs });
    xs.forEach((x, i) => expect(d.derivative[i]).toBeCloseTo(3 * x * x, 12));
    const g = gradientMany('x*y', { x: [1, 2], y: [3, 4] });
    expect(Array.from(g.gradient)).toEqual([3, 1, 4, 2]);
  });
});

describe('three modes agree: exact (AD), symbolic, numeric', () => {
  const leaf = fc.constantFrom('x', 'y', '0.5', '2', '3');
  const expr = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
      fc.tuple(tie('e'), fc.constantFrom('2', '3')).map(([a, k]) => `(${a})^${k}`),
      fc.tuple(fc.constantFrom('sin', 'cos', 'exp', 'tanh', 'sigmoid', 'atan', 'softplus'), tie('e')).map(([f, a]) => `${f}(${a})`),
      tie('e').map((a) => `log(1 + (${a})^2)`),
      tie('e').map((a) => `sqrt(2 + sin(${a}))`),
    ),
  })).e;

  it('on generated expressions at random points', () => {
    fc.assert(
      fc.property(expr, fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (text, x, y) => {
        const f = compile(text, { variables: ['x', 'y'] });
        try {
          const g = gradient(f, { x, y }).gradient;
          const symbolic = evaluateIr(['x', 'y'].map((v) => differentiate(f.graph, f.ir, v)), { x, y });
          const numeric = gradient(f, { x, y }, { method: 'richardson' });
          const complex = gradient(f, { x, y }, { method: 'complex' }).gradient;
          (['x', 'y'] as const).forEach((v, k) => {
            const scale = Math.max(1, Math.abs(g[v]!));
            expect(Math.abs(g[v]! - symbolic[k]!), `${text} d/d${v} AD vs symbolic`).toBeLessThanOrEqual(1e-12 * scale);
            expect(Math.abs(g[v]! - complex[v]!), `${text} d/d${v} AD vs complex`).toBeLessThanOrEqual(1e-12 * scale);
            const err = numeric.errorEstimate[v];
            if (err !== null && err !== undefined && err < 1e-6) {
              expect(Math.abs(g[v]! - numeric.gradient[v]!), `${text} d/d${v} AD vs richardson`).toBeLessThanOrEqual(Math.max(10 * err, 1e-9 * scale));
            }
          });
        } finally {
          f.dispose();
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('builder functions of many variables', () => {
  const rosenbrock = (n: number) => {
    const b = builder();
    const x = b.vector('x', n);
    const head = x.slice(0, -1);
    const tail = x.slice(1);
    return b.compile(tail.sub(head.square()).square().mul(100).add(b.sub(1, head).square()).sum());
  };

  it('takes the exact gradient of the extended Rosenbrock function in 1,000 dimensions', () => {
    const n = 1000;
    const f = rosenbrock(n);
    const x = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const g = gradient(f, { x });
    const want = new Float64Array(n);
    for (let i = 0; i < n - 1; i++) {
      want[i]! += -400 * x[i]! * (x[i + 1]! - x[i]! ** 2) - 2 * (1 - x[i]!);
      want[i + 1]! += 200 * (x[i + 1]! - x[i]! ** 2);
    }
    let value = 0;
    for (let i = 0; i < n - 1; i++) value += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
    expect(g.value).toBeCloseTo(value, 8);
    expect(evaluate(f, { x }).value).toBe(g.value);
    expect(g.vector).toHaveLength(n);
    g.vector.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(want[i]!))));
    f.dispose();
  });

  it('gives the norm of the plain sum of squares in index order, to the bit, whatever the length', () => {
    const plainNorm = (v: Float64Array) => {
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
      return Math.sqrt(s);
    };
    for (const n of [2, 3, 4, 5, 6, 7, 8, 9, 1001]) {
      const f = rosenbrock(n);
      const g = gradient(f, { x: Float64Array.from({ length: n }, (_, i) => Math.sin(i) + 0.1) });
      expect(g.norm, `n = ${n}`).toBe(plainNorm(g.vector));
      f.dispose();
    }
    const s = gradient('x^2 + y^3 + sin(z) + w*v', { v: 0.3, w: 1.7, x: 2.1, y: -1.3, z: 0.2 });
    expect(s.norm).toBe(plainNorm(s.vector));
  });

  it('keeps the result of a builder function with a scalar and a vector variable, field by field', () => {
    const b = builder();
    const a = b.variable('a');
    const x = b.vector('x', 3);
    const f = b.compile(x.mul(a).square().sum());
    const xs = new Float64Array([1, 2, 3]);
    const g = gradient(f, { a: 2, x: xs });
    expect(Object.keys(g)).toEqual(['value', 'gradient', 'vector', 'variables', 'norm', 'ascent', 'method', 'errorEstimate', 'evaluations', 'at', 'vectors']);
    expect(g).toEqual({
      value: 56,
      gradient: { a: 56 },
      vector: new Float64Array([56, 8, 16, 24]),
      variables: ['a', 'x'],
      norm: Math.sqrt(56 * 56 + 8 * 8 + 16 * 16 + 24 * 24),
      ascent: null,
      method: 'exact',
      errorEstimate: {},
      evaluations: 1,
      at: { a: 2 },
      vectors: { x: new Float64Array([8, 16, 24]) },
    });
    expect(g.vectors!.x!.buffer).toBe(g.vector.buffer);
    f.dispose();
  });

  it('refuses finite differences for vector functions, and points of the wrong size', () => {
    const f = rosenbrock(10);
    expect(() => gradient(f, { x: new Float64Array(10) }, { method: 'central' })).toThrow(/vector variables/);
    expect(() => gradient(f, { x: new Float64Array(9) })).toThrow(/10 numbers/);
    const bad = new Float64Array(10);
    bad[3] = NaN;
    expect(() => gradient(f, { x: bad })).toThrow(/x\[3\]/);
    expect(() => evaluate(f, { x: bad })).toThrow(/x\[3\]/);
    f.dispose();
  });
});
