// A multilayer perceptron 16-64-64-1 (tanh hidden units, a sigmoid output,
// log loss) on the rows of fit-logistic, mini-batches of 256 rows shuffled
// every epoch, Adam (lr 1e-3): time per epoch. Nudge's fit
// (model 'mlp:16-64-64-1', with engine 'compiled' and 'interpreter' asked
// for: the result does not say what ran, the two rows show whether the
// option matters for a network; both checked bit for bit); TensorFlow.js
// tf.sequential of dense layers with model.fit and tf.train.adam, CPU and
// WASM backends (float32); a hand-written JS network over Float64Arrays (a
// reference: the loops a person would write, weights as row-major matrices).
//
// An epoch takes seconds (TensorFlow.js's CPU backend: tens of seconds), so
// every implementation trains once, in a process of its own (lib/fit-child.mjs),
// which reports its epoch times, its losses, its end loss and accuracy, and
// its peak memory: the check (the training loss falls) and the time come
// from the same run, and the checks are judged before any time is reported.
import { fit } from '@nudge/core';
import { identical } from '../lib/check.mjs';
import { FEATURES, TARGET, truthAccuracy } from '../lib/fit-data.mjs';
import { mulberry32, uniform01 } from '../lib/rng.mjs';
import { runChild } from '../lib/fit-run.mjs';
import { tensorflow } from '../lib/tf.mjs';
import { sharedData } from './fit-logistic.mjs';

export { sharedData };
export const WORKLOAD = 'fit-mlp';
export const HIDDEN = [64, 64];
export const SPEC = `mlp:${FEATURES}-${HIDDEN.join('-')}-1`;
export const LR = 1e-3;
export const BATCH = 256;

/** Adam's defaults, the same in the three implementations. */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/**
 * The hand-written network: the parameters in one Float64Array (W1 [64 x 16],
 * b1, W2 [64 x 64], b2, w3 [64], b3), Glorot-uniform weights from a seeded
 * generator, zero biases; per batch the rows gathered, a forward pass layer by
 * layer, the backward pass (the mean log loss's gradient), Adam on every
 * parameter. Nothing is allocated per batch.
 */
