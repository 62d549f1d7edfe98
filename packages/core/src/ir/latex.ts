import type { IrNode } from './node.js';

/**
 * How an expression is shown to people, in text and in LaTeX: the IR laid out
 * as it reads. Signs come out in front (`-x*y`, `a - b`), negative powers and
 * reciprocals go below a fraction bar (`x^-2` -> `1/x^2`), a coefficient that
 * is a simple fraction is written as one (`0.5*x^2` -> `x^2/2`, `0.5/sqrt(x)`
 * -> `1/(2*sqrt(x))`), well-known irrational constants by name (`pi`,
 * `log(10)`), and 1/cos, 1/sin, 1/tan as sec, csc, cot (the language's own
 * sugar for them). The text form parses back to an expression that simplifies
 * to the same node (symbolic/print.ts); the LaTeX form is for KaTeX.
 */
export type Layout =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'constant'; readonly text: string; readonly latex: string; readonly size: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'neg'; readonly arg: Layout }
  | { readonly kind: 'sum'; readonly terms: readonly { readonly minus: boolean; readonly arg: Layout }[] }
  | { readonly kind: 'product'; readonly factors: readonly Layout[] }
  | {
      readonly kind: 'fraction';
      readonly num: Layout;
      readonly den: Layout;
      /** In text, divided by after the denominator (`x/(y + 1)/3`); in LaTeX, part of it. */
      readonly after?: Layout;
    }
  | { readonly kind: 'power'; readonly base: Layout; readonly exponent: Layout }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly Layout[] };

