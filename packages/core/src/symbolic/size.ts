import { layout, type Layout } from '../ir/latex.js';
import type { IrNode } from '../ir/node.js';
import type { Ast } from '../parse/ast.js';

/**
 * The size of an expression as printed (symbolic/print.ts `format`), the way
 * a tree of binary operators counts it: every number, name, operator and
 * function call is one node, `a + b - c` is two operators, a negative number
 * is one number, `log(10)` is a call and a number. A subexpression shared in
 * the DAG counts every time it is printed, so the count compares fairly with
 * other tools' trees (math.js, SymPy). Memoized: linear in the DAG.
 */
export function treeSize(node: IrNode): number {
  return sizeOf(layout(node));
}

const sizes = new WeakMap<Layout, number>();

function sizeOf(l: Layout): number {
  let s = sizes.get(l);
  if (s === undefined) {
    s = sizeUncached(l);
    sizes.set(l, s);
  }
  return s;
}

/** A minus in front of something whose first atom is a number makes a negative number, not an operator. */
function minusCost(l: Layout): number {
  return startsWithNumber(l) ? 0 : 1;
}

function startsWithNumber(l: Layout): boolean {
  switch (l.kind) {
    case 'number':
      return true;
    case 'product':
      return startsWithNumber(l.factors[0]!);
    case 'fraction':
      return startsWithNumber(l.num);
    default:
      return false;
  }
}

function sizeUncached(l: Layout): number {
  switch (l.kind) {
    case 'number':
    case 'name':
      return 1;
    case 'constant':
      return l.size;
    case 'neg':
      return minusCost(l.arg) + sizeOf(l.arg);
    case 'sum':
      return l.terms.reduce((s, t, i) => s + sizeOf(t.arg) + (i === 0 && t.minus ? minusCost(t.arg) : 0), l.terms.length - 1);
    case 'product':
      return l.factors.reduce((s, f) => s + sizeOf(f), l.factors.length - 1);
    case 'fraction':
      return 1 + sizeOf(l.num) + sizeOf(l.den) + (l.after ? 1 + sizeOf(l.after) : 0);
    case 'power':
      return 1 + sizeOf(l.base) + sizeOf(l.exponent);
    case 'call':
      return l.args.reduce((s, a) => s + sizeOf(a), 1);
  }
}

/** The same count over a parsed syntax tree (for text from other tools, e.g. SymPy's derivatives). */
export function astSize(ast: Ast): number {
  switch (ast.kind) {
    case 'number':
    case 'name':
      return 1;
    case 'negate':
      return ast.arg.kind === 'number' ? 1 : 1 + astSize(ast.arg);
    case 'power':
      return 1 + astSize(ast.base) + astSize(ast.exponent);
    case 'call':
      return ast.args.reduce((s, a) => s + astSize(a), 1);
    case 'sum':
    case 'product':
      return ast.items.reduce((s, item) => s + astSize(item.arg), ast.items.length - 1);
  }
}
