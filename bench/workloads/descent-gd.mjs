// Plain gradient descent on the 2-D Rosenbrock function
//   f(x, y) = (1 - x)^2 + 100 (y - x^2)^2,  lr = 1e-3,  from (-1.2, 1),
// a fixed number of steps (no stopping test): Nudge's loop in the kernel
// (minimize with one kernel call for the whole run, no trajectory), with the
// tape compiled to WebAssembly and with the interpreter, against a
// hand-written JS loop with the analytic gradient (plain numbers, nothing
// allocated per step) and TensorFlow.js optimizer.minimize with
// tf.train.sgd on two tf.variable scalars (CPU and WASM backends, float32;
// far fewer steps: a step costs hundreds of microseconds there). Reported
// per step.
import { compile, minimize } from '@nudge/core';
import { agreement, engineIs, identical } from '../lib/check.mjs';
import { tensorflow } from '../lib/tf.mjs';

export const EXPRESSION = '(1-x)^2 + 100*(y-x^2)^2';
export const START = Object.freeze({ x: -1.2, y: 1 });
export const LR = 1e-3;

/** minimize's options for `steps` plain gd steps: no gradient test (tol 0), no trajectory. */
export function descentOptions(steps, extra = {}) {
  return { optimizer: 'gd', lr: LR, maxSteps: steps, tol: 0, trace: false, ...extra };
}

/** The hand-written loop: the analytic gradient, plain numbers. */
export function descentJs(steps, x0 = START.x, y0 = START.y, lr = LR) {
  let x = x0;
  let y = y0;
  for (let i = 0; i < steps; i++) {
    const a = y - x * x;
    const gx = -2 * (1 - x) - 400 * x * a;
    const gy = 200 * a;
    x -= lr * gx;
    y -= lr * gy;
  }
  return Float64Array.of(x, y);
}

/** TensorFlow.js: optimizer.minimize(loss) once per step, two scalar variables reset before each run. */
function tfDescent(tf, steps) {
  const x = tf.variable(tf.scalar(START.x));
  const y = tf.variable(tf.scalar(START.y));
  const optimizer = tf.train.sgd(LR);
  const loss = () => tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x)))));
  return {
    run() {
      tf.tidy(() => {
        x.assign(tf.scalar(START.x));
        y.assign(tf.scalar(START.y));
      });
      for (let i = 0; i < steps; i++) optimizer.minimize(loss);
      return Float64Array.of(x.dataSync()[0], y.dataSync()[0]);
    },
    dispose() {
      x.dispose();
      y.dispose();
      optimizer.dispose();
    },
  };
}

const fmtInt = (n) => n.toLocaleString('en-US');

