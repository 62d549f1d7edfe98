import type { IrNode } from '../ir/node.js';
import { OPS } from '../ops/table.js';
import { derivationOf, type Context, type Derivation } from './context.js';
import { isFunctionRule } from './functions.js';
import { equation, leibniz, product, show, type Shown } from './show.js';
import { substitute } from './substitute.js';
import type { DerivativeStep, Step } from './types.js';

type Explain = (ctx: Context, node: IrNode) => Derivation;

/** Names for the value of a chain (y = f(u)) and for its placeholders (u = g(v), v = ...). */
const OUTPUTS = ['y', 'f', 'g', 'F', 'G', 'Y'];
const PLACEHOLDERS = ['u', 'v', 'w', 's', 't', 'r', 'q', 'p'];

/**
 * The argument of a function of one argument that is not the variable itself:
 * f(g(x)) needs the chain rule. So do a power of anything but the variable,
 * (x^2 + 1)^3, and a constant to the power of anything but the variable, 2^(3*x).
 */
function innerOf(ctx: Context, node: IrNode): IrNode | undefined {
  const [a, b] = node.args;
  if (isFunctionRule(node.op) && OPS[node.op].arity === 1) return a;
  if (node.op === 'square') return a;
  if (node.op === 'pow') {
    if (!ctx.depends(b!)) return a;
    if (!ctx.depends(a!)) return b;
  }
  return undefined;
}

export function isComposition(ctx: Context, node: IrNode): boolean {
  const inner = innerOf(ctx, node);
  return inner !== undefined && inner.op !== 'var' && ctx.depends(inner);
}

/** node with its inner function replaced by the placeholder u: sin(x^2) -> sin(u). */
function outerIn(ctx: Context, node: IrNode, u: IrNode): IrNode {
  const g = ctx.g;
  if (node.op === 'pow') return ctx.depends(node.args[1]!) ? g.apply('pow', [node.args[0]!, u]) : g.apply('pow', [u, node.args[1]!]);
  return g.apply(node.op as Parameters<typeof g.apply>[0], [u]);
}

/** One link of a chain: `name` = expression (in the next link's name; the last one in the variable). */
export interface ChainLevel {
  readonly name: string;
  readonly expression: IrNode;
  /** This link with the ones below put in: in the variable. */
  readonly composed: IrNode;
}

/** One factor of dy/dx = dy/du * du/dv * dv/dx. */
export interface ChainFactor {
  /** Leibniz form: 'dy/du'. */
  readonly name: string;
  /** The variable it is taken with respect to (u). */
  readonly by: string;
  /** The derivative, in `by` (simplified). */
  readonly derivative: IrNode;
  /** The same with the links below put in: in the variable. */
  readonly substituted: IrNode;
}

/** The chain rule for f(g(h(x))): y = f(u), u = g(v), v = h(x), written out link by link. */
export function chainRule(ctx: Context, node: IrNode, explain: Explain): Derivation {
  const composed: IrNode[] = [];
  let inner = node;
  while (isComposition(ctx, inner)) {
    composed.push(inner);
    inner = innerOf(ctx, inner)!;
  }
  composed.push(inner);
  const names = [ctx.fresh(OUTPUTS), ...composed.slice(1).map(() => ctx.fresh(PLACEHOLDERS))];
  try {
    const levels = composed.map(
      (c, i): ChainLevel => ({
        name: names[i]!,
        expression: i + 1 < composed.length ? outerIn(ctx, c, ctx.g.variable(names[i + 1]!)) : c,
        composed: c,
      }),
    );
    return walkChain(ctx, levels, explain).derivation;
  } finally {
    for (const n of names) ctx.reserved.delete(n);
  }
}

/**
 * The chain rule as a course walks it: (1) the inner derivative, dv/dx;
 * (2) each outer derivative with its placeholder as the variable, dy/du and
 * du/dv; (3) the placeholders swapped back for the inner functions; (4) the
 * product dy/dx = dy/du * du/dv * dv/dx, simplified.
 */
