import type { IrNode } from '../ir/node.js';
import { derivationOf, type Context, type Derivation } from './context.js';
import { fraction, power, product, show, sum } from './show.js';

type Explain = (ctx: Context, node: IrNode) => Derivation;

/**
 * Powers of the variable itself (x^n: the power rule), a constant to the
 * power of the variable (a^x: the exponential rule) and a varying base to a
 * varying power (x^x). A power of anything else is the chain rule (chain.ts).
 */
export function powerRule(ctx: Context, node: IrNode, explain: Explain): Derivation {
  const g = ctx.g;
  const base = node.args[0]!;
  const exponent = node.op === 'square' ? g.constant(2) : node.args[1]!;
  if (!ctx.depends(exponent)) return powerOfVariable(ctx, node, base, exponent);
  if (!ctx.depends(base)) return exponential(ctx, node, base);
  return generalPower(ctx, node, base, exponent, explain);
}

// d/dx[x^n] = n*x^(n-1)
function powerOfVariable(ctx: Context, node: IrNode, x: IrNode, n: IrNode): Derivation {
  const g = ctx.g;
  const lowered = g.apply('add', [n, g.constant(-1)]);
  return derivationOf(ctx, node, {
    rule: 'power',
    title: 'Power rule',
    text: `Bring the power down and lower it by one: d/d${ctx.wrt}[${ctx.wrt}^n] = n*${ctx.wrt}^(n-1), here n = ${show(n).text}.`,
    applied: product([show(n), power(show(x), show(lowered))]),
  });
}

// d/dx[a^x] = a^x*ln(a); d/dx[e^x] = e^x
function exponential(ctx: Context, node: IrNode, a: IrNode): Derivation {
  const x = ctx.wrt;
  if (a.op === 'const' && a.value === Math.E) {
    return derivationOf(ctx, node, { rule: 'exp', title: 'Derivative of the exponential', text: `e^${x} is its own derivative: d/d${x}[e^${x}] = e^${x}.` });
  }
  const lnA = ctx.g.apply('log', [a]);
  return derivationOf(ctx, node, {
    rule: 'exponential',
    title: 'Exponential rule',
    text: `A constant base to the power ${x}: d/d${x}[a^${x}] = a^${x}*ln(a), here a = ${show(a).text}.`,
    ...(a.op === 'const' && a.value <= 0 ? {} : { applied: product([show(node), show(lnA)]) }),
  });
}

// d/dx[f^g] = f^g*(d/dx[g]*ln(f) + g*d/dx[f]/f), from f^g = e^(g*ln(f))
function generalPower(ctx: Context, node: IrNode, f: IrNode, gx: IrNode, explain: Explain): Derivation {
  const base = explain(ctx, f);
  const exponent = explain(ctx, gx);
  const lnF = show(ctx.g.apply('log', [f]));
  const rule = (df: ReturnType<typeof show>, dg: ReturnType<typeof show>) =>
    product([
      show(node),
      sum([
        { minus: false, value: product([dg, lnF]) },
        { minus: false, value: product([show(gx), fraction(df, show(f))]) },
      ]),
    ]);
  const D = `d/d${ctx.wrt}`;
  return derivationOf(ctx, node, {
    rule: 'general-power',
    title: 'A varying base to a varying power',
    text: `Write f^g as e^(g*ln(f)) and use the chain and product rules: ${D}[f^g] = f^g*(${D}[g]*ln(f) + g*${D}[f]/f), here f = ${show(f).text} and g = ${show(gx).text}.`,
    formula: rule(ctx.d(f), ctx.d(gx)),
    applied: rule(show(base.derivative), show(exponent.derivative)),
    steps: [base.step, exponent.step],
  });
}
