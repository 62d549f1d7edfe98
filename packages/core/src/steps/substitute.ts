import { NudgeError } from '../errors.js';
import { reachable, type Graph, type IrNode } from '../ir/node.js';
import { isOpName } from '../ops/table.js';

/**
 * `node` with variables replaced (u := x^2), rebuilt in the same graph with
 * plain `g.apply`: nothing is simplified, so the result reads as the
 * substitution written out (cos(u) with u = x^2 is cos(x^2)).
 */
export function substitute(g: Graph, node: IrNode, bindings: ReadonlyMap<string, IrNode>): IrNode {
  const done = new Map<number, IrNode>();
  for (const n of reachable([node])) {
    if (n.op === 'const') done.set(n.id, n);
    else if (n.op === 'var') done.set(n.id, bindings.get(n.name) ?? n);
    else if (isOpName(n.op)) done.set(n.id, g.apply(n.op, n.args.map((a) => done.get(a.id)!)));
    else throw new NudgeError('invalid-argument', `step-by-step explanations do not support the vector operation '${n.op}'`);
  }
  return done.get(node.id)!;
}