/** A layout with its sign taken out: `minus` and the layout of the rest. */
interface Signed {
  minus: boolean;
  body: Layout;
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

interface NamedConstant {
  value: number;
  text: string;
  latex: string;
  /** Nodes as printed (log(10) is a call and a number). */
  size: number;
  /** Written after the other factors of a product (`2^x*log(2)`), not before (`2*pi*x`). */
  trailing: boolean;
}

/** Constants shown by name; each `text` lowers (folded) to exactly `value`. */
const NAMED: readonly NamedConstant[] = [
  { value: Math.PI, text: 'pi', latex: '\\pi', size: 1, trailing: false },
  { value: Math.E, text: 'e', latex: 'e', size: 1, trailing: false },
  { value: Math.log10(Math.E), text: 'log10(e)', latex: '\\log_{10} e', size: 2, trailing: false },
  { value: Math.log2(Math.E), text: 'log2(e)', latex: '\\log_{2} e', size: 2, trailing: false },
  { value: Math.log(2), text: 'log(2)', latex: '\\ln 2', size: 2, trailing: true },
  { value: Math.log(10), text: 'log(10)', latex: '\\ln 10', size: 2, trailing: true },
  { value: Math.sqrt(2), text: 'sqrt(2)', latex: '\\sqrt{2}', size: 2, trailing: true },
];

const named = (k: NamedConstant): Layout => ({ kind: 'constant', text: k.text, latex: k.latex, size: k.size });
const number = (value: number): Layout => ({ kind: 'number', value });
const ONE = number(1);

/** A number: a few digits as they are, else a fraction or a multiple of a named constant. */
function numberLayout(v: number): Layout {
  if (v < 0 || Object.is(v, -0)) return { kind: 'neg', arg: numberLayout(-v) };
  const k = NAMED.find((c) => c.value === v);
  if (k) return named(k);
  if (!Number.isFinite(v) || Number.isInteger(v) || String(v).length <= 8) return number(v);
  // A number alone is folded when its text is lowered, not tidied: its form must fold to exactly v.
  const r = represent(v, 0, folded);
  if (r === undefined) return number(v);
  const { num, den, trailing } = coefficient(v, r);
  num.push(...trailing);
  const top = num.length === 0 ? ONE : num.length === 1 ? num[0]! : { kind: 'product' as const, factors: num };
  if (den.length === 0) return top;
  return { kind: 'fraction', num: top, den: den.length === 1 ? den[0]! : { kind: 'product', factors: den } };
}

/**
 * A number as p/q, p*K/q or p/(q*K) for small whole p, q and a named constant
 * K: the value of each form is computed one way only (`exactly`), so that
 * a number is either exactly one of them or none.
 */
interface Representation {
  p: number;
  q: number;
  /** The named constant, and whether it multiplies (above the bar) or divides. */
  k?: NamedConstant;
  above: boolean;
}

function exactly(r: Representation): number {
  if (r.k === undefined) return r.p / r.q;
  return r.above ? (r.p * r.k.value) / r.q : r.p / (r.q * r.k.value);
}

/** The value of a representation's text (`p*K/q`) as lowering folds it. */
function folded(r: Representation): number {
  const K = r.k?.value;
  if (K === undefined) return r.p === 1 ? 1 / r.q : r.q === 1 ? r.p : r.p * (1 / r.q);
  if (r.above) {
    const top = r.p === 1 ? K : r.p * K;
    return r.q === 1 ? top : top * (1 / r.q);
  }
  const den = r.q === 1 ? K : r.q * K;
  return r.p === 1 ? 1 / den : r.p * (1 / den);
}

/** The first representation whose value is within `tolerance` (relative) of v, if any. */
function represent(v: number, tolerance: number, value = exactly): Representation | undefined {
  if (!(v > 0) || !Number.isFinite(v) || v > 1e9 || v < 1e-9) return undefined;
  const near = (r: Representation): boolean => Math.abs(value(r) - v) <= tolerance * v;
  for (let q = 1; q <= 1000; q++) {
    const r = { p: Math.round(v * q), q, above: true };
    if (r.p >= 1 && gcd(r.p, q) === 1 && near(r)) return r;
  }
  // Multiples of named constants before their reciprocals: log(10), not 1/log10(e).
  for (const above of [true, false]) {
    for (const k of NAMED) {
      const scaled = above ? v / k.value : v * k.value;
      for (let q = 1; q <= 100; q++) {
        const r = { p: Math.round(scaled * q), q, k, above };
        if (r.p >= 1 && gcd(r.p, q) === 1 && near(r)) return r;
      }
    }
  }
  return undefined;
}

const tidied = new Map<number, number>();

/**
 * v, or the simple number (p/q, p*pi/q, p/(q*log(10)), ...) within 4 ulps of
 * it: the simplifier's coefficients are products and sums of doubles, so
 * 3*(1/(3*log(10))) is an ulp away from 1/log(10), and 0.1 + 0.2 from 0.3.
 * Tidying them keeps equal expressions one node and lets them print as
 * people write them (`1/(x*log(10))`, `0.3*x`). Values move by at most 4 ulps.
 */
export function tidyNumber(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v) || v === 0) return v;
  const known = tidied.get(v);
  if (known !== undefined) return known;
  const r = represent(Math.abs(v), 4 * Number.EPSILON);
  const out = r ? Math.sign(v) * exactly(r) : v;
  if (tidied.size > 50_000) tidied.clear();
  tidied.set(v, out);
  return out;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** True for a whole number or a fraction p/q with q <= 1000 (exactly), false for 0.1*pi or log(2). */
export function isSimpleRational(v: number): boolean {
  if (Number.isInteger(v)) return true;
  const r = represent(Math.abs(v), 0);
  return r !== undefined && r.k === undefined;
}

/**
 * A positive number c as the numbers above and below a fraction bar: c, p/q,
 * p*K/q for a named constant K, or p/(q*K), when c is exactly that form's
 * value (see tidyNumber: the text then simplifies back to exactly c).
 * Trailing constants are written after the other factors (`2^x*log(2)`).
 */
