import { NudgeError } from '../errors.js';
import { latexName } from '../ir/latex.js';
import { lower } from '../ir/lower.js';
import { Graph, variablesOf } from '../ir/node.js';
import { naturalOrder } from '../ir/variables.js';
import { parse } from '../parse/parse.js';
import { asPolynomial } from './as-polynomial.js';
import { Context } from './context.js';
import * as P from './polynomial.js';
import { show } from './show.js';
import type { DefineStep, DerivativeExplanation, DerivativeStep, LimitStep, RewriteStep, Step } from './types.js';

/**
 * The derivative of a polynomial from the limit definition, as a course
 * works it by hand:
 *
 *   f'(x) = lim_{h->0} (f(x + h) - f(x))/h
 *   f(x + h) = (x + h)^2                       x replaced by x + h
 *   ((x + h)^2 - x^2)/h                        the difference quotient
 *   = (x^2 + 2*x*h + h^2 - x^2)/h              multiplied out (binomial theorem)
 *   = (2*x*h + h^2)/h                          f(x) cancels
 *   = 2*x + h                                  divided by h (h is not 0)
 *   -> 2*x                                     as h -> 0
 *
 * The `derivative` is the symbolic derivative's text (the rules give the same
 * function; the steps show it multiplied out). Anything but a polynomial in
 * one variable is refused: NudgeError 'invalid-argument', saying why.
 */
export function explainByLimit(expression: string, wrt?: string): DerivativeExplanation {
  const g = new Graph();
  const f = lower(g, parse(expression));
  const variables = naturalOrder(variablesOf(f));
  const x = wrt ?? (variables.length === 1 ? variables[0]! : variables.length === 0 ? 'x' : undefined);
  if (x === undefined) {
    throw new NudgeError('invalid-argument', `the limit walk-through works for polynomials in one variable; this one has ${variables.join(', ')}`);
  }
  const p = asPolynomial(f, x);
  const h = x === 'h' ? 'k' : 'h';
  const names = { x, h };
  const texNames = { x: latexName(x), h: latexName(h) };
  const text = (q: P.Polynomial): string => P.toText(q, names);
  const tex = (q: P.Polynomial): string => P.toLatex(q, texNames);

  const ctx = new Context(g, x, false, new Set([x]));
  const rules = show(ctx.derivative(f));
  const fText = show(f);
  const limitTex = `\\lim_{${texNames.h} \\to 0}`;
  const xh = `${x} + ${h}`;
  const xhTex = `${texNames.x} + ${texNames.h}`;
  const steps: Step[] = [];

  const definition: DerivativeStep = {
    kind: 'derivative',
    rule: 'limit-definition',
    title: 'The limit definition',
    text: `The derivative is the limit of the slope of the secant from ${x} to ${xh}, as ${h} goes to 0.`,
    equation: `d/d${x}[${fText.text}] = lim_{${h}->0} (f(${xh}) - f(${x}))/${h}`,
    expression: fText.text,
    wrt: x,
    result: rules.text,
    latex: `${ctx.d(f).latex} = ${limitTex} \\frac{f(${xhTex}) - f(${texNames.x})}{${texNames.h}}`,
    steps: [],
  };
  steps.push(definition);

  if (text(p) !== fText.text) {
    steps.push(
      rewrite('expand', 'Multiply f out', `First write f(${x}) as a sum of powers of ${x}.`, `f(${x})`, `f(${texNames.x})`, fText.text, fText.latex, text(p), tex(p)),
    );
  }

  // f(x + h), each power of x as a power of (x + h)
  const shiftedText = writeShifted(p, `(${xh})`, (c) => P.toText(P.constant(c), names), (n) => `^${n}`, '*');
  const shiftedTex = writeShifted(p, `\\left(${xhTex}\\right)`, (c) => P.toLatex(P.constant(c), texNames), (n) => `^{${n}}`, ' ');
  steps.push({
    kind: 'rewrite',
    rule: 'limit-substitute',
    title: `Replace ${x} by ${xh}`,
    text: `f(${xh}) is f with ${x} replaced by ${xh}.`,
    equation: `f(${xh}) = ${shiftedText}`,
    expression: text(p),
    where: { [x]: xh },
    result: shiftedText,
    latex: `f(${xhTex}) = ${shiftedTex}`,
    steps: [],
  });

  const fx = p.length > 1 ? `(${text(p)})` : text(p);
  const fxTex = p.length > 1 ? `\\left(${tex(p)}\\right)` : tex(p);
  const group = (s: string, q: P.Polynomial): string => (q.length > 1 ? `(${s})` : s);
  const groupTex = (s: string, q: P.Polynomial): string => (q.length > 1 ? `\\left(${s}\\right)` : s);
  const quotient = `(${group(shiftedText, p)} - ${fx})/${h}`;
  const quotientTex = `\\frac{${groupTex(shiftedTex, p)} - ${fxTex}}{${texNames.h}}`;
  const define: DefineStep = {
    kind: 'define',
    rule: 'difference-quotient',
    title: 'The difference quotient',
    text: `The slope of the secant from ${x} to ${xh}: (f(${xh}) - f(${x}))/${h}.`,
    equation: `(f(${xh}) - f(${x}))/${h} = ${quotient}`,
    expression: fText.text,
    result: quotient,
    latex: `\\frac{f(${xhTex}) - f(${texNames.x})}{${texNames.h}} = ${quotientTex}`,
    steps: [],
  };
  steps.push(define);

  // Multiply out: each (x + h)^n by the binomial theorem
  const expanded = P.shift(p);
  const binomials: RewriteStep[] = [...new Set(p.map((t) => t.x).filter((n) => n >= 2))].map((n) => {
    const b = P.binomial(n);
    const coefficients = Array.from({ length: n + 1 }, (_, k) => P.choose(n, k)).join(', ');
    return rewrite(
      'binomial',
      'Binomial theorem',
      `(${xh})^n = sum over k of C(n, k)*${x}^(n-k)*${h}^k; for n = ${n} the coefficients are ${coefficients}.`,
      `(${xh})^${n}`,
      `\\left(${xhTex}\\right)^{${n}}`,
      `(${xh})^${n}`,
      `\\left(${xhTex}\\right)^{${n}}`,
      text(b),
      tex(b),
    );
  });
  const expandedQuotient = `(${group(text(expanded), expanded)} - ${fx})/${h}`;
  const expandedTex = `\\frac{${groupTex(tex(expanded), expanded)} - ${fxTex}}{${texNames.h}}`;
  steps.push({
    ...rewrite(
      'expand',
      'Multiply out',
      `Multiply out f(${xh})${binomials.length > 0 ? ', each power of (' + xh + ') by the binomial theorem' : ''}.`,
      quotient,
      quotientTex,
      quotient,
      quotientTex,
      expandedQuotient,
      expandedTex,
    ),
    steps: binomials,
  });

  // f(x) cancels: what is left has a factor h in every term
  const difference = P.subtract(expanded, p);
  const cancelled = `${group(text(difference), difference)}/${h}`;
  const cancelledTex = `\\frac{${tex(difference)}}{${texNames.h}}`;
  steps.push(
    rewrite(
      'cancel',
      `f(${x}) cancels`,
      `The terms of f(${xh}) without ${h} are f(${x}) itself, so they cancel with -f(${x}); every term left has a factor ${h}.`,
      expandedQuotient,
      expandedTex,
      expandedQuotient,
      expandedTex,
      cancelled,
      cancelledTex,
    ),
  );

  const divided = P.divideByH(difference);
  steps.push(
    rewrite(
      'divide',
      `Divide by ${h}`,
      `${h} is not 0 (it only goes to 0), so divide every term by ${h}.`,
      cancelled,
      cancelledTex,
      cancelled,
      cancelledTex,
      text(divided),
      tex(divided),
    ),
  );

  const limit = P.atHZero(divided);
  const limitStep: LimitStep = {
    kind: 'limit',
    rule: 'limit',
    title: `Let ${h} go to 0`,
    text: `As ${h} -> 0 the terms with ${h} vanish: the slope of the secant becomes the slope of the tangent.`,
    equation: `lim_{${h}->0} (${text(divided)}) = ${text(limit)}`,
    expression: text(divided),
    result: text(limit),
    latex: `${limitTex} \\left(${tex(divided)}\\right) = ${tex(limit)}`,
    steps: [],
    variable: h,
    to: 0,
  };
  steps.push(limitStep);

  const same = text(limit) === rules.text ? '' : ` = ${rules.latex}`;
  return {
    expression: fText.text,
    wrt: x,
    derivative: rules.text,
    latex: `${ctx.d(f).latex} = ${limitTex} ${quotientTex} = ${tex(limit)}${same}`,
    steps,
  };
}

