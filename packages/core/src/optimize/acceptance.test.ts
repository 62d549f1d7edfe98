// The standard optimisation test functions, from the starts the issue names,
// against their published minima (Jamil & Yang, "A literature survey of
// benchmark functions for global optimisation problems", 2013; closed forms
// where they exist). With default options: the line search and exact gradients.
import { describe, expect, it } from 'vitest';
import { minimize, type MinimizeAllOptions } from '../index.js';

interface Case {
  name: string;
  f: string;
  from: number[];
  /** The minimum a descent from there reaches: its value and point. */
  value: number;
  point: number[];
}

const rosenbrock5 = [1, 2, 3, 4].map((i) => `100*(x${i + 1}-x${i}^2)^2 + (1-x${i})^2`).join(' + ');

const CASES: Case[] = [
  { name: 'sphere', f: 'x^2 + y^2', from: [1, 1], value: 0, point: [0, 0] },
  { name: 'Booth', f: '(x + 2*y - 7)^2 + (2*x + y - 5)^2', from: [0, 0], value: 0, point: [1, 3] },
  { name: 'Matyas', f: '0.26*(x^2 + y^2) - 0.48*x*y', from: [1, -1], value: 0, point: [0, 0] },
  { name: 'three-hump camel', f: '2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2', from: [1, 1], value: 0, point: [0, 0] },
  { name: 'Himmelblau', f: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2', from: [0, 0], value: 0, point: [3, 2] },
  { name: 'Beale', f: '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2', from: [1, 1], value: 0, point: [3, 0.5] },
  { name: 'Rosenbrock', f: '(1-x)^2 + 100*(y-x^2)^2', from: [-1.2, 1], value: 0, point: [1, 1] },
  { name: 'Rosenbrock 5-D', f: rosenbrock5, from: [-1.2, -1.2, -1.2, -1.2, -1.2], value: 0, point: [1, 1, 1, 1, 1] },
  // The gradient vanishes where x + y = -2π/3 and x - y = 1: f = -√3/2 - π/3 there.
  { name: 'McCormick', f: 'sin(x + y) + (x - y)^2 - 1.5*x + 2.5*y + 1', from: [0, 0], value: -Math.sqrt(3) / 2 - Math.PI / 3, point: [0.5 - Math.PI / 3, -0.5 - Math.PI / 3] },
  // From (-1, 1) a descent reaches Goldstein-Price's local minimum 30 at (-0.6, -0.4); the global one is 3 at (0, -1).
  {
    name: 'Goldstein-Price',
    f: '(1 + (x+y+1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2)) * (30 + (2*x-3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))',
    from: [-1, 1],
    value: 30,
    point: [-0.6, -0.4],
  },
  { name: 'six-hump camel', f: '(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2', from: [1, 1], value: -1.0316284534898774, point: [0.0898420131003, -0.712656403021] },
];

function expectMinimum(c: Case, options: MinimizeAllOptions, pointTol: number): void {
  const r = minimize(c.f, c.from, options);
  expect(r.status).toBe('converged');
  expect(r.converged).toBe(true);
  expect(r.kind).toBe('minimum');
  // Positive definite Hessian: every eigenvalue > 0.
  expect(r.eigenvalues!.every((v) => v > 0)).toBe(true);
  expect(Math.abs(r.value - c.value)).toBeLessThanOrEqual(1e-8);
  r.vector.forEach((v, i) => expect(Math.abs(v - c.point[i]!)).toBeLessThan(pointTol));
}

describe('the standard test functions reach their published minima', () => {
  for (const c of CASES) {
    it(`${c.name} from (${c.from.join(', ')}), exact gradients`, () => expectMinimum(c, {}, 1e-5));
    it(`${c.name} from (${c.from.join(', ')}), central differences`, () => expectMinimum(c, { gradient: 'central' }, 1e-5));
  }
});

describe('multi-start finds the global minimum', () => {
  const GLOBAL = [
    { name: 'Himmelblau', f: CASES[4]!.f, from: [0, 0], value: 0 },
    { name: 'Goldstein-Price', f: CASES[9]!.f, from: [-1, 1], value: 3 },
    { name: 'six-hump camel', f: CASES[10]!.f, from: [1, 1], value: -1.0316284534898774 },
  ];
  for (const g of GLOBAL) {
    it(`${g.name} with 16 starts`, () => {
      const r = minimize(g.f, g.from, { starts: 16, seed: 1 });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.value - g.value)).toBeLessThanOrEqual(1e-8);
      expect(r.runs).toHaveLength(16);
      expect(r.minima![0]!.value).toBe(r.value);
      expect(r.totalIterations).toBeGreaterThan(r.iterations);
    });
  }

  it('Goldstein-Price from (-1, 1) alone stops at the local minimum 30, which multi-start lists after the global one', () => {
    const r = minimize(GLOBAL[1]!.f, [-1, 1], { starts: 16, seed: 1 });
    expect(r.minima!.some((m) => Math.abs(m.value - 30) < 1e-8)).toBe(true);
    expect(r.runs![0]!.value).toBeCloseTo(30, 8);
  });

  it('the same seed gives the same starts and result; another seed other starts', () => {
    const a = minimize(GLOBAL[0]!.f, [0, 0], { starts: 4, seed: 7 });
    const b = minimize(GLOBAL[0]!.f, [0, 0], { starts: 4, seed: 7 });
    const c = minimize(GLOBAL[0]!.f, [0, 0], { starts: 4, seed: 8 });
    expect(b.runs!.map((r) => Array.from(r.start))).toEqual(a.runs!.map((r) => Array.from(r.start)));
    expect(c.runs![1]!.start).not.toEqual(a.runs![1]!.start);
    expect(Array.from(a.runs![0]!.start)).toEqual([0, 0]);
  });
});

describe('a stationary point that is not a minimum', () => {
  it('six-hump camel at (0, 0): the gradient vanishes at a saddle, reported as such, not as success', () => {
    const r = minimize(CASES[10]!.f, [0, 0]);
    expect(r.status).toBe('converged');
    expect(r.stoppedBy).toBe('gradient');
    expect(r.iterations).toBe(0);
    expect(r.converged).toBe(false);
    expect(r.kind).toBe('saddle');
    expect(r.warning).toMatch(/saddle point, not a minimum/);
    expect(r.eigenvalues![0]).toBeLessThan(0);
    expect(r.eigenvalues![1]).toBeGreaterThan(0);
  });

  it('maximising from a minimum is not a success either', () => {
    const r = minimize('-(x^2 + y^2)', [0, 0], {});
    expect(r.kind).toBe('maximum');
    expect(r.converged).toBe(false);
  });
});
