import { NudgeError, type GradientOptions } from '@nudge/core';

/**
 * Regular grids of points, for heatmaps and contour plots. This file is the
 * shape of a grid and its pieces (no kernel): checking, coordinates, bands of
 * consecutive points, and putting bands back together. The worker computes a
 * grid or a band (grid-worker.ts); a pool splits one into bands (pool-grid.ts).
 */

/** An axis: `count` evenly spaced coordinates from `min` to `max` (both included; `min` alone when count is 1). */
export type GridAxis = readonly [min: number, max: number, count: number];

/** A 2-D grid (`x` and `y`), or a 1-D one (`x` only, for a function of one variable). */
export interface Grid {
  x: GridAxis;
  y?: GridAxis;
}

export interface GridOptions {
  /**
   * The variables on the axes: [x-axis, y-axis] (or [x-axis] in 1-D). Default:
   * f's variables in natural order, which must then be as many as the axes.
   * Naming them also lets f ignore one (`'x^2'` over `variables: ['x', 'y']`).
   */
  variables?: readonly string[];
  /** Compute only the points [start, end) of the grid, in row-major order (a band; a pool's split). Default: all. */
  range?: readonly [start: number, end: number];
}

/** Options of a gradient grid: the grid's and the derivative method's (default 'exact'). */
export type GridGradientOptions = GridOptions & Omit<GradientOptions, 'variables'>;

/** f over a grid (or the band `range` of it). */
export interface GridResult {
  /** Row-major, y outer: the value at (x[i], y[j]) is values[j * nx + i] (minus range[0] for a band). */
  values: Float64Array;
  nx: number;
  /** 1 for a 1-D grid. */
  ny: number;
  /** The axes' coordinates (y absent in 1-D). */
  x: Float64Array;
  y?: Float64Array;
  /** The variables on the axes, x first. */
  variables: string[];
  /** The points these values are, [start, end): [0, nx*ny] for a whole grid. */
  range: [number, number];
}

/** f and its gradient over a grid: one array per axis, laid out as `values`. */
export interface GridGradientResult extends GridResult {
  /** gradient.x holds the partial derivatives with respect to the x-axis variable (`variables[0]`), gradient.y the y-axis one's. */
  gradient: { x: Float64Array; y?: Float64Array };
}

/** A whole grid is at most this many points (2^26: half a gigabyte of values). */
export const MAX_GRID_POINTS = 2 ** 26;

/** A grid's shape, checked: counts, total points, dimensions. */
export interface GridShape {
  nx: number;
  ny: number;
  points: number;
  dimensions: 1 | 2;
}

function checkAxis(name: string, axis: unknown): GridAxis {
  const bad = (why: string) => new NudgeError('invalid-argument', `grid.${name} must be [min, max, count]: ${why}`);
  if (!Array.isArray(axis) || axis.length !== 3) throw bad(`got ${JSON.stringify(axis) ?? String(axis)}`);
  const [min, max, count] = axis as unknown[];
  if (typeof min !== 'number' || typeof max !== 'number' || !Number.isFinite(min) || !Number.isFinite(max)) throw bad('min and max are finite numbers');
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw bad(`count is a whole number >= 1, got ${String(count)}`);
  return [min, max, count];
}

/** Check a grid (and a range of it); errors are NudgeErrors with code 'invalid-argument'. */
export function checkGrid(grid: Grid, range?: GridOptions['range']): GridShape & { range: [number, number] } {
  if (typeof grid !== 'object' || grid === null) throw new NudgeError('invalid-argument', 'a grid is { x: [min, max, nx], y: [min, max, ny] }');
  const nx = checkAxis('x', grid.x)[2];
  const ny = grid.y === undefined ? 1 : checkAxis('y', grid.y)[2];
  const points = nx * ny;
  if (points > MAX_GRID_POINTS) throw new NudgeError('invalid-argument', `the grid has ${points} points: at most ${MAX_GRID_POINTS} (split it into several calls)`);
  const [start, end] = range ?? [0, points];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > points) {
    throw new NudgeError('invalid-argument', `range must be [start, end] with 0 <= start <= end <= ${points} (the grid's points), got ${JSON.stringify(range)}`);
  }
  return { nx, ny, points, dimensions: grid.y === undefined ? 1 : 2, range: [start, end] };
}

/** An axis's coordinates: min * (1 - t) + max * t with t = i / (count - 1), which ends exactly at max. */
export function gridAxis([min, max, count]: GridAxis): Float64Array {
  const out = new Float64Array(count);
  out[0] = min;
  for (let i = 1; i < count; i++) {
    const t = i / (count - 1);
    out[i] = min * (1 - t) + max * t;
  }
  return out;
}

/**
 * Split a grid's points into at most `bands` ranges of consecutive points,
 * of whole rows in 2-D (as even as rows allow); empty ranges are left out.
 */
export function gridBands(shape: GridShape, bands: number): [number, number][] {
  const unit = shape.dimensions === 2 ? shape.nx : 1;
  const units = shape.points / unit;
  const n = Math.max(1, Math.min(bands, units));
  const out: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    const start = unit * Math.round((k * units) / n);
    const end = unit * Math.round(((k + 1) * units) / n);
    if (end > start) out.push([start, end]);
  }
  return out;
}

/** The whole grid's result from its bands' (in any order; together they cover every point once). */
export function joinBands<R extends GridResult>(grid: Grid, bands: readonly R[]): R {
  const shape = checkGrid(grid);
  const first = bands[0];
  if (!first) throw new Error('internal: a grid of no bands');
  const values = new Float64Array(shape.points);
  const gradients = 'gradient' in first ? { x: new Float64Array(shape.points), ...(shape.dimensions === 2 ? { y: new Float64Array(shape.points) } : {}) } : undefined;
  for (const band of bands) {
    const at = band.range[0];
    values.set(band.values, at);
    if (gradients) {
      const g = (band as unknown as GridGradientResult).gradient;
      gradients.x.set(g.x, at);
      if (gradients.y && g.y) gradients.y.set(g.y, at);
    }
  }
  return { ...first, values, range: [0, shape.points], ...(gradients ? { gradient: gradients } : {}) };
}
