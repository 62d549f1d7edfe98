import { NudgeError } from '../errors.js';
import { symbolicDerivative, symbolicGradient } from '../symbolic/index.js';
import { CompiledFunction } from './compiled.js';

export interface ExpressionOptions {
  /** The variable to differentiate by, where f has several. */
  wrt?: string;
  /** The variables of f (others are errors); default: the names it uses. */
  variables?: readonly string[];
}

/** A derivative as an expression: text that `nudge eval` can evaluate, and LaTeX. */
export interface DerivativeExpression {
  /** `2*x` for x^2. */
  expression: string;
  /** KaTeX-ready LaTeX: `2x`. */
  latex: string;
  wrt: string;
  /** The function differentiated, as Nudge prints it. */
  of: string;
}

function source(f: string | CompiledFunction): string | { graph: CompiledFunction['graph']; node: CompiledFunction['ir'] } {
  if (typeof f === 'string') return f;
  if (f instanceof CompiledFunction) {
    if (f.vectorMode) throw new NudgeError('invalid-argument', 'symbolic derivatives of functions with vector variables are not available: use the exact gradient');
    return { graph: f.graph, node: f.ir };
  }
  throw new NudgeError('invalid-argument', 'a symbolic derivative needs an expression (a string or a compiled function): a JavaScript function has no formula to differentiate');
}

/** "A derivative outputs an expression": `derivativeExpression('x^2').expression === '2*x'`. */
export function derivativeExpression(f: string | CompiledFunction, options: ExpressionOptions = {}): DerivativeExpression {
  const variables = options.variables ?? (f instanceof CompiledFunction ? f.variables : undefined);
  const d = symbolicDerivative(source(f), options.wrt, variables ? { variables } : {});
  return { expression: d.expression, latex: d.latex, wrt: d.wrt, of: d.of.expression };
}

export interface GradientExpression {
  /** Each partial derivative as an expression, by variable. */
  gradient: Record<string, string>;
  latex: Record<string, string>;
  variables: string[];
}

/** The gradient as a vector of expressions: `gradientExpression('x^2*y').gradient` is { x: '2*x*y', y: 'x^2' }. */
export function gradientExpression(f: string | CompiledFunction, options: Omit<ExpressionOptions, 'wrt'> = {}): GradientExpression {
  const variables = options.variables ?? (f instanceof CompiledFunction ? f.variables : undefined);
  const parts = symbolicGradient(source(f), variables ? { variables } : {});
  const gradient: Record<string, string> = {};
  const latex: Record<string, string> = {};
  for (const p of parts) {
    gradient[p.wrt] = p.expression;
    latex[p.wrt] = p.latex;
  }
  return { gradient, latex, variables: parts.map((p) => p.wrt) };
}
