import { Method } from '@nudge/kernel-as';
import { NudgeError } from '../errors.js';
import { getKernel } from '../kernel/instance.js';
import type { CompiledFunction } from '../api/compiled.js';
import type { Target } from '../api/target.js';

/** The finite-difference methods; their stencils and arithmetic live in the kernel. */
export type NumericMethod = keyof typeof Method;

export interface NumericResult {
  value: Float64Array;
  /** n values (derivative) or n*nVars (gradient, point-major). */
  derivative: Float64Array;
  errorEstimate: Float64Array;
}

/**
 * Points as the batch helpers take them: one array, coordinate v of point p
 * at v*n + p (for a function with vector variables: input i of point p at
 * p*inputs + i), or one column per variable, each n long (read only: they
 * may be the caller's own arrays).
 */
export type Columns = Float64Array | readonly Float64Array[];

/** Run `body` with kernel blocks of the given byte sizes, and free them after. */
function withBlocks<T>(sizes: number[], body: (ptrs: number[]) => T): T {
  const { heap } = getKernel();
  const ptrs: number[] = [];
  try {
    for (const s of sizes) ptrs.push(heap.alloc(s));
    return body(ptrs);
  } finally {
    for (const p of ptrs) heap.release(p);
  }
}

/** The kernel's batch (BATCH rows in kernel-as layout.ts): chunks hold whole batches. */
const KERNEL_BATCH = 256;
/**
 * At most this many bytes of points and outputs per kernel call: a long
 * batch runs in chunks whose inputs, outputs and the kernel's work stay in
 * the processor's cache, and the kernel's memory holds one chunk, not n points.
 */
const CHUNK_BYTES = 128 * 1024;

/**
 * One batch call of the kernel over n points of a compiled function, in
 * chunks: each chunk's points are copied from `points` straight into the
 * function's reusable workspace, `call` runs the kernel on them, and each
 * output (`widths[k]` f64 per point, point-major) is copied into a fresh
 * array (never a view of the kernel's memory, which can grow and detach).
 * `extra` (a direction) is copied once, before the first chunk. The kernel
 * must not grow the memory, and `call` must not run user code.
 */
export function runBatch(
  fn: CompiledFunction,
  points: Columns,
  n: number,
  widths: readonly number[],
  extra: Float64Array | undefined,
  call: (points: number, m: number, outs: readonly number[], extra: number) => void,
): Float64Array[] {
  const { heap } = getKernel();
  const nIn = fn.inputLength;
  const vector = fn.vectorMode;
  checkPoints(points, n, nIn, vector);
  if (n === 0) return widths.map(() => new Float64Array(0));
  const perPoint = 8 * widths.reduce((a, w) => a + w, nIn);
  let chunk = n;
  if (n * perPoint > CHUNK_BYTES) {
    chunk = Math.max(1, Math.floor(CHUNK_BYTES / perPoint));
    if (chunk > KERNEL_BATCH) chunk -= chunk % KERNEL_BATCH;
  }
  const extraBytes = extra ? align16(extra.length * 8) : 0;
  const outBytes = widths.map((w) => align16(chunk * w * 8));
  const base = fn.workspace(extraBytes + align16(chunk * nIn * 8) + outBytes.reduce((a, b) => a + b, 0));
  const pts = base + extraBytes;
  const outs: number[] = [];
  let next = pts + align16(chunk * nIn * 8);
  for (const b of outBytes) {
    outs.push(next);
    next += b;
  }
  if (extra) heap.f64().set(extra, base >> 3);
  if (chunk === n) {
    // One call: the points are already in the kernel's layout for n points.
    const f64 = heap.f64();
    if (points instanceof Float64Array) f64.set(points, pts >> 3);
    else points.forEach((col, v) => f64.set(col, (pts >> 3) + v * n));
    call(pts, n, outs, base);
    const view = heap.f64();
    return widths.map((w, k) => view.slice(outs[k]! >> 3, (outs[k]! >> 3) + n * w));
  }
  const results = widths.map((w) => new Float64Array(n * w));
  // Batch mode: column v of the points (a view, or the caller's column).
  const cols = vector ? [] : points instanceof Float64Array ? Array.from({ length: nIn }, (_, v) => points.subarray(v * n, (v + 1) * n)) : points;
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    const f64 = heap.f64();
    if (vector) f64.set((points as Float64Array).subarray(s * nIn, (s + m) * nIn), pts >> 3);
    else for (let v = 0; v < nIn; v++) f64.set(cols[v]!.subarray(s, s + m), (pts >> 3) + v * m);
    call(pts, m, outs, base);
    const view = heap.f64();
    for (let k = 0; k < widths.length; k++) {
      const w = widths[k]!;
      results[k]!.set(view.subarray(outs[k]! >> 3, (outs[k]! >> 3) + m * w), s * w);
    }
  }
  return results;
}