function coefficient(c: number, found?: Representation): { num: Layout[]; den: Layout[]; trailing: Layout[] } {
  const none: Layout[] = [];
  const plain = { num: [number(c)], den: none, trailing: none };
  const k = NAMED.find((x) => x.value === c);
  if (k) return k.trailing ? { num: none, den: none, trailing: [named(k)] } : { num: [named(k)], den: none, trailing: none };
  if (Number.isInteger(c) || !Number.isFinite(c)) return plain;
  const r = found ?? represent(c, 0);
  if (r === undefined) return plain;
  const above = r.p === 1 ? none : [number(r.p)];
  const below = r.q === 1 ? none : [number(r.q)];
  if (r.k === undefined) {
    // 1/n as a fraction (x/2, not 0.5*x); a short decimal as it is (1.5*x); else p/q (2*x/3).
    if (r.p === 1) return { num: none, den: below, trailing: none };
    if (String(c).length <= 5) return plain;
    return { num: above, den: below, trailing: none };
  }
  if (!r.above) return { num: above, den: [...below, named(r.k)], trailing: none };
  if (r.k.trailing) return { num: above, den: below, trailing: [named(r.k)] };
  return { num: [...above, named(r.k)], den: below, trailing: none };
}

// ---------------------------------------------------------------------------
// IR -> layout
// ---------------------------------------------------------------------------

/** sec, csc, cot: the language's names for 1/cos, 1/sin, 1/tan. */
const RECIPROCAL_NAMES: Readonly<Record<string, string>> = { cos: 'sec', sin: 'csc', tan: 'cot' };

const layouts = new WeakMap<IrNode, Layout>();
const signedLayouts = new WeakMap<IrNode, Signed>();

/** The layout of a node (memoized: a shared subexpression has one layout object). */
export function layout(n: IrNode): Layout {
  let l = layouts.get(n);
  if (l === undefined) {
    const s = signed(n);
    l = s.minus ? { kind: 'neg', arg: s.body } : s.body;
    layouts.set(n, l);
  }
  return l;
}

function signed(n: IrNode): Signed {
  let s = signedLayouts.get(n);
  if (s === undefined) {
    s = signedUncached(n);
    signedLayouts.set(n, s);
  }
  return s;
}

function isProductLike(n: IrNode): boolean {
  return (
    n.op === 'mul' ||
    n.op === 'recip' ||
    n.op === 'div' ||
    (n.op === 'pow' && n.args[1]!.op === 'const' && n.args[1]!.value < 0 && Number.isFinite(n.args[1]!.value))
  );
}

function signedUncached(n: IrNode): Signed {
  switch (n.op) {
    case 'const': {
      const v = n.value;
      if (v < 0 || Object.is(v, -0)) return { minus: true, body: numberLayout(-v) };
      return { minus: false, body: numberLayout(v) };
    }
    case 'var':
    case 'vvar':
      return { minus: false, body: { kind: 'name', name: n.name } };
    case 'neg': {
      const inner = signed(n.args[0]!);
      return { minus: !inner.minus, body: inner.body };
    }
    case 'add':
      return { minus: false, body: { kind: 'sum', terms: n.args.map((a) => ({ minus: signed(a).minus, arg: signed(a).body })) } };
    case 'sub': {
      const a = signed(n.args[0]!);
      const b = signed(n.args[1]!);
      return { minus: false, body: { kind: 'sum', terms: [{ minus: a.minus, arg: a.body }, { minus: !b.minus, arg: b.body }] } };
    }
    case 'square':
      return { minus: false, body: { kind: 'power', base: layout(n.args[0]!), exponent: number(2) } };
    case 'pow':
      if (isProductLike(n)) return productLayout(n);
      return { minus: false, body: { kind: 'power', base: layout(n.args[0]!), exponent: layout(n.args[1]!) } };
    default:
      if (isProductLike(n)) return productLayout(n);
      return { minus: false, body: { kind: 'call', fn: n.op, args: n.args.map(layout) } };
  }
}

/** base^k, or fn(arg)^k for the names the layout gives (sec, csc, cot). */
interface Entry {
  base?: IrNode;
  fn?: string;
  arg?: IrNode;
  k: number;
}

interface Collected {
  minus: boolean;
  numConsts: number[];
  denConsts: number[];
  num: Entry[];
  den: Entry[];
}

