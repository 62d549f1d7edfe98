import { CompiledFunction } from '../api/compiled.js';
import { evaluateMany } from '../api/evaluate.js';
import { Graph } from '../ir/node.js';
import { modelIr, transplant, type Model } from './model.js';

/** The model's prediction for every row of the data, its parameters written in. */
export function predictRows(model: Model, params: Readonly<Record<string, number>>, data: Readonly<Record<string, Float64Array>>): Float64Array {
  const n = Object.values(data)[0]?.length ?? 0;
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
  const count = rows ? rows.length : p.length;
  if (count === 0) return NaN;
  let right = 0;
  for (let k = 0; k < count; k++) {
    const r = rows ? rows[k]! : k;
    if ((p[r]! >= 0.5 ? 1 : 0) === target[r]) right++;
  }
  return right / count;
}