export function jsMlp(X, y, { lr = LR, batch = BATCH, seed = 1 } = {}) {
  const n = y.length;
  const D = FEATURES;
  const [H1, H2] = HIDDEN;
  const sizes = [H1 * D, H1, H2 * H1, H2, H2, 1];
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  const P = offsets[5] + 1;
  const params = new Float64Array(P);
  const grad = new Float64Array(P);
  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const views = (a) => offsets.map((o, i) => a.subarray(o, o + sizes[i]));
  const [W1, b1, W2, b2, w3] = views(params);
  const [gW1, gb1, gW2, gb2, gw3] = views(grad);
  const next = mulberry32(seed + 0x5eed);
  const glorot = (w, fanIn, fanOut) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < w.length; i++) w[i] = (2 * uniform01(next) - 1) * limit;
  };
  glorot(W1, D, H1);
  glorot(W2, H1, H2);
  glorot(w3, H2, 1);
  const xb = new Float64Array(batch * D);
  const yb = new Float64Array(batch);
  const h1 = new Float64Array(batch * H1);
  const h2 = new Float64Array(batch * H2);
  const z = new Float64Array(batch);
  const d2 = new Float64Array(batch * H2);
  const d1 = new Float64Array(batch * H1);
  const index = Uint32Array.from({ length: n }, (_, i) => i);
  let t = 0;

  /** The forward pass of `rows` rows already in xb: z, and h1, h2 kept for the backward pass. */
  function forward(rows) {
    const b3 = params[P - 1];
    for (let r = 0; r < rows; r++) {
      const x0 = r * D;
      const a1 = r * H1;
      for (let u = 0; u < H1; u++) {
        let s = b1[u];
        for (let k = 0, w0 = u * D; k < D; k++) s += W1[w0 + k] * xb[x0 + k];
        h1[a1 + u] = Math.tanh(s);
      }
      const a2 = r * H2;
      for (let u = 0; u < H2; u++) {
        let s = b2[u];
        for (let k = 0, w0 = u * H1; k < H1; k++) s += W2[w0 + k] * h1[a1 + k];
        h2[a2 + u] = Math.tanh(s);
      }
      let s = b3;
      for (let k = 0; k < H2; k++) s += w3[k] * h2[a2 + k];
      z[r] = s;
    }
  }

  /** One Adam step on the batch of rows index[from ...]; returns the batch's mean log loss before the step. */
  function step(from, rows) {
    for (let r = 0; r < rows; r++) {
      const i = index[from + r];
      for (let k = 0; k < D; k++) xb[r * D + k] = X[i * D + k];
      yb[r] = y[i];
    }
    forward(rows);
    grad.fill(0);
    let loss = 0;
    const inv = 1 / rows;
    for (let r = 0; r < rows; r++) {
      // log loss of sigmoid(z): softplus(z) - y z; its derivative in z: sigmoid(z) - y (one exp for both).
      const e = Math.exp(-Math.abs(z[r]));
      loss += Math.max(z[r], 0) + Math.log1p(e) - yb[r] * z[r];
      const dz = ((z[r] >= 0 ? 1 / (1 + e) : e / (1 + e)) - yb[r]) * inv;
      grad[P - 1] += dz;
      const a2 = r * H2;
      for (let k = 0; k < H2; k++) {
        gw3[k] += dz * h2[a2 + k];
        d2[a2 + k] = dz * w3[k] * (1 - h2[a2 + k] * h2[a2 + k]);
      }
    }
    for (let r = 0; r < rows; r++) {
      const a1 = r * H1;
      const a2 = r * H2;
      for (let k = 0; k < H1; k++) d1[a1 + k] = 0;
      for (let u = 0; u < H2; u++) {
        const g = d2[a2 + u];
        gb2[u] += g;
        for (let k = 0, w0 = u * H1; k < H1; k++) {
          gW2[w0 + k] += g * h1[a1 + k];
          d1[a1 + k] += g * W2[w0 + k];
        }
      }
      for (let u = 0; u < H1; u++) {
        const g = d1[a1 + u] * (1 - h1[a1 + u] * h1[a1 + u]);
        gb1[u] += g;
        for (let k = 0, w0 = u * D, x0 = r * D; k < D; k++) gW1[w0 + k] += g * xb[x0 + k];
      }
    }
    t++;
    const c1 = 1 - BETA1 ** t;
    const c2 = 1 - BETA2 ** t;
    for (let i = 0; i < P; i++) {
      const g = grad[i];
      const mi = BETA1 * m[i] + (1 - BETA1) * g;
      const vi = BETA2 * v[i] + (1 - BETA2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + EPSILON);
    }
    return loss * inv;
  }

  /** The mean log loss and the accuracy (p >= 1/2 is class 1) on every row. */
  function evaluateAll() {
    let loss = 0;
    let right = 0;
    for (let from = 0; from < n; from += batch) {
      const rows = Math.min(batch, n - from);
      xb.set(X.subarray(from * D, (from + rows) * D));
      forward(rows);
      for (let r = 0; r < rows; r++) {
        const yi = y[from + r];
        loss += Math.max(z[r], 0) + Math.log1p(Math.exp(-Math.abs(z[r]))) - yi * z[r];
        if ((z[r] >= 0 ? 1 : 0) === yi) right++;
      }
    }
    return { loss: loss / n, accuracy: right / n };
  }

  return {
    train(epochs, onEpoch) {
      const losses = [];
      for (let epoch = 0; epoch < epochs; epoch++) {
        // Fisher-Yates with the seeded generator: the batches of this epoch.
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(uniform01(next) * (i + 1));
          const tmp = index[i];
          index[i] = index[j];
          index[j] = tmp;
        }
        let total = 0;
        for (let from = 0; from < n; from += batch) {
          const rows = Math.min(batch, n - from);
          total += step(from, rows) * rows;
        }
        losses.push(total / n);
        onEpoch?.();
      }
      const end = evaluateAll();
      return { vector: params, losses, endLoss: end.loss, accuracy: end.accuracy };
    },
  };
}

