/**
 * Backpropagation as data: the computational graph of an expression at a
 * point, each node's forward value and adjoint, and the chain rule applied
 * edge by edge. What `backprop` returns, what the CLI prints and the
 * playground draws.
 */

/** A variable (an input), a constant, or an operation of the op table. */
export type BackpropNodeKind = 'variable' | 'constant' | 'operation';

export interface BackpropNode {
  /** The node's index in `nodes`; nodes are in topological order (every input before its consumers). */
  id: number;
  kind: BackpropNodeKind;
  /** The IR op: 'var', 'const', or an op of the op table ('add', 'mul', 'sigmoid', ...). add and mul take any number of inputs. */
  op: string;
  /** A short name: the variable's own, the constant as written, the output's (f), u1, u2, ... for the nodes between. */
  name: string;
  /** The subexpression the node computes, in the expression language (it parses back to the same expression). */
  text: string;
  latex: string;
  /** The op applied to its inputs' names: `u1 + b` for the node of w*x + b whose input w*x is u1. */
  definition: string;
  definitionLatex: string;
  /** The ids of its inputs, in argument order (one id twice for x*x). */
  inputs: number[];
  /** The forward value at the point. */
  value: number;
  /** ∂f/∂node at the point, the output f's derivative with respect to this node; null for a constant. */
  adjoint: number | null;
  /**
   * The edges out of this node (into its consumers) whose contributions add
   * up to its adjoint, in the order the backward pass adds them: one per use,
   * so a variable used several times has several. Empty for the output (its
   * adjoint is ∂f/∂f = 1) and for constants.
   */
  adjointTerms: number[];
}

export interface BackpropEdge {
  /** The edge's index in `edges`. */
  id: number;
  /** The input node. */
  from: number;
  /** The consumer node. */
  to: number;
  /** Which argument of `to` this edge is (0-based). */
  argument: number;
  /** The local partial derivative ∂to/∂from, as an expression in the names of to's inputs; null from a constant. */
  partialText: string | null;
  partialLatex: string | null;
  /** Its value at the point; null from a constant. */
  partial: number | null;
  /** adjoint(to) × partial: what this edge adds to from's adjoint (the chain rule for one edge); null from a constant. */
  contribution: number | null;
}

export interface BackpropResult {
  /** The expression as Nudge prints it. */
  expression: string;
  latex: string;
  /** The variables, in vector order. */
  variables: string[];
  at: Record<string, number>;
  /** The name of the output in the chain rule's ∂f/∂u: f (or y, F, g when f is a variable). */
  outputName: string;
  nodes: BackpropNode[];
  edges: BackpropEdge[];
  /** Node ids in the order of the forward pass: a topological order, inputs first. */
  forward: number[];
  /** Node ids in the order of the backward pass: the forward order reversed, constants left out (they have no adjoint). */
  backward: number[];
  /** The id of the output node. */
  output: number;
  /** f at the point: the output node's value. */
  value: number;
  /** ∂f/∂v by variable: the adjoint of each variable's node (0 for a variable f does not use). */
  gradient: Record<string, number>;
  /** Set when the value or a partial derivative is not a finite number. */
  warning?: string;
}
