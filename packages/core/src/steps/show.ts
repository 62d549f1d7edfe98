import { latex, latexName, layout, type Layout } from '../ir/latex.js';
import type { IrNode } from '../ir/node.js';
import { format } from '../symbolic/print.js';

/**
 * Pieces of a written derivation, in text and LaTeX at once: expressions
 * (laid out by the printers of the core), the rule's notation that is not an
 * expression (`d/dx[f]`, `dy/du`), and the few ways to combine them that the
 * rules need (products, sums, fractions, powers), with the parentheses that
 * precedence asks for and no others.
 */
export interface Shown {
  readonly text: string;
  readonly latex: string;
  /** How tightly the text binds (see LEVEL), and the LaTeX. */
  readonly level: number;
  readonly latexLevel: number;
}

/** Precedence levels, as in the printers: sum < product < unary minus < power < atom. */
export const LEVEL = { sum: 1, product: 2, unary: 3, power: 4, atom: 5 } as const;

function levelOf(l: Layout, tex: boolean): number {
  switch (l.kind) {
    case 'sum':
      return LEVEL.sum;
    case 'product':
      return LEVEL.product;
    case 'fraction':
      return tex ? LEVEL.atom : LEVEL.product;
    case 'neg':
      return l.arg.kind === 'product' || l.arg.kind === 'fraction' ? LEVEL.product : LEVEL.unary;
    case 'power':
      return LEVEL.power;
    case 'number':
      return /e/.test(String(l.value)) ? LEVEL.product : LEVEL.atom;
    case 'call':
      return tex && l.fn === 'exp' ? LEVEL.power : LEVEL.atom;
    default:
      return LEVEL.atom;
  }
}

/** An expression as people read it (symbolic/print.ts and ir/latex.ts). */
export function show(node: IrNode): Shown {
  const l = layout(node);
  return { text: format(node), latex: latex(node), level: levelOf(l, false), latexLevel: levelOf(l, true) };
}

/** Notation that binds as an atom: a name, `d/dx[...]`. */
export function atom(text: string, tex: string): Shown {
  return { text, latex: tex, level: LEVEL.atom, latexLevel: LEVEL.atom };
}

const paren = (s: Shown, tightEnough: boolean): string => (tightEnough ? s.text : `(${s.text})`);
const parenTex = (s: Shown, tightEnough: boolean): string => (tightEnough ? s.latex : `\\left(${s.latex}\\right)`);
const signed = (s: string): boolean => s.startsWith('-');

/** `d/dx[f]`, in LaTeX `\frac{d}{dx}\left[f\right]` (∂ for a partial derivative). */
export function derivativeOf(f: Shown, wrt: string, partial: boolean): Shown {
  const d = partial ? '\\partial' : 'd';
  return atom(`d/d${wrt}[${f.text}]`, `\\frac{${d}}{${d}${partial ? ' ' : ''}${latexName(wrt)}}\\left[${f.latex}\\right]`);
}

/** Leibniz form `dy/du`. */
export function leibniz(top: string, bottom: string, partial: boolean): Shown {
  const d = partial ? '\\partial ' : 'd';
  return atom(`d${top}/d${bottom}`, `\\frac{${d}${latexName(top)}}{${d}${latexName(bottom)}}`);
}

/** a*b*c; in LaTeX a \cdot b \cdot c. */
export function product(factors: readonly Shown[]): Shown {
  if (factors.length === 1) return factors[0]!;
  // Each factor reads as one: x*(2*x*cos(x^2)), (1/x)*x^2; the first may be a plain product (2*x*...).
  const text = factors
    .map((f, i) =>
      paren(f, i === 0 ? f.level > LEVEL.product || (f.level === LEVEL.product && !f.text.includes('/')) : f.level > LEVEL.product && !signed(f.text)),
    )
    .join('*');
  const tex = factors
    .map((f, i) => parenTex(f, i === 0 ? f.latexLevel >= LEVEL.product : f.latexLevel > LEVEL.product && !signed(f.latex)))
    .join(' \\cdot ');
  return { text, latex: tex, level: LEVEL.product, latexLevel: LEVEL.product };
}

export interface Term {
  readonly minus: boolean;
  readonly value: Shown;
}

