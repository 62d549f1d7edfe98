import type { IrNode } from '../ir/node.js';
import { derivationOf, type Context, type Derivation } from './context.js';
import { atom, fraction, negate, power, product, show, sum, type Shown } from './show.js';

/** A factor of a product; a divisor (x in y/x) is marked, so that a/b reads as a quotient, as people write it. */
export interface Factor {
  readonly node: IrNode;
  readonly divides: boolean;
}

type Explain = (ctx: Context, node: IrNode) => Derivation;

/**
 * Products, quotients, reciprocals and constant multiples. The IR holds a/b
 * as a*(1/b); here it is a quotient again. Factors that do not depend on the
 * variable come out front first (the constant multiple rule); what remains is
 * one factor, a product (the product rule), a quotient (the quotient rule)
 * or 1/g (the reciprocal rule).
 */
export function productRule(ctx: Context, node: IrNode, factors: readonly Factor[], explain: Explain): Derivation {
  const g = ctx.g;
  if (node.op === 'neg') return constantMultiple(ctx, node, undefined, node.args[0]!, explain);
  const constants = factors.filter((f) => !ctx.depends(f.node));
  const varying = factors.filter((f) => ctx.depends(f.node));
  const asNode = (fs: readonly Factor[]): IrNode =>
    g.apply(
      'mul',
      fs.map((f) => (f.divides ? g.apply('recip', [f.node]) : f.node)),
    );
  if (constants.length > 0) return constantMultiple(ctx, node, asNode(constants), asNode(varying), explain);
  const above = varying.filter((f) => !f.divides).map((f) => f.node);
  const below = varying.filter((f) => f.divides).map((f) => f.node);
  const den = below.length === 0 ? undefined : below.length === 1 ? below[0]! : g.apply('mul', below);
  if (den === undefined) return productOf(ctx, node, above, explain);
  if (above.length === 0) return reciprocal(ctx, node, den, explain);
  return quotient(ctx, node, above.length === 1 ? above[0]! : g.apply('mul', above), den, explain);
}

// d/dx[c*f] = c*d/dx[f]; d/dx[-f] = -d/dx[f]
function constantMultiple(ctx: Context, node: IrNode, c: IrNode | undefined, rest: IrNode, explain: Explain): Derivation {
  const inner = explain(ctx, rest);
  const D = `d/d${ctx.wrt}`;
  const times = (x: Shown): Shown => (c === undefined ? negate(x) : product([show(c), x]));
  const shownC = c === undefined ? '-1' : show(c).text;
  const held = c !== undefined && c.op !== 'const' ? ` (${shownC} does not depend on ${ctx.wrt})` : '';
  return derivationOf(ctx, node, {
    rule: 'constant-multiple',
    title: 'Constant multiple rule',
    text:
      c === undefined
        ? `A minus sign stays in front: ${D}[-f] = -${D}[f].`
        : `A constant factor stays in front: ${D}[c*f] = c*${D}[f], here c = ${shownC}${held}.`,
    formula: times(ctx.d(rest)),
    applied: times(show(inner.derivative)),
    steps: [inner.step],
  });
}

// d/dx[f*g] = d/dx[f]*g + f*d/dx[g]; with more factors, one factor differentiated at a time
function productOf(ctx: Context, node: IrNode, factors: readonly IrNode[], explain: Explain): Derivation {
  const parts = factors.map((f) => explain(ctx, f));
  const D = `d/d${ctx.wrt}`;
  const each = (d: (i: number) => Shown): Shown =>
    sum(factors.map((_, i) => ({ minus: false, value: product(factors.map((f, j) => (i === j ? d(i) : show(f)))) })));
  const [f, gf] = factors.map((x) => show(x).text);
  return derivationOf(ctx, node, {
    rule: 'product',
    title: 'Product rule',
    text:
      factors.length === 2
        ? `For a product f*g: ${D}[f*g] = ${D}[f]*g + f*${D}[g], here f = ${f} and g = ${gf}.`
        : `For a product of ${factors.length} factors, differentiate one factor at a time, keep the others as they are, and add.`,
    formula: each((i) => ctx.d(factors[i]!)),
    applied: each((i) => show(parts[i]!.derivative)),
    steps: parts.map((p) => p.step),
  });
}

// d/dx[f/g] = (d/dx[f]*g - f*d/dx[g])/g^2
function quotient(ctx: Context, node: IrNode, num: IrNode, den: IrNode, explain: Explain): Derivation {
  const top = explain(ctx, num);
  const bottom = explain(ctx, den);
  const D = `d/d${ctx.wrt}`;
  const two = atom('2', '2');
  const rule = (dNum: Shown, dDen: Shown): Shown =>
    fraction(
      sum([
        { minus: false, value: product([dNum, show(den)]) },
        { minus: true, value: product([show(num), dDen]) },
      ]),
      power(show(den), two),
    );
  return derivationOf(ctx, node, {
    rule: 'quotient',
    title: 'Quotient rule',
    text: `For a quotient f/g: ${D}[f/g] = (${D}[f]*g - f*${D}[g])/g^2, here f = ${show(num).text} and g = ${show(den).text}.`,
    formula: rule(ctx.d(num), ctx.d(den)),
    applied: rule(show(top.derivative), show(bottom.derivative)),
    steps: [top.step, bottom.step],
  });
}

// d/dx[1/g] = -d/dx[g]/g^2
function reciprocal(ctx: Context, node: IrNode, den: IrNode, explain: Explain): Derivation {
  const inner = explain(ctx, den);
  const D = `d/d${ctx.wrt}`;
  const two = atom('2', '2');
  const rule = (dDen: Shown): Shown => negate(fraction(dDen, power(show(den), two)));
  return derivationOf(ctx, node, {
    rule: 'reciprocal',
    title: 'Reciprocal rule',
    text: `For 1/g: ${D}[1/g] = -${D}[g]/g^2, here g = ${show(den).text}.`,
    formula: rule(ctx.d(den)),
    applied: rule(show(inner.derivative)),
    steps: [inner.step],
  });
}
