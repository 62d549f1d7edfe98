import { NudgeError } from '../errors.js';
import { CONSTANTS } from '../ir/functions.js';
import { lower } from '../ir/lower.js';
import { Graph, reachable, variablesOf, type IrNode } from '../ir/node.js';
import { naturalOrder } from '../ir/variables.js';
import { print } from '../ir/print.js';
import { parse } from '../parse/parse.js';
import { mlpIr, mlpParameters, parseMlp, type MlpShape } from './mlp.js';

/**
 * A model: one row's prediction as an expression in the row's columns
 * (`features`) and the learned parameters (`params`). Built-in models are
 * such expressions too: linear regression is b + w_x1 x1 + ..., logistic
 * regression sigmoid of it, a multilayer perceptron its layers' units
 * written out (built as IR, its hidden units shared, not as text).
 */
export interface Model {
  readonly kind: 'expression' | 'linear' | 'logistic' | 'mlp';
  /** What was asked for: the expression, 'linear', 'logistic' or 'mlp:2-16-16-1'. */
  readonly spec: string;
  /** The prediction for people: the expression (a built-in's written out); a network's shape and activation. */
  readonly expression: string;
  /** The columns the prediction reads, in natural order. */
  readonly features: readonly string[];
  /** The learned parameters, in the order the person gave (built-ins: the weights, then the biases). */
  readonly params: readonly string[];
  /** The parameters L2 regularisation shrinks (built-ins: the weights, not the biases; an expression: all). */
  readonly weights: readonly string[];
  /** Whether the prediction is a probability (a sigmoid at the top): the default loss is then log loss. */
  readonly probability: boolean;
  /** A network's hidden activation and layer sizes. */
  readonly mlp?: MlpShape;
  /** A network of K >= 2 outputs: the logits of K classes, numbered 0..K-1 in the target. */
  readonly classes?: number;
  /** A network's weights' starting spread: Glorot's uniform limit sqrt(6 / (fan-in + fan-out)), He's for relu. */
  readonly initScale?: Readonly<Record<string, number>>;
}

export type ModelSpec = string | { expression: string; params: readonly string[] };

export interface ModelOptions {
  /** The feature columns of a built-in model (default: every column but the target). */
  features?: readonly string[];
  /** A network's hidden activation (default tanh). */
  activation?: string;
  /** A network's output: a probability (under a sigmoid) or a plain value. */
  classifier?: boolean;
}

/**
 * The model for a spec: 'linear', 'logistic' or 'mlp:2-16-1' over the
 * feature columns, or an expression with its parameters named (every other
 * name in it is a column of the data).
 */
export function resolveModel(spec: ModelSpec, columns: readonly string[], target: string, options: ModelOptions = {}): Model {
  if (typeof spec === 'string' && (spec === 'linear' || spec === 'logistic' || spec.startsWith('mlp:'))) {
    const xs = options.features ? [...options.features] : columns.filter((c) => c !== target);
    if (xs.length === 0) throw new NudgeError('invalid-argument', `the data have no feature column besides the target '${target}'`);
    for (const x of xs) {
      if (!columns.includes(x)) throw new NudgeError('invalid-argument', `no column '${x}' in the data (the columns are ${columns.join(', ')})`);
      if (x === target) throw new NudgeError('invalid-argument', `'${target}' is the target; it cannot be a feature too`);
    }
    const built = spec.startsWith('mlp:') ? network(spec, xs, options) : linearModel(spec as 'linear' | 'logistic', xs);
    const taken = new Set(columns);
    for (const p of built.params) {
      if (taken.has(p)) throw new NudgeError('invalid-argument', `the parameter '${p}' of the ${spec} model has the name of a column: rename the column`);
    }
    return built;
  }
  if (typeof spec === 'string') {
    throw new NudgeError('invalid-argument', `unknown model '${spec}': give an expression with its parameters, or linear, logistic or mlp:<sizes>`);
  }
  const root = lower(new Graph(), parse(spec.expression));
  const names = variablesOf(root);
  const params = [...spec.params];
  if (params.length === 0) throw new NudgeError('invalid-argument', 'name the parameters to learn (--params w,b)');
  for (const p of params) {
    if (!names.includes(p)) {
      const constant = CONSTANTS[p] !== undefined ? ` ('${p}' is the constant ${CONSTANTS[p]}: name the parameter otherwise)` : '';
      throw new NudgeError('invalid-argument', `the parameter '${p}' does not appear in the model '${spec.expression}'${constant}`);
    }
    if (p === target) throw new NudgeError('invalid-argument', `'${p}' is the target column; it cannot be a parameter too`);
  }
  const xs = naturalOrder(names.filter((n) => !params.includes(n)));
  for (const x of xs) {
    if (x === target) throw new NudgeError('invalid-argument', `the model reads the target column '${target}': a model predicts the target from the other columns`);
    if (!columns.includes(x)) {
      throw new NudgeError('invalid-argument', `the model uses '${x}', which is neither a parameter (${params.join(', ')}) nor a column of the data (${columns.join(', ')})`);
    }
  }
  return { kind: 'expression', spec: spec.expression, expression: spec.expression, features: xs, params, weights: params, probability: root.op === 'sigmoid' };
}