export function walkChain(
  ctx: Context,
  levels: readonly ChainLevel[],
  explain: Explain,
): { derivation: Derivation; factors: ChainFactor[] } {
  const g = ctx.g;
  const x = ctx.wrt;
  const root = levels[0]!;
  const last = levels[levels.length - 1]!;
  const outer = levels.slice(0, -1);
  const factorName = (i: number): Shown =>
    i + 1 < levels.length ? leibniz(levels[i]!.name, levels[i + 1]!.name, false) : leibniz(last.name, x, ctx.partial);
  const names = levels.map((_, i) => factorName(i));

  // (1) the inner derivative
  const innerDerivation = explain(ctx, last.expression);
  const inner = derivationOf(ctx, last.expression, {
    rule: 'chain-inner',
    title: 'Chain rule: the inner derivative',
    text: `The inner function is ${last.name} = ${show(last.expression).text}; its derivative with respect to ${x}:`,
    lhs: names[levels.length - 1],
    formula: ctx.d(last.expression),
    steps: [innerDerivation.step],
    name: names[levels.length - 1]!.text,
  });

  // (2) the outer derivatives, each in its placeholder
  const outers = outer.map((level, i) => {
    const by = levels[i + 1]!.name;
    const octx = ctx.by(by);
    const d = explain(octx, level.expression);
    return derivationOf(octx, level.expression, {
      rule: 'chain-outer',
      title: 'Chain rule: the outer derivative',
      text: `The outer function is ${level.name} = ${show(level.expression).text}; differentiate it with respect to ${by}, as if ${by} were the variable:`,
      lhs: names[i],
      formula: octx.d(level.expression),
      steps: [d.step],
      name: names[i]!.text,
    });
  });

  // (3) the placeholders swapped back
  const swapped = outer.map((_, i) => {
    const below = levels[i + 1]!;
    return substitute(g, outers[i]!.derivative, new Map([[below.name, below.composed]]));
  });
  const swaps = outer.map((level, i): DerivativeStep => {
    const below = levels[i + 1]!;
    const binding = `${below.name} = ${show(below.composed).text}`;
    const line = equation([names[i], show(outers[i]!.derivative), show(swapped[i]!)]);
    return {
      kind: 'derivative',
      rule: 'chain-substitute',
      title: 'Chain rule: put the inner function back',
      text: `Swap ${below.name} back for ${show(below.composed).text} in ${names[i]!.text}:`,
      equation: `${line.text}, with ${binding}`,
      expression: show(level.expression).text,
      wrt: below.name,
      where: { [below.name]: show(below.composed).text },
      result: show(swapped[i]!).text,
      latex: `${line.latex} \\quad \\text{with } ${show(g.variable(below.name)).latex} = ${show(below.composed).latex}`,
      steps: [],
      name: names[i]!.text,
    };
  });

  // (4) the product
  const total = leibniz(root.name, x, ctx.partial);
  const formula = product(names);
  const multiply = derivationOf(ctx, root.composed, {
    rule: 'chain-product',
    title: 'Chain rule: multiply',
    text: `Multiply the derivatives along the chain: ${total.text} = ${formula.text}.`,
    lhs: total,
    formula,
    applied: product([...swapped.map(show), show(innerDerivation.derivative)]),
    name: total.text,
  });

  const links = levels.map((l) => `${l.name} = ${show(l.expression).text}`).join(', ');
  const steps: Step[] = [inner.step, ...outers.map((o) => o.step), ...swaps, multiply.step];
  const derivation = derivationOf(ctx, root.composed, {
    rule: 'chain',
    title: 'Chain rule',
    text: `${show(root.composed).text} is a function of a function: ${links}. Its derivative is the product of the derivatives along the chain, ${total.text} = ${formula.text}.`,
    formula,
    steps,
  });
  const factors = levels.map(
    (_, i): ChainFactor => ({
      name: names[i]!.text,
      by: i + 1 < levels.length ? levels[i + 1]!.name : x,
      derivative: i + 1 < levels.length ? outers[i]!.derivative : innerDerivation.derivative,
      substituted: i + 1 < levels.length ? swapped[i]! : innerDerivation.derivative,
    }),
  );
  return { derivation, factors };
}
