import { NudgeError } from '../errors.js';
import { reachable, type Graph, type IrNode } from '../ir/node.js';
import { OPS, isOpName } from '../ops/table.js';

/**
 * The symbolic derivative of `f` with respect to the variable `wrt`, as IR in
 * the same graph: the chain rule over the DAG, forward, in topological order.
 *
 * Each node is differentiated once (d node = Σ partial_i · d arg_i, with the
 * partials from the op table's rows), so a subexpression shared in f is
 * differentiated once and its derivative is shared in the result. Dead terms
 * vanish as the graph is built: a node that does not depend on `wrt` has
 * derivative 0 and contributes nothing, a partial times 1 is the partial.
 * The result is correct but raw (`2*x^(2-1)`-like); `simplify` makes it read
 * like what a person would write.
 */
export function differentiate(g: Graph, f: IrNode, wrt: string): IrNode {
  const zero = g.constant(0);
  const one = g.constant(1);
  const d = new Map<number, IrNode>();
  const derivativeOf = (n: IrNode): IrNode => d.get(n.id)!;

  for (const node of reachable([f])) {
    if (node.op === 'const') {
      d.set(node.id, zero);
      continue;
    }
    if (node.op === 'var') {
      d.set(node.id, node.name === wrt ? one : zero);
      continue;
    }
    const dargs = node.args.map(derivativeOf);
    const wanted = dargs.map((x) => x !== zero);
    if (!wanted.some(Boolean)) {
      d.set(node.id, zero);
      continue;
    }
    if (!isOpName(node.op)) {
      throw new NudgeError('invalid-argument', `the symbolic derivative does not support the vector operation '${node.op}'`);
    }
    const partials = OPS[node.op].derivative(g, node.args, node, wanted);
    const terms: IrNode[] = [];
    dargs.forEach((da, i) => {
      if (wanted[i]) {
        const t = times(g, partials[i]!, da);
        if (!isZero(t)) terms.push(t);
      }
    });
    d.set(node.id, terms.length === 0 ? zero : terms.length === 1 ? terms[0]! : g.apply('add', terms));
  }
  return derivativeOf(f);
}

function isZero(n: IrNode): boolean {
  return n.op === 'const' && n.value === 0;
}

/** a·b without the dead and trivial products: 0·b = 0, 1·b = b. */
function times(g: Graph, a: IrNode, b: IrNode): IrNode {
  if (isZero(a) || isZero(b)) return g.constant(0);
  if (a.op === 'const' && a.value === 1) return b;
  if (b.op === 'const' && b.value === 1) return a;
  return g.apply('mul', [a, b]);
}
