import type { IrNode } from '../ir/node.js';
import type { LocalStep } from './local.js';
import type { BackpropEdge } from './types.js';

export interface Backward {
  edges: BackpropEdge[];
  /** Per node: ∂f/∂node, null for a constant. */
  adjoints: (number | null)[];
  /** Per node: the edges whose contributions were added to its adjoint, in the order they were added. */
  terms: number[][];
}

/**
 * The backward pass. The output's adjoint is ∂f/∂f = 1; then, consumers
 * before their inputs (the forward order reversed), each edge from an input
 * to its consumer adds adjoint(consumer) × ∂consumer/∂input to the input's
 * adjoint. A node used several times (a variable in two places, the same
 * subexpression twice) gets one contribution per use, and its adjoint is
 * their sum: the multivariable chain rule. Constants get none.
 */
export function backward(nodes: readonly IrNode[], steps: readonly (LocalStep | undefined)[]): Backward {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const edges: BackpropEdge[] = [];
  const byConsumer: number[][] = nodes.map(() => []);
  nodes.forEach((node, to) => {
    node.args.forEach((a, argument) => {
      const partial = steps[to]!.partials[argument] ?? null;
      byConsumer[to]!.push(edges.length);
      edges.push({
        id: edges.length,
        from: index.get(a.id)!,
        to,
        argument,
        partialText: partial?.text ?? null,
        partialLatex: partial?.latex ?? null,
        partial: partial?.value ?? null,
        contribution: null,
      });
    });
  });
  const adjoints: (number | null)[] = nodes.map((n) => (n.op === 'const' ? null : 0));
  const terms: number[][] = nodes.map(() => []);
  const last = nodes.length - 1;
  if (adjoints[last] !== null) adjoints[last] = 1;
  for (let to = last; to >= 0; to--) {
    const adjoint = adjoints[to];
    if (adjoint === null || adjoint === undefined) continue;
    for (const e of byConsumer[to]!) {
      const edge = edges[e]!;
      if (edge.partial === null) continue;
      edge.contribution = adjoint * edge.partial;
      adjoints[edge.from] = adjoints[edge.from]! + edge.contribution;
      terms[edge.from]!.push(e);
    }
  }
  return { edges, adjoints, terms };
}
