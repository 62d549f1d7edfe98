import { NudgeError } from '../errors.js';
import type { IrNode } from '../ir/node.js';
import { OPS } from '../ops/table.js';
import { chainRule, isComposition } from './chain.js';
import { derivationOf, type Context, type Derivation } from './context.js';
import { functionRule, functionTitle, isFunctionRule } from './functions.js';
import { powerRule } from './powers.js';
import { productRule, type Factor } from './products.js';
import { product, show, sum, type Term } from './show.js';

/**
 * The derivation of d node/d wrt, rule by rule, as a course writes it: the
 * rule that fits the outermost operation, with the derivatives it needs as
 * its details (derived the same way), down to constants and the variable.
 */
export function derive(ctx: Context, node: IrNode): Derivation {
  if (!ctx.depends(node)) return constant(ctx, node);
  if (node.op === 'var') {
    return derivationOf(ctx, node, {
      rule: 'variable',
      title: 'Derivative of the variable',
      text: `The derivative of ${ctx.wrt} with respect to itself is 1.`,
    });
  }
  if (isComposition(ctx, node)) return chainRule(ctx, node, derive);
  switch (node.op) {
    case 'add':
      return sumRule(ctx, node, node.args.map((a) => term(ctx, a)));
    case 'sub': {
      const subtracted = term(ctx, node.args[1]!);
      return sumRule(ctx, node, [term(ctx, node.args[0]!), { minus: !subtracted.minus, node: subtracted.node }]);
    }
    case 'neg':
    case 'mul':
    case 'div':
    case 'recip':
      return productRule(ctx, node, factorsOf(node), derive);
    case 'pow':
    case 'square':
      return powerRule(ctx, node, derive);
    case 'const':
      throw new Error('internal: handled above');
    case 'vvar':
    case 'slice':
    case 'sum':
      throw new NudgeError('invalid-argument', `step-by-step explanations do not support the vector operation '${node.op}'`);
    default:
      if (!isFunctionRule(node.op)) throw new Error(`internal: no step rule for ${node.op}`);
      return OPS[node.op].arity === 1 ? functionOfVariable(ctx, node) : selection(ctx, node, derive);
  }
}

function constant(ctx: Context, node: IrNode): Derivation {
  const text =
    node.op === 'const'
      ? 'The derivative of a constant is 0.'
      : `${show(node).text} does not depend on ${ctx.wrt}: it is a constant, so its derivative is 0.`;
  return derivationOf(ctx, node, { rule: 'constant', title: 'Constant', text });
}

interface SignedTerm {
  minus: boolean;
  node: IrNode;
}

/** A term of a sum with its sign in front: a - b is a + (-b), written with a minus. */
function term(ctx: Context, n: IrNode): SignedTerm {
  if (n.op === 'neg') return { minus: true, node: n.args[0]! };
  if (n.op === 'const' && n.value < 0) return { minus: true, node: ctx.g.constant(-n.value) };
  return { minus: false, node: n };
}

// d/dx[f + g - h] = d/dx[f] + d/dx[g] - d/dx[h]
function sumRule(ctx: Context, node: IrNode, terms: readonly SignedTerm[]): Derivation {
  const parts = terms.map((t) => derive(ctx, t.node));
  const difference = terms.some((t) => t.minus);
  const formula = sum(terms.map((t): Term => ({ minus: t.minus, value: ctx.d(t.node) })));
  const applied = sum(terms.map((t, i): Term => ({ minus: t.minus, value: show(parts[i]!.derivative) })));
  return derivationOf(ctx, node, {
    rule: 'sum',
    title: difference ? 'Sum and difference rule' : 'Sum rule',
    text: `The derivative of a ${difference ? 'sum or difference' : 'sum'} is the ${difference ? 'sum or difference' : 'sum'} of the derivatives: differentiate term by term.`,
    formula,
    applied,
    steps: parts.map((p) => p.step),
  });
}

/** The factors of a product, a divisor marked as such: x*y/z is x, y and 1/z. */
function factorsOf(node: IrNode): Factor[] {
  switch (node.op) {
    case 'mul':
      return node.args.map((a) => (a.op === 'recip' ? { node: a.args[0]!, divides: true } : { node: a, divides: false }));
    case 'div':
      return [
        { node: node.args[0]!, divides: false },
        { node: node.args[1]!, divides: true },
      ];
    case 'recip':
      return [{ node: node.args[0]!, divides: true }];
    default:
      // neg: -1 times the argument
      return [{ node: node.args[0]!, divides: false }];
  }
}

/** f(x) for a function with its own rule, applied to the variable itself (f(u) is the chain rule). */
function functionOfVariable(ctx: Context, node: IrNode): Derivation {
  const f = node.op as Parameters<typeof functionTitle>[0];
  return derivationOf(ctx, node, {
    rule: f,
    title: functionTitle(f),
    text: `The rule for ${f}: ${functionRule(f).text}.`,
  });
}

// d max(f, g) = [f >= g] df + [f < g] dg (and min alike): the partials from the op table's row
function selection(ctx: Context, node: IrNode, explain: typeof derive): Derivation {
  const f = node.op as 'min' | 'max';
  const args = node.args;
  const wanted = args.map((a) => ctx.depends(a));
  const partials = OPS[f].derivative(ctx.g, args, node, wanted);
  const parts = args.map((a, i) => (wanted[i] ? explain(ctx, a) : undefined));
  const formula = sum(args.flatMap((a, i) => (wanted[i] ? [{ minus: false, value: product([show(partials[i]!), ctx.d(a)]) }] : [])));
  const applied = sum(
    args.flatMap((_, i) => (wanted[i] ? [{ minus: false, value: product([show(partials[i]!), show(parts[i]!.derivative)]) }] : [])),
  );
  return derivationOf(ctx, node, {
    rule: f,
    title: functionTitle(f),
    text: `The derivative of ${f} follows the argument that is ${f === 'max' ? 'larger' : 'smaller'}: ${functionRule(f).text} (the brackets are 1 where the condition holds, else 0).`,
    formula,
    applied,
    steps: parts.flatMap((p) => (p ? [p.step] : [])),
  });
}
