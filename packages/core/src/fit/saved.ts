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
    /** What was asked for: the expression, linear, logistic or mlp:<sizes>. */
    spec: string;
    /** A network's hidden activation. */
    activation?: string;
    /** The prediction, for people. */
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
      spec: r.model.spec,
      ...(r.model.mlp ? { activation: r.model.mlp.activation } : {}),
      expression: r.model.expression,
      features: [...r.model.features],
      params: [...r.model.params],
      target,
      loss: r.loss,
      probability: r.model.probability,
    },
    params: { ...r.params },
    training: { ...training, ...(Number.isFinite(timeBudget) ? { timeBudget } : {}), rows: r.rows },
    metrics: { status: r.status, epochs: r.epochs, ...fitMetrics(r) },
  };
}

/** The losses and accuracies a fit ended with (the ones it has). */
export function fitMetrics(r: FitResult): Pick<SavedModel['metrics'], 'trainingLoss' | 'validationLoss' | 'accuracy' | 'validationAccuracy'> {
  return {
    trainingLoss: r.trainingLoss,
    ...(r.validationLoss !== undefined ? { validationLoss: r.validationLoss } : {}),
    ...(r.accuracy !== undefined ? { accuracy: r.accuracy } : {}),
    ...(r.validationAccuracy !== undefined ? { validationAccuracy: r.validationAccuracy } : {}),
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
  if (!m || typeof m.spec !== 'string' || !Array.isArray(m.features) || !Array.isArray(m.params) || typeof m.target !== 'string') {
    bad('the model section needs spec, features, params and target');
  }
  // The model rebuilt from what was asked for, its names checked as on the command line.
  let model: Model;
  try {
    const columns = [...m!.features, m!.target];
    const spec = m!.kind === 'expression' ? { expression: m!.spec, params: m!.params } : m!.spec;
    model = resolveModel(spec, columns, m!.target, { features: m!.features, activation: m!.activation, classifier: m!.probability === true });
  } catch (e) {
    return bad(`its model does not read: ${(e as Error).message}`);
  }
  const missing = model.params.filter((p) => !m!.params.includes(p));
  if (missing.length > 0 || model.params.length !== m!.params.length) bad(`its parameters do not match the model ${m!.spec}`);
  const params: Record<string, number> = {};
  for (const p of model.params) {
    const v = s.params?.[p];
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(`the parameter '${p}' has no finite value`);
    params[p] = v!;
  }
  return { model, params, target: m!.target, saved: s as SavedModel };
}