function entryLayout(e: Entry): Layout {
  const l: Layout = e.fn !== undefined ? { kind: 'call', fn: e.fn, args: [layout(e.arg!)] } : layout(e.base!);
  return e.k === 1 ? l : { kind: 'power', base: l, exponent: numberLayout(e.k) };
}

/**
 * cos(u)^a/sin(u)^b (a <= b) is cot(u)^a csc(u)^(b-a), and what stays below
 * the bar as cos, sin or tan is sec, csc or cot above it.
 */
function trigonometricNames(c: Collected): void {
  // (Whole powers only: cot(u)^0.5 would read back as (cos(u)/sin(u))^0.5, not cos(u)^0.5/sin(u)^0.5.)
  for (const top of c.num) {
    if (top.base?.op !== 'cos' || !Number.isInteger(top.k)) continue;
    const u = top.base.args[0];
    const bottom = c.den.find((d) => d.base?.op === 'sin' && d.base.args[0] === u && d.k >= top.k);
    if (bottom === undefined) continue;
    top.fn = 'cot';
    top.arg = u;
    top.base = undefined;
    bottom.k -= top.k;
  }
  for (const d of c.den) {
    const name = d.base ? RECIPROCAL_NAMES[d.base.op] : undefined;
    if (name === undefined || d.k === 0 || d.base!.args.length !== 1 || (name === 'cot' && !Number.isInteger(d.k))) continue;
    c.num.push({ fn: name, arg: d.base!.args[0]!, k: d.k });
    d.k = 0;
  }
  c.den = c.den.filter((d) => d.k !== 0);
}

function productLayout(n: IrNode): Signed {
  const c: Collected = { minus: false, numConsts: [], denConsts: [], num: [], den: [] };
  collect(n, true, c);
  trigonometricNames(c);
  let num: Layout[] = [];
  let den: Layout[] = [];
  let trailing: Layout[] = [];
  if (c.numConsts.length === 1 && c.denConsts.length === 0 && c.numConsts[0] !== 1) {
    ({ num, den, trailing } = coefficient(c.numConsts[0]!));
  } else {
    num = c.numConsts.filter((v) => v !== 1).map(numberLayout);
    den = c.denConsts.filter((v) => v !== 1).map(numberLayout);
  }
  num = [...num, ...c.num.map(entryLayout), ...trailing];
  den = [...den, ...c.den.map(entryLayout)];
  // Named constants in a denominator go last: 1/(x*log(10)).
  den.sort((a, b) => Number(a.kind === 'constant') - Number(b.kind === 'constant'));
  const top = num.length === 0 ? ONE : num.length === 1 ? num[0]! : { kind: 'product' as const, factors: num };
  if (den.length === 0) return { minus: c.minus, body: top };
  const numbers = den.filter((l) => l.kind === 'number' || l.kind === 'constant');
  const others = den.filter((l) => l.kind !== 'number' && l.kind !== 'constant');
  // A number times one sum below the bar is written after it, x/(x + 1)/log(10), unless both are
  // whole numbers (x/(3*(x + 1))): the text must parse back to the same product, and 3*(x + 1)
  // parses to 3*x + 3, whose whole content 3 the simplifier takes out again.
  if (numbers.length > 0 && others.length === 1 && others[0]!.kind === 'sum') {
    const coefficients = sumCoefficients(others[0]!);
    const whole =
      (numbers.every((l) => l.kind === 'number' && Number.isInteger(l.value)) && coefficients !== 'other') ||
      (numbers.length === 1 && coefficients === 'unit');
    if (!whole) {
      const after = numbers.length === 1 ? numbers[0]! : { kind: 'product' as const, factors: numbers };
      return { minus: c.minus, body: { kind: 'fraction', num: top, den: others[0]!, after } };
    }
  }
  const bottom = den.length === 1 ? den[0]! : { kind: 'product' as const, factors: den };
  return { minus: c.minus, body: { kind: 'fraction', num: top, den: bottom } };
}

