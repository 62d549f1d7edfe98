// The shape of grids and their bands (no threads, no kernel).
import { describe, expect, it } from 'vitest';
import { NudgeError } from '@nudge/core';
import { checkGrid, gridAxis, gridBands, joinBands, type Grid, type GridGradientResult } from './grid.js';

describe('gridAxis', () => {
  it('starts at min and ends exactly at max', () => {
    expect([...gridAxis([0.1, 0.3, 3])]).toEqual([0.1, 0.2, 0.3]);
    expect(gridAxis([-5, 5, 301])[300]).toBe(5);
    expect([...gridAxis([2, 7, 1])]).toEqual([2]);
    expect([...gridAxis([1, -1, 5])]).toEqual([1, 0.5, 0, -0.5, -1]);
  });
});

describe('checkGrid', () => {
  it('gives the shape of 2-D and 1-D grids', () => {
    expect(checkGrid({ x: [0, 1, 4], y: [0, 1, 3] })).toEqual({ nx: 4, ny: 3, points: 12, dimensions: 2, range: [0, 12] });
    expect(checkGrid({ x: [0, 1, 4] }, [1, 3])).toEqual({ nx: 4, ny: 1, points: 4, dimensions: 1, range: [1, 3] });
  });

  it.each([
    ['no grid', null],
    ['an axis that is not [min, max, count]', { x: [0, 1] }],
    ['a NaN bound', { x: [NaN, 1, 3] }],
    ['an infinite bound', { x: [0, Infinity, 3] }],
    ['a zero count', { x: [0, 1, 0] }],
    ['a fractional count', { x: [0, 1, 2.5] }],
    ['a bad y axis', { x: [0, 1, 2], y: '0..1' }],
    ['too many points', { x: [0, 1, 2 ** 13], y: [0, 1, 2 ** 13 + 1] }],
  ])('refuses %s with an invalid-argument NudgeError', (_, grid) => {
    expect(() => checkGrid(grid as unknown as Grid)).toThrow(NudgeError);
    try {
      checkGrid(grid as unknown as Grid);
    } catch (e) {
      expect(e).toMatchObject({ code: 'invalid-argument' });
    }
  });

  it('refuses a range outside the grid', () => {
    const grid: Grid = { x: [0, 1, 4], y: [0, 1, 3] };
    for (const range of [[-1, 3], [3, 2], [0, 13], [0.5, 2]] as [number, number][]) {
      expect(() => checkGrid(grid, range)).toThrow(/range must be/);
    }
  });
});

describe('gridBands', () => {
  function covered(bands: [number, number][], points: number): boolean {
    let at = 0;
    for (const [start, end] of bands) {
      if (start !== at || end <= start) return false;
      at = end;
    }
    return at === points;
  }

  it('splits a 2-D grid into bands of whole rows that cover every point once', () => {
    for (const [nx, ny, n] of [[7, 10, 3], [100, 3, 8], [5, 1000, 16], [9, 2, 2], [3, 3, 1]] as const) {
      const shape = checkGrid({ x: [0, 1, nx], y: [0, 1, ny] });
      const bands = gridBands(shape, n);
      expect(bands.length).toBe(Math.min(n, ny));
      expect(covered(bands, nx * ny)).toBe(true);
      expect(bands.every(([s, e]) => s % nx === 0 && e % nx === 0)).toBe(true);
      const rows = bands.map(([s, e]) => (e - s) / nx);
      expect(Math.max(...rows) - Math.min(...rows)).toBeLessThanOrEqual(1);
    }
  });

  it('splits a 1-D grid by points', () => {
    const bands = gridBands(checkGrid({ x: [0, 1, 10] }), 4);
    expect(bands).toEqual([[0, 3], [3, 5], [5, 8], [8, 10]]);
    expect(gridBands(checkGrid({ x: [0, 1, 2] }), 8)).toEqual([[0, 1], [1, 2]]);
  });
});

describe('joinBands', () => {
  it('puts bands back in place, in whatever order they come, gradients included', () => {
    const grid: Grid = { x: [0, 1, 3], y: [0, 1, 2] };
    const band = (range: [number, number]): GridGradientResult => {
      const n = range[1] - range[0];
      const values = Float64Array.from({ length: n }, (_, k) => range[0] + k);
      return { values, nx: 3, ny: 2, x: gridAxis(grid.x), y: gridAxis(grid.y!), variables: ['x', 'y'], range, gradient: { x: values.map((v) => -v), y: values.map((v) => 10 * v) } };
    };
    const whole = joinBands(grid, [band([3, 6]), band([0, 3])]);
    expect([...whole.values]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...whole.gradient.x]).toEqual([-0, -1, -2, -3, -4, -5]);
    expect([...whole.gradient.y!]).toEqual([0, 10, 20, 30, 40, 50]);
    expect(whole.range).toEqual([0, 6]);
  });
});
