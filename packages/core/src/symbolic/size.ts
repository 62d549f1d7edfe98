import { layout, type Layout } from '../ir/latex.js';
import type { IrNode } from '../ir/node.js';
import type { Ast } from '../parse/ast.js';

/**
 * The size of an expression as printed (print.ts `format`): the nodes of the
 * tree its text parses to, every operator, function call, name and number
 * one node, and numbers counted by what they are, not how they are written:
 *
 * - a subexpression without variables is one number (`-2`, `2/3`, `log(10)`,
 *   `2*pi`, `0.6931471805599453`);
 * - in a chain of products and quotients (`a*b/(c*d)`) or of sums, the
 *   numbers and the signs of the operands fold into one coefficient: `x/2`,
 *   `0.5*x`, `-x/2` and `1/2*x` all count as 3 (x, the number, one operator);
 *   `-x*y` counts a minus (4).
 *
 * Tools differ in where they write a number (1/(2*sqrt(x)) or 1/2/sqrt(x)),
 * not in the structure around it; so the count compares fairly with other
 * tools' trees (math.js, SymPy; their counters in the tests follow the same
 * rules). A subexpression shared in the DAG counts every time it is printed.
 * Memoized: linear in the DAG.
 */
export function treeSize(node: IrNode): number {
  return sizeOf(layout(node));
}

const sizes = new WeakMap<Layout, number>();
const constants = new WeakMap<Layout, boolean>();

function isConstant(l: Layout): boolean {
  let c = constants.get(l);
  if (c === undefined) {
    switch (l.kind) {
      case 'number':
      case 'constant':
        c = true;
        break;
      case 'name':
        c = false;
        break;
      case 'neg':
        c = isConstant(l.arg);
        break;
      case 'sum':
        c = l.terms.every((t) => isConstant(t.arg));
        break;
      case 'product':
        c = l.factors.every(isConstant);
        break;
      case 'fraction':
        c = isConstant(l.num) && isConstant(l.den) && (l.after === undefined || isConstant(l.after));
        break;
      case 'power':
        c = isConstant(l.base) && isConstant(l.exponent);
        break;
      case 'call':
        c = l.args.every(isConstant);
        break;
    }
    constants.set(l, c);
  }
  return c;
}

function sizeOf(l: Layout): number {
  let s = sizes.get(l);
  if (s === undefined) {
    s = isConstant(l) ? 1 : sizeUncached(l);
    sizes.set(l, s);
  }
  return s;
}

/**
 * A chain of operands joined by one kind of operator: the constant ones fold
 * into one number, which carries the chain's sign; without a number, a minus
 * sign is one node.
 */
function chain(operands: readonly number[], constantCount: number, negative: boolean): number {
  const items = operands.length + (constantCount > 0 ? 1 : 0);
  const coefficient = constantCount > 0 ? 1 : negative ? 1 : 0;
  return coefficient + operands.reduce((a, b) => a + b, 0) + items - 1;
}

/** The operands of a product or quotient layout, signs taken out. */
function factorsOf(l: Layout, out: Layout[], sign: { negative: boolean }): void {
  switch (l.kind) {
    case 'product':
      for (const f of l.factors) factorsOf(f, out, sign);
      return;
    case 'fraction':
      factorsOf(l.num, out, sign);
      factorsOf(l.den, out, sign);
      if (l.after) factorsOf(l.after, out, sign);
      return;
    case 'neg':
      sign.negative = !sign.negative;
      factorsOf(l.arg, out, sign);
      return;
    default:
      out.push(l);
  }
}

function productSize(l: Layout, negative: boolean): number {
  const operands: Layout[] = [];
  const sign = { negative };
  factorsOf(l, operands, sign);
  const variable = operands.filter((o) => !isConstant(o));
  return chain(variable.map(sizeOf), operands.length - variable.length, sign.negative);
}

function sizeUncached(l: Layout): number {
  switch (l.kind) {
    case 'number':
    case 'constant':
    case 'name':
      return 1;
    case 'neg':
      return l.arg.kind === 'product' || l.arg.kind === 'fraction' ? productSize(l.arg, true) : 1 + sizeOf(l.arg);
    case 'sum': {
      const variable = l.terms.filter((t) => !isConstant(t.arg));
      const sizesOf = variable.map((t, i) => {
        const leadingMinus = i === 0 && t === l.terms[0] && t.minus;
        return leadingMinus ? sizeOf({ kind: 'neg', arg: t.arg }) : sizeOf(t.arg);
      });
      return chain(sizesOf, l.terms.length - variable.length, false);
    }
    case 'product':
    case 'fraction':
      return productSize(l, false);
    case 'power':
      return 1 + sizeOf(l.base) + sizeOf(l.exponent);
    case 'call':
      return l.args.reduce((s, a) => s + sizeOf(a), 1);
  }
}

/** The same count over a parsed syntax tree (for text from other tools, e.g. SymPy's derivatives). */
export function astSize(ast: Ast): number {
  if (astConstant(ast)) return 1;
  switch (ast.kind) {
    case 'number':
    case 'name':
      return 1;
    case 'negate':
      return ast.arg.kind === 'product' ? astProduct(ast.arg, true) : 1 + astSize(ast.arg);
    case 'power':
      return 1 + astSize(ast.base) + astSize(ast.exponent);
    case 'call':
      return ast.args.reduce((s, a) => s + astSize(a), 1);
    case 'sum': {
      const args = ast.items.map((item) => item.arg);
      const variable = args.filter((a) => !astConstant(a));
      return chain(variable.map(astSize), args.length - variable.length, false);
    }
    case 'product':
      return astProduct(ast, false);
  }
}

function astProduct(ast: Ast, negative: boolean): number {
  const operands: Ast[] = [];
  const sign = { negative };
  const flatten = (a: Ast): void => {
    if (a.kind === 'product') for (const item of a.items) flatten(item.arg);
    else if (a.kind === 'negate' && !astConstant(a)) {
      sign.negative = !sign.negative;
      flatten(a.arg);
    } else operands.push(a);
  };
  flatten(ast);
  const variable = operands.filter((o) => !astConstant(o));
  return chain(variable.map(astSize), operands.length - variable.length, sign.negative);
}

function astConstant(ast: Ast): boolean {
  switch (ast.kind) {
    case 'number':
      return true;
    case 'name':
      return ast.name === 'pi' || ast.name === 'e';
    case 'negate':
      return astConstant(ast.arg);
    case 'power':
      return astConstant(ast.base) && astConstant(ast.exponent);
    case 'call':
      return ast.args.every(astConstant);
    case 'sum':
    case 'product': {
      const items: readonly { arg: Ast }[] = ast.items;
      return items.every((item) => astConstant(item.arg));
    }
  }
}