/** The coefficients of a sum's terms: all ±1 ('unit'), all whole numbers ('whole') or not. */
function sumCoefficients(sum: Extract<Layout, { kind: 'sum' }>): 'unit' | 'whole' | 'other' {
  let unit = true;
  const numberOf = (l: Layout): number | undefined => {
    switch (l.kind) {
      case 'number':
        return l.value;
      case 'constant':
        return NaN;
      case 'product': {
        if (l.factors.some((f) => f.kind === 'constant' || (f.kind === 'number' && f !== l.factors[0]))) return NaN;
        const first = l.factors[0]!;
        return first.kind === 'number' ? first.value : 1;
      }
      case 'fraction': {
        const below = l.den.kind === 'product' ? l.den.factors : [l.den];
        if (l.after || below.some((f) => f.kind === 'number' || f.kind === 'constant')) return NaN;
        return numberOf(l.num) ?? 1;
      }
      default:
        return 1;
    }
  };
  for (const t of sum.terms) {
    const c = numberOf(t.arg) ?? 1;
    if (!Number.isInteger(c)) return 'other';
    if (c !== 1) unit = false;
  }
  return unit ? 'unit' : 'whole';
}

/** Factors of a product into numerator and denominator, signs and numbers taken out. */
function collect(n: IrNode, above: boolean, c: Collected): void {
  switch (n.op) {
    case 'mul':
      for (const a of n.args) collect(a, above, c);
      return;
    case 'div':
      collect(n.args[0]!, above, c);
      collect(n.args[1]!, !above, c);
      return;
    case 'recip':
      collect(n.args[0]!, !above, c);
      return;
    case 'neg':
      c.minus = !c.minus;
      collect(n.args[0]!, above, c);
      return;
    case 'const': {
      let v = n.value;
      if (v < 0 || Object.is(v, -0)) {
        c.minus = !c.minus;
        v = -v;
      }
      (above ? c.numConsts : c.denConsts).push(v);
      return;
    }
    case 'pow':
      if (n.args[1]!.op === 'const' && !Number.isFinite(n.args[1]!.value)) break;
      if (n.args[1]!.op === 'const' && n.args[1]!.value < 0) {
        const k = -n.args[1]!.value;
        place(n.args[0]!, k, !above, c);
        return;
      }
      if (n.args[1]!.op === 'const') {
        place(n.args[0]!, n.args[1]!.value, above, c);
        return;
      }
      break;
  }
  place(n, 1, above, c);
}

/** base^k on one side of the fraction bar. */
function place(base: IrNode, k: number, above: boolean, c: Collected): void {
  (above ? c.num : c.den).push({ base, k });
}

// ---------------------------------------------------------------------------
// LaTeX
// ---------------------------------------------------------------------------

const SUM = 1;
const PRODUCT = 2;
const UNARY = 3;
const POWER = 4;
const ATOM = 5;

/** Functions KaTeX knows as operators: `\sin x`. */
const OPERATORS: Readonly<Record<string, string>> = {
  sin: '\\sin', cos: '\\cos', tan: '\\tan', sec: '\\sec', csc: '\\csc', cot: '\\cot',
  asin: '\\arcsin', acos: '\\arccos', atan: '\\arctan',
  sinh: '\\sinh', cosh: '\\cosh', tanh: '\\tanh',
  asinh: '\\operatorname{arsinh}', acosh: '\\operatorname{arcosh}', atanh: '\\operatorname{artanh}',
  log: '\\ln', log10: '\\log_{10}', log2: '\\log_{2}',
  sigmoid: '\\sigma', relu: '\\operatorname{ReLU}', softplus: '\\operatorname{softplus}',
  min: '\\min', max: '\\max',
};

/** Operators written `\sin^{2}(x)` when raised to a positive integer power. */
const POWER_BEFORE_ARGUMENT = new Set(['sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'sinh', 'cosh', 'tanh']);

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu',
  'nu', 'xi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
]);

