import { NudgeError, compile, evaluateMany, gradientMany, type CompiledFunction } from '@nudge/core';
import { checkGrid, gridAxis, type Grid, type GridGradientOptions, type GridGradientResult, type GridOptions, type GridResult } from './grid.js';
import { owned, transferred } from './transfer.js';

/**
 * A grid (or a band of it) computed in this thread: the points are built here
 * from the grid's description (nothing but numbers crosses the thread), and
 * every array of the result is transferred back.
 */

/** f over the grid: `evaluateMany` on its points. */
export function evaluateGrid(expression: string, grid: Grid, options: GridOptions = {}): GridResult {
  return withGridFunction(expression, grid, options, (fn, points, base) => {
    const result: GridResult = { ...base, values: owned(evaluateMany(fn, points)) };
    return transferred(result, [result.values, result.x, ...(result.y ? [result.y] : [])]);
  });
}

/** f and its gradient over the grid: `gradientMany` on its points (method 'exact' unless given). */
export function gradientGrid(expression: string, grid: Grid, options: GridGradientOptions = {}): GridGradientResult {
  const { variables: _v, range: _r, ...gradientOptions } = options;
  return withGridFunction(expression, grid, options, (fn, points, base) => {
    const many = gradientMany(fn, points, gradientOptions);
    const n = base.range[1] - base.range[0];
    const nv = fn.variables.length;
    const gx = new Float64Array(n);
    const gy = nv === 2 ? new Float64Array(n) : undefined;
    for (let k = 0; k < n; k++) {
      gx[k] = many.gradient[k * nv]!;
      if (gy) gy[k] = many.gradient[k * nv + 1]!;
    }
    const result: GridGradientResult = { ...base, values: owned(many.value), gradient: gy ? { x: gx, y: gy } : { x: gx } };
    return transferred(result, [result.values, gx, ...(gy ? [gy] : []), result.x, ...(result.y ? [result.y] : [])]);
  });
}

type Columns = Record<string, Float64Array>;

/** Compile f with one variable per axis, build the range's points as columns, run `body`, free f. */
function withGridFunction<R>(expression: string, grid: Grid, options: GridOptions, body: (fn: CompiledFunction, points: Columns, base: Omit<GridResult, 'values'>) => R): R {
  const shape = checkGrid(grid, options.range);
  const fn = compile(expression, options.variables ? { variables: options.variables } : {});
  try {
    const variables = [...fn.variables];
    if (variables.length !== shape.dimensions) {
      const has = variables.length === 0 ? 'no variables' : `${variables.length} variable${variables.length === 1 ? '' : 's'} (${variables.join(', ')})`;
      const axes = shape.dimensions === 2 ? "two axes: name the variables on them, e.g. { variables: ['x', 'y'] }" : "one axis (x): give a 2-D grid { x: [...], y: [...] }, or name one variable";
      throw new NudgeError('invalid-argument', `f has ${has} but the grid has ${axes}`);
    }
    const x = gridAxis(grid.x);
    const y = grid.y ? gridAxis(grid.y) : undefined;
    const [start, end] = shape.range;
    const xs = new Float64Array(end - start);
    const ys = y ? new Float64Array(end - start) : undefined;
    for (let p = start; p < end; p++) {
      xs[p - start] = x[p % shape.nx]!;
      if (ys) ys[p - start] = y![Math.floor(p / shape.nx)]!;
    }
    const points: Columns = ys ? { [variables[0]!]: xs, [variables[1]!]: ys } : { [variables[0]!]: xs };
    return body(fn, points, { nx: shape.nx, ny: shape.ny, x, ...(y ? { y } : {}), variables, range: shape.range });
  } finally {
    fn.dispose();
  }
}
