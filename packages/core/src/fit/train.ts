import { NudgeError } from '../errors.js';
import { euclidean } from '../api/gradient.js';
import { getKernel } from '../kernel/instance.js';
import { drive, driveAsync } from '../optimize/minimize.js';
import { Random } from '../data/random.js';
import type { LossName } from './loss.js';
import { fittedExpression, resolveModel, type Model } from './model.js';
import { NetworkObjective } from './network.js';
import { Objective } from './objective.js';

/** A batch's loss and gradient: a vector function of the rows, or a network's dense layers. */
type BatchObjective = Objective | NetworkObjective;
import { ParameterOptimizer } from './optimizer.js';
import { resolveFit, type EpochRecord, type FitOptions, type FitSettings } from './options.js';
import { accuracyOf, classAccuracy, classify, predictRows } from './predict.js';

export type FitStatus = 'converged' | 'max-epochs' | 'early-stopped' | 'diverged' | 'time-budget' | 'cancelled';

export interface FitResult {
  model: Model;
  /** The learned parameters by name. */
  params: Record<string, number>;
  /** The same, in the model's order. */
  vector: Float64Array;
  /** The fitted model with its parameters written in. */
  fitted: string;
  loss: LossName;
  /** The objective on all training rows at the end (the mean loss, plus the L2 term if any). */
  trainingLoss: number;
  validationLoss?: number;
  /** Share of rows classified right (a probability model: p >= 0.5 means class 1). */
  accuracy?: number;
  validationAccuracy?: number;
  /** The gradient's norm on all training rows at the end. */
  gradientNorm: number;
  /** How the batches ran: a compiled or interpreted vector function of the rows, or a network's dense layers in the kernel. */
  engine: 'compiled' | 'interpreter' | 'dense';
  history: EpochRecord[];
  epochs: number;
  steps: number;
  status: FitStatus;
  /** Why the answer may not be what was asked for (separable classes, a diverging run). */
  warning?: string;
  rows: { training: number; validation: number };
  settings: FitSettings;
}

/**
 * Fit a model's parameters to data by gradient descent on the mean loss
 * over the rows: mini-batches (default: all rows), shuffled each epoch with
 * a seed, an optional validation split with early stopping, L2
 * regularisation. The gradient of each batch comes from reverse mode over
 * all of its rows in one kernel call, and the kernel's optimiser updates
 * the parameters in its memory: no call per row or per parameter.
 */
export function fit(data: Readonly<Record<string, Float64Array>>, options: FitOptions): FitResult {
  return drive(training(data, options));
}

/** `fit`, yielding to the event loop between epochs (progress drawn, a cancel seen). */
export function fitAsync(data: Readonly<Record<string, Float64Array>>, options: FitOptions): Promise<FitResult> {
  return driveAsync(training(data, options));
}

