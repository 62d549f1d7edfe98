import { NudgeError } from '../errors.js';
import type { Graph, IrNode } from '../ir/node.js';

export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * A multilayer perceptron's layer sizes, inputs first: mlp:2-16-16-1. One
 * output is a regression value or, under a sigmoid, the probability of
 * class 1; K outputs are the logits of K classes (softmax).
 */
export interface MlpShape {
  sizes: number[];
  activation: Activation;
}

/** `mlp:2-16-16-1` read: at least an input and an output layer, whole numbers from 1. */
export function parseMlp(spec: string, activation: string = 'tanh'): MlpShape {
  const m = /^mlp:(\d+(?:-\d+)+)$/.exec(spec);
  if (!m) throw new NudgeError('invalid-argument', `'${spec}' is not a multilayer perceptron: write the layer sizes, inputs first, e.g. mlp:2-16-16-1`);
  const sizes = m[1]!.split('-').map(Number);
  if (sizes.some((n) => !(n >= 1))) throw new NudgeError('invalid-argument', `'${spec}': every layer needs at least one unit`);
  if (sizes.length < 2) throw new NudgeError('invalid-argument', `'${spec}' is not a multilayer perceptron: write the layer sizes, inputs first, e.g. mlp:2-16-16-1`);
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new NudgeError('invalid-argument', `unknown activation '${activation}': use ${ACTIVATIONS.join(', ')}`);
  }
  return { sizes, activation: activation as Activation };
}

/** The network's parameters: w<layer>_<unit>_<input> with its fan-in and fan-out, then the biases b<layer>_<unit>. */
export function mlpParameters(shape: MlpShape, features: readonly string[]) {
  const { sizes } = shape;
  if (features.length !== sizes[0]) {
    throw new NudgeError(
      'invalid-argument',
      `the network takes ${sizes[0]} input${sizes[0] === 1 ? '' : 's'}, the data have ${features.length} feature column${features.length === 1 ? '' : 's'} (${features.join(', ')})`,
    );
  }
  const weights: { name: string; fanIn: number; fanOut: number }[] = [];
  const biases: string[] = [];
  for (let layer = 1; layer < sizes.length; layer++) {
    for (let u = 0; u < sizes[layer]!; u++) {
      biases.push(`b${layer}_${u}`);
      for (let i = 0; i < sizes[layer - 1]!; i++) weights.push({ name: `w${layer}_${u}_${i}`, fanIn: sizes[layer - 1]!, fanOut: sizes[layer]! });
    }
  }
  return { weights, biases };
}

/**
 * The network's prediction for one row as IR: each hidden unit
 * act(b + w x + ...), the output b + w h + ... (under a sigmoid for a
 * classifier). w1_3_0 is the weight from input 0 to unit 3 of layer 1,
 * b1_3 that unit's bias. The hidden units are nodes shared by every unit
 * of the next layer.
 */
export function mlpIr(g: Graph, shape: MlpShape, features: readonly string[], classifier: boolean): IrNode {
  const { sizes, activation } = shape;
  if (sizes[sizes.length - 1] !== 1) throw new Error('internal: a network of several outputs is no single expression');
  let inputs: IrNode[] = features.map((f) => g.variable(f));
  for (let layer = 1; layer < sizes.length; layer++) {
    const last = layer === sizes.length - 1;
    inputs = Array.from({ length: sizes[layer]! }, (_, u) => {
      const terms = inputs.map((x, i) => g.apply('mul', [g.variable(`w${layer}_${u}_${i}`), x]));
      const sum = g.apply('add', [g.variable(`b${layer}_${u}`), ...terms]);
      if (last) return classifier ? g.apply('sigmoid', [sum]) : sum;
      return g.apply(activation, [sum]);
    });
  }
  return inputs[0]!;
}
