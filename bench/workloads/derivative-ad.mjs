// d/dx of sin(x)*exp(-x*x/10) + x^3 at 1,000,000 points, exactly: Nudge's
// forward mode (dual numbers over the batch), with the tape compiled to
// WebAssembly and with the interpreter, against the hand-written
// analytic derivative in JS, TensorFlow.js tf.grad on the WASM backend
// (float32), and math.js derivative() compiled and evaluated per point.
// Each row also reports its maximum error against the analytic derivative.
import { compile, derivativeMany } from '@nudge/core';
import * as math from 'mathjs';
import { agreement, engineIs, identical, maxRelDiff } from '../lib/check.mjs';
import { seededColumns } from '../lib/rng.mjs';
import { tensorflow } from '../lib/tf.mjs';

const EXPRESSION = 'sin(x)*exp(-x*x/10) + x^3';

/** The analytic derivative, written by hand. */
function analytic(xs) {
  const n = xs.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const e = Math.exp((-x * x) / 10);
    out[i] = Math.cos(x) * e - 0.2 * x * Math.sin(x) * e + 3 * x * x;
  }
  return out;
}

export default {
  workload: `exact d/dx ${EXPRESSION}`,
  unit: 'ns/point',
  async setup({ points, slowPoints, seed }) {
    const { x } = seededColumns(['x'], points, { seed });
    // One function per engine, asked for explicitly (asserted in check()).
    const fn = compile(EXPRESSION, { engine: 'compiled' });
    const interpreted = compile(EXPRESSION, { engine: 'interpreter' });
    const tf = await tensorflow('wasm');
    const grad = tf.grad((t) => tf.sum(tf.add(tf.mul(tf.sin(t), tf.exp(tf.div(tf.neg(tf.mul(t, t)), 10))), tf.pow(t, 3))));
    const xt = tf.tensor1d(Float32Array.from(x));
    const mathN = Math.min(slowPoints, points);
    const mathDerivative = math.derivative(EXPRESSION.replace('x^3', 'x^3'), 'x').compile();
    const scope = { x: 0 };
    const impls = [
      { implementation: 'Nudge forward mode (derivativeMany, exact), compiled tape', role: 'nudge', engine: 'compiled', points, run: () => derivativeMany(fn, { x }).derivative },
      {
        implementation: 'Nudge forward mode (derivativeMany, exact), interpreter',
        role: 'nudge-interpreter',
        engine: 'interpreter',
        points,
        run: () => derivativeMany(interpreted, { x }).derivative,
      },
      { implementation: 'hand-written analytic derivative (JS)', role: 'analytic', points, run: () => analytic(x) },
      {
        implementation: 'TensorFlow.js tf.grad, WASM backend (float32)',
        role: 'tf-wasm',
        points,
        run: () => {
          tf.setBackend('wasm');
          const g = grad(xt);
          const out = Float64Array.from(g.dataSync());
          g.dispose();
          return out;
        },
      },
      {
        implementation: `math.js derivative, compiled, per point (${mathN.toLocaleString('en-US')} points)`,
        role: 'mathjs',
        points: mathN,
        collect: false,
        run: () => {
          const out = new Float64Array(mathN);
          for (let i = 0; i < mathN; i++) {
            scope.x = x[i];
            out[i] = mathDerivative.evaluate(scope);
          }
          return out;
        },
      },
    ];
    const errors = {};
    return {
      impls,
      errors,
      check() {
        const want = analytic(x);
        const [nc, ni] = ['nudge', 'nudge-interpreter'].map((r) => impls.find((i) => i.role === r));
        // The two engines, value and derivative, bit for bit.
        const a = derivativeMany(fn, { x });
        const b = derivativeMany(interpreted, { x });
        const rows = [
          engineIs(nc.implementation, fn, 'compiled'),
          engineIs(ni.implementation, interpreted, 'interpreter'),
          identical({ implementation: nc.implementation, against: ni.implementation, what: 'derivative', a: a.derivative, b: b.derivative }),
          identical({ implementation: nc.implementation, against: ni.implementation, what: 'value', a: a.value, b: b.value }),
        ];
        for (const impl of impls) {
          if (impl.role === 'analytic') continue;
          const got = impl.run();
          const n = Math.min(got.length, want.length);
          errors[impl.role] = maxRelDiff(got, want, n);
          // float32 agrees to float32 precision only; everything else to rounding.
          rows.push(agreement({ implementation: impl.implementation, against: 'the analytic derivative', what: 'derivative', a: got, b: want, n, tolerance: impl.role === 'tf-wasm' ? 1e-5 : 1e-12 }));
        }
        return rows;
      },
      dispose() {
        fn.dispose();
        interpreted.dispose();
        xt.dispose();
      },
    };
  },
};
