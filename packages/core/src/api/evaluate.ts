import { evaluateColumns } from '../diff/numeric.js';
import { checkInputVector, toColumnList, toColumns, toCoordinates, toInputVector, toRecord, type Point, type Points } from './points.js';
import { hasVectors, withTarget, type Fn, type FunctionOptions } from './target.js';
import { describePoint, valueWarning } from './warnings.js';

export interface EvaluateResult {
  /** f at the point; NaN or ±Infinity outside its domain, with a warning. */
  value: number;
  at: Record<string, number>;
  warning?: string;
}

/** f at one point: `evaluate('x^2*y', { x: 1, y: 2 }).value === 2`. */
export function evaluate(f: Fn, at?: Point, options: FunctionOptions = {}): EvaluateResult {
  return withTarget(f, options, at, (t) => {
    if (hasVectors(t)) {
      const x = toInputVector(at, t.inputs);
      const value = evaluateColumns(t, x, 1)[0]!;
      if (Number.isNaN(value)) checkInputVector(x, t.inputs);
      const result: EvaluateResult = { value, at: {} };
      const warning = valueWarning(value, 'this point');
      if (warning) result.warning = warning;
      return result;
    }
    const x = toCoordinates(at, t.variables);
    const value = evaluateColumns(t, x, 1)[0]!;
    const result: EvaluateResult = { value, at: toRecord(x, t.variables) };
    // The point is described (every coordinate formatted) only for a warning: it cost more than the evaluation.
    const warning = Number.isFinite(value) ? undefined : valueWarning(value, describePoint(t.variables, x));
    if (warning) result.warning = warning;
    return result;
  });
}

/**
 * f at many points at once, in the kernel. The caller's columns go straight
 * into the kernel's memory a chunk at a time (a JS function gets its own
 * copy of the points, which it cannot change under the loop).
 */
export function evaluateMany(f: Fn, points: Points, options: FunctionOptions = {}): Float64Array {
  return withTarget(f, options, undefined, (t) => {
    const { columns, n } = t.kind === 'compiled' ? toColumnList(points, t.variables) : toColumns(points, t.variables);
    return evaluateColumns(t, columns, n);
  });
}