function* training(data: Readonly<Record<string, Float64Array>>, options: FitOptions): Generator<void, FitResult> {
  const columns = Object.keys(data);
  if (!columns.includes(options.target)) {
    throw new NudgeError('invalid-argument', `no target column '${options.target}' in the data (the columns are ${columns.join(', ')})`);
  }
  const targetValues = data[options.target]!;
  const binary = targetValues.every((v) => v === 0 || v === 1);
  const classifier = options.loss !== undefined ? options.loss === 'bce' : binary;
  const model = resolveModel(options.model, columns, options.target, { features: options.features, activation: options.activation, classifier });
  const s = resolveFit(options, model);
  const n = data[options.target]!.length;
  for (const c of [...model.features, options.target]) {
    if (data[c]!.length !== n) throw new NudgeError('invalid-argument', `the column '${c}' has ${data[c]!.length} rows, the target ${n}`);
  }
  if (model.classes) checkClasses(targetValues, options.target, model.classes);
  if (s.loss === 'bce') checkProbabilities(targetValues, options.target);
  const nValidation = Math.floor(n * s.validation);
  const nTraining = n - nValidation;
  if (nTraining < 1) throw new NudgeError('invalid-argument', 'no rows to train on');
  // Three streams from the seed, for the split, the batches and the start: none of them the plain
  // mulberry32(seed) that a data set generated with the same seed may have used to order its rows.
  const order = stream(s.seed, 1).permutation(n);
  const draws = stream(s.seed, 2);
  const random = () => draws.uniform();
  const trainRows = order.subarray(0, nTraining).sort();
  const validationRows = order.subarray(nTraining).sort();
  const batch = Math.min(s.batchSize ?? nTraining, nTraining);
  const fullBatch = batch === nTraining;

  const P = model.params.length;
  const init = initialParams(model, options.init, random);
  const optimizer = new ParameterOptimizer(P, s, init);
  // A network's batches run as dense layers in the kernel; any other model's as one vector function.
  const make = (rows: number): BatchObjective =>
    model.mlp ? new NetworkObjective(model, options.target, s.loss, rows, s.l2) : new Objective(model, options.target, s.loss, rows, s.l2, options.engine);
  const objectives = new Map<number, BatchObjective>();
  const objective = (rows: number) => {
    let o = objectives.get(rows);
    if (!o) objectives.set(rows, (o = make(rows)));
    return o;
  };
  try {
    // Full batch: one objective over every training row, gathered once. Mini-batches never hold them all.
    const whole = fullBatch ? objective(nTraining) : undefined;
    whole?.gather(data, trainRows);
    // The validation rows have a point block of their own (a batch of their size must not overwrite them).
    const validationSet = nValidation > 0 ? make(nValidation) : undefined;
    if (validationSet) objectives.set(-1, validationSet);
    validationSet?.gather(data, validationRows);

    const history: EpochRecord[] = [];
    const started = performance.now();
    let status: FitStatus = 'max-epochs';
    let steps = 0;
    let warning: string | undefined;
    let firstNorm = NaN;
    let best = { loss: Infinity, params: init, epoch: 0 };
    let lastGood = init;
    const weightNorms: number[] = [];
    const index = Uint32Array.from(trainRows);

    epochs: for (let epoch = 1; epoch <= s.epochs; epoch++) {
      if (!fullBatch) draws.shuffle(index);
      let total = 0;
      for (let from = 0; from < nTraining; from += batch) {
        if (options.signal?.aborted) {
          // The best so far: the best validation epoch's parameters, else the last whole epoch's.
          status = 'cancelled';
          optimizer.set(validationSet && best.epoch > 0 ? best.params : lastGood);
          break epochs;
        }
        const rows = Math.min(batch, nTraining - from);
        const o = whole ?? objective(rows);
        if (!fullBatch) o.gather(data, index, from);
        o.setParams(optimizer.params);
        const f = o.evaluateWithGradient();
        const norm = euclidean(paramsGradient(o));
        if (!Number.isFinite(f) || !Number.isFinite(norm)) {
          status = 'diverged';
          warning = divergence(s, f, history);
          optimizer.set(lastGood);
          break epochs;
        }
        if (fullBatch) {
          if (epoch === 1) firstNorm = norm;
          if (s.tol > 0 && norm <= s.tol * Math.max(1, firstNorm)) {
            status = 'converged';
            total = f;
            history.push({ epoch, loss: f });
            break epochs;
          }
        }
        total += f * rows;
        optimizer.step(o.gradient + o.paramsAt);
        steps++;
      }
      const record: EpochRecord = { epoch, loss: total / nTraining };
      lastGood = optimizer.values();
      if (validationSet) {
        validationSet.setParams(optimizer.params);
        record.validationLoss = validationSet.evaluate();
      }
      history.push(record);
      // The weights lead the parameters (built-ins: then the biases; an expression's are all weights).
      weightNorms.push(euclidean(lastGood.subarray(0, model.weights.length)));
      options.onEpoch?.(record, lastGood.slice());
      const watched = record.validationLoss ?? Infinity;
      if (validationSet) {
        if (watched < best.loss) best = { loss: watched, params: optimizer.values(), epoch };
        else if (epoch - best.epoch >= s.patience) {
          status = 'early-stopped';
          optimizer.set(best.params);
          break;
        }
      }
      if (performance.now() - started > s.timeBudget) {
        status = 'time-budget';
        if (validationSet && best.epoch > 0) optimizer.set(best.params);
        break;
      }
      yield;
    }

    // The end: the objective and its gradient on every training row (a batch at a time), the accuracy of a classifier.
    let trainingLoss = 0;
    const mean = new Float64Array(P);
    for (let from = 0; from < nTraining; from += batch) {
      const rows = Math.min(batch, nTraining - from);
      const o = whole ?? objective(rows);
      if (!whole) o.gather(data, trainRows, from);
      o.setParams(optimizer.params);
      const share = rows / nTraining;
      trainingLoss += o.evaluateWithGradient() * share;
      const g = paramsGradient(o);
      for (let i = 0; i < P; i++) mean[i] = mean[i]! + g[i]! * share;
    }
    const gradientNorm = euclidean(mean);
    const first = objectives.values().next().value!;
    const engine: FitResult['engine'] = first instanceof Objective ? first.fn.engine : 'dense';
    const vector = optimizer.values();
    const params = Object.fromEntries(model.params.map((p, i) => [p, vector[i]!]));
    const result: FitResult = {
      model,
      params,
      vector,
      fitted: fittedExpression(model, params),
      loss: s.loss,
      trainingLoss,
      gradientNorm,
      engine,
      history,
      epochs: history.length,
      steps,
      status,
      rows: { training: nTraining, validation: nValidation },
      settings: s,
    };
    if (validationSet) {
      validationSet.setParams(optimizer.params);
      result.validationLoss = validationSet.evaluate();
    }
    if (model.classes) {
      const { classes } = classify(model, params, data);
      result.accuracy = classAccuracy(classes, data[options.target]!, trainRows);
      if (nValidation > 0) result.validationAccuracy = classAccuracy(classes, data[options.target]!, validationRows);
    } else if (model.probability || s.loss === 'bce') {
      const p = predictRows(model, params, data);
      result.accuracy = accuracyOf(p, data[options.target]!, trainRows);
      if (nValidation > 0) result.validationAccuracy = accuracyOf(p, data[options.target]!, validationRows);
      warning ??= separable(result, weightNorms, s);
    }
    if (warning) result.warning = warning;
    return result;
  } finally {
    for (const o of objectives.values()) o.dispose();
    optimizer.dispose();
  }
}

