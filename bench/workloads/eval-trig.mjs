// Benchmark 1: an expression where sin and exp dominate the cost.
import { evaluationWorkload } from '../lib/evaluation.mjs';

const f = (x, y) => Math.sin(x) * Math.exp(-y * y) + x * x * y;

/** The hand-written baseline: a closure called in a loop over Float64Arrays (V8 inlines it). */
function closureLoop(xs, ys) {
  const n = xs.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(xs[i], ys[i]);
  return out;
}

/** The same loop into an output array the caller keeps (no allocation, no fresh memory to fault in). */
function closureLoopInto(xs, ys, out) {
  const n = xs.length;
  for (let i = 0; i < n; i++) out[i] = f(xs[i], ys[i]);
  return out;
}

export default evaluationWorkload({
  workload: 'eval sin(x)*exp(-y*y) + x*x*y',
  expression: 'sin(x)*exp(-y*y) + x*x*y',
  mathjs: 'sin(x)*exp(-y*y) + x*x*y',
  closureLoop,
  closureLoopInto,
});
