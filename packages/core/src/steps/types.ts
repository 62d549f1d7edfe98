import type { OpName } from '../ops/table.js';

/**
 * The steps of an explanation are data: a tree of typed entries, each with
 * a stable `rule` identifier, a human `title` and `text`, the expressions as
 * text in the expression language and one LaTeX line (for KaTeX).
 *
 * Every step says what its `result` is, by its `kind`, so that any step can
 * be checked by itself:
 *
 * - 'derivative': result = d(expression)/d(wrt), with `where` put in after
 *   differentiating (the chain rule's "swap u back");
 * - 'rewrite':    result = expression, with `where` put in (the same function
 *   written another way: multiplied out, cancelled, composed);
 * - 'define':     result is a new form built from expression, the rule says how
 *   (the difference quotient of f);
 * - 'limit':      result = the limit of expression as `variable` -> `to`;
 * - 'gradient':   result = the vector of the partial derivatives of expression;
 * - 'value':      `value` = expression at the point `at`.
 *
 * `steps` are the details of a step (the derivatives a rule needs), in the
 * order a person writes them. Reading order is the tree depth-first, each
 * step before its details (see render.ts).
 */

/** The functions with their own derivative rule: the op table's rows other than arithmetic. */
export type FunctionRule = Exclude<OpName, 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'neg' | 'square' | 'recip'>;

export type DerivativeRule =
  | 'constant'
  | 'variable'
  | 'hold-constant'
  | 'power'
  | 'constant-multiple'
  | 'sum'
  | 'product'
  | 'quotient'
  | 'reciprocal'
  | 'exponential'
  | 'general-power'
  | 'chain'
  | 'chain-inner'
  | 'chain-outer'
  | 'chain-substitute'
  | 'chain-product'
  | 'limit-definition'
  | FunctionRule;

export type RewriteRule = 'limit-substitute' | 'expand' | 'binomial' | 'cancel' | 'divide' | 'compose';

export type StepRule = DerivativeRule | RewriteRule | 'difference-quotient' | 'limit' | 'gradient' | 'value';

interface StepBase {
  readonly rule: StepRule;
  /** A few words: 'Power rule', 'Chain rule: the inner derivative'. */
  readonly title: string;
  /** One or two sentences for people, in plain text. */
  readonly text: string;
  /** The step's equation in plain text, e.g. `d/dx[x^2] = 2*x^1 = 2*x`. */
  readonly equation: string;
  /** What the step works on, in the expression language. */
  readonly expression: string;
  /** What it gives, in the expression language (simplified, for derivatives). */
  readonly result: string;
  /** The step as one LaTeX line, e.g. `\frac{d}{dx}\left[x^{2}\right] = 2 x`. */
  readonly latex: string;
  /** The details, in the order they are written. */
  readonly steps: readonly Step[];
}

export interface DerivativeStep extends StepBase {
  readonly kind: 'derivative';
  readonly rule: DerivativeRule;
  /** The variable differentiated by. */
  readonly wrt: string;
  /** The derivative's name in Leibniz form, in a chain: 'dy/du', 'du/dx'. */
  readonly name?: string;
  /** Names put back after differentiating: result = (d expression/d wrt) with these substituted. */
  readonly where?: Readonly<Record<string, string>>;
  /** The rule written out, the derivatives still to take: 'd/dx[x]*sin(x) + x*d/dx[sin(x)]'. */
  readonly formula?: string;
  /** The rule with the derivatives put in, before simplifying: 'sin(x) + x*cos(x)'. */
  readonly applied?: string;
}

export interface RewriteStep extends StepBase {
  readonly kind: 'rewrite';
  readonly rule: RewriteRule;
  /** Names substituted: result = expression with these put in. */
  readonly where?: Readonly<Record<string, string>>;
}

export interface DefineStep extends StepBase {
  readonly kind: 'define';
  readonly rule: 'difference-quotient';
}

export interface LimitStep extends StepBase {
  readonly kind: 'limit';
  readonly rule: 'limit';
  /** The variable that goes to `to`. */
  readonly variable: string;
  readonly to: number;
}

export interface GradientStep extends StepBase {
  readonly kind: 'gradient';
  readonly rule: 'gradient';
  readonly variables: readonly string[];
  /** The partial derivatives, in the order of `variables`. */
  readonly components: readonly string[];
}

export interface ValueStep extends StepBase {
  readonly kind: 'value';
  readonly rule: 'value';
  /** The point. */
  readonly at: Readonly<Record<string, number>>;
  /** The expression's value there (NaN or infinite where it has none: reported, not hidden). */
  readonly value: number;
}

export type Step = DerivativeStep | RewriteStep | DefineStep | LimitStep | GradientStep | ValueStep;

/** A derivative with its explanation. */
export interface DerivativeExplanation {
  /** The expression differentiated, as written (after parsing). */
  readonly expression: string;
  readonly wrt: string;
  /** The derivative, simplified: the same text as the symbolic derivative. */
  readonly derivative: string;
  /** The whole derivation in one line: `\frac{d}{dx}\left[...\right] = ...`. */
  readonly latex: string;
  readonly steps: readonly Step[];
}

export interface GradientExplanation {
  readonly expression: string;
  /** The variables, in natural order. */
  readonly variables: readonly string[];
  /** The partial derivatives, in the order of `variables`. */
  readonly gradient: readonly string[];
  /** `\nabla f = \left(..., ...\right)`. */
  readonly latex: string;
  readonly steps: readonly Step[];
}