/** TensorFlow.js: dense(64, tanh), dense(64, tanh), dense(1, sigmoid), Glorot-uniform seeded; model.fit with binaryCrossentropy and tf.train.adam. */
const tensorflowFit = (backend) => ({
  role: `tf-${backend}`,
  implementation: `TensorFlow.js model.fit, adam, ${backend === 'cpu' ? 'CPU' : 'WASM'} backend (float32)`,
  async prepare(shared, { seed }) {
    const tf = await tensorflow(backend);
    const init = (k) => tf.initializers.glorotUniform({ seed: seed + k });
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: HIDDEN[0], activation: 'tanh', inputShape: [FEATURES], kernelInitializer: init(1) }),
        tf.layers.dense({ units: HIDDEN[1], activation: 'tanh', kernelInitializer: init(2) }),
        tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(3) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(LR, BETA1, BETA2, EPSILON), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = tf.tensor2d(Float32Array.from(shared.rowMajor()), [shared.rows, FEATURES]);
    const y = tf.tensor2d(Float32Array.from(shared.data[TARGET]), [shared.rows, 1]);
    return {
      async train(epochs, onEpoch) {
        const losses = [];
        // yieldEvery 'never': no pause for the event loop between batches (Nudge's fit and the JS loop do not pause either).
        await model.fit(x, y, {
          batchSize: BATCH,
          epochs,
          shuffle: true,
          verbose: 0,
          yieldEvery: 'never',
          callbacks: {
            onEpochEnd: (epoch, logs) => {
              losses.push(logs.loss);
              onEpoch?.();
            },
          },
        });
        const [loss, accuracy] = model.evaluate(x, y, { batchSize: 4096 }).map((s) => s.dataSync()[0]);
        return { vector: Float64Array.of(loss), losses, endLoss: loss, accuracy };
      },
    };
  },
});

const nudge = (engine) => ({
  role: engine === 'compiled' ? 'nudge' : 'nudge-interpreter',
  engine,
  implementation: `Nudge fit, ${SPEC}, adam, engine '${engine}' asked for`,
  prepare: ({ data }, { seed }) => ({
    train(epochs, onEpoch) {
      const r = fit(data, { model: SPEC, target: TARGET, optimizer: 'adam', lr: LR, beta1: BETA1, beta2: BETA2, epsilon: EPSILON, batchSize: BATCH, epochs, seed, engine, onEpoch });
      return { vector: r.vector, losses: r.history.map((h) => h.loss), endLoss: r.trainingLoss, accuracy: r.accuracy, status: r.status };
    },
  }),
});

export const TRAINERS = [
  nudge('compiled'),
  nudge('interpreter'),
  {
    role: 'js-loop',
    implementation: `hand-written JS network (Float64Array, row-major weights), adam`,
    prepare: (shared, { seed }) => jsMlp(shared.rowMajor(), shared.data[TARGET], { seed }),
  },
  tensorflowFit('cpu'),
  tensorflowFit('wasm'),
];

const fmtInt = (n) => n.toLocaleString('en-US');

export default {
  workload: `fit-mlp: MLP ${FEATURES}-${HIDDEN.join('-')}-1 (tanh, sigmoid output, log loss), batches of ${BATCH}, adam lr = ${LR}`,
  unit: 'ms/epoch',
  /** Every implementation, then the data alone, each in a child process; returns their reports in TRAINERS' order and the data's. */
  run({ fitRows: rows, seed, mlpEpochs: epochs }) {
    const options = { rows, seed, epochs };
    const reports = TRAINERS.map((t) => ({ ...t, ...runChild(WORKLOAD, t.role, options) }));
    const data = runChild(WORKLOAD, 'data', options);
    const shared = sharedData(options);
    const [compiled, interpreted] = ['nudge', 'nudge-interpreter'].map((role) => reports.find((r) => r.role === role));
    const same = (what, key, countLabel) =>
      identical({ implementation: 'Nudge fit (compiled)', against: 'Nudge fit (interpreter)', what, a: Float64Array.from(compiled[key]), b: Float64Array.from(interpreted[key]), countLabel });
    return {
      reports,
      data,
      truthAccuracy: truthAccuracy(shared.data, shared.names, shared.truth),
      checks: [
        same(`parameters after ${epochs} epochs`, 'vector', 'parameters'),
        same('loss per epoch', 'losses', 'epochs'),
        ...reports.map((r) => ({
          implementation: r.implementation,
          what: `training loss, epoch 1 -> ${epochs}`,
          ok: r.losses.length === epochs && r.losses.every(Number.isFinite) && r.losses[epochs - 1] < r.losses[0] && Number.isFinite(r.endLoss),
          detail:
            `${r.losses.map((l) => l.toFixed(4)).join(' -> ')} (mean over each epoch's batches; required: it falls); ` +
            `after ${fmtInt(epochs)} epochs, on every row: loss ${r.endLoss.toFixed(4)}, accuracy ${(100 * r.accuracy).toFixed(2)}%${r.status ? `, status ${r.status}` : ''}`,
        })),
      ],
    };
  },
};
