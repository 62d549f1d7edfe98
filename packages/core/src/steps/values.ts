import { evaluateIr } from '../ir/evaluate.js';
import type { IrNode } from '../ir/node.js';
import type { ChainFactor, ChainLevel } from './chain.js';
import type { Context } from './context.js';
import { formatValue, leibniz, product, show, valueLatex, type Shown } from './show.js';
import { substitute } from './substitute.js';
import type { ValueStep } from './types.js';

/** The chain at a point: the values of its links and factors, and the check that their product is the derivative. */
export interface ChainValues {
  /** The point (the variables of the last link). */
  readonly point: Readonly<Record<string, number>>;
  /** The value of each link's variable there, e.g. { u: 2.25 }. */
  readonly links: Readonly<Record<string, number>>;
  /** The value of each factor (dy/du at u, ..., dv/dx at x), outer first. */
  readonly factors: readonly number[];
  /** Their product. */
  readonly product: number;
  /** The derivative of the composition at the point. */
  readonly derivative: number;
  /** True when the product equals the derivative (to rounding; NaN and infinities must match exactly). */
  readonly agrees: boolean;
}

/** The steps that evaluate a chain at a point: links inner first, then factors, product, derivative. */
export function valueSteps(
  ctx: Context,
  levels: readonly ChainLevel[],
  factors: readonly ChainFactor[],
  derivative: IrNode,
  point: Readonly<Record<string, number>>,
): { values: ChainValues; steps: ValueStep[] } {
  const steps: ValueStep[] = [];
  const links: Record<string, number> = {};
  const pointText = Object.entries(point)
    .map(([k, v]) => `${k} = ${formatValue(v)}`)
    .join(', ');
  const valueAt = (node: IrNode, at: Readonly<Record<string, number>>): number => evaluateIr([node], at)[0]!;

  // The links' values, inner first: v = x^2 = 2.25, u = sin(v) = ...
  for (let i = levels.length - 1; i >= 1; i--) {
    const level = levels[i]!;
    const at = i === levels.length - 1 ? point : { [levels[i + 1]!.name]: links[levels[i + 1]!.name]! };
    const value = valueAt(level.expression, at);
    links[level.name] = value;
    steps.push(step(`The value of ${level.name}`, `At ${pointText}, ${level.name} = ${formatValue(value)}.`, show(ctx.g.variable(level.name)), level.expression, at, value, ctx));
  }

  // Each factor at its own variable's value
  const factorValues = factors.map((f, i) => {
    const at = i + 1 < levels.length && f.by !== ctx.wrt ? { [f.by]: links[f.by]! } : point;
    const value = valueAt(f.derivative, at);
    const name = i + 1 < levels.length ? leibniz(levels[i]!.name, levels[i + 1]!.name, false) : leibniz(levels[i]!.name, ctx.wrt, ctx.partial);
    steps.push(step(`The factor ${f.name}`, `${f.name} at ${atText(at)}.`, name, f.derivative, at, value, ctx));
    return value;
  });

  const productValue = factorValues.reduce((a, b) => a * b, 1);
  const total = leibniz(levels[0]!.name, ctx.wrt, ctx.partial);
  const names = product(factors.map((_, i) => (i + 1 < levels.length ? leibniz(levels[i]!.name, levels[i + 1]!.name, false) : leibniz(levels[i]!.name, ctx.wrt, ctx.partial))));
  const numbers = factorValues.map((v) => (v < 0 ? `(${formatValue(v)})` : formatValue(v)));
  const numbersTex = factorValues.map((v) => (v < 0 ? `\\left(${valueLatex(v)}\\right)` : valueLatex(v)));
  steps.push({
    kind: 'value',
    rule: 'value',
    title: 'The product of the factors',
    text: `Multiply the factors' values: ${total.text} at ${pointText}.`,
    equation: `${total.text} = ${names.text} = ${numbers.join('*')} = ${formatValue(productValue)}`,
    expression: numbers.join('*'),
    result: formatValue(productValue),
    latex: `${total.latex} = ${names.latex} = ${numbersTex.join(' \\cdot ')} = ${valueLatex(productValue)}`,
    steps: [],
    at: point,
    value: productValue,
  });

  const derivativeValue = valueAt(derivative, point);
  const agrees = same(productValue, derivativeValue);
  steps.push(
    step(
      'The derivative at the point',
      agrees
        ? `The derivative ${show(derivative).text}, at ${pointText}, is the same number: the chain rule checks out.`
        : `The derivative ${show(derivative).text}, at ${pointText}, is ${formatValue(derivativeValue)}, not the product ${formatValue(productValue)}.`,
      ctx.d(levels[0]!.composed),
      derivative,
      point,
      derivativeValue,
      ctx,
    ),
  );
  return {
    values: { point, links, factors: factorValues, product: productValue, derivative: derivativeValue, agrees },
    steps,
  };
}

function same(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

function atText(at: Readonly<Record<string, number>>): string {
  return Object.entries(at)
    .map(([k, v]) => `${k} = ${formatValue(v)}`)
    .join(', ');
}

/** `name = expression = expression with the numbers in = value`. */
function step(
  title: string,
  text: string,
  name: Shown,
  node: IrNode,
  at: Readonly<Record<string, number>>,
  value: number,
  ctx: Context,
): ValueStep {
  const e = show(node);
  const filled = withNumbers(ctx, node, at);
  const parts = [name, e, filled].map((p) => p.text);
  const texParts = [name, e, filled].map((p) => p.latex);
  const keep = (xs: string[]): string[] => xs.filter((s, i) => i === 0 || s !== xs[i - 1]);
  return {
    kind: 'value',
    rule: 'value',
    title,
    text,
    equation: [...keep(parts), formatValue(value)].filter((s, i, xs) => i === 0 || s !== xs[i - 1]).join(' = '),
    expression: e.text,
    result: formatValue(value),
    latex: [...keep(texParts), valueLatex(value)].filter((s, i, xs) => i === 0 || s !== xs[i - 1]).join(' = '),
    steps: [],
    at,
    value,
  };
}

/**
 * The expression with the point's numbers written in: cos(u) at u = 2.25 is
 * cos(2.25). (Built with placeholder names that no input can hold, then
 * replaced: putting in constants would fold cos(2.25) to its value.)
 */
function withNumbers(ctx: Context, node: IrNode, at: Readonly<Record<string, number>>): Shown {
  const names = Object.keys(at);
  const holders = names.map((_, i) => String.fromCharCode(0xe000 + i));
  const filled = show(substitute(ctx.g, node, new Map(names.map((n, i) => [n, ctx.g.variable(holders[i]!)]))));
  let text = filled.text;
  let latex = filled.latex;
  names.forEach((n, i) => {
    const v = at[n]!;
    text = fill(text, holders[i]!, formatValue(v), v < 0, false);
    latex = fill(latex, holders[i]!, valueLatex(v), v < 0, true);
  });
  return { ...filled, text, latex };
}

/** A number in place of a name: a negative one in parentheses unless they are there; in LaTeX, \cdot where it would be juxtaposed. */
function fill(s: string, holder: string, number: string, negative: boolean, tex: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== holder) {
      out += c;
      continue;
    }
    const rest = s.slice(i + 1);
    const enclosed = tex ? /(\\left\(|\{)$/.test(out) && /^(\\right\)|\})/.test(rest) : /\($/.test(out) && /^[),]/.test(rest);
    let body = negative && !enclosed ? (tex ? `\\left(${number}\\right)` : `(${number})`) : number;
    if (tex && /[\w})] $/.test(out)) body = `\\cdot ${body}`;
    out += body;
  }
  return out;
}
