import { NudgeError } from '../errors.js';
import type { LossName } from './loss.js';
import { resolveModel, type Model } from './model.js';
import type { FitResult } from './train.js';

/** The file `nudge fit --save` writes: a fitted model, versioned, and how it was trained. */
export interface SavedModel {
  format: 'nudge-model';
  version: 1;
  model: {
    kind: Model['kind'];
    expression: string;
    features: string[];
    params: string[];
    target: string;
    loss: LossName;
    probability: boolean;
  };
  params: Record<string, number>;
  training: Record<string, unknown>;
  metrics: {
    status: FitResult['status'];
    epochs: number;
    trainingLoss: number;
    validationLoss?: number;
    accuracy?: number;
    validationAccuracy?: number;
  };
}

export function savedModel(r: FitResult, target: string): SavedModel {
  const { timeBudget, ...training } = r.settings;
  return {
    format: 'nudge-model',
    version: 1,
    model: {
      kind: r.model.kind,
      expression: r.model.expression,
      features: [...r.model.features],
      params: [...r.model.params],
      target,
      loss: r.loss,
      probability: r.model.probability,
    },
    params: { ...r.params },
    training: { ...training, ...(Number.isFinite(timeBudget) ? { timeBudget } : {}), rows: r.rows },
    metrics: {
      status: r.status,
      epochs: r.epochs,
      trainingLoss: r.trainingLoss,
      ...(r.validationLoss !== undefined ? { validationLoss: r.validationLoss } : {}),
      ...(r.accuracy !== undefined ? { accuracy: r.accuracy } : {}),
      ...(r.validationAccuracy !== undefined ? { validationAccuracy: r.validationAccuracy } : {}),
    },
  };
}

/** A saved model read back (parsed JSON), checked: what is wrong is named. */
export function readSavedModel(json: unknown, where = 'the model file'): { model: Model; params: Record<string, number>; target: string; saved: SavedModel } {
  const bad = (what: string): never => {
    throw new NudgeError('invalid-argument', `${where}: ${what}`);
  };
  if (typeof json !== 'object' || json === null) bad('not a JSON object');
  const s = json as Partial<SavedModel>;
  if (s.format !== 'nudge-model') bad(`not a Nudge model (format '${String(s.format)}'; want 'nudge-model')`);
  if (s.version !== 1) bad(`version ${String(s.version)} is not one this Nudge reads (1)`);
  const m = s.model;
  if (!m || typeof m.expression !== 'string' || !Array.isArray(m.features) || !Array.isArray(m.params) || typeof m.target !== 'string') {
    bad('the model section needs expression, features, params and target');
  }
  const params: Record<string, number> = {};
  for (const p of m!.params) {
    const v = s.params?.[p];
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(`the parameter '${p}' has no finite value`);
    params[p] = v!;
  }
  // The expression parsed and its names checked, as a model given on the command line is.
  let checked: Model;
  try {
    checked = resolveModel({ expression: m!.expression, params: m!.params }, [...m!.features, m!.target], m!.target);
  } catch (e) {
    return bad(`its model does not read: ${(e as Error).message}`);
  }
  const kind = m!.kind === 'linear' || m!.kind === 'logistic' ? m!.kind : 'expression';
  const model: Model = { ...checked, kind, probability: m!.probability === true };
  return { model, params, target: m!.target, saved: s as SavedModel };
}
