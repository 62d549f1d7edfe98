import { evaluateIr } from '../ir/evaluate.js';
import { latex } from '../ir/latex.js';
import { Graph, type IrNode } from '../ir/node.js';
import { print } from '../ir/print.js';
import { OPS, isOpName } from '../ops/table.js';
import { format } from '../symbolic/print.js';
import { simplify } from '../symbolic/simplify.js';

/** One node's local step: what it computes from its inputs, and its partial derivative with respect to each. */
export interface LocalStep {
  /** The op applied to its inputs' names (`u1 + b`). */
  definition: string;
  definitionLatex: string;
  /** Per argument: ∂node/∂input as an expression in the inputs' names and its value; null for a constant input. */
  partials: ({ text: string; latex: string; value: number } | null)[];
}

/**
 * The local steps of a graph's operations, from the op table: each node is
 * rebuilt as op(inputs) over variables named as its inputs are (constants
 * stay numbers), the row's derivative rule gives the partials over those
 * names, and the reference interpreter (the rows' `eval`) evaluates them with
 * the inputs' forward values. So a partial is the op table's own rule,
 * evaluated where the forward pass left its inputs; none is written here.
 * The partials' text is simplified for people; their values are the rule's
 * as it stands. `undefined` for variables and constants.
 */
export function localSteps(nodes: readonly IrNode[], names: readonly string[], values: readonly number[]): (LocalStep | undefined)[] {
  const g = new Graph();
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const at: Record<string, number> = {};
  nodes.forEach((n, i) => {
    if (n.op !== 'const') at[names[i]!] = values[i]!;
  });
  const built = nodes.map((node) => {
    if (!isOpName(node.op)) return undefined;
    const args = node.args.map((a) => (a.op === 'const' ? g.constant(a.value) : g.variable(names[index.get(a.id)!]!)));
    const self = g.apply(node.op, args);
    const wanted = node.args.map((a) => a.op !== 'const');
    const partials = OPS[node.op].derivative(g, args, self, wanted);
    return { self, partials: partials.map((p, i) => (wanted[i] ? p : null)) };
  });
  const raw = built.flatMap((b) => (b ? b.partials.filter((p): p is IrNode => p !== null) : []));
  const evaluated = evaluateIr(raw, at);
  let k = 0;
  return built.map((b) => {
    if (!b) return undefined;
    return {
      definition: print(b.self),
      definitionLatex: latex(b.self),
      partials: b.partials.map((p) => {
        if (p === null) return null;
        const shown = simplify(g, p);
        return { text: format(shown), latex: latex(shown), value: evaluated[k++]! };
      }),
    };
  });
}
