import type { Graph, IrNode } from '../ir/node.js';

/**
 * Losses of one row, between the prediction p and the target y (vectors of
 * a batch's rows, element-wise): the objective averages them over the rows.
 * Softmax cross-entropy is for networks of several outputs, whose rows are
 * the kernel's (kernel-as dense.ts), not expressions.
 */
export const LOSSES = ['mse', 'mae', 'bce', 'softmax'] as const;
export type LossName = (typeof LOSSES)[number];

export const LOSS_TITLES: Record<LossName, string> = {
  mse: 'mean squared error',
  mae: 'mean absolute error',
  bce: 'binary cross-entropy (log loss)',
  softmax: 'softmax cross-entropy',
};

/**
 * The row loss in `g`. Log loss of a prediction sigmoid(z) is written in z,
 * softplus(z) - y z (= -y log p - (1 - y) log(1 - p)), which stays finite
 * where p rounds to 0 or 1; of any other prediction, -(y log p + (1 - y) log(1 - p)).
 */
export function rowLoss(g: Graph, loss: LossName, p: IrNode, y: IrNode): IrNode {
  const error = () => g.apply('add', [p, g.apply('neg', [y])]);
  switch (loss) {
    case 'mse':
      return g.apply('square', [error()]);
    case 'mae':
      return g.apply('abs', [error()]);
    case 'softmax':
      throw new Error('internal: softmax cross-entropy has no single-output row');
    case 'bce': {
      if (p.op === 'sigmoid') {
        const z = p.args[0]!;
        return g.apply('add', [g.apply('softplus', [z]), g.apply('neg', [g.apply('mul', [y, z])])]);
      }
      const one = g.constant(1);
      const notY = g.apply('add', [one, g.apply('neg', [y])]);
      const notP = g.apply('add', [one, g.apply('neg', [p])]);
      const ll = g.apply('add', [g.apply('mul', [y, g.apply('log', [p])]), g.apply('mul', [notY, g.apply('log', [notP])])]);
      return g.apply('neg', [ll]);
    }
  }
}
