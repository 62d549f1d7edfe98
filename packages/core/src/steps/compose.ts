import { NudgeArgumentError, NudgeError, NudgeSyntaxError } from '../errors.js';
import { CONSTANTS, FUNCTIONS } from '../ir/functions.js';
import { lower } from '../ir/lower.js';
import { Graph, variablesOf, type IrNode } from '../ir/node.js';
import { naturalOrder } from '../ir/variables.js';
import { parse } from '../parse/parse.js';
import { walkChain, type ChainLevel } from './chain.js';
import { Context } from './context.js';
import { derive } from './derive.js';
import { show } from './show.js';
import { substitute } from './substitute.js';
import type { RewriteStep, Step } from './types.js';
import { valueSteps, type ChainValues } from './values.js';

/** One link of a chain as given: `u=x^2` is { name: 'u', expression: 'x^2' }. */
export interface ChainLink {
  readonly name: string;
  readonly expression: string;
}

/** A factor dy/du of the chain rule. */
export interface ChainFactorResult {
  /** Leibniz form, 'dy/du'. */
  readonly name: string;
  /** The derivative in its own variable: 'cos(u)'. */
  readonly expression: string;
  /** With the links below put in: 'cos(x^2)'. */
  readonly substituted: string;
  readonly latex: string;
}

