import { layout, type Layout } from '../ir/latex.js';
import type { IrNode } from '../ir/node.js';

/**
 * Text for people, in the expression language: the display layout of
 * ir/latex.ts (signs in front, fractions, x/2 for 0.5*x, sec for 1/cos,
 * named constants) written with the fewest parentheses the precedence rules
 * allow. The text parses back to an expression that simplifies to the same
 * node: for a simplified node s, simplify(lower(parse(format(s)))) is s.
 * (ir/print.ts writes the IR exactly as it is, for round trips without
 * simplification.)
 */
export function format(node: IrNode): string {
  return text(layout(node), SUM);
}

const SUM = 1;
const PRODUCT = 2;
const UNARY = 3;
const POWER = 4;
const ATOM = 5;

function wrap(s: string, level: number, min: number): string {
  return level < min ? `(${s})` : s;
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '(0/0)';
  if (v === Infinity) return '(1/0)';
  return String(v);
}

function text(l: Layout, min: number): string {
  switch (l.kind) {
    case 'number':
      return Number.isFinite(l.value) || Number.isNaN(l.value) ? formatNumber(l.value) : wrap(formatNumber(l.value), ATOM, min);
    case 'constant':
      return l.text;
    case 'name':
      return l.name;
    case 'neg': {
      // -x*y reads as (-x)*y, which is the same number: no parentheses around a product or fraction.
      const a = l.arg;
      if (a.kind === 'product' || a.kind === 'fraction') return wrap(`-${text(a, PRODUCT)}`, PRODUCT, min);
      return wrap(`-${text(a, UNARY)}`, UNARY, min);
    }
    case 'sum': {
      let s = '';
      l.terms.forEach((t, i) => {
        const body = text(t.arg, PRODUCT);
        if (i === 0) s = t.minus ? `-${body}` : body;
        else s += ` ${t.minus ? '-' : '+'} ${body}`;
      });
      return wrap(s, SUM, min);
    }
    case 'product':
      return wrap(l.factors.map((f) => text(f, UNARY)).join('*'), PRODUCT, min);
    case 'fraction':
      return wrap(`${text(l.num, PRODUCT)}/${text(l.den, UNARY)}${l.after ? `/${text(l.after, UNARY)}` : ''}`, PRODUCT, min);
    case 'power':
      return wrap(`${text(l.base, ATOM)}^${text(l.exponent, UNARY)}`, POWER, min);
    case 'call':
      return `${l.fn}(${l.args.map((a) => text(a, SUM)).join(', ')})`;
  }
}
