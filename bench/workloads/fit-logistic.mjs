// Logistic regression, 100,000 rows x 16 features (lib/fit-data.mjs: seeded
// normal features, labels drawn from a logistic model), full-batch plain
// gradient descent with a fixed learning rate from zero weights, no
// convergence stop: time per epoch. Nudge's fit (optimizer 'gd', tol 0),
// with the compiled engine and the interpreter asked for; a hand-written JS
// loop over Float64Arrays (one pass over the rows per epoch: forward, loss,
// gradient; then the update); TensorFlow.js tf.train.sgd minimizing the mean
// sigmoid cross-entropy over the full batch, CPU and WASM backends (float32).
//
// An epoch is timed inside a training run, between the end of the first
// epoch and the end of the last (lib/fit-run.mjs): set-up is not counted.
// Peak memory: one child process per implementation (lib/fit-child.mjs).
import { fit } from '@nudge/core';
import { agreement, identical } from '../lib/check.mjs';
import { FEATURES, TARGET, logisticRows, rowMajor, truthAccuracy } from '../lib/fit-data.mjs';
import { runChild, timedTrain } from '../lib/fit-run.mjs';
import { tensorflow } from '../lib/tf.mjs';
import { settle, summarize } from '../lib/timing.mjs';

export const WORKLOAD = 'fit-logistic';
export const LR = 0.5;
/** The figure the issue quotes for a hand-written C loop on this problem (ms per epoch): reported against, not a target. */
export const C_MS_PER_EPOCH = 3;

/** The columns, and the features row-major made once on first use (the JS loop and TensorFlow.js take that layout). */
export function sharedData({ rows, seed }) {
  const { data, names, truth } = logisticRows(rows, { seed });
  let X;
  return { data, names, truth, rows, rowMajor: () => (X ??= rowMajor(data, names)) };
}

/**
 * The hand-written loop: weights then the bias in one Float64Array, from
 * zero; per epoch one pass over the rows (z = b + w . x, the row's log loss
 * in its stable form softplus(z) - y z, sigmoid(z) - y from the same
 * exp(-|z|), the gradient summed), then w -= lr * (sum / n). Returns the
 * weights and each epoch's mean log loss (before its step).
 */
export function jsLogistic(X, y, d, lr, epochs, onEpoch) {
  const n = y.length;
  const w = new Float64Array(d + 1);
  const g = new Float64Array(d + 1);
  const inv = 1 / n;
  const losses = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    g.fill(0);
    let loss = 0;
    const b = w[d];
    for (let i = 0, row = 0; i < n; i++, row += d) {
      let z = b;
      for (let j = 0; j < d; j++) z += w[j] * X[row + j];
      const e = Math.exp(-Math.abs(z));
      const yi = y[i];
      loss += Math.max(z, 0) + Math.log1p(e) - yi * z;
      const r = (z >= 0 ? 1 / (1 + e) : e / (1 + e)) - yi;
      for (let j = 0; j < d; j++) g[j] += r * X[row + j];
      g[d] += r;
    }
    for (let j = 0; j <= d; j++) w[j] -= lr * (g[j] * inv);
    losses.push(loss * inv);
    onEpoch?.();
  }
  return { vector: w, losses };
}

const nudge = (engine) => ({
  role: engine === 'compiled' ? 'nudge' : 'nudge-interpreter',
  engine,
  implementation: `Nudge fit, gd, ${engine === 'compiled' ? 'compiled tape' : 'interpreter'} (engine asked for)`,
  prepare: ({ data }, { lr }) => ({
    train(epochs, onEpoch) {
      const r = fit(data, { model: 'logistic', target: TARGET, optimizer: 'gd', lr, epochs, tol: 0, engine, onEpoch });
      return { vector: r.vector, losses: r.history.map((h) => h.loss), params: r.model.params, endLoss: r.trainingLoss, accuracy: r.accuracy, status: r.status, engine: r.engine };
    },
    dispose() {},
  }),
});

