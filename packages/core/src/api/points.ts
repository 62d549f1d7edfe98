import { NudgeError } from '../errors.js';
import type { Input } from '../tape/tape.js';
import { describe } from './target.js';

/**
 * A point: a number (one variable), an array in variable order, or an object
 * by name. For a function with vector variables, an object whose vectors are
 * arrays (`{ x: Float64Array }`), or one flat array of every element.
 */
export type Point = number | readonly number[] | Float64Array | Readonly<Record<string, number | ArrayLike<number>>>;

/** Many points: an array of points, or columns by name (`{ x: Float64Array, y: [...] }`). */
export type Points = readonly Point[] | Readonly<Record<string, ArrayLike<number>>>;

/** The coordinates of one point in variable order; every error names what is wrong. */
export function toCoordinates(at: Point | undefined, variables: readonly string[], what = 'the point'): Float64Array {
  const n = variables.length;
  const out = new Float64Array(n);
  if (at === undefined) {
    if (n === 0) return out;
    throw new NudgeError('missing-variable', `${what} is missing: f has the variables ${variables.join(', ')}`);
  }
  if (typeof at === 'number') {
    if (n !== 1) {
      const hint = n === 0 ? 'f has no variables' : `f has ${n} variables (${variables.join(', ')}): give ${what} as { ${variables.map((v) => `${v}: ...`).join(', ')} } or an array`;
      throw new NudgeError('invalid-argument', `${what} is one number, but ${hint}`);
    }
    out[0] = checkNumber(at, variables[0]!, what);
    return out;
  }
  if (Array.isArray(at) || ArrayBuffer.isView(at)) {
    const arr = at as ArrayLike<number>;
    if (arr.length !== n) {
      throw new NudgeError('invalid-argument', `${what} has ${arr.length} coordinates, but f has ${n} variables (${variables.join(', ')})`);
    }
    for (let i = 0; i < n; i++) out[i] = checkNumber(arr[i], variables[i]!, what);
    return out;
  }
  if (typeof at === 'object' && at !== null) {
    const record = at as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!variables.includes(key)) {
        const list = n > 0 ? `its variables are ${variables.join(', ')}` : 'it has no variables';
        throw new NudgeError('unknown-variable', `${what} gives '${key}', but f has no variable '${key}' (${list})`);
      }
    }
    variables.forEach((name, i) => {
      if (!Object.hasOwn(record, name)) throw new NudgeError('missing-variable', `${what} has no value for the variable '${name}'`);
      out[i] = checkNumber(record[name], name, what);
    });
    return out;
  }
  throw new NudgeError('invalid-argument', `${what} must be a number, an array or an object of numbers, got ${describe(at)}`);
}

function checkNumber(v: unknown, name: string, what: string): number {
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new NudgeError('invalid-argument', `the value of '${name}' in ${what} must be a number, got ${typeof v === 'number' ? 'NaN' : describe(v)}`);
  }
  return v;
}

/** Many points as structure-of-arrays columns (coordinate v of point p at v*n + p), and their count. */
export function toColumns(points: Points, variables: readonly string[]): { columns: Float64Array; n: number } {
  const nv = variables.length;
  if (Array.isArray(points)) {
    const n = points.length;
    const columns = new Float64Array(nv * n);
    points.forEach((p: Point, i: number) => {
      const c = toCoordinates(p, variables, `point ${i}`);
      for (let v = 0; v < nv; v++) columns[v * n + i] = c[v]!;
    });
    return { columns, n };
  }
  const { given, n } = namedColumns(points, variables);
  const columns = new Float64Array(nv * n);
  given.forEach((col, v) => columns.set(col, v * n));
  return { columns, n };
}

/**
 * Many points as one column per variable (each n long), and their count,
 * without packing them into one array: a column given as a Float64Array is
 * the caller's own array (read only: the kernel's batch helpers copy it,
 * chunk by chunk, straight into the kernel's memory); any other column is
 * converted as `toColumns` would. An array of points is packed as by `toColumns`.
 */
export function toColumnList(points: Points, variables: readonly string[]): { columns: Float64Array[]; n: number } {
  if (Array.isArray(points)) {
    const { columns, n } = toColumns(points, variables);
    return { columns: variables.map((_, v) => columns.subarray(v * n, (v + 1) * n)), n };
  }
  const { given, n } = namedColumns(points, variables);
  const columns = given.map((col) => {
    if (col instanceof Float64Array) return col;
    const copy = new Float64Array(n);
    copy.set(col);
    return copy;
  });
  return { columns, n };
}

