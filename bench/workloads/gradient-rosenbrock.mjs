// The gradient of the extended Rosenbrock function
//   f(x) = sum_{i<n-1} 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2
// at one point, for n = 100, 10,000 and 100,000: Nudge's reverse mode on a
// builder function (a handful of vector instructions, not n scalar ones)
// against a hand-written analytic gradient in JS, TensorFlow.js tf.grad (CPU
// and WASM backends, float32), and central differences with a JS closure
// (2n evaluations of f: only at n = 100).
//
// Engines: a builder function with a vector variable runs in vector mode;
// the compiled engine fuses its element-wise chain into one loop over the
// elements (packages/core/src/jit/fusion.ts). One row per engine for the
// gradient and for the evaluation; check() asserts each function's engine
// and that the two engines agree bit for bit.
import { builder, evaluate, gradient } from '@nudge/core';
import { agreement, engineIs, identical } from '../lib/check.mjs';
import { seededColumns } from '../lib/rng.mjs';
import { tensorflow } from '../lib/tf.mjs';

function rosenbrockJs(x) {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    s += 100 * a * a + b * b;
  }
  return s;
}

/** The analytic gradient, hand-written: what a careful person would code. */
function rosenbrockGradientJs(x) {
  const n = x.length;
  const g = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    g[i] += -400 * x[i] * a - 2 * (1 - x[i]);
    g[i + 1] += 200 * a;
  }
  return g;
}

function centralGradientJs(x) {
  const n = x.length;
  const g = new Float64Array(n);
  const y = Float64Array.from(x);
  for (let i = 0; i < n; i++) {
    const h = 6.06e-6 * Math.max(1, Math.abs(x[i]));
    y[i] = x[i] + h;
    const fp = rosenbrockJs(y);
    y[i] = x[i] - h;
    const fm = rosenbrockJs(y);
    y[i] = x[i];
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

export function nudgeRosenbrock(n, options = {}) {
  const b = builder();
  const x = b.vector('x', n);
  const head = x.slice(0, -1);
  const tail = x.slice(1);
  return b.compile(tail.sub(head.square()).square().mul(100).add(b.sub(1, head).square()).sum(), options);
}

export function rosenbrockWorkload(n) {
  return {
    workload: `gradient of extended Rosenbrock, n = ${n.toLocaleString('en-US')}`,
    unit: 'us/gradient',
    async setup({ seed }) {
      const { x } = seededColumns(['x'], n, { seed: seed + n });
      const fn = nudgeRosenbrock(n, { engine: 'compiled' });
      const fnInterpreted = nudgeRosenbrock(n, { engine: 'interpreter' });
      const point = { x };
      const tfCpu = await tensorflow('cpu');
      const tfImpl = (tf) => {
        const grad = tf.grad((t) => {
          const head = t.slice(0, n - 1);
          const tail = t.slice(1, n - 1);
          return tf.sum(tf.add(tf.mul(100, tf.square(tf.sub(tail, tf.square(head)))), tf.square(tf.sub(1, head))));
        });
        const xt = tf.tensor1d(Float32Array.from(x));
        return {
          run: () => {
            const g = grad(xt);
            const data = g.dataSync();
            g.dispose();
            return Float64Array.from(data);
          },
          dispose: () => xt.dispose(),
        };
      };
      const cpu = tfImpl(tfCpu);
      // Each backend keeps its own tensors: the WASM one is set up after the CPU one's tensor exists.
      const tfWasm = await tensorflow('wasm');
      const wasm = tfImpl(tfWasm);
      // TensorFlow.js has one active backend: switching to an initialised one is synchronous.
      const on = (backend, run) => () => {
        tfCpu.setBackend(backend);
        return run();
      };
      const impls = [
        { implementation: 'Nudge reverse mode (builder, vector tape), compiled', role: 'nudge', engine: 'compiled', points: 1, run: () => gradient(fn, point).vector },
        { implementation: 'Nudge reverse mode (builder, vector tape), interpreter', role: 'nudge-interpreter', engine: 'interpreter', points: 1, run: () => gradient(fnInterpreted, point).vector },
        { implementation: 'Nudge evaluation alone (same function), compiled', role: 'nudge-eval', engine: 'compiled', points: 1, run: () => Float64Array.of(evaluate(fn, point).value) },
        { implementation: 'Nudge evaluation alone (same function), interpreter', role: 'nudge-eval-interpreter', engine: 'interpreter', points: 1, run: () => Float64Array.of(evaluate(fnInterpreted, point).value) },
        { implementation: 'hand-written analytic gradient (JS)', role: 'analytic', points: 1, run: () => rosenbrockGradientJs(x) },
        { implementation: 'f alone (JS)', role: 'analytic-eval', points: 1, run: () => Float64Array.of(rosenbrockJs(x)) },
        { implementation: 'TensorFlow.js tf.grad, CPU backend (float32)', role: 'tf-cpu', points: 1, run: on('cpu', cpu.run) },
        { implementation: 'TensorFlow.js tf.grad, WASM backend (float32)', role: 'tf-wasm', points: 1, run: on('wasm', wasm.run) },
      ];
      // Central differences of a long sum lose digits to rounding (eps·f/h): only at n = 100.
      if (n <= 100) {
        impls.push({ implementation: `central differences, JS closure (${2 * n} evaluations)`, role: 'central', points: 1, run: () => centralGradientJs(x) });
      }
      return {
        impls,
        tf: tfCpu,
        facts: { vectorMode: fn.vectorMode, engine: fn.engine },
        check() {
          const want = rosenbrockGradientJs(x);
          const rows = [
            engineIs(impls[0].implementation, fn, 'compiled'),
            engineIs(impls[1].implementation, fnInterpreted, 'interpreter'),
            identical({ implementation: impls[0].implementation, against: impls[1].implementation, what: 'gradient', a: impls[0].run(), b: impls[1].run() }),
            identical({ implementation: impls[2].implementation, against: impls[3].implementation, what: 'value', a: impls[2].run(), b: impls[3].run() }),
            agreement({ implementation: impls[0].implementation, against: 'the analytic gradient', what: 'gradient', a: impls[0].run(), b: want, tolerance: 1e-12 }),
          ];
          // float32 gradients agree only to float32 precision (relative to the largest entries).
          for (const role of ['tf-cpu', 'tf-wasm']) {
            const impl = impls.find((i) => i.role === role);
            rows.push(agreement({ implementation: impl.implementation, against: 'the analytic gradient', what: 'gradient', a: impl.run(), b: want, tolerance: 1e-3 }));
          }
          const c = impls.find((i) => i.role === 'central');
          if (c) rows.push(agreement({ implementation: c.implementation, against: 'the analytic gradient', what: 'gradient', a: c.run(), b: want, tolerance: 1e-5 }));
          return rows;
        },
        dispose() {
          fn.dispose();
          fnInterpreted.dispose();
          cpu.dispose();
          wasm.dispose();
        },
      };
    },
  };
}