/**
 * KaTeX-ready LaTeX: `2 x \cos\left(x^{2}\right)`, `\frac{1}{2 \sqrt{x}}`,
 * `e^{-\frac{x^{2}}{2}}`, `\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)`.
 * The indicators of the non-differentiable ops' derivatives (0^relu(u) is
 * [u <= 0]) are shown as Iverson brackets: `\left[x > 0\right]`.
 */
export function latex(node: IrNode): string {
  return tex(layout(node), SUM);
}

function paren(text: string): string {
  return `\\left(${text}\\right)`;
}

function wrapTex(text: string, level: number, min: number): string {
  return level < min ? paren(text) : text;
}

export function latexName(name: string): string {
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (m) return `${latexName(m[1]!)}_{${m[2]}}`;
  const under = /^([A-Za-z0-9]+)_([A-Za-z0-9]+)$/.exec(name);
  if (under) return `${latexName(under[1]!)}_{${latexName(under[2]!)}}`;
  if (GREEK.has(name)) return `\\${name}`;
  if (name.length === 1) return name;
  return `\\mathrm{${name.replace(/_/g, '\\_')}}`;
}

function texNumber(v: number): string {
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  if (v === Infinity) return '\\infty';
  const s = String(v);
  const m = /^(\d(?:\.\d+)?)e([+-]\d+)$/.exec(s);
  if (m) return `${m[1] === '1' ? '' : `${m[1]} \\times `}10^{${Number(m[2])}}`;
  return s;
}

/** The level a layout prints at in LaTeX (how tightly it binds). */
function texLevel(l: Layout): number {
  switch (l.kind) {
    case 'sum':
      return SUM;
    case 'product':
      return PRODUCT;
    case 'neg':
      return UNARY;
    case 'power':
      return POWER;
    case 'number':
      // 1e-7 is written 10^{-7} (a power), 2.5e-7 as 2.5 \times 10^{-7} (a product)
      return /e/.test(String(l.value)) ? (/^1e/.test(String(l.value)) ? POWER : PRODUCT) : ATOM;
    default:
      return ATOM;
  }
}

function tex(l: Layout, min: number): string {
  switch (l.kind) {
    case 'number':
      return wrapTex(texNumber(l.value), texLevel(l), min);
    case 'constant':
      return l.latex;
    case 'name':
      return latexName(l.name);
    case 'neg':
      return wrapTex(`-${tex(l.arg, l.arg.kind === 'product' || l.arg.kind === 'fraction' ? PRODUCT : UNARY)}`, UNARY, min);
    case 'sum': {
      const special = iversonSum(l);
      if (special !== undefined) return special;
      const parts = l.terms.map((t, i) => {
        const body = tex(t.arg, PRODUCT);
        if (i === 0) return t.minus ? `-${body}` : body;
        return `${t.minus ? '-' : '+'} ${body}`;
      });
      return wrapTex(parts.join(' '), SUM, min);
    }
    case 'product': {
      let text = '';
      l.factors.forEach((f, i) => {
        const part = tex(f, UNARY);
        // A number before a name is written as a course writes it, 2x; elsewhere a thin separation.
        if (i > 0) text += startsWithDigit(f) ? ' \\cdot ' : i === 1 && /^[0-9.]+$/.test(text) && /^[A-Za-z]/.test(part) ? '' : ' ';
        text += part;
      });
      return wrapTex(text, PRODUCT, min);
    }
    case 'fraction': {
      const den: Layout = l.after ? { kind: 'product', factors: [l.after, l.den] } : l.den;
      return `\\frac{${tex(l.num, SUM)}}{${tex(den, SUM)}}`;
    }
    case 'power':
      return texPower(l.base, l.exponent, min);
    case 'call':
      return texCall(l.fn, l.args);
  }
}

function startsWithDigit(l: Layout): boolean {
  switch (l.kind) {
    case 'number':
      return true;
    case 'power':
      return startsWithDigit(l.base);
    case 'product':
      return startsWithDigit(l.factors[0]!);
    default:
      return false;
  }
}