/** The columns of points given by name, in variable order, checked (names, lengths), not copied. */
function namedColumns(points: Points, variables: readonly string[]): { given: ArrayLike<number>[]; n: number } {
  if (typeof points === 'object' && points !== null && !Array.isArray(points)) {
    const record = points as Readonly<Record<string, ArrayLike<number>>>;
    for (const key of Object.keys(record)) {
      if (!variables.includes(key)) throw new NudgeError('unknown-variable', `the points give a column '${key}', but f has no variable '${key}'`);
    }
    const lengths: number[] = [];
    const given = variables.map((name) => {
      const col = record[name];
      if (col === undefined) throw new NudgeError('missing-variable', `the points have no column for the variable '${name}'`);
      lengths.push(col.length);
      return col;
    });
    const n = lengths[0] ?? 0;
    if (lengths.some((l) => l !== n)) throw new NudgeError('invalid-argument', `the columns have different lengths (${lengths.join(', ')})`);
    return { given, n };
  }
  throw new NudgeError('invalid-argument', `points must be an array of points or an object of columns, got ${describe(points)}`);
}

export function toRecord(values: ArrayLike<number>, variables: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  variables.forEach((name, i) => (out[name] = values[i]!));
  return out;
}

/** A point of a function with vector variables: every element, in input order (read only: it may be the caller's own array). */
export function toInputVector(at: Point | undefined, inputs: readonly Input[], what = 'the point'): Float64Array {
  const nIn = inputs.reduce((n, i) => n + i.length, 0);
  const describeInputs = () => inputs.map((i) => (i.vector ? `${i.name} (${i.length} elements)` : i.name)).join(', ');
  if (at !== undefined && (Array.isArray(at) || ArrayBuffer.isView(at))) {
    const arr = at as ArrayLike<unknown>;
    if (arr.length !== nIn) throw new NudgeError('invalid-argument', `${what} has ${arr.length} numbers, but f takes ${nIn}: ${describeInputs()}`);
    const out = new Float64Array(nIn);
    for (let k = 0; k < nIn; k++) {
      const v = arr[k];
      out[k] = typeof v === 'number' && v === v ? v : checkNumber(v, `element ${k}`, what);
    }
    return out;
  }
  if (at === undefined || typeof at !== 'object' || at === null) {
    throw new NudgeError('invalid-argument', `${what} must be an object by variable name (${describeInputs()}) or one flat array`);
  }
  const record = at as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!inputs.some((i) => i.name === key)) throw new NudgeError('unknown-variable', `${what} gives '${key}', but f has no variable '${key}' (its variables: ${describeInputs()})`);
  }
  // One vector variable given as a Float64Array (the common case): used as it is, not copied.
  // A fresh copy of a long vector costs more than its gradient (first touch of new memory).
  const only = inputs.length === 1 ? inputs[0]! : undefined;
  const given = only ? record[only.name] : undefined;
  // Its elements are checked only if the result is NaN (checkInputVector): a scan of a long vector costs as much as its gradient.
  if (only?.vector && given instanceof Float64Array && given.length === only.length) return given;
  const out = new Float64Array(nIn);
  let offset = 0;
  for (const input of inputs) {
    if (!Object.hasOwn(record, input.name)) throw new NudgeError('missing-variable', `${what} has no value for the variable '${input.name}'`);
    const v = record[input.name];
    if (input.vector) {
      if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || (v as ArrayLike<unknown>).length !== input.length) {
        throw new NudgeError('invalid-argument', `the value of '${input.name}' in ${what} must be an array of ${input.length} numbers`);
      }
      const arr = v as ArrayLike<unknown>;
      // Names for the message only when an element is bad: building one per element costs more than the gradient.
      if (arr instanceof Float64Array) {
        out.set(arr, offset);
        for (let k = 0; k < input.length; k++) if (arr[k] !== arr[k]) checkNumber(NaN, `${input.name}[${k}]`, what);
      } else {
        for (let k = 0; k < input.length; k++) {
          const v = arr[k];
          out[offset + k] = typeof v === 'number' && v === v ? v : checkNumber(v, `${input.name}[${k}]`, what);
        }
      }
    } else {
      out[offset] = checkNumber(v, input.name, what);
    }
    offset += input.length;
  }
  return out;
}

/** Where a vector-function result is NaN: throw if a coordinate of the point was NaN (the caller's mistake, named). */
export function checkInputVector(x: Float64Array, inputs: readonly Input[], what = 'the point'): void {
  let offset = 0;
  for (const input of inputs) {
    for (let k = 0; k < input.length; k++) {
      if (x[offset + k] !== x[offset + k]) checkNumber(NaN, input.vector ? `${input.name}[${k}]` : input.name, what);
    }
    offset += input.length;
  }
}