/** TensorFlow.js: w [16, 1] and b [1] as variables, reset to zero before each run; sgd.minimize of the mean sigmoid cross-entropy, its cost read every epoch. */
const tensorflowSgd = (backend) => ({
  role: `tf-${backend}`,
  implementation: `TensorFlow.js sgd.minimize(sigmoidCrossEntropy), ${backend === 'cpu' ? 'CPU' : 'WASM'} backend (float32)`,
  async prepare(shared, { lr }) {
    const tf = await tensorflow(backend);
    const x = tf.tensor2d(Float32Array.from(shared.rowMajor()), [shared.rows, FEATURES]);
    const y = tf.tensor2d(Float32Array.from(shared.data[TARGET]), [shared.rows, 1]);
    const w = tf.variable(tf.zeros([FEATURES, 1]));
    const b = tf.variable(tf.zeros([1]));
    const optimizer = tf.train.sgd(lr);
    const loss = () => tf.losses.sigmoidCrossEntropy(y, tf.add(tf.matMul(x, w), b));
    return {
      train(epochs, onEpoch) {
        // One active backend at a time; switching to an initialised one is synchronous.
        tf.setBackend(backend);
        tf.tidy(() => {
          w.assign(tf.zeros([FEATURES, 1]));
          b.assign(tf.zeros([1]));
        });
        const losses = [];
        for (let epoch = 0; epoch < epochs; epoch++) {
          const cost = optimizer.minimize(loss, true);
          losses.push(cost.dataSync()[0]);
          cost.dispose();
          onEpoch?.();
        }
        return { vector: Float64Array.from([...w.dataSync(), ...b.dataSync()]), losses };
      },
      dispose() {
        tf.setBackend(backend);
        tf.dispose([x, y, w, b]);
        optimizer.dispose();
      },
    };
  },
});

export const TRAINERS = [
  nudge('compiled'),
  nudge('interpreter'),
  {
    role: 'js-loop',
    implementation: 'hand-written JS loop (Float64Array, rows packed row-major, one pass per epoch)',
    prepare: (shared, { lr }) => ({
      train: (epochs, onEpoch) => jsLogistic(shared.rowMajor(), shared.data[TARGET], FEATURES, lr, epochs, onEpoch),
      dispose() {},
    }),
  },
  tensorflowSgd('cpu'),
  tensorflowSgd('wasm'),
];

const fmtInt = (n) => n.toLocaleString('en-US');

