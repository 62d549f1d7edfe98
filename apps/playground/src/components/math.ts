import katex from 'katex';
import { formatNumber } from '@nudge/core';

/**
 * Mathematics typeset by KaTeX (bundled with its fonts; no network), always
 * with `trust: false` (no \href, \includegraphics or HTML extensions) and
 * errors shown in place, never thrown. KaTeX builds DOM nodes and adds
 * MathML, so screen readers read the formula.
 */
export function renderTex(target: HTMLElement, tex: string, displayMode = false): void {
  katex.render(tex, target, { trust: false, throwOnError: false, displayMode, output: 'htmlAndMathml', strict: 'ignore' });
}

/** A number as TeX: 0.0001, 1.5 \times 10^{-7}, -\infty. */
export function texNumber(v: number, digits = 12): string {
  const text = formatNumber(v, digits);
  if (text === 'NaN') return '\\text{NaN}';
  if (text === 'Infinity') return '\\infty';
  if (text === '-Infinity') return '-\\infty';
  const [mantissa, exponent] = text.split('e');
  return exponent === undefined ? text : `${mantissa === '1' ? '' : `${mantissa} \\times `}10^{${exponent}}`;
}

/** A variable's name as TeX. Nudge's names are letters, digits and underscores; anything else is not passed through. */
export function texName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return 'x';
  return name.length === 1 ? name : `\\mathit{${name.replace(/_/g, '\\_')}}`;
}

/** `a + b` with the sign folded: texSum('3', -0.5) is `3 - 0.5`. */
export function texPlus(left: string, v: number): string {
  return v < 0 ? `${left} - ${texNumber(-v)}` : `${left} + ${texNumber(v)}`;
}