function checkPoints(points: Columns, n: number, nIn: number, vector: boolean): void {
  if (vector) {
    if (points instanceof Float64Array && points.length === n * nIn) return;
    // The batch functions lay points out by variable: a vector function's points come one at a time.
    throw new NudgeError('invalid-argument', `f has vector variables (${nIn} numbers per point): give its points one at a time, as one flat array or an object of its vectors`);
  }
  if (points instanceof Float64Array ? points.length === n * nIn : points.length === nIn && points.every((col) => col.length === n)) return;
  throw new Error(`internal: ${n} points of ${nIn} inputs in the wrong layout`);
}

/** Points in one array, coordinate v of point p at v*n + p (the columns as they are, or packed). */
function packed(columns: Columns, n: number): Float64Array {
  if (columns instanceof Float64Array) return columns;
  const out = new Float64Array(columns.length * n);
  columns.forEach((col, v) => out.set(col, v * n));
  return out;
}

/** The coordinates of point p. */
function pointAt(columns: Columns, nv: number, n: number, p: number): Float64Array {
  const x = new Float64Array(nv);
  for (let v = 0; v < nv; v++) x[v] = columns instanceof Float64Array ? columns[v * n + p]! : columns[v]![p]!;
  return x;
}

/** f at n points given as columns (coordinate v of point p at v*n + p, or one column per variable). */
export function evaluateColumns(t: Target, columns: Columns, n: number): Float64Array {
  if (t.kind === 'closure') {
    const flat = packed(columns, n);
    const out = new Float64Array(n);
    const nv = t.variables.length;
    const args = new Array<number>(nv);
    for (let p = 0; p < n; p++) {
      for (let v = 0; v < nv; v++) args[v] = flat[v * n + p]!;
      out[p] = t.fn(...args);
    }
    return out;
  }
  const { exports } = getKernel();
  t.fn.use(n);
  const descriptor = t.fn.descriptor;
  return runBatch(t.fn, columns, n, [1], undefined, (pts, m, [out]) => exports.evaluate(descriptor, pts, m, out!))[0]!;
}

/** The number of evaluations of f one derivative takes (the value f(x) included). */
export function stencilEvaluations(method: NumericMethod): number {
  return getKernel().exports.stencilSize(Method[method]);
}

/** The step the kernel uses at coordinate x (`h` NaN means the automatic, error-optimal step). */
export function stepAt(method: NumericMethod, h: number, x: number): number {
  return getKernel().exports.stencilStep(Method[method], h, x);
}

/**
 * Near the edge of a domain (sqrt(x) at 1e-6, log(x) just above 0) every step
 * of Richardson's tableau may leave the domain and give NaN. Such points are
 * tried again with the largest step ten times smaller, and again while the
 * error estimate improves (at most 16 times), before NaN is reported.
 */
const RETRIES = 16;
const SHRINK = 0.1;

function needsRetry(method: NumericMethod, value: number, derivative: number): boolean {
  return method === 'richardson' && Number.isFinite(value) && Number.isNaN(derivative);
}

/** The derivative of f along `dir` (used as given) at n points. */
export function directionalColumns(t: Target, columns: Columns, n: number, dir: Float64Array, method: NumericMethod, h: number): NumericResult {
  const out = directionalOnce(t, columns, n, dir, method, h);
  const nv = t.variables.length;
  for (let p = 0; p < n; p++) {
    if (!needsRetry(method, out.value[p]!, out.derivative[p]!)) continue;
    const x = pointAt(columns, nv, n, p);
    let along = 0;
    for (let v = 0; v < nv; v++) along += x[v]! * dir[v]!;
    // Shrink until a step gives an answer, then on while the error estimate improves.
    let step = stepAt(method, h, along);
    for (let k = 0; k < RETRIES; k++) {
      step *= SHRINK;
      const again = directionalOnce(t, x, 1, dir, method, step);
      const d = again.derivative[0]!;
      const e = again.errorEstimate[0]!;
      if (Number.isNaN(d)) continue;
      if (!Number.isNaN(out.derivative[p]!) && !(e < out.errorEstimate[p]!)) break;
      out.derivative[p] = d;
      out.errorEstimate[p] = e;
    }
  }
  return out;
}
function directionalOnce(t: Target, columns: Columns, n: number, dir: Float64Array, method: NumericMethod, h: number): NumericResult {
  const nv = t.variables.length;
  if (t.kind === 'closure') {
    const flat = packed(columns, n);
    const value = new Float64Array(n);
    const derivative = new Float64Array(n);
    const errorEstimate = new Float64Array(n);
    const x = new Float64Array(nv);
    for (let p = 0; p < n; p++) {
      for (let v = 0; v < nv; v++) x[v] = flat[v * n + p]!;
      const r = closureStencil(t, x, dir, method, h);
      value[p] = r[2]!;
      derivative[p] = r[0]!;
      errorEstimate[p] = r[1]!;
    }
    return { value, derivative, errorEstimate };
  }
  const { exports } = getKernel();
  t.fn.use(n * stencilEvaluations(method));
  const descriptor = t.fn.descriptor;
  const code = Method[method];
  const [value, derivative, errorEstimate] = runBatch(t.fn, columns, n, [1, 1, 1], dir, (pts, m, [outV, outD, outE], d) =>
    exports.derivative(descriptor, pts, m, d, code, h, outV!, outD!, outE!),
  );
  return { value: value!, derivative: derivative!, errorEstimate: errorEstimate! };
}