export default {
  workload: `fit-logistic: logistic regression, full-batch gd, lr = ${LR}`,
  unit: 'ms/epoch',
  async setup({ fitRows: rows, seed, fitEpochs: epochs, reps, warmup }) {
    const options = { rows, seed, epochs, lr: LR };
    const shared = sharedData(options);
    const trainers = [];
    for (const spec of TRAINERS) trainers.push({ ...spec, trainer: await spec.prepare(shared, options) });
    const facts = { rows, epochs, truthAccuracy: truthAccuracy(shared.data, shared.names, shared.truth) };
    const run = (role, n = epochs) => trainers.find((t) => t.role === role).trainer.train(n);
    return {
      facts,
      check() {
        const js = jsLogistic(shared.rowMajor(), shared.data[TARGET], FEATURES, LR, epochs);
        const [compiled, interpreted] = [run('nudge'), run('nudge-interpreter')];
        facts.loss = { first: js.losses[0], last: js.losses[epochs - 1] };
        facts.accuracy = compiled.accuracy;
        // After one epoch from zero, sigmoid(0) = 1/2: w = -lr * mean((1/2 - y) x), b = -lr * mean(1/2 - y).
        const y = shared.data[TARGET];
        const oneStep = Float64Array.from([...shared.names.map((c) => shared.data[c]), null], (col) => {
          let s = 0;
          for (let i = 0; i < y.length; i++) s += (0.5 - y[i]) * (col ? col[i] : 1);
          return -LR * (s / y.length);
        });
        const wantParams = [...shared.names.map((c) => `w_${c}`), 'b'];
        const order = compiled.params.join(',') === wantParams.join(',');
        const rows = [
          { implementation: 'Nudge fit', what: 'parameter order', ok: order, detail: `${compiled.params[0]} ... ${compiled.params.at(-1)} (required: the weights of x1 ... x16, then b, as the other implementations)` },
          { implementation: 'Nudge fit (compiled)', what: 'engine', ok: compiled.engine === 'compiled', detail: `FitResult.engine is '${compiled.engine}' (required: 'compiled')` },
          { implementation: 'Nudge fit (interpreter)', what: 'engine', ok: interpreted.engine === 'interpreter', detail: `FitResult.engine is '${interpreted.engine}' (required: 'interpreter')` },
          { implementation: 'Nudge fit (compiled)', what: `epochs run (${compiled.losses.length}, status ${compiled.status})`, ok: compiled.losses.length === epochs && compiled.status === 'max-epochs', detail: `required: all ${epochs}, tol 0` },
          agreement({ implementation: 'Nudge fit (compiled), 1 epoch', against: '-lr * the mean gradient at zero (plain JS sums)', what: 'weights', a: run('nudge', 1).vector, b: oneStep, tolerance: 1e-12 }),
          agreement({ implementation: 'Nudge fit (compiled)', against: 'the JS loop', what: `mean log loss per epoch`, a: Float64Array.from(compiled.losses), b: Float64Array.from(js.losses), tolerance: 1e-10 }),
          agreement({ implementation: 'Nudge fit (compiled)', against: 'the JS loop', what: `weights after ${epochs} epochs`, a: compiled.vector, b: js.vector, tolerance: 1e-10 }),
          identical({ implementation: 'Nudge fit (compiled)', against: 'Nudge fit (interpreter)', what: `weights after ${epochs} epochs`, a: compiled.vector, b: interpreted.vector, countLabel: 'parameters' }),
          identical({ implementation: 'Nudge fit (compiled)', against: 'Nudge fit (interpreter)', what: 'loss per epoch', a: Float64Array.from(compiled.losses), b: Float64Array.from(interpreted.losses), countLabel: 'epochs' }),
        ];
        for (const role of ['tf-cpu', 'tf-wasm']) {
          const t = run(role);
          const name = trainers.find((i) => i.role === role).implementation;
          rows.push(agreement({ implementation: name, against: 'the JS loop', what: `weights after ${epochs} epochs`, a: t.vector, b: js.vector, tolerance: 1e-5 }));
          // float32: TensorFlow.js's WASM backend sums the 100,000 row losses in float32 (see the README).
          rows.push(agreement({ implementation: name, against: 'the JS loop', what: 'mean log loss per epoch', a: Float64Array.from(t.losses), b: Float64Array.from(js.losses), tolerance: 5e-3 }));
        }
        for (const r of rows) r.countLabel ??= r.what.startsWith('mean log loss') ? 'epochs' : 'parameters';
        return rows;
      },
      /** Warm-ups, then `reps` interleaved repetitions of a run of every implementation (the order rotating), a collection and a pause before each. */
      async time() {
        const samples = trainers.map(() => []);
        for (let w = 0; w < warmup; w++) for (const t of trainers) await timedTrain(t.trainer, epochs);
        for (let r = 0; r < reps; r++) {
          for (let k = 0; k < trainers.length; k++) {
            const j = (k + r) % trainers.length;
            settle();
            samples[j].push((await timedTrain(trainers[j].trainer, epochs)).msPerEpoch);
          }
        }
        return trainers.map((t, j) => ({ role: t.role, engine: t.engine, implementation: `${t.implementation} (${fmtInt(epochs)} epochs per run)`, ...summarize(samples[j]) }));
      },
      /** Peak memory: every implementation (and the data alone) in a process of its own, training the same epochs. */
      memory() {
        return Object.fromEntries(['data', ...trainers.map((t) => t.role)].map((role) => [role, runChild(WORKLOAD, role, options).peak]));
      },
      dispose() {
        for (const t of trainers) t.trainer.dispose();
      },
    };
  },
};
