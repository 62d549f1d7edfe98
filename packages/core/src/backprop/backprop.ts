import type { CompiledFunction } from '../api/compiled.js';
import { toCoordinates, toRecord, type Point } from '../api/points.js';
import type { FunctionOptions } from '../api/target.js';
import { describePoint, derivativeWarning } from '../api/warnings.js';
import { NudgeError } from '../errors.js';
import { evaluateIr } from '../ir/evaluate.js';
import { latex } from '../ir/latex.js';
import { reachable } from '../ir/node.js';
import { print } from '../ir/print.js';
import { treeSize } from '../symbolic/size.js';
import { backward } from './backward.js';
import { localSteps } from './local.js';
import { nameNodes } from './names.js';
import { sourceOf } from './source.js';
import type { BackpropNode, BackpropResult } from './types.js';

/** The most nodes a graph to show may have: backprop is for looking at, a person reads every node. */
export const MAX_BACKPROP_NODES = 2000;
/** The most nodes the expression may have when written out (a DAG's shared parts are written every time they are used). */
export const MAX_BACKPROP_PRINTED = 20_000;

export type BackpropOptions = Pick<FunctionOptions, 'variables'>;

/**
 * Backpropagation, shown: the computational graph of f at a point, every
 * node's forward value and adjoint ∂f/∂node, every edge's local partial
 * derivative and its contribution to the adjoint of its input, and the
 * gradient, which is the variables' adjoints.
 *
 *   backprop('sigmoid(w*x + b)', { w: 2, x: 1.5, b: -1 })
 *
 * Forward values come from the op table's `eval` rows (the reference
 * interpreter), local partials from its derivative rules (see local.ts).
 */
export function backprop(f: string | CompiledFunction, at?: Point, options: BackpropOptions = {}): BackpropResult {
  const { root, variables } = sourceOf(f, options);
  const x = toCoordinates(at, variables);
  const point = toRecord(x, variables);
  const ir = reachable([root]);
  if (ir.length > MAX_BACKPROP_NODES) {
    throw new NudgeError('invalid-argument', `the expression's graph has ${ir.length} nodes: backprop shows at most ${MAX_BACKPROP_NODES}`);
  }
  const printed = treeSize(root);
  if (printed > MAX_BACKPROP_PRINTED) {
    throw new NudgeError('invalid-argument', `the expression has ${printed.toPrecision(3)} nodes when written out: backprop shows at most ${MAX_BACKPROP_PRINTED}`);
  }
  const values = evaluateIr(ir, point);
  const { names, output: outputName } = nameNodes(ir, variables);
  const steps = localSteps(ir, names, values);
  const { edges, adjoints, terms } = backward(ir, steps);
  const index = new Map(ir.map((n, i) => [n.id, i]));
  const nodes = ir.map(
    (n, id): BackpropNode => ({
      id,
      kind: n.op === 'var' ? 'variable' : n.op === 'const' ? 'constant' : 'operation',
      op: n.op,
      name: names[id]!,
      text: print(n),
      latex: latex(n),
      definition: steps[id]?.definition ?? names[id]!,
      definitionLatex: steps[id]?.definitionLatex ?? latex(n),
      inputs: n.args.map((a) => index.get(a.id)!),
      value: values[id]!,
      adjoint: adjoints[id]!,
      adjointTerms: terms[id]!,
    }),
  );
  const forward = nodes.map((n) => n.id);
  const output = nodes.length - 1;
  const gradient: Record<string, number> = {};
  for (const v of variables) gradient[v] = nodes.find((n) => n.kind === 'variable' && n.name === v)?.adjoint ?? 0;
  const result: BackpropResult = {
    expression: print(root),
    latex: latex(root),
    variables: [...variables],
    at: point,
    outputName,
    nodes,
    edges,
    forward,
    backward: forward.filter((id) => nodes[id]!.adjoint !== null).reverse(),
    output,
    value: values[output]!,
    gradient,
  };
  const warning = backpropWarning(result, describePoint(variables, x));
  if (warning) result.warning = warning;
  return result;
}

/** The value's warning, else one for the first partial derivative or gradient entry that is not finite. */
function backpropWarning(r: BackpropResult, where: string): string | undefined {
  const partial = r.edges.find((e) => e.partial !== null && !Number.isFinite(e.partial));
  if (partial) {
    const from = r.nodes[partial.from]!;
    const to = r.nodes[partial.to]!;
    return derivativeWarning(`local partial ∂${to.name}/∂${from.name}`, partial.partial!, r.value, where);
  }
  const bad = r.variables.find((v) => !Number.isFinite(r.gradient[v]!));
  return derivativeWarning(bad ? `gradient's ∂${r.outputName}/∂${bad}` : 'gradient', bad ? r.gradient[bad]! : 0, r.value, where);
}