/** Every partial derivative of f at n points: derivative[p*nVars + v]. */
export function gradientColumns(t: Target, columns: Columns, n: number, method: NumericMethod, h: number): NumericResult {
  const out = gradientOnce(t, columns, n, method, h);
  const nv = t.variables.length;
  for (let p = 0; p < n; p++) {
    for (let v = 0; v < nv; v++) {
      if (!needsRetry(method, out.value[p]!, out.derivative[p * nv + v]!)) continue;
      const x = pointAt(columns, nv, n, p);
      const axis = new Float64Array(nv);
      axis[v] = 1;
      const again = directionalColumns(t, x, 1, axis, method, h);
      out.derivative[p * nv + v] = again.derivative[0]!;
      out.errorEstimate[p * nv + v] = again.errorEstimate[0]!;
    }
  }
  return out;
}

/** One pass of the kernel's gradient, without retries. */
function gradientOnce(t: Target, columns: Columns, n: number, method: NumericMethod, h: number): NumericResult {
  const nv = t.variables.length;
  if (t.kind === 'closure') {
    const flat = packed(columns, n);
    const value = new Float64Array(n);
    const derivative = new Float64Array(n * nv);
    const errorEstimate = new Float64Array(n * nv);
    const x = new Float64Array(nv);
    const axis = new Float64Array(nv);
    for (let p = 0; p < n; p++) {
      for (let v = 0; v < nv; v++) x[v] = flat[v * n + p]!;
      value[p] = t.fn(...x);
      for (let v = 0; v < nv; v++) {
        axis.fill(0);
        axis[v] = 1;
        const r = closureStencil(t, x, axis, method, h);
        derivative[p * nv + v] = r[0]!;
        errorEstimate[p * nv + v] = r[1]!;
      }
    }
    return { value, derivative, errorEstimate };
  }
  const { exports } = getKernel();
  t.fn.use(n * nv * stencilEvaluations(method));
  const descriptor = t.fn.descriptor;
  const code = Method[method];
  const [value, derivative, errorEstimate] = runBatch(t.fn, columns, n, [1, nv, nv], undefined, (pts, m, [outV, outG, outE]) =>
    exports.gradient(descriptor, pts, m, code, h, outV!, outG!, outE!),
  );
  return { value: value!, derivative: derivative!, errorEstimate: errorEstimate! };
}

/**
 * One derivative of a JS closure along `dir` at x: the closure is evaluated
 * here, the stencil (offsets, step) and the arithmetic that combines the
 * values are the kernel's. Returns [derivative, errorEstimate, value].
 */
function closureStencil(t: Target & { kind: 'closure' }, x: Float64Array, dir: Float64Array, method: NumericMethod, h: number): Float64Array {
  const { exports, heap } = getKernel();
  const code = Method[method];
  const m = exports.stencilSize(code);
  return withBlocks([m * 8, m * 8, 3 * 8], ([offsetsPtr, valuesPtr, outPtr]) => {
    exports.stencilOffsets(code, offsetsPtr!);
    const offsets = heap.f64().slice(offsetsPtr! >> 3, (offsetsPtr! >> 3) + m);
    let along = 0;
    for (let v = 0; v < x.length; v++) along += x[v]! * dir[v]!;
    const step = exports.stencilStep(code, h, along);
    const values = new Float64Array(m);
    const shifted = new Array<number>(x.length);
    for (let k = 0; k < m; k++) {
      for (let v = 0; v < x.length; v++) shifted[v] = offsets[k] === 0 ? x[v]! : x[v]! + offsets[k]! * step * dir[v]!;
      values[k] = t.fn(...shifted);
    }
    heap.f64().set(values, valuesPtr! >> 3);
    exports.stencilCombine(code, step, valuesPtr!, outPtr!);
    return heap.f64().slice(outPtr! >> 3, (outPtr! >> 3) + 3);
  });
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
