import { NudgeError } from '../errors.js';
import { latexName } from '../ir/latex.js';
import { lower } from '../ir/lower.js';
import { Graph, variablesOf, type IrNode } from '../ir/node.js';
import { naturalOrder } from '../ir/variables.js';
import { parse } from '../parse/parse.js';
import { Context, derivationOf, type Derivation } from './context.js';
import { derive } from './derive.js';
import { show } from './show.js';
import type { DerivativeExplanation, GradientExplanation, GradientStep, Step } from './types.js';

/**
 * The derivative of `expression` with respect to `wrt`, rule by rule.
 *
 *   explainDerivative('sin(x^2)')
 *     -> { derivative: '2*x*cos(x^2)', latex: '\frac{d}{dx}\left[\sin\left(x^{2}\right)\right] = 2 x \cos\left(x^{2}\right)',
 *          steps: [chain rule: inner du/dx = 2*x, outer dy/du = cos(u), swap back cos(x^2), product 2*x*cos(x^2)] }
 *
 * `wrt` may be left out when the expression has one variable. With several,
 * the derivative is a partial one: the first step says which variables are
 * held constant. The `derivative` is the symbolic derivative, simplified
 * (the same text as symbolic/: simplify(differentiate(f, wrt))); every
 * step's result is that of its own expression. Bad input throws a NudgeError
 * (syntax errors with their column).
 */
export function explainDerivative(expression: string, wrt?: string): DerivativeExplanation {
  const g = new Graph();
  const f = lower(g, parse(expression));
  const variables = naturalOrder(variablesOf(f));
  const x = resolveVariable(variables, wrt);
  const { step, derivative } = explainPartial(g, f, variables, x);
  const ctx = new Context(g, x, variables.length > 1, new Set());
  return {
    expression: show(f).text,
    wrt: x,
    derivative: show(derivative).text,
    latex: `${ctx.d(f).latex} = ${show(derivative).latex}`,
    steps: [step],
  };
}

/**
 * The gradient of `expression`: the partial derivative by each of its
 * variables (natural order: x, y, z; x2 before x10), each explained, then
 * the vector. A function of one variable has a gradient of one component.
 */
export function explainGradient(expression: string): GradientExplanation {
  const g = new Graph();
  const f = lower(g, parse(expression));
  const variables = naturalOrder(variablesOf(f));
  const partials = variables.map((v) => explainPartial(g, f, variables, v));
  const components = partials.map((p) => show(p.derivative));
  const partial = variables.length > 1;
  const names = variables.map((v) => (partial ? `\\frac{\\partial f}{\\partial ${latexName(v)}}` : `\\frac{df}{d${latexName(v)}}`));
  const vector = `\\left(${components.map((c) => c.latex).join(', ')}\\right)`;
  const latex = `\\nabla f = \\left(${names.join(', ')}\\right) = ${vector}`;
  const text = `(${components.map((c) => c.text).join(', ')})`;
  const final: GradientStep = {
    kind: 'gradient',
    rule: 'gradient',
    title: 'Gradient',
    text:
      variables.length === 0
        ? 'The expression has no variables: its gradient has no components.'
        : `The gradient collects the partial derivatives, one for each variable (${variables.join(', ')}), into a vector.`,
    equation: `grad f = ${text}`,
    expression: show(f).text,
    result: text,
    latex,
    steps: [],
    variables,
    components: components.map((c) => c.text),
  };
  return {
    expression: show(f).text,
    variables,
    gradient: components.map((c) => c.text),
    latex,
    steps: [...partials.map((p) => p.step), final],
  };
}

/** The derivation of df/dx; with other variables, inside a step that holds them constant. */
function explainPartial(g: Graph, f: IrNode, variables: readonly string[], x: string): Derivation {
  const others = variables.filter((v) => v !== x);
  const ctx = new Context(g, x, variables.length > 1, new Set([...variables, x]));
  const derivation = derive(ctx, f);
  if (others.length === 0) return derivation;
  const list = others.length === 1 ? others[0]! : `${others.slice(0, -1).join(', ')} and ${others[others.length - 1]}`;
  const held: Derivation = derivationOf(ctx, f, {
    rule: 'hold-constant',
    title: `Partial derivative with respect to ${x}`,
    text:
      others.length === 1
        ? `Only ${x} varies: treat ${list} as a constant, a number that does not change when ${x} changes.`
        : `Only ${x} varies: treat ${list} as constants, numbers that do not change when ${x} changes.`,
    steps: [derivation.step],
  });
  return held;
}

function resolveVariable(variables: readonly string[], wrt: string | undefined): string {
  if (wrt !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(wrt)) {
      throw new NudgeError('invalid-argument', `cannot differentiate with respect to '${wrt}': not a variable name`);
    }
    return wrt;
  }
  if (variables.length === 1) return variables[0]!;
  if (variables.length === 0) return 'x';
  throw new NudgeError(
    'invalid-argument',
    `the expression has ${variables.length} variables (${variables.join(', ')}): say which one to differentiate by`,
  );
}

/** Every step of a tree, depth-first, each step before its details. */
export function allSteps(steps: readonly Step[]): Step[] {
  return steps.flatMap((s) => [s, ...allSteps(s.steps)]);
}
