/**
 * Polynomials in two variables, the variable x and the increment h of the
 * limit definition, as coefficients by power: Σ coef * x^i * h^j. Small and
 * exact for whole-number coefficients (binomial coefficients are whole), for
 * multiplying out (x + h)^n by hand, as a course does; not the IR simplifier.
 *
 * A polynomial is always normal: one monomial per (i, j), no zero
 * coefficients, in the order it is written: highest total degree first, then
 * highest power of x (x^2 + 2*x*h + h^2).
 */
export interface Monomial {
  readonly coef: number;
  /** The power of x. */
  readonly x: number;
  /** The power of h. */
  readonly h: number;
}

export type Polynomial = readonly Monomial[];

export const ZERO: Polynomial = [];

export function constant(c: number): Polynomial {
  return normal([{ coef: c, x: 0, h: 0 }]);
}

export const X: Polynomial = [{ coef: 1, x: 1, h: 0 }];
export const H: Polynomial = [{ coef: 1, x: 0, h: 1 }];

/** Like terms collected, zeros dropped, in written order. */
function normal(terms: readonly Monomial[]): Polynomial {
  const byPower = new Map<string, Monomial>();
  for (const t of terms) {
    const key = `${t.x},${t.h}`;
    const like = byPower.get(key);
    byPower.set(key, { coef: (like?.coef ?? 0) + t.coef, x: t.x, h: t.h });
  }
  return [...byPower.values()].filter((t) => t.coef !== 0).sort((a, b) => b.x + b.h - (a.x + a.h) || b.x - a.x);
}

export function add(...ps: readonly Polynomial[]): Polynomial {
  return normal(ps.flat());
}

export function scale(p: Polynomial, c: number): Polynomial {
  return normal(p.map((t) => ({ coef: t.coef * c, x: t.x, h: t.h })));
}

export function subtract(a: Polynomial, b: Polynomial): Polynomial {
  return add(a, scale(b, -1));
}

export function multiply(a: Polynomial, b: Polynomial): Polynomial {
  return normal(a.flatMap((s) => b.map((t) => ({ coef: s.coef * t.coef, x: s.x + t.x, h: s.h + t.h }))));
}

/** p^n for a whole n >= 0. */
export function power(p: Polynomial, n: number): Polynomial {
  let out = constant(1);
  for (let k = 0; k < n; k++) out = multiply(out, p);
  return out;
}

/** The binomial coefficient C(n, k), whole for whole n and k. */
export function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** (x + h)^n by the binomial theorem: Σ C(n, k) x^(n-k) h^k. */
export function binomial(n: number): Polynomial {
  return normal(Array.from({ length: n + 1 }, (_, k) => ({ coef: choose(n, k), x: n - k, h: k })));
}

/** p(x + h) for p in x alone: each c*x^n becomes c*(x + h)^n, multiplied out. */
export function shift(p: Polynomial): Polynomial {
  return add(...p.map((t) => multiply(scale(binomial(t.x), t.coef), [{ coef: 1, x: 0, h: t.h }])));
}

/** The terms without h, and the terms with h. */
export function splitByH(p: Polynomial): { withoutH: Polynomial; withH: Polynomial } {
  return { withoutH: p.filter((t) => t.h === 0), withH: p.filter((t) => t.h > 0) };
}

/** p/h, for p whose every term has a factor h. */
export function divideByH(p: Polynomial): Polynomial {
  if (p.some((t) => t.h === 0)) throw new Error('internal: a term without h cannot be divided by h');
  return p.map((t) => ({ coef: t.coef, x: t.x, h: t.h - 1 }));
}

/** p at h = 0. */
export function atHZero(p: Polynomial): Polynomial {
  return p.filter((t) => t.h === 0);
}

/** The highest power of x. */
export function degree(p: Polynomial): number {
  return p.reduce((d, t) => Math.max(d, t.x), 0);
}

export function evaluate(p: Polynomial, x: number, h: number): number {
  return p.reduce((s, t) => s + t.coef * x ** t.x * h ** t.h, 0);
}

export interface Names {
  readonly x: string;
  readonly h: string;
}

/** A coefficient for people: whole numbers as they are, others to 12 digits. */
function coefficientText(c: number): string {
  return String(Number(c.toPrecision(12)));
}

/** Text in the expression language: `x^2 + 2*x*h + h^2`. */
export function toText(p: Polynomial, names: Names): string {
  return written(p, names, {
    power: (name, n) => (n === 1 ? name : `${name}^${n}`),
    times: '*',
    number: coefficientText,
  });
}

/** LaTeX: `x^{2} + 2 x h + h^{2}`. */
export function toLatex(p: Polynomial, names: { readonly x: string; readonly h: string }): string {
  return written(p, names, {
    power: (name, n) => (n === 1 ? name : `${name}^{${n}}`),
    times: ' ',
    number: (c) => {
      const s = coefficientText(c);
      const m = /^([\d.]+)e([+-]\d+)$/.exec(s);
      return m ? `${m[1]} \\times 10^{${Number(m[2])}}` : s;
    },
  });
}

interface Style {
  power: (name: string, n: number) => string;
  times: string;
  number: (c: number) => string;
}

function written(p: Polynomial, names: Names, style: Style): string {
  if (p.length === 0) return '0';
  return p
    .map((t, i) => {
      const factors: string[] = [];
      if (t.x > 0) factors.push(style.power(names.x, t.x));
      if (t.h > 0) factors.push(style.power(names.h, t.h));
      const magnitude = Math.abs(t.coef);
      if (magnitude !== 1 || factors.length === 0) factors.unshift(style.number(magnitude));
      const body = factors.join(style.times);
      const minus = t.coef < 0;
      if (i === 0) return minus ? `-${body}` : body;
      return `${minus ? ' - ' : ' + '}${body}`;
    })
    .join('');
}