export interface ChainExplanation {
  /** The composition, 'sin(x^2)'. */
  readonly composed: string;
  /** The variable of the innermost link, differentiated by. */
  readonly wrt: string;
  /** The name of the outer value (y, unless y is taken). */
  readonly output: string;
  /** The links, outer first: y = sin(u), u = x^2. */
  readonly links: readonly ChainLink[];
  /** dy/du, du/dv, ..., dv/dx. */
  readonly factors: readonly ChainFactorResult[];
  /** The derivative of the composition, simplified (the symbolic derivative's text). */
  readonly derivative: string;
  /** `\frac{dy}{dx} = \frac{dy}{du} \cdot \frac{du}{dx} = ...`. */
  readonly latex: string;
  /** When a point was given: the links' values there, each factor's value, their product and the derivative's value. */
  readonly at?: ChainValues;
  readonly steps: readonly Step[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The chain rule for a composition given link by link, as for
 * `nudge chain "sin(u)" "u=x^2"`: `outer` is an expression in the first
 * link's variable, each link `name=expression` defines that variable by an
 * expression in the next link's variable, and the last link is in the
 * variable(s) of the function (`wrt`, default: its only one). Shows the
 * composition, dy/du, du/dv, ..., dv/dx, their product and the simplified
 * derivative; with `at` (a value for each variable of the last link), the
 * value of every link, of every factor, of their product and of the
 * derivative there (`at.agrees`: the product equals the derivative).
 *
 * Errors (NudgeError): a link without `=` or with a bad name
 * ('invalid-argument'), a link whose variable the expression before it does
 * not use, an expression that uses anything but the next link's variable,
 * links that define each other (cycles) or a name twice, a point without a
 * value for a variable ('missing-variable') or with a name that is not one
 * ('unknown-variable'), and syntax errors in any expression.
 */
export function explainChain(outer: string, links: readonly string[], at?: Readonly<Record<string, number>>, wrt?: string): ChainExplanation {
  if (links.length === 0) {
    throw new NudgeError('invalid-argument', `a chain needs at least one link name=expression after the outer expression, e.g. u=x^2`);
  }
  const g = new Graph();
  const parsed = links.map((link, i) => parseLink(g, link, i));
  const outerNode = lowerPart(g, outer, 'the outer expression');
  const expressions = [{ label: `the outer expression '${outer}'`, node: outerNode }, ...parsed.map((l) => ({ label: `the link '${l.text}'`, node: l.node }))];

  // Each link's name is used by the expression before it, and that expression uses nothing else.
  parsed.forEach((link, i) => {
    const seen = parsed.slice(0, i).find((l) => l.name === link.name);
    if (seen) throw new NudgeError('invalid-argument', `the variable '${link.name}' is defined twice ('${seen.text}' and '${link.text}')`);
    const earlier = parsed.slice(0, i + 1).filter((l) => variablesOf(link.node).includes(l.name));
    if (earlier.length > 0) {
      const names = earlier.map((l) => l.name).join(', ');
      throw new NudgeError(
        'invalid-argument',
        `the links form a cycle: '${link.text}' uses ${names}, which ${earlier.length === 1 ? 'is' : 'are'} defined by ${earlier[0] === link ? 'this very link' : 'a link before it'}`,
      );
    }
    const before = expressions[i]!;
    const used = variablesOf(before.node);
    if (!used.includes(link.name)) {
      throw new NudgeError('invalid-argument', `the link '${link.text}' defines ${link.name}, but ${before.label} does not use ${link.name}`);
    }
    const others = naturalOrder(used.filter((v) => v !== link.name));
    if (others.length > 0) {
      throw new NudgeError(
        'invalid-argument',
        `${before.label} uses ${others.join(', ')} as well as ${link.name}: in a chain each expression depends on the next link's variable only`,
      );
    }
  });

  const last = parsed[parsed.length - 1]!;
  const variables = naturalOrder(variablesOf(last.node));
  const x = wrt ?? (variables.length === 1 ? variables[0] : undefined);
  if (x === undefined) {
    throw new NudgeError(
      'invalid-argument',
      variables.length === 0
        ? `the last link '${last.text}' uses no variable: there is nothing to differentiate by`
        : `the last link '${last.text}' uses ${variables.join(', ')}: say which one to differentiate by`,
    );
  }
  if (!variables.includes(x)) {
    throw new NudgeError('unknown-variable', `cannot differentiate by '${x}': the last link '${last.text}' uses ${variables.join(', ') || 'no variable'}`);
  }
  if (parsed.some((l) => l.name === x)) {
    throw new NudgeError('invalid-argument', `'${x}' is both a link's name and the variable of the last link`);
  }

  const names = parsed.map((l) => l.name);
  const ctx = new Context(g, x, variables.length > 1, new Set([...names, ...variables, x]));
  const output = ctx.fresh(['y', 'f', 'g', 'F', 'G', 'Y']);

  // Compose from the inside out: each link's expression in x.
  const composed: IrNode[] = [];
  let below: IrNode | undefined;
  for (let i = expressions.length - 1; i >= 0; i--) {
    const node: IrNode = below === undefined ? expressions[i]!.node : substitute(g, expressions[i]!.node, new Map([[names[i]!, below]]));
    composed.unshift(node);
    below = node;
  }
  const levels: ChainLevel[] = expressions.map((e, i) => ({ name: i === 0 ? output : names[i - 1]!, expression: e.node, composed: composed[i]! }));

  const steps: Step[] = [];
  // Composition, outer first: y = sin(u) with u = x^2 is y = sin(x^2).
  let current = outerNode;
  parsed.forEach((link) => {
    const next = substitute(g, current, new Map([[link.name, link.node]]));
    const binding = `${link.name} = ${show(link.node).text}`;
    const compose: RewriteStep = {
      kind: 'rewrite',
      rule: 'compose',
      title: 'Compose',
      text: `Put ${binding} into ${output} = ${show(current).text}.`,
      equation: `${output} = ${show(current).text} = ${show(next).text}, with ${binding}`,
      expression: show(current).text,
      where: { [link.name]: show(link.node).text },
      result: show(next).text,
      latex: `${show(g.variable(output)).latex} = ${show(current).latex} = ${show(next).latex} \\quad \\text{with } ${show(g.variable(link.name)).latex} = ${show(link.node).latex}`,
      steps: [],
    };
    steps.push(compose);
    current = next;
  });

  const { derivation, factors } = walkChain(ctx, levels, derive);
  steps.push(derivation.step);

  const result: ChainExplanation = {
    composed: show(composed[0]!).text,
    wrt: x,
    output,
    links: levels.map((l) => ({ name: l.name, expression: show(l.expression).text })),
    factors: factors.map((f) => ({
      name: f.name,
      expression: show(f.derivative).text,
      substituted: show(f.substituted).text,
      latex: show(f.derivative).latex,
    })),
    derivative: derivation.step.result,
    latex: derivation.step.latex,
    steps,
  };
  if (at === undefined) return result;
  const values = valueSteps(ctx, levels, factors, derivation.derivative, checkPoint(at, variables));
  return { ...result, at: values.values, steps: [...steps, ...values.steps] };
}

interface ParsedLink {
  readonly name: string;
  readonly text: string;
  readonly node: IrNode;
}

function parseLink(g: Graph, link: string, i: number): ParsedLink {
  const eq = link.indexOf('=');
  if (eq < 0) {
    throw new NudgeError('invalid-argument', `link ${i + 1} '${link}' has no '=': write each link as name=expression, e.g. u=x^2`);
  }
  const name = link.slice(0, eq).trim();
  if (!NAME.test(name)) {
    throw new NudgeError('invalid-argument', `link ${i + 1} '${link}' must start with a variable name before '=', e.g. u=x^2`);
  }
  if (Object.hasOwn(FUNCTIONS, name) || Object.hasOwn(CONSTANTS, name)) {
    throw new NudgeError('invalid-argument', `link ${i + 1} '${link}': '${name}' is a ${Object.hasOwn(FUNCTIONS, name) ? 'function' : 'constant'}, not a name for a link`);
  }
  return { name, text: link.trim(), node: lowerPart(g, link.slice(eq + 1), `the link '${link}'`, eq + 1) };
}

/**
 * Lower one expression of the chain. Its errors say which expression they are
 * in, and their column counts in that argument as written (after `u=`).
 */
function lowerPart(g: Graph, text: string, label: string, offset = 0): IrNode {
  try {
    return lower(g, parse(text));
  } catch (e) {
    if (!(e instanceof NudgeError)) throw e;
    const column = e.column === undefined ? undefined : e.column + offset;
    if (e instanceof NudgeSyntaxError) {
      throw new NudgeSyntaxError(e.code as 'syntax' | 'too-deep', `in ${label}: ${e.message.replace(/ at column \d+$/, '')}`, column!);
    }
    const message = `in ${label}: ${e.message.replace(/at column \d+$/, `at column ${column}`)}`;
    throw e instanceof NudgeArgumentError ? new NudgeArgumentError(e.code, message, column) : new NudgeError(e.code, message, column);
  }
}

function checkPoint(at: Readonly<Record<string, number>>, variables: readonly string[]): Readonly<Record<string, number>> {
  for (const name of Object.keys(at)) {
    if (!variables.includes(name)) {
      throw new NudgeError('unknown-variable', `the point gives '${name}', which is not a variable of the last link (${variables.join(', ') || 'none'})`);
    }
    if (typeof at[name] !== 'number' || !Number.isFinite(at[name])) {
      throw new NudgeError('invalid-argument', `the point's value of '${name}' must be a finite number, got ${String(at[name])}`);
    }
  }
  const missing = variables.filter((v) => !Object.hasOwn(at, v));
  if (missing.length > 0) throw new NudgeError('missing-variable', `the point has no value for ${missing.join(', ')}`);
  return at;
}

