import { formatNumber } from './format.js';

/** Describe a point for people: `x = 3` or `(x, y) = (1, 2)`. */
export function describePoint(variables: readonly string[], coords: ArrayLike<number>): string {
  if (variables.length === 0) return 'this point';
  if (variables.length === 1) return `${variables[0]} = ${formatNumber(coords[0]!)}`;
  return `(${variables.join(', ')}) = (${Array.from(coords, (c) => formatNumber(c)).join(', ')})`;
}

function kind(v: number): string {
  return Number.isNaN(v) ? 'not a number (NaN)' : v > 0 ? 'infinite (+Infinity)' : 'infinite (-Infinity)';
}

/** A warning when f itself is not a finite number at the point, else undefined. */
export function valueWarning(value: number, where: string): string | undefined {
  if (Number.isFinite(value)) return undefined;
  return `f is ${kind(value)} at ${where}: the point is outside the domain of f or at a pole`;
}

/** A warning for a derivative (or other computed quantity) that is not finite. */
export function derivativeWarning(what: string, v: number, value: number, where: string): string | undefined {
  const first = valueWarning(value, where);
  if (first) return first;
  if (Number.isFinite(v)) return undefined;
  return `the ${what} is ${kind(v)} at ${where}: f may not be differentiable there (a vertical tangent, a corner, or the edge of its domain)`;
}
