import { describe, expect, it } from 'vitest';
import { critical, hessian, NudgeError } from '../index.js';

describe('hessian', () => {
  it('is exact: x^2*y at (1, 2) is [[4, 2], [2, 0]]', () => {
    const h = hessian('x^2*y', { x: 1, y: 2 });
    expect(h.variables).toEqual(['x', 'y']);
    expect(h.hessian).toEqual([[4, 2], [2, 0]]);
    expect(h.gradient).toEqual({ x: 4, y: 1 });
  });

  it('is symmetric, and agrees with the analytic second derivatives of a transcendental function', () => {
    const [x, y] = [0.7, -0.4];
    const h = hessian('sin(x*y) + exp(x)*y^3', [x, y]).hessian;
    const hxx = -y * y * Math.sin(x * y) + Math.exp(x) * y ** 3;
    const hxy = Math.cos(x * y) - x * y * Math.sin(x * y) + 3 * Math.exp(x) * y * y;
    const hyy = -x * x * Math.sin(x * y) + 6 * Math.exp(x) * y;
    expect(h[0]![0]).toBeCloseTo(hxx, 13);
    expect(h[0]![1]).toBeCloseTo(hxy, 13);
    expect(h[1]![0]).toBe(h[0]![1]);
    expect(h[1]![1]).toBeCloseTo(hyy, 13);
  });

  it('refuses a JS function, which cannot be differentiated exactly', () => {
    expect(() => hessian((x: number) => x * x, 1)).toThrow(NudgeError);
  });
});

describe('critical', () => {
  it('finds and classifies a saddle: x^2 - y^2 near (0.3, 0.2)', () => {
    const c = critical('x^2 - y^2', { x: 0.3, y: 0.2 });
    expect(c).toMatchObject({ kind: 'saddle', status: 'converged', point: { x: 0, y: 0 } });
    expect(c.eigenvalues).toEqual([-2, 2]);
  });

  it('finds the minimum of Rosenbrock from the textbook start', () => {
    const c = critical('(1-x)^2 + 100*(y-x^2)^2', { x: -1.2, y: 1 });
    expect(c.status).toBe('converged');
    expect(c.kind).toBe('minimum');
    expect(c.point.x).toBeCloseTo(1, 10);
    expect(c.point.y).toBeCloseTo(1, 10);
  });

  it('finds a maximum, and says degenerate where the Hessian is singular', () => {
    expect(critical('-(x-1)^2 - 2*(y+3)^2', [0, 0])).toMatchObject({ kind: 'maximum', point: { x: 1, y: -3 } });
    expect(critical('x^4 + y^2', [0.5, 0.5]).kind).toBe('degenerate');
  });

  it('says so when there is no critical point to find, and where it stopped', () => {
    const c = critical('exp(x) + y', [0, 0]);
    expect(c.status).toBe('not-converged');
    expect(c.reason).toMatch(/stopped at/);
  });
});