function rewrite(
  rule: RewriteStep['rule'],
  title: string,
  text: string,
  lhs: string,
  lhsTex: string,
  expression: string,
  expressionTex: string,
  result: string,
  resultTex: string,
): RewriteStep {
  return {
    kind: 'rewrite',
    rule,
    title,
    text,
    equation: lhs === expression ? `${expression} = ${result}` : `${lhs} = ${expression} = ${result}`,
    expression,
    result,
    latex: lhsTex === expressionTex ? `${expressionTex} = ${resultTex}` : `${lhsTex} = ${expressionTex} = ${resultTex}`,
    steps: [],
  };
}

/** Σ c*(x + h)^n written out, before multiplying. */
function writeShifted(
  p: P.Polynomial,
  xh: string,
  number: (c: number) => string,
  exponent: (n: number) => string,
  times: string,
): string {
  if (p.length === 0) return '0';
  return p
    .map((t, i) => {
      const magnitude = Math.abs(t.coef);
      const powerPart = t.x === 0 ? '' : t.x === 1 ? xh : `${xh}${exponent(t.x)}`;
      const body = powerPart === '' ? number(magnitude) : magnitude === 1 ? powerPart : `${number(magnitude)}${times}${powerPart}`;
      const minus = t.coef < 0;
      if (i === 0) return minus ? `-${body}` : body;
      return `${minus ? ' - ' : ' + '}${body}`;
    })
    .join('');
}
