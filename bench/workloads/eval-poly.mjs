// Benchmark 2: cheap arithmetic only, where a tape interpreter is memory-bound.
import { evaluationWorkload } from '../lib/evaluation.mjs';

const f = (x, y) => x * x * y - 3 * x * y * y + 2 * x - y + 1;

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
  workload: 'eval x*x*y - 3*x*y*y + 2*x - y + 1',
  expression: 'x*x*y - 3*x*y*y + 2*x - y + 1',
  mathjs: 'x*x*y - 3*x*y*y + 2*x - y + 1',
  closureLoop,
  closureLoopInto,
});
