import { variablesOf, type Graph, type IrNode } from '../ir/node.js';
import { differentiate } from '../symbolic/differentiate.js';
import { simplify } from '../symbolic/simplify.js';
import { derivativeOf, equation, show, type Shown } from './show.js';
import type { DerivativeRule, DerivativeStep, Step } from './types.js';

/**
 * What a derivation needs to know as it walks an expression: the graph, the
 * variable, whether the derivative is a partial one (∂ in LaTeX), and the
 * names in use, so that the chain rule's placeholders (u, v, ...) are fresh.
 */
export class Context {
  private readonly dependence = new Map<number, boolean>();
  private readonly derivatives = new Map<number, IrNode>();

  constructor(
    readonly g: Graph,
    readonly wrt: string,
    readonly partial: boolean,
    /** Names that a placeholder must not take (shared with the contexts made from this one). */
    readonly reserved: Set<string>,
  ) {}

  /** The same walk, by another variable (the outer function of a chain, by its placeholder). */
  by(wrt: string, partial = false): Context {
    return new Context(this.g, wrt, partial, this.reserved);
  }

  depends(node: IrNode): boolean {
    let d = this.dependence.get(node.id);
    if (d === undefined) {
      d = variablesOf(node).includes(this.wrt);
      this.dependence.set(node.id, d);
    }
    return d;
  }

  /** The derivative of `node`, simplified: what every step's result is. */
  derivative(node: IrNode): IrNode {
    let d = this.derivatives.get(node.id);
    if (d === undefined) {
      d = simplify(this.g, differentiate(this.g, node, this.wrt));
      this.derivatives.set(node.id, d);
    }
    return d;
  }

  /** `d/dx[node]`. */
  d(node: IrNode | Shown): Shown {
    return derivativeOf('id' in node ? show(node) : node, this.wrt, this.partial);
  }

  /** The first of `candidates` (then candidates[0] with a number) not in use; it is now in use. */
  fresh(candidates: readonly string[]): string {
    const name =
      candidates.find((c) => !this.reserved.has(c)) ??
      Array.from({ length: this.reserved.size + 1 }, (_, i) => `${candidates[0]}${i + 1}`).find((c) => !this.reserved.has(c))!;
    this.reserved.add(name);
    return name;
  }
}

/** A step and the derivative it arrives at (simplified, as IR). */
export interface Derivation {
  readonly step: DerivativeStep;
  readonly derivative: IrNode;
}

export interface StepParts {
  rule: DerivativeRule;
  title: string;
  /** The sentence; the step's equation is written after it. */
  text: string;
  steps?: readonly Step[];
  /** The left side (default `d/dx[node]`). */
  lhs?: Shown;
  formula?: Shown;
  applied?: Shown;
  name?: string;
}

/** The step for d node/d wrt, its result the simplified derivative. */
export function derivationOf(ctx: Context, node: IrNode, parts: StepParts): Derivation {
  const derivative = ctx.derivative(node);
  const result = show(derivative);
  const line = equation([parts.lhs ?? ctx.d(node), parts.formula, parts.applied, result]);
  const step: DerivativeStep = {
    kind: 'derivative',
    rule: parts.rule,
    title: parts.title,
    text: parts.text,
    equation: line.text,
    expression: show(node).text,
    wrt: ctx.wrt,
    result: result.text,
    latex: line.latex,
    steps: parts.steps ?? [],
    ...(parts.name !== undefined ? { name: parts.name } : {}),
    ...(parts.formula ? { formula: parts.formula.text } : {}),
    ...(parts.applied ? { applied: parts.applied.text } : {}),
  };
  return { step, derivative };
}