/** a + b - c: a term that reads with a minus in front of all of it is folded into the sign. */
export function sum(terms: readonly Term[]): Shown {
  if (terms.length === 1 && !terms[0]!.minus) return terms[0]!.value;
  let text = '';
  let tex = '';
  terms.forEach((t, i) => {
    let minus = t.minus;
    let body = t.value.text;
    let bodyTex = t.value.latex;
    let level = t.value.level;
    let latexLevel = t.value.latexLevel;
    if (signed(body) && level >= LEVEL.product && signed(bodyTex)) {
      // -x*y is -(x*y): its sign joins the term's
      minus = !minus;
      body = body.slice(1);
      bodyTex = bodyTex.slice(1);
      level = Math.max(level, LEVEL.product);
      latexLevel = Math.max(latexLevel, LEVEL.product);
    }
    const inner = minus || i > 0 ? LEVEL.product : LEVEL.sum;
    const part = level >= inner ? body : `(${body})`;
    const partTex = latexLevel >= inner ? bodyTex : `\\left(${bodyTex}\\right)`;
    if (i === 0) {
      text = minus ? `-${part}` : part;
      tex = minus ? `-${partTex}` : partTex;
    } else {
      text += ` ${minus ? '-' : '+'} ${part}`;
      tex += ` ${minus ? '-' : '+'} ${partTex}`;
    }
  });
  return { text, latex: tex, level: LEVEL.sum, latexLevel: LEVEL.sum };
}

/** -a (a sign in front of all of a is taken off instead). */
export function negate(a: Shown): Shown {
  if (signed(a.text) && a.level >= LEVEL.product && signed(a.latex)) {
    return { text: a.text.slice(1), latex: a.latex.slice(1), level: LEVEL.product, latexLevel: LEVEL.product };
  }
  return {
    text: `-${paren(a, a.level >= LEVEL.product)}`,
    latex: `-${parenTex(a, a.latexLevel >= LEVEL.product)}`,
    level: a.level >= LEVEL.unary ? LEVEL.unary : LEVEL.product,
    latexLevel: a.latexLevel >= LEVEL.unary ? LEVEL.unary : LEVEL.product,
  };
}

/** num/den; in LaTeX \frac{num}{den}. A sign in front of all of num goes in front of the fraction. */
export function fraction(num: Shown, den: Shown): Shown {
  if (signed(num.text) && num.level >= LEVEL.product && signed(num.latex)) {
    const stripped = { text: num.text.slice(1), latex: num.latex.slice(1), level: LEVEL.product, latexLevel: LEVEL.product };
    const f = fraction(stripped, den);
    return { text: `-${f.text}`, latex: `-${f.latex}`, level: LEVEL.product, latexLevel: LEVEL.product };
  }
  return {
    text: `${paren(num, num.level >= LEVEL.product)}/${paren(den, den.level >= LEVEL.power)}`,
    latex: `\\frac{${num.latex}}{${den.latex}}`,
    level: LEVEL.product,
    latexLevel: LEVEL.atom,
  };
}

/** base^exponent. */
export function power(base: Shown, exponent: Shown): Shown {
  return {
    text: `${paren(base, base.level >= LEVEL.atom)}^${paren(exponent, exponent.level >= LEVEL.power || /^-[\w.]+$/.test(exponent.text))}`,
    latex: `${parenTex(base, base.latexLevel >= LEVEL.atom)}^{${exponent.latex}}`,
    level: LEVEL.power,
    latexLevel: LEVEL.power,
  };
}

/** A line of equal things, `a = b = c`, a part equal to the one before it written once. */
export function equation(parts: readonly (Shown | undefined)[]): { text: string; latex: string } {
  const kept: Shown[] = [];
  for (const p of parts) {
    if (p === undefined) continue;
    const last = kept[kept.length - 1];
    if (last && last.text === p.text) continue;
    kept.push(p);
  }
  return { text: kept.map((p) => p.text).join(' = '), latex: kept.map((p) => p.latex).join(' = ') };
}

/** A number for people: up to 12 significant digits (0.1 + 0.2 reads 0.3). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return String(Number(v.toPrecision(12)));
}

/** A number in LaTeX. */
export function valueLatex(v: number): string {
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  if (!Number.isFinite(v)) return v > 0 ? '\\infty' : '-\\infty';
  const s = formatValue(v);
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  return m ? `${m[1]} \\times 10^{${Number(m[2])}}` : s;
}
