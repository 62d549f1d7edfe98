import { CompiledFunction } from '../api/compiled.js';
import { evaluateMany } from '../api/evaluate.js';
import { Graph } from '../ir/node.js';
import { getKernel } from '../kernel/instance.js';
import { modelIr, transplant, type Model } from './model.js';
import { NetworkObjective } from './network.js';

/** The model's prediction for every row of the data, its parameters written in. */
export function predictRows(model: Model, params: Readonly<Record<string, number>>, data: Readonly<Record<string, Float64Array>>): Float64Array {
  const n = Object.values(data)[0]?.length ?? 0;
  if (model.classes) throw new Error('internal: a network of several outputs is read with classify');
  if (model.mlp) return networkOutputs(model, params, data, n);
  const g = new Graph();
  const root = transplant(g, modelIr(new Graph(), model), (name) => (name in params ? g.constant(params[name]!) : g.variable(name)));
  const f = new CompiledFunction(root, model.features.map((name) => ({ name, length: 1, vector: false })), g);
  try {
    if (model.features.length === 0) return new Float64Array(n).fill(evaluateMany(f, [[]])[0]!);
    return evaluateMany(f, Object.fromEntries(model.features.map((c) => [c, data[c]!])));
  } finally {
    f.dispose();
  }
}

/** The share of the rows (all, or those of `rows`) where p >= 0.5 and the target is 1, or p < 0.5 and it is 0. */
export function accuracyOf(p: Float64Array, target: Float64Array, rows?: Uint32Array): number {
  return classAccuracy(p.map((v) => (v >= 0.5 ? 1 : 0)), target, rows);
}

/**
 * A classifier of K classes (a network of K outputs) on every row: the
 * class of the largest probability (the first of equal ones) and the K
 * probabilities, one array per class.
 */
export function classify(model: Model, params: Readonly<Record<string, number>>, data: Readonly<Record<string, Float64Array>>): { classes: Float64Array; probabilities: Float64Array[] } {
  const K = model.classes!;
  const n = Object.values(data)[0]?.length ?? 0;
  const p = networkOutputs(model, params, data, n);
  const probabilities = Array.from({ length: K }, (_, k) => Float64Array.from({ length: n }, (_, r) => p[r * K + k]!));
  const classes = Float64Array.from({ length: n }, (_, r) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (p[r * K + k]! > p[r * K + best]!) best = k;
    return best;
  });
  return { classes, probabilities };
}

/** The share of the rows (all, or those of `rows`) whose class is the target's. */
export function classAccuracy(classes: Float64Array, target: Float64Array, rows?: Uint32Array): number {
  const count = rows ? rows.length : classes.length;
  if (count === 0) return NaN;
  let right = 0;
  for (let k = 0; k < count; k++) {
    const r = rows ? rows[k]! : k;
    if (classes[r] === target[r]) right++;
  }
  return right / count;
}

/** A network's outputs (K per row, row-major), a chunk of rows at a time through its dense layers. */
function networkOutputs(model: Model, params: Readonly<Record<string, number>>, data: Readonly<Record<string, Float64Array>>, n: number): Float64Array {
  const out = new Float64Array(n * (model.classes ?? 1));
  const chunk = Math.min(n, 1024);
  if (chunk === 0) return out;
  const { heap } = getKernel();
  const block = heap.alloc(model.params.length * 8);
  // Outputs read no target (softmax's stand-in of class 0 is a valid class).
  const columns = { ...data, [TARGET]: new Float64Array(n) };
  let full: NetworkObjective | undefined;
  try {
    heap.f64().set(model.params.map((p) => params[p]!), block >> 3);
    full = new NetworkObjective(model, TARGET, 'mse', chunk, 0);
    full.setParams(block);
    for (let from = 0; from < n; from += chunk) {
      const rows = Math.min(chunk, n - from);
      const net: NetworkObjective = rows === chunk ? full : new NetworkObjective(model, TARGET, 'mse', rows, 0);
      try {
        if (net !== full) net.setParams(block);
        net.gather(columns, undefined, from);
        out.set(net.outputs(), from * (model.classes ?? 1));
      } finally {
        if (net !== full) net.dispose();
      }
    }
  } finally {
    full?.dispose();
    heap.release(block);
  }
  return out;
}

const TARGET = '\u0000target';
