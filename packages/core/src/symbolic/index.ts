/**
 * Symbolic differentiation for the rest of the core: derivatives as
 * expressions, simplified to what a person would write, with their text and
 * LaTeX. The public API wraps these (api/).
 *
 *   symbolicDerivative('sin(x^2)')            -> { expression: '2*x*cos(x^2)', latex: '2 x \\cos\\left(x^{2}\\right)', ... }
 *   symbolicDerivative('x^2*y', 'y')          -> x^2
 *   symbolicDerivative('x^3', 'x', { order: 2 })  -> 6*x
 *   symbolicGradient('x^2*y + sin(z)')        -> one result per variable (x, y, z)
 *
 * The building blocks: `differentiate` (the chain rule over the DAG, raw),
 * `simplify` (the normal form), `format` (text) and `latex`.
 */
import { NudgeError } from '../errors.js';
import { latex } from '../ir/latex.js';
import { lower } from '../ir/lower.js';
import { Graph, reachable, variablesOf, type IrNode } from '../ir/node.js';
import { naturalOrder } from '../ir/variables.js';
import { parse } from '../parse/parse.js';
import { differentiate } from './differentiate.js';
import { format } from './print.js';
import { simplify } from './simplify.js';
import { treeSize } from './size.js';

export { differentiate } from './differentiate.js';
export { simplify, type SimplifyOptions } from './simplify.js';
export { format } from './print.js';
export { latex } from '../ir/latex.js';
export { treeSize, astSize } from './size.js';

/** An expression already in IR: a node and the graph it lives in. */
export interface GraphNode {
  graph: Graph;
  node: IrNode;
}

export interface SymbolicOptions {
  /** The variables of the expression (others are errors); default: the names it uses. */
  variables?: readonly string[];
  /** Differentiate this many times (default 1). */
  order?: number;
  /** Simplify the result (default true); false gives the raw chain rule. */
  simplify?: boolean;
}

export interface SymbolicExpression extends GraphNode {
  /** Text in the expression language; parsing it gives back the same expression. */
  expression: string;
  /** KaTeX-ready LaTeX. */
  latex: string;
  /** Nodes as printed (see size.ts). */
  size: number;
}

export interface SymbolicDerivative extends SymbolicExpression {
  /** The variable differentiated by. */
  wrt: string;
  order: number;
  /** The expression differentiated. */
  of: SymbolicExpression;
}

/** An expression (text or IR) in IR, with its variables in natural order. */
function toIr(f: string | GraphNode, options: SymbolicOptions): GraphNode & { variables: string[] } {
  if (typeof f === 'string') {
    const graph = new Graph();
    const node = lower(graph, parse(f), options.variables ? { variables: options.variables } : {});
    return { graph, node, variables: [...(options.variables ?? naturalOrder(variablesOf(node)))] };
  }
  return { ...f, variables: [...(options.variables ?? naturalOrder(variablesOf(f.node)))] };
}

/**
 * The most nodes written out as text or LaTeX. A DAG can be exponentially
 * larger as a tree (each of 50 nested exp(u)/(1 + u) uses u twice); its IR is
 * still fine to evaluate or compile, but not to print.
 */
export const MAX_PRINTED_NODES = 1_000_000;

/** Text, LaTeX and size of a node. */
export function describe(graph: Graph, node: IrNode): SymbolicExpression {
  const size = treeSize(node);
  if (size > MAX_PRINTED_NODES) {
    throw new NudgeError(
      'invalid-argument',
      `the expression has ${size.toPrecision(3)} nodes when written out (its DAG has ${reachable([node]).length}): too large to print`,
    );
  }
  return { graph, node, expression: format(node), latex: latex(node), size };
}

/** The expression simplified. */
export function simplifyExpression(f: string | GraphNode, options: Omit<SymbolicOptions, 'order' | 'simplify'> = {}): SymbolicExpression {
  const { graph, node } = toIr(f, options);
  return describe(graph, simplify(graph, node));
}

/**
 * The derivative of f with respect to `wrt` (default: f's only variable), as
 * an expression. Every derivative is exact: at the non-differentiable points
 * of abs, relu, min and max it takes the kernel's conventions (0 at 0; ties
 * of max/min go to the first argument), written with the indicator
 * 0^relu(u) = [u <= 0] (see ops/table.ts).
 */
export function symbolicDerivative(f: string | GraphNode, wrt?: string, options: SymbolicOptions = {}): SymbolicDerivative {
  const ir = toIr(f, options);
  // f as it was written is differentiated (not simplified first: the derivative of cot(x) is then
  // -csc(x)^2, not the derivative of cos(x)/sin(x)); each derivative is simplified before the next.
  const d = derivativeIr({ graph: ir.graph, node: ir.node }, wrt, options);
  return { ...describe(d.graph, d.node), wrt: d.wrt, order: d.order, of: describe(ir.graph, ir.node) };
}

/** As symbolicDerivative, without the text: for derivatives too large to print, to compile or evaluate. */
export function derivativeIr(f: string | GraphNode, wrt?: string, options: SymbolicOptions = {}): GraphNode & { wrt: string; order: number; size: number } {
  const { graph, node, variables } = toIr(f, options);
  const variable = resolveVariable(variables, wrt);
  if (options.variables && !options.variables.includes(variable)) {
    throw new NudgeError('unknown-variable', `cannot differentiate with respect to '${variable}': the variables are ${options.variables.join(', ')}`);
  }
  const order = checkedOrder(options.order);
  const tidy = options.simplify ?? true;
  let d = order === 0 && tidy ? simplify(graph, node) : node;
  for (let k = 0; k < order; k++) {
    d = differentiate(graph, d, variable);
    if (tidy) d = simplify(graph, d);
  }
  return { graph, node: d, wrt: variable, order, size: treeSize(d) };
}

function checkedOrder(order: number | undefined): number {
  const k = order ?? 1;
  if (!Number.isInteger(k) || k < 0) {
    throw new NudgeError('invalid-argument', `the order of a derivative must be a whole number (0 or more), got ${String(k)}`);
  }
  return k;
}

/** The partial derivatives with respect to every variable of f (natural order), in one graph. */
export function symbolicGradient(f: string | GraphNode, options: Omit<SymbolicOptions, 'order'> = {}): SymbolicDerivative[] {
  const ir = toIr(f, options);
  return ir.variables.map((v) => symbolicDerivative({ graph: ir.graph, node: ir.node }, v, { ...options, variables: ir.variables }));
}

function resolveVariable(variables: readonly string[], wrt: string | undefined): string {
  if (wrt !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(wrt)) {
      throw new NudgeError('invalid-argument', `cannot differentiate with respect to '${wrt}': not a variable name`);
    }
    return wrt; // a variable f does not use: the derivative is 0
  }
  if (variables.length === 1) return variables[0]!;
  if (variables.length === 0) return 'x'; // a constant: its derivative is 0
  throw new NudgeError('invalid-argument', `f has ${variables.length} variables (${variables.join(', ')}): say which one to differentiate by`);
}