function linearModel(kind: 'linear' | 'logistic', xs: readonly string[]): Model {
  const weights = xs.map((x) => `w_${x}`);
  const linear = ['b', ...xs.map((x, i) => `${weights[i]}*${x}`)].join(' + ');
  return {
    kind,
    spec: kind,
    expression: kind === 'logistic' ? `sigmoid(${linear})` : linear,
    features: xs,
    params: [...weights, 'b'],
    weights,
    probability: kind === 'logistic',
  };
}

function network(spec: string, xs: readonly string[], options: ModelOptions): Model {
  const shape = parseMlp(spec, options.activation);
  const outputs = shape.sizes[shape.sizes.length - 1]!;
  const classes = outputs > 1 ? outputs : undefined;
  const classifier = !classes && (options.classifier ?? false);
  const { weights, biases } = mlpParameters(shape, xs);
  // Glorot (tanh, sigmoid) or He (relu) uniform limits.
  const gain = shape.activation === 'relu' ? 2 : 1;
  const initScale = Object.fromEntries(weights.map((w) => [w.name, Math.sqrt((6 * gain) / (w.fanIn + (gain === 2 ? w.fanIn : w.fanOut)))]));
  return {
    kind: 'mlp',
    spec,
    expression: `${spec} (${shape.activation}${classes ? `, softmax over ${classes} classes` : classifier ? ', sigmoid output' : ''})`,
    features: xs,
    params: [...weights.map((w) => w.name), ...biases],
    weights: weights.map((w) => w.name),
    probability: classifier,
    mlp: shape,
    ...(classes ? { classes } : {}),
    initScale,
  };
}

/** The model's prediction lowered into `g`, its names as variables. */
export function modelIr(g: Graph, model: Model): IrNode {
  if (model.mlp) return mlpIr(g, model.mlp, model.features, model.probability);
  return lower(g, parse(model.expression));
}

/**
 * `root` rebuilt in `into`, every variable replaced by `bind(name)` (a
 * vector of the batch's rows, a parameter's scalar, a constant): the graphs
 * keep scalar and vector variables of one name apart.
 */
export function transplant(into: Graph, root: IrNode, bind: (name: string) => IrNode): IrNode {
  const done = new Map<number, IrNode>();
  for (const n of reachable([root])) {
    if (n.op === 'const') done.set(n.id, into.constant(n.value));
    else if (n.op === 'var') done.set(n.id, bind(n.name));
    else if (n.op === 'vvar' || n.op === 'slice' || n.op === 'sum') throw new Error(`internal: a model holds no vector operation ('${n.op}')`);
    else done.set(n.id, into.apply(n.op, n.args.map((a) => done.get(a.id)!)));
  }
  return done.get(root.id)!;
}

/** The fitted model as text: the parameters' values written in (a network: its shape). */
export function fittedExpression(model: Model, params: Readonly<Record<string, number>>): string {
  if (model.mlp) return model.expression;
  const g = new Graph();
  return print(transplant(g, modelIr(g, model), (name) => (name in params ? g.constant(params[name]!) : g.variable(name))));
}
