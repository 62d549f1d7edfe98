import type { IrNode } from './node.js';

/**
 * IR back to text in the expression language; the text parses to the same IR.
 * Precedence levels: sum < product < unary minus < power < atom.
 */
const SUM = 1;
const PRODUCT = 2;
const UNARY = 3;
const POWER = 4;
const ATOM = 5;

/** Ops printed as a call of the same name. */
const CALLS = new Set([
  'abs', 'sqrt', 'cbrt', 'exp', 'log', 'log10', 'log2', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'sigmoid', 'relu', 'softplus', 'min', 'max',
]);

export function print(node: IrNode): string {
  return printAt(node, SUM);
}

function wrap(text: string, level: number, minLevel: number): string {
  return level < minLevel ? `(${text})` : text;
}

function printNumber(value: number, minLevel: number): string {
  if (value === Math.PI) return 'pi';
  if (value === Math.E) return 'e';
  if (Number.isNaN(value)) return '(0/0)';
  if (value === Infinity) return '(1/0)';
  if (value === -Infinity) return wrap('-1/0', PRODUCT, minLevel);
  if (value < 0 || Object.is(value, -0)) return wrap(`-${printNumber(-value, ATOM)}`, UNARY, minLevel);
  return String(value);
}

function printAt(node: IrNode, minLevel: number): string {
  const a = node.args;
  switch (node.op) {
    case 'const':
      return printNumber(node.value, minLevel);
    case 'var':
    case 'vvar':
      return node.name;
    // Vector notation (builder functions only; the language has no vectors yet).
    case 'slice':
      return `${printAt(a[0]!, ATOM)}[${node.start}:${node.start + node.length}]`;
    case 'sum':
      return `sum(${printAt(a[0]!, SUM)})`;
    case 'add': {
      let text = printAt(a[0]!, PRODUCT);
      for (const term of a.slice(1)) {
        if (term.op === 'neg') text += ` - ${printAt(term.args[0]!, PRODUCT)}`;
        else if (term.op === 'const' && (term.value < 0 || Object.is(term.value, -0)) && term.value !== -Infinity)
          text += ` - ${printNumber(-term.value, PRODUCT)}`;
        else text += ` + ${printAt(term, PRODUCT)}`;
      }
      return wrap(text, SUM, minLevel);
    }
    case 'mul': {
      let text = printAt(a[0]!, UNARY);
      for (const factor of a.slice(1)) {
        if (factor.op === 'recip') text += `/${printAt(factor.args[0]!, UNARY)}`;
        else text += `*${printAt(factor, UNARY)}`;
      }
      return wrap(text, PRODUCT, minLevel);
    }
    case 'recip':
      return wrap(`1/${printAt(a[0]!, UNARY)}`, PRODUCT, minLevel);
    case 'neg':
      return wrap(`-${printAt(a[0]!, UNARY)}`, UNARY, minLevel);
    case 'pow':
      return wrap(`${printAt(a[0]!, ATOM)}^${printAt(a[1]!, UNARY)}`, POWER, minLevel);
    case 'square':
      return wrap(`${printAt(a[0]!, ATOM)}^2`, POWER, minLevel);
    case 'sub':
      return wrap(`${printAt(a[0]!, PRODUCT)} - ${printAt(a[1]!, PRODUCT)}`, SUM, minLevel);
    case 'div':
      return wrap(`${printAt(a[0]!, UNARY)}/${printAt(a[1]!, UNARY)}`, PRODUCT, minLevel);
    default:
      if (!CALLS.has(node.op)) throw new Error(`internal: no printer for ${node.op}`);
      return `${node.op}(${a.map((x) => printAt(x, SUM)).join(', ')})`;
  }
}