/** The parameters' gradient in the kernel's memory: a view, valid until the next call into the kernel. */
function paramsGradient(o: BatchObjective): Float64Array {
  const at = (o.gradient + o.paramsAt) >> 3;
  return getKernel().heap.f64().subarray(at, at + o.model.params.length);
}


function initialParams(model: Model, init: Readonly<Record<string, number>> | undefined, random: () => number): Float64Array {
  for (const name of Object.keys(init ?? {})) {
    if (!model.params.includes(name)) throw new NudgeError('invalid-argument', `init gives '${name}', which is not a parameter (${model.params.join(', ')})`);
  }
  return Float64Array.from(model.params, (p) => {
    const v = init?.[p];
    if (v !== undefined) {
      if (!Number.isFinite(v)) throw new NudgeError('invalid-argument', `init.${p} must be a finite number, got ${String(v)}`);
      return v;
    }
    if (model.kind === 'expression') return random() - 0.5;
    const limit = model.initScale?.[p];
    return limit === undefined ? 0 : (2 * random() - 1) * limit;
  });
}

/** Every target a class number 0..K-1: the row that is not is named. */
function checkClasses(target: Float64Array, name: string, K: number): void {
  for (let r = 0; r < target.length; r++) {
    const t = target[r]!;
    if (!(Number.isInteger(t) && t >= 0 && t < K)) {
      throw new NudgeError('invalid-argument', `the target '${name}' must hold class numbers 0 to ${K - 1} for a network of ${K} outputs; row ${r + 1} holds ${t}`);
    }
  }
}

/** Log loss compares a probability with a target in [0, 1] (usually a class, 0 or 1): the row that is not is named. */
function checkProbabilities(target: Float64Array, name: string): void {
  for (let r = 0; r < target.length; r++) {
    const t = target[r]!;
    if (!(t >= 0 && t <= 1)) throw new NudgeError('invalid-argument', `log loss (bce) needs the target '${name}' in [0, 1] (a class 0 or 1); row ${r + 1} holds ${t}`);
  }
}

/** A generator for one use of the seed (`purpose` 1, 2, ...), its state mixed by two odd constants. */
function stream(seed: number, purpose: number): Random {
  return new Random((Math.imul(seed, 0x9e3779b1) ^ Math.imul(purpose, 0x85ebca77)) >>> 0);
}



function divergence(s: FitSettings, f: number, history: readonly EpochRecord[]): string {
  const from = history.length > 0 ? ` (the loss was ${history[history.length - 1]!.loss.toPrecision(3)} after epoch ${history.length})` : '';
  return `the loss became ${f}${from}: the learning rate ${s.lr} is too large here; try ${s.lr / 10}, or scale the columns`;
}

/**
 * Separable classes: every training row right, and the weights still
 * growing: log loss has no minimum there, it only approaches 0 as |w| grows.
 */
function separable(r: FitResult, norms: readonly number[], s: FitSettings): string | undefined {
  // A network fits separable classes as a matter of course; early stopping chose its parameters on purpose.
  if (r.model.mlp || r.status === 'early-stopped') return undefined;
  if (r.accuracy !== 1 || s.l2 > 0 || norms.length < 10) return undefined;
  const last = norms[norms.length - 1]!;
  const half = norms[Math.floor(norms.length / 2)]!;
  if (!(last > half * 1.05)) return undefined;
  if (r.status === 'converged') r.status = 'max-epochs';
  return (
    `the classes are separable: every training row is classified right, and the log loss has no minimum; ` +
    `it only shrinks as the weights grow (|w| went from ${half.toPrecision(3)} to ${last.toPrecision(3)} over the last ${norms.length - Math.floor(norms.length / 2)} epochs). ` +
    'These parameters are where the run stopped, not a best fit: add L2 regularisation (l2, e.g. 0.01; --l2 in the CLI) for a finite answer'
  );
}
