import { NudgeError } from '../errors.js';
import { lower } from '../ir/lower.js';
import { Graph, reachable, variablesOf, type IrNode } from '../ir/node.js';
import { naturalOrder } from '../ir/variables.js';
import { print } from '../ir/print.js';
import { parse } from '../parse/parse.js';

/**
 * A model: one row's prediction as an expression in the row's columns
 * (`features`) and the learned parameters (`params`). Built-in models are
 * written out as such expressions: linear regression is b + w_x1 x1 + ...,
 * logistic regression sigmoid of it.
 */
export interface Model {
  /** What the person asked for: an expression, 'linear' or 'logistic'. */
  readonly kind: 'expression' | 'linear' | 'logistic';
  /** The prediction as text, e.g. `sigmoid(b + w_x1*x1 + w_x2*x2)`. */
  readonly expression: string;
  /** The columns the prediction reads, in natural order. */
  readonly features: readonly string[];
  /** The learned parameters, in the order the person gave (built-ins: the weights, then b). */
  readonly params: readonly string[];
  /** The parameters L2 regularisation shrinks (built-ins: the weights, not the bias; an expression: all). */
  readonly weights: readonly string[];
  /** Whether the prediction is a probability (a sigmoid at the top): the default loss is then log loss. */
  readonly probability: boolean;
}

export type ModelSpec = string | { expression: string; params: readonly string[] };

/**
 * The model for a spec: 'linear' or 'logistic' over the feature columns
 * (every column but the target, unless `features` names them), or an
 * expression with its parameters named (every other name in it is a column
 * of the data).
 */
export function resolveModel(spec: ModelSpec, columns: readonly string[], target: string, features?: readonly string[]): Model {
  if (spec === 'linear' || spec === 'logistic') {
    const xs = features ? [...features] : columns.filter((c) => c !== target);
    if (xs.length === 0) throw new NudgeError('invalid-argument', `the data have no feature column besides the target '${target}'`);
    for (const x of xs) if (!columns.includes(x)) throw new NudgeError('invalid-argument', `no column '${x}' in the data (the columns are ${columns.join(', ')})`);
    const weights = xs.map((x) => `w_${x}`);
    const taken = new Set(columns);
    for (const p of [...weights, 'b']) {
      if (taken.has(p)) throw new NudgeError('invalid-argument', `the parameter '${p}' of the ${spec} model has the name of a column: rename the column`);
    }
    const linear = ['b', ...xs.map((x, i) => `${weights[i]}*${x}`)].join(' + ');
    return {
      kind: spec,
      expression: spec === 'logistic' ? `sigmoid(${linear})` : linear,
      features: xs,
      params: [...weights, 'b'],
      weights,
      probability: spec === 'logistic',
    };
  }
  if (typeof spec === 'string') {
    throw new NudgeError('invalid-argument', `unknown model '${spec}': give an expression with its parameters, or 'linear' or 'logistic'`);
  }
  const root = modelIr(new Graph(), spec.expression);
  const names = variablesOf(root);
  const params = [...spec.params];
  if (params.length === 0) throw new NudgeError('invalid-argument', 'name the parameters to learn (--params w,b)');
  for (const p of params) {
    if (!names.includes(p)) throw new NudgeError('invalid-argument', `the parameter '${p}' does not appear in the model '${spec.expression}'`);
    if (p === target) throw new NudgeError('invalid-argument', `'${p}' is the target column; it cannot be a parameter too`);
  }
  const xs = naturalOrder(names.filter((n) => !params.includes(n)));
  for (const x of xs) {
    if (x === target) throw new NudgeError('invalid-argument', `the model reads the target column '${target}': a model predicts the target from the other columns`);
    if (!columns.includes(x)) {
      throw new NudgeError('invalid-argument', `the model uses '${x}', which is neither a parameter (${params.join(', ')}) nor a column of the data (${columns.join(', ')})`);
    }
  }
  return { kind: 'expression', expression: spec.expression, features: xs, params, weights: params, probability: root.op === 'sigmoid' };
}

/** The model's prediction lowered into `g`. */
export function modelIr(g: Graph, expression: string): IrNode {
  return lower(g, parse(expression));
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

/** The fitted model as text: the parameters' values written in. */
export function fittedExpression(model: Model, params: Readonly<Record<string, number>>): string {
  const g = new Graph();
  return print(transplant(g, modelIr(g, model.expression), (name) => (name in params ? g.constant(params[name]!) : g.variable(name))));
}
