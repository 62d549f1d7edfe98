// The training data of the fit workloads: seeded synthetic rows, features
// standard normal, labels drawn from a logistic model whose weights are
// seeded too. Every implementation, in this process and in the child
// processes that measure memory, gets the same columns from the same seed.
import { mulberry32, uniform01 } from './rng.mjs';

export const FEATURES = 16;
export const TARGET = 'label';

/** The feature columns' names, x1 ... x16 (Nudge's built-in models take every column but the target, in natural order). */
export const featureNames = (d = FEATURES) => Array.from({ length: d }, (_, j) => `x${j + 1}`);

/**
 * `rows` rows of `d` standard normal features (Box-Muller) and a 0/1 label,
 * 1 with probability sigmoid(b + w . x), for weights w_j ~ N(0, 1) and a bias
 * b ~ N(0, 0.25) drawn first from the same seeded stream. Returns the columns
 * (Float64Array each, as Nudge's fit takes them) and the true weights.
 */
export function logisticRows(rows, { seed = 1, d = FEATURES } = {}) {
  const next = mulberry32(seed);
  const u = () => uniform01(next);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const w = Array.from({ length: d }, () => normal());
  const b = 0.5 * normal();
  const names = featureNames(d);
  const columns = names.map(() => new Float64Array(rows));
  const label = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = b;
    for (let j = 0; j < d; j++) {
      const v = normal();
      columns[j][i] = v;
      z += w[j] * v;
    }
    label[i] = u() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const data = Object.fromEntries(names.map((name, j) => [name, columns[j]]));
  data[TARGET] = label;
  return { data, names, truth: { w, b } };
}

/** The features row-major in one Float64Array (row i at i * d): the layout a hand-written loop and TensorFlow.js's tensor2d want. */
export function rowMajor(data, names) {
  const d = names.length;
  const n = data[names[0]].length;
  const X = new Float64Array(n * d);
  names.forEach((name, j) => {
    const c = data[name];
    for (let i = 0; i < n; i++) X[i * d + j] = c[i];
  });
  return X;
}

/** The share of rows whose true logit has the label's sign: the accuracy of the generating model itself, for scale. */
export function truthAccuracy(data, names, { w, b }) {
  const y = data[TARGET];
  let right = 0;
  for (let i = 0; i < y.length; i++) {
    let z = b;
    for (let j = 0; j < names.length; j++) z += w[j] * data[names[j]][i];
    if ((z >= 0 ? 1 : 0) === y[i]) right++;
  }
  return right / y.length;
}
