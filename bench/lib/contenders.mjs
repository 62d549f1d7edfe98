// Implementations shared by several workloads. The hand-written JS closure
// loops are NOT here: each workload file has its own, so that V8 sees one
// closure per loop (monomorphic, inlined), as a person writing it by hand
// would get.
import { compile as mathCompile } from 'mathjs';
import { evaluateMany } from '@nudge/core';

/** Nudge: one evaluateMany call on a compiled function (copies in, kernel, copy out). */
export function nudgeEvaluate(fn, columns) {
  return () => evaluateMany(fn, columns);
}

/** math.js: `compile(expr).evaluate({ x, y })` once per point, as its documentation shows. */
export function mathjsPerPoint(expression, xs, ys, n) {
  const code = mathCompile(expression);
  return () => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = code.evaluate({ x: xs[i], y: ys[i] });
    return out;
  };
}

/**
 * The data movement that Nudge's API performs around one kernel call,
 * replayed in plain JS over a WebAssembly.Memory of our own: the input
 * columns packed into one structure-of-arrays buffer (a new Float64Array),
 * that buffer copied into WASM memory, and each output column copied out
 * with `slice` (a new Float64Array each). No kernel call: this is an
 * estimate of the copies' share, made through public means only (the core
 * exposes no raw kernel entry point).
 *
 * pack = false: the same without the packing step (each column copied
 * straight into WASM memory), the least copying that an API which takes
 * and returns JS arrays can do.
 */
export function copiesReplica(columns, n, outputs, { pack = true } = {}) {
  const nv = columns.length;
  const bytes = (nv + outputs) * n * 8;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
  const view = new Float64Array(memory.buffer);
  return () => {
    if (pack) {
      const packed = new Float64Array(nv * n);
      for (let v = 0; v < nv; v++) packed.set(columns[v], v * n);
      view.set(packed, 0);
    } else {
      for (let v = 0; v < nv; v++) view.set(columns[v], v * n);
    }
    if (outputs === 1) return view.slice(nv * n, nv * n + n);
    const out = {};
    for (let k = 0; k < outputs; k++) out[k] = view.slice((nv + k) * n, (nv + k + 1) * n);
    return out;
  };
}
