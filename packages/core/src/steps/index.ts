/**
 * Show your work: derivatives explained rule by rule, as a course walks
 * them. Every explanation is data (typed steps with text and LaTeX, see
 * types.ts), checked against the symbolic derivative.
 *
 *   explainDerivative('sin(x^2)')            the rules: power, constant multiple, sum, product,
 *                                            quotient, chain (u, v, ...), each function's own
 *   explainDerivative('x^2*y + sin(z)', 'y') a partial derivative: x and z held constant
 *   explainGradient('x^2*y')                 every partial derivative, then the vector
 *   explainByLimit('x^2')                    from the limit definition (polynomials)
 *   explainChain('sin(u)', ['u=x^2'], { x: 1.5 })   a composition link by link, with values
 *   renderSteps(steps)                       the steps as indented plain text
 *   verifySteps(steps, points)               each step checked by itself, numerically
 */
export { explainDerivative, explainGradient } from './explain.js';
export { explainByLimit } from './limit.js';
export { explainChain, type ChainExplanation, type ChainFactorResult, type ChainLink } from './compose.js';
export type { ChainValues } from './values.js';
export { flattenSteps, renderSteps, type FlatStep } from './render.js';
export { verifySteps, type StepMismatch } from './verify.js';
export type {
  DefineStep,
  DerivativeExplanation,
  DerivativeRule,
  DerivativeStep,
  FunctionRule,
  GradientExplanation,
  GradientStep,
  LimitStep,
  RewriteRule,
  RewriteStep,
  Step,
  StepRule,
  ValueStep,
} from './types.js';
