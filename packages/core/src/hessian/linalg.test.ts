import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solve, symmetricEigenvalues } from './linalg.js';

describe('linear algebra for Newton steps', () => {
  it('solves a system that needs pivoting', () => {
    const x = solve([[0, 2], [3, 1]], [4, 5])!;
    expect(x[0]).toBeCloseTo(1, 14);
    expect(x[1]).toBeCloseTo(2, 14);
  });

  it('says when a matrix is singular', () => {
    expect(solve([[1, 2], [2, 4]], [1, 2])).toBeUndefined();
  });

  it('finds the eigenvalues of symmetric matrices', () => {
    expect(symmetricEigenvalues([[2, 0], [0, -3]])).toEqual([-3, 2]);
    const e = symmetricEigenvalues([[2, 1], [1, 2]]);
    expect(e[0]).toBeCloseTo(1, 13);
    expect(e[1]).toBeCloseTo(3, 13);
  });

  it('keeps the trace and the Frobenius norm of random symmetric matrices (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 36, maxLength: 36 }), (n, xs) => {
        const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => xs[Math.min(i, j) * 6 + Math.max(i, j)]!));
        const e = symmetricEigenvalues(a);
        const trace = a.reduce((s, row, i) => s + row[i]!, 0);
        const frob = a.flat().reduce((s, v) => s + v * v, 0);
        expect(e.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 8);
        expect(e.reduce((s, v) => s + v * v, 0)).toBeCloseTo(frob, 6);
      }),
    );
  });
});