function texCall(fn: string, args: readonly Layout[]): string {
  const a = args.map((x) => tex(x, SUM));
  switch (fn) {
    case 'exp':
      return `e^{${a[0]}}`;
    case 'sqrt':
      return `\\sqrt{${a[0]}}`;
    case 'cbrt':
      return `\\sqrt[3]{${a[0]}}`;
    case 'abs':
      return `\\left|${a[0]}\\right|`;
    default:
      return `${OPERATORS[fn] ?? `\\operatorname{${fn}}`}${paren(a.join(', '))}`;
  }
}

function texPower(base: Layout, exponent: Layout, min: number): string {
  // 0^relu(u) = [u <= 0]
  if (isIndicator(base, exponent)) return iverson((exponent as { args: readonly Layout[] }).args[0]!, false);
  const e = tex(exponent, SUM);
  if (
    base.kind === 'call' &&
    POWER_BEFORE_ARGUMENT.has(base.fn) &&
    exponent.kind === 'number' &&
    Number.isInteger(exponent.value) &&
    exponent.value > 0
  ) {
    return `${OPERATORS[base.fn]}^{${e}}${paren(tex(base.args[0]!, SUM))}`;
  }
  const atomic =
    base.kind === 'name' ||
    base.kind === 'constant' ||
    (base.kind === 'number' && texLevel(base) === ATOM) ||
    (base.kind === 'call' && base.fn !== 'exp' && base.fn !== 'sqrt' && base.fn !== 'cbrt');
  const b = atomic ? tex(base, ATOM) : paren(tex(base, SUM));
  return wrapTex(`${b}^{${e}}`, POWER, min);
}

function isIndicator(base: Layout, exponent: Layout): boolean {
  return base.kind === 'number' && base.value === 0 && exponent.kind === 'call' && exponent.fn === 'relu';
}

/** [u <= 0] (or [u > 0] when `strict`), with u's terms moved to the sides: [x >= 1] for 0^relu(1 - x). */
function iverson(u: Layout, above: boolean): string {
  const le = above ? '>' : '\\le';
  const ge = above ? '<' : '\\ge';
  let text: string;
  if (u.kind === 'neg') text = `${tex(u.arg, SUM)} ${ge} 0`;
  else if (u.kind === 'sum' && u.terms.length === 2 && u.terms[0]!.minus !== u.terms[1]!.minus) {
    const plus = u.terms.find((t) => !t.minus)!.arg;
    const minus = u.terms.find((t) => t.minus)!.arg;
    // plus - minus <= 0  <=>  plus <= minus; a number goes on the right.
    if (plus.kind === 'number' || plus.kind === 'constant') text = `${tex(minus, SUM)} ${ge} ${tex(plus, SUM)}`;
    else text = `${tex(plus, SUM)} ${le} ${tex(minus, SUM)}`;
  } else text = `${tex(u, SUM)} ${le} 0`;
  return `\\left[${text}\\right]`;
}

/** 1 - [u <= 0] is [u > 0]; [-u <= 0] - [u <= 0] is sgn(u). */
function iversonSum(l: Extract<Layout, { kind: 'sum' }>): string | undefined {
  if (l.terms.length !== 2) return undefined;
  const [a, b] = l.terms;
  const indicatorArg = (x: Layout): Layout | undefined =>
    x.kind === 'power' && isIndicator(x.base, x.exponent) ? (x.exponent as { args: readonly Layout[] }).args[0] : undefined;
  if (!a!.minus && b!.minus && a!.arg.kind === 'number' && a!.arg.value === 1) {
    const u = indicatorArg(b!.arg);
    if (u) return iverson(u, true);
  }
  if (!a!.minus && b!.minus) {
    const u1 = indicatorArg(a!.arg);
    const u2 = indicatorArg(b!.arg);
    if (u1 && u2 && u1.kind === 'neg' && tex(u1.arg, SUM) === tex(u2, SUM)) return `\\operatorname{sgn}${paren(tex(u2, SUM))}`;
  }
  return undefined;
}
