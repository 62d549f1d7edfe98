import type { Engine } from '../jit/engine.js';
import { bad, count, fraction, nonNegative, positive } from '../optimize/options.js';
import { LOSSES, type LossName } from './loss.js';
import type { Model, ModelSpec } from './model.js';
import { FIT_OPTIMIZERS, type FitOptimizer, type OptimizerSettings } from './optimizer.js';

export interface FitOptions {
  /**
   * 'linear', 'logistic', a multilayer perceptron 'mlp:2-16-16-1' (inputs
   * first; one output: a probability under a sigmoid when the loss is log
   * loss, which is the default when the target holds only 0 and 1), or an
   * expression with its parameters: { expression: 'w*x + b', params: ['w', 'b'] }.
   */
  model: ModelSpec;
  /** The column the model predicts. */
  target: string;
  /** The feature columns of a built-in model (default: every column but the target). */
  features?: readonly string[];
  /** A network's hidden activation: tanh (default), relu or sigmoid. */
  activation?: string;
  /** Default: 'softmax' for a network of several outputs, 'bce' (log loss) for a model whose prediction is a sigmoid, 'mse' otherwise. */
  loss?: LossName;
  /** Default 'adam'. */
  optimizer?: FitOptimizer;
  /** Default 0.01 (adam), 0.1 (the others). */
  lr?: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Passes over the training rows. Default 100. */
  epochs?: number;
  /** Rows per step. Default: every training row (full-batch gradient descent). */
  batchSize?: number;
  /** Seed of the shuffles (rows into batches each epoch, and the validation split) and of an expression model's start. Default 1. */
  seed?: number;
  /** The share of rows held out to validate, in [0, 1). Default 0. */
  validation?: number;
  /** With validation: stop after this many epochs without a better validation loss, keeping the best parameters. Default 20. */
  patience?: number;
  /** L2 regularisation: (l2 / 2) times the sum of the squared weights is added to the loss. Default 0. */
  l2?: number;
  /**
   * Full batch: stop when the gradient's norm falls to tol times its first
   * norm (at least 1): converged. Default 1e-10. 0 runs every epoch.
   */
  tol?: number;
  /**
   * Starting values of parameters (default: 0 for linear and logistic
   * regression and a network's biases; a network's weights seeded uniform
   * within Glorot's limit, He's for relu; an expression's seeded in [-0.5, 0.5]).
   */
  init?: Readonly<Record<string, number>>;
  /** Stop after this many milliseconds, keeping the best parameters so far (with validation, the best validation epoch's). */
  timeBudget?: number;
  /** Stop when aborted, keeping the best parameters so far (with validation, the best validation epoch's; else the last whole epoch's). */
  signal?: AbortSignal;
  /**
   * Called after every epoch with its record and the parameters then (a
   * copy, in the model's order): fitAsync lets it draw between epochs.
   */
  onEpoch?: (epoch: EpochRecord, params: Float64Array) => void;
  engine?: Engine;
}

export interface EpochRecord {
  epoch: number;
  /** The mean training loss over the epoch's batches (each before its step). */
  loss: number;
  validationLoss?: number;
}

export interface FitSettings extends OptimizerSettings {
  loss: LossName;
  epochs: number;
  batchSize: number | undefined;
  seed: number;
  validation: number;
  patience: number;
  l2: number;
  tol: number;
  timeBudget: number;
}

/** The options checked, with their defaults; the loss's default depends on the model. */
export function resolveFit(o: FitOptions, model: Model): FitSettings {
  const optimizer = o.optimizer ?? 'adam';
  if (!FIT_OPTIMIZERS.includes(optimizer)) bad(`unknown optimizer '${String(optimizer)}': use one of ${FIT_OPTIMIZERS.join(', ')}`);
  const loss = o.loss ?? (model.classes ? 'softmax' : model.probability ? 'bce' : 'mse');
  if (!LOSSES.includes(loss)) bad(`unknown loss '${String(loss)}': use one of ${LOSSES.join(', ')}`);
  if (model.classes && loss !== 'softmax') bad(`a network of ${model.classes} outputs classifies ${model.classes} classes: its loss is softmax (cross-entropy), not ${loss}`);
  if (!model.classes && loss === 'softmax') bad('softmax cross-entropy is for a network of several outputs, one per class, e.g. mlp:2-16-3');
  const validation = o.validation ?? 0;
  if (typeof validation !== 'number' || !(validation >= 0 && validation < 1)) bad(`validation must be a share of the rows in [0, 1), got ${String(validation)}`);
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) bad(`seed must be a whole number, got ${String(seed)}`);
  return {
    optimizer,
    lr: positive('the learning rate lr', o.lr, optimizer === 'adam' ? 0.01 : 0.1),
    momentum: fraction('momentum', o.momentum, 0.9),
    beta1: fraction('beta1', o.beta1, 0.9),
    beta2: fraction('beta2', o.beta2, 0.999),
    epsilon: positive('epsilon', o.epsilon, 1e-8),
    loss,
    epochs: count('epochs', o.epochs, 100)!,
    batchSize: count('batchSize', o.batchSize, undefined),
    seed,
    validation,
    patience: count('patience', o.patience, 20)!,
    l2: nonNegative('l2', o.l2),
    tol: o.tol === undefined ? 1e-10 : nonNegative('tol', o.tol),
    timeBudget: o.timeBudget === undefined ? Infinity : positive('timeBudget (ms)', o.timeBudget, 0),
  };
}
