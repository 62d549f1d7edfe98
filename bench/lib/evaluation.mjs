// The evaluation workloads (f(x, y) at many points) share their shape:
// Nudge's kernel with each engine (the tape compiled to WebAssembly, and the
// tape interpreter), a hand-written JS closure loop, math.js per point, and
// rows that show where Nudge's time goes.
import { compile } from '@nudge/core';
import { agreement, engineIs, identical } from './check.mjs';
import { copiesReplica, mathjsPerPoint, nudgeEvaluate } from './contenders.mjs';
import { seededColumns } from './rng.mjs';

/** Tolerance of the agreement check for values (see check.mjs for the measure). */
export const VALUE_TOLERANCE = 1e-12;

/**
 * @param spec.workload  the row label
 * @param spec.expression  the expression in Nudge's syntax
 * @param spec.mathjs  the same in math.js syntax
 * @param spec.closureLoop  (xs, ys) => Float64Array: the hand-written JS loop (a new output array per call, as Nudge's API returns)
 * @param spec.closureLoopInto  (xs, ys, out) => out: the same loop into a reused output array
 */
export function evaluationWorkload(spec) {
  return {
    workload: spec.workload,
    expression: spec.expression,
    setup({ points, slowPoints, seed }) {
      const { x, y } = seededColumns(['x', 'y'], points, { seed });
      // One function per engine, each asked for explicitly: 'compiled' compiles at once (no tier-up during the
      // warm-ups), 'interpreter' never compiles. The check phase asserts both (f.engine).
      const fn = compile(spec.expression, { variables: ['x', 'y'], engine: 'compiled' });
      const interpreted = compile(spec.expression, { variables: ['x', 'y'], engine: 'interpreter' });
      const floor = compile('x', { variables: ['x', 'y'], engine: 'compiled' });
      const mathN = Math.min(slowPoints, points);
      const reused = new Float64Array(points);
      const impls = [
        { implementation: 'Nudge evaluateMany, compiled tape', role: 'nudge', engine: 'compiled', points, run: nudgeEvaluate(fn, { x, y }) },
        { implementation: 'Nudge evaluateMany, interpreter', role: 'nudge-interpreter', engine: 'interpreter', points, run: nudgeEvaluate(interpreted, { x, y }) },
        {
          implementation: 'JS closure loop (V8)',
          role: 'closure',
          points,
          run: () => spec.closureLoop(x, y),
        },
        {
          implementation: 'JS closure loop, output reused',
          role: 'closure-reuse',
          points,
          run: () => spec.closureLoopInto(x, y, reused),
        },
        {
          implementation: `math.js evaluate per point (${mathN.toLocaleString('en-US')} points)`,
          role: 'mathjs',
          points: mathN,
          collect: false,
          run: mathjsPerPoint(spec.mathjs, x, y, mathN),
        },
        {
          implementation: 'Nudge evaluateMany of f = x (API floor, compiled)',
          role: 'floor',
          engine: 'compiled',
          points,
          run: nudgeEvaluate(floor, { x, y }),
        },
        { implementation: 'API copies alone (JS replica)', role: 'copies', points, run: copiesReplica([x, y], points, 1) },
        {
          implementation: 'copies without packing (JS replica)',
          role: 'copies-min',
          points,
          run: copiesReplica([x, y], points, 1, { pack: false }),
        },
      ];
      return {
        impls,
        check() {
          const role = (r) => impls.find((impl) => impl.role === r);
          const reference = spec.closureLoop(x, y);
          const nudge = role('nudge').run();
          const interp = role('nudge-interpreter').run();
          const mathjs = role('mathjs').run();
          const into = role('closure-reuse').run();
          const fl = role('floor').run();
          return [
            engineIs(role('nudge').implementation, fn, 'compiled'),
            engineIs(role('nudge-interpreter').implementation, interpreted, 'interpreter'),
            engineIs(role('floor').implementation, floor, 'compiled'),
            identical({ implementation: role('nudge').implementation, against: role('nudge-interpreter').implementation, what: 'value', a: nudge, b: interp }),
            agreement({ implementation: role('nudge').implementation, against: 'JS closure', what: 'value', a: nudge, b: reference, tolerance: VALUE_TOLERANCE }),
            agreement({ implementation: role('nudge-interpreter').implementation, against: 'JS closure', what: 'value', a: interp, b: reference, tolerance: VALUE_TOLERANCE }),
            agreement({ implementation: role('mathjs').implementation, against: 'JS closure', what: 'value', a: mathjs, b: reference, n: mathN, tolerance: VALUE_TOLERANCE }),
            agreement({ implementation: role('closure-reuse').implementation, against: 'JS closure', what: 'value', a: into, b: reference, tolerance: 0 }),
            agreement({ implementation: role('floor').implementation, against: 'the input x', what: 'value', a: fl, b: x, tolerance: 0 }),
          ];
        },
        dispose() {
          fn.dispose();
          interpreted.dispose();
          floor.dispose();
        },
      };
    },
  };
}