export default {
  workload: `gradient descent, 2-D Rosenbrock, gd lr = ${LR}`,
  unit: 'ns/step',
  async setup({ steps, tfSteps }) {
    // One function per engine, asked for explicitly (asserted in check()).
    const fn = compile(EXPRESSION, { engine: 'compiled' });
    const interpreted = compile(EXPRESSION, { engine: 'interpreter' });
    const tfCpu = await tensorflow('cpu');
    const cpu = tfDescent(tfCpu, tfSteps);
    // Each backend keeps its own variables: the WASM ones are made with the WASM backend active.
    const tfWasm = await tensorflow('wasm');
    const wasm = tfDescent(tfWasm, tfSteps);
    // One active backend at a time; switching to an initialised one is synchronous.
    const on = (backend, run) => () => {
      tfCpu.setBackend(backend);
      return run();
    };
    const nudge = (n, f = fn) => minimize(f, START, descentOptions(n, { chunkSteps: n }));
    const impls = [
      { implementation: `Nudge minimize, kernel loop, compiled tape (1 kernel call, ${fmtInt(steps)} steps)`, role: 'nudge', engine: 'compiled', points: steps, run: () => nudge(steps).vector },
      {
        implementation: `Nudge minimize, kernel loop, interpreter (1 kernel call, ${fmtInt(steps)} steps)`,
        role: 'nudge-interpreter',
        engine: 'interpreter',
        points: steps,
        run: () => nudge(steps, interpreted).vector,
      },
      { implementation: `hand-written JS loop, analytic gradient (${fmtInt(steps)} steps)`, role: 'analytic', points: steps, run: () => descentJs(steps) },
      { implementation: `TensorFlow.js sgd.minimize, CPU backend (float32, ${fmtInt(tfSteps)} steps)`, role: 'tf-cpu', points: tfSteps, run: on('cpu', cpu.run) },
      { implementation: `TensorFlow.js sgd.minimize, WASM backend (float32, ${fmtInt(tfSteps)} steps)`, role: 'tf-wasm', points: tfSteps, run: on('wasm', wasm.run) },
    ];
    const facts = {};
    return {
      impls,
      facts,
      check() {
        // Nudge returns the best point of a run stopped by maxSteps; here f falls at every step, so it is the last one.
        const long = nudge(steps);
        const longInterpreted = nudge(steps, interpreted);
        const js = descentJs(steps);
        facts.steps = steps;
        facts.iterations = long.iterations;
        facts.end = js;
        facts.endValue = long.value;
        const [nc, ni] = ['nudge', 'nudge-interpreter'].map((r) => impls.find((i) => i.role === r));
        const short = nudge(tfSteps);
        const shortInterpreted = nudge(tfSteps, interpreted);
        const rows = [
          agreement({ implementation: 'Nudge (compiled)', against: 'the JS loop', what: `end point after ${fmtInt(steps)} steps`, a: long.vector, b: js, tolerance: 1e-9 }),
          agreement({ implementation: 'Nudge (interpreter)', against: 'the JS loop', what: `end point after ${fmtInt(steps)} steps`, a: longInterpreted.vector, b: js, tolerance: 1e-9 }),
          // After fewer steps the point is still moving: a sharper test of the same trajectory, and the one TensorFlow.js can run.
          agreement({ implementation: 'Nudge (compiled)', against: 'the JS loop', what: `end point after ${fmtInt(tfSteps)} steps`, a: short.vector, b: descentJs(tfSteps), tolerance: 1e-12 }),
          agreement({ implementation: 'Nudge (interpreter)', against: 'the JS loop', what: `end point after ${fmtInt(tfSteps)} steps`, a: shortInterpreted.vector, b: descentJs(tfSteps), tolerance: 1e-12 }),
          identical({ implementation: 'Nudge (compiled)', against: 'Nudge (interpreter)', what: `end point after ${fmtInt(steps)} steps`, a: long.vector, b: longInterpreted.vector, countLabel: 'coordinates' }),
          identical({ implementation: 'Nudge (compiled)', against: 'Nudge (interpreter)', what: `end point after ${fmtInt(tfSteps)} steps`, a: short.vector, b: shortInterpreted.vector, countLabel: 'coordinates' }),
          identical({ implementation: 'Nudge (compiled)', against: 'Nudge (interpreter)', what: `f at the end after ${fmtInt(steps)} steps`, a: Float64Array.of(long.value), b: Float64Array.of(longInterpreted.value), countLabel: 'value' }),
        ];
        const shortJs = descentJs(tfSteps);
        facts.shortEnd = shortJs;
        for (const impl of impls.filter((i) => i.role.startsWith('tf-'))) {
          // float32: the same trajectory to float32 precision.
          rows.push(agreement({ implementation: impl.implementation, against: 'the JS loop', what: `end point after ${fmtInt(tfSteps)} steps`, a: impl.run(), b: shortJs, tolerance: 1e-5 }));
        }
        for (const r of rows) r.countLabel = 'coordinates';
        // tol 0 still stops at an exactly zero gradient: the timed run must take every step.
        for (const [name, run] of [['Nudge (compiled)', long], ['Nudge (interpreter)', longInterpreted]]) {
          const missing = Math.abs(run.iterations - steps) / steps;
          rows.push({ implementation: name, against: 'maxSteps', what: `steps taken (${fmtInt(run.iterations)})`, points: 1, countLabel: 'run', maxRelDiff: missing, tolerance: 0, ok: missing === 0 });
        }
        // Asserted after the runs above: a descent compiles a default-engine function, never an 'interpreter' one.
        rows.unshift(engineIs(nc.implementation, fn, 'compiled'), engineIs(ni.implementation, interpreted, 'interpreter'));
        return rows;
      },
      dispose() {
        fn.dispose();
        interpreted.dispose();
        cpu.dispose();
        wasm.dispose();
      },
    };
  },
};
