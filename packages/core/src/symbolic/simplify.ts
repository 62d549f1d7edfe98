import { isSimpleRational, tidyNumber } from '../ir/latex.js';
import { lower } from '../ir/lower.js';
import { Graph, reachable, type IrNode } from '../ir/node.js';
import { naturalCompare } from '../ir/variables.js';
import { isOpName, type OpName } from '../ops/table.js';
import { parse } from '../parse/parse.js';
import { FACTOR_RULES, RULES, type Rule } from './rules.js';
import { treeSize } from './size.js';

/**
 * Simplification: an expression as a person would write it, as IR in the same
 * graph (so equal results are the same node).
 *
 * The normal form, built bottom-up in one pass over the DAG (each node once):
 *
 * - constants folded; `x*1`, `x + 0`, `x^1`, `x^0`, `--x` gone; coefficients
 *   tidied to the simple number they are within rounding (tidyNumber:
 *   3*(1/(3*log(10))) is log10(e), 0.1 + 0.2 is 0.3);
 * - sums flattened, like terms collected (`x + x` -> `2*x`, `3*x - x` -> `2*x`),
 *   a number times a sum distributed (`2*(x + 1)` -> `2*x + 2`) unless taking
 *   the content out is shorter (`2*w*x + 2*b - 2*y` -> `2*(w*x + b - y)`),
 *   factors common to every term taken out where that is shorter
 *   (`x*e^x + e^x` -> `e^x*(x + 1)`, `cos(x)/x - sin(x)/x^2` ->
 *   `(cos(x) - sin(x)/x)/x`; not a variable to a positive power, so
 *   polynomials stay expanded);
 * - products flattened, like factors collected (`x*x` -> `x^2`, `x^2*x` ->
 *   `x^3`, `x/x` -> `1`, `x/sqrt(x)` -> `sqrt(x)`: sqrt(u) is u^(1/2)),
 *   integer powers of products distributed (`(2*x)^2` -> `4*x^2`), a sum
 *   factor turned to its normal sign with its content taken out
 *   (`(-x - 1)*y` -> `-y*(x + 1)`, `1/(2*x + 2)` -> `1/(2*(x + 1))`; see
 *   `normal`), except that a negative product gives its sign to a sum
 *   factor of mixed signs (`e^-x*(1 - x)`, not `-e^-x*(x - 1)`);
 * - a canonical order: numeric coefficient first, then variables, functions
 *   and sums (`2*x*cos(x^2)`); terms by degree, highest first, the constant
 *   last, and the first term positive where one is (`1 - sigmoid(x)`, not
 *   `-sigmoid(x) + 1`); `-1*a` is `-a`; `x^-2` is `1/x^2`; `b^-u` is `1/b^u`;
 *   `e^u` is `exp(u)`;
 * - the rules of rules.ts (functions of particular forms), as data.
 *
 * Where two forms are equally valid the shorter as printed (size.ts) is
 * chosen, the same way every time. Passes repeat until nothing changes (at
 * most `maxPasses`).
 *
 * Exactness: at every point where each subexpression of the original has a
 * finite value, the simplified expression has the same value, up to rounding.
 * (Where IEEE arithmetic gives a number to an undefined subexpression it may
 * differ: 1/inf = 0, (-inf)^0.5 = inf where sqrt(-inf) is NaN, -0.) The
 * simplified expression may have a value where the original has none (a
 * domain extension) in these documented cases only:
 *   - dead terms: `0*u` -> 0 and `u - u` -> 0 also where u is infinite or NaN;
 *   - like factors: `u^a * u^-b` -> `u^(a-b)` also where u = 0 (`x/x` -> 1,
 *     `x^2/x` -> `x`, `x/sqrt(x)` -> `sqrt(x)`: the original is 0*inf there;
 *     in derivatives this is the continuous extension, d/dx x*|x| = 2*|x| is 0
 *     at 0) and where a non-integer power of a negative u was NaN
 *     (`sqrt(x)^2` -> `x`, `x^0.5*x^1.5` -> `x^2`, `(x^(1/3))^3` -> `x`);
 *   - the factor rules of rules.ts marked so (`tan(u)*cos(u)` -> `sin(u)`,
 *     `1/tan(u)` -> `cos(u)/sin(u)` where cos(u) = 0; `u/cbrt(u)^2` ->
 *     `cbrt(u)` at 0).
 * No rule loses a value: `(u^2)^0.5` is |u|, not u; `exp(log(u))` stays;
 * `cos(u)/sin(u)` is not made 1/tan(u).
 */
export interface SimplifyOptions {
  /** Passes before giving up on a fixed point (default 16). */
  maxPasses?: number;
}

export function simplify(g: Graph, node: IrNode, options: SimplifyOptions = {}): IrNode {
  const maxPasses = options.maxPasses ?? 16;
  let current = node;
  for (let pass = 0; pass < maxPasses; pass++) {
    const next = new Pass(g).run(current);
    if (next === current) return next;
    current = next;
  }
  return current;
}

/** b^exp, exp a number other than 0. */
interface Factor {
  readonly base: IrNode;
  readonly exp: number;
}

/** coef * Π factors, the factors merged (one per base) and in canonical order. */
interface Product {
  readonly coef: number;
  readonly factors: readonly Factor[];
}

const ONE: Product = { coef: 1, factors: [] };

class Pass {
  private readonly done = new Map<number, IrNode>();
  private readonly reads = new Map<number, Product>();
  private readonly normals = new Map<number, boolean>();
  private readonly sums = new Map<string, IrNode>();
  /** Inside multipliedIn: its candidates are not multiplied in again. */
  private multiplying = false;

  constructor(private readonly g: Graph) {}

  run(root: IrNode): IrNode {
    for (const n of reachable([root])) this.done.set(n.id, this.node(n));
    return this.done.get(root.id)!;
  }

  /** The canonical form of n, its arguments already canonical. */
  private node(n: IrNode): IrNode {
    // Vector-valued nodes (vector mode) are left as they are: the normal form is element-wise, and
    // cancelling v/v to the scalar 1 would change a vector's shape.
    if (n.op === 'const' || n.op === 'var' || !isOpName(n.op) || n.length > 1) return n;
    const args = n.args.map((a) => this.done.get(a.id)!);
    return this.build(n.op, args);
  }

  /** op(args) in canonical form, for canonical args. */
  build(op: OpName, args: readonly IrNode[]): IrNode {
    const [a, b] = args;
    switch (op) {
      case 'add':
        return this.sum(args);
      case 'sub':
        return this.sum([a!, this.negate(b!)]);
      case 'mul':
        return this.product(args.map((x) => this.read(x)));
      case 'div':
        return this.product([this.read(a!), inverted(this.read(b!))]);
      case 'neg':
        return this.negate(a!);
      case 'recip':
        return this.power(a!, -1);
      case 'square':
        return this.rewrite(this.power(a!, 2));
      case 'sqrt':
        return this.rewrite(this.power(a!, 0.5));
      case 'pow':
        if (b!.op === 'const') return this.rewrite(this.power(a!, b!.value));
        // e^u = exp(u); b^-u = 1/b^u
        if (a!.op === 'const' && a!.value === Math.E) return this.build('exp', [b!]);
        if (this.isNegative(b!)) return this.power(this.build('pow', [a!, this.negate(b!)]), -1);
        return this.rewrite(this.g.apply('pow', [a!, b!]));
      default:
        return this.rewrite(this.g.apply(op, args));
    }
  }

  // -------------------------------------------------------------------------
  // Reading canonical nodes as products and sums
  // -------------------------------------------------------------------------

  /** A canonical node as coef * Π factors. */
  read(n: IrNode): Product {
    let p = this.reads.get(n.id);
    if (p === undefined) {
      p = this.readUncached(n);
      this.reads.set(n.id, p);
    }
    return p;
  }

  private readUncached(n: IrNode): Product {
    switch (n.op) {
      case 'const':
        return { coef: n.value, factors: [] };
      case 'mul':
        return merge(n.args.map((a) => this.read(a)));
      case 'neg':
        return negated(this.read(n.args[0]!));
      case 'recip':
        return inverted(this.read(n.args[0]!));
      case 'pow':
        if (n.args[1]!.op === 'const' && Number.isFinite(n.args[1]!.value)) return this.factor(n.args[0]!, n.args[1]!.value);
        return { coef: 1, factors: [{ base: n, exp: 1 }] };
      case 'sqrt':
        // sqrt(u) = u^(1/2), so that it merges with other powers of u: u/sqrt(u) = sqrt(u)
        return this.factor(n.args[0]!, 0.5);
      default:
        return this.factor(n, 1);
    }
  }

  /**
   * base^exp as a product. A sum base to an integer power is made normal
   * (its sign, see `normal`) and primitive (whole coefficients without a
   * common divisor, or coefficients of one magnitude made ±1), the rest going
   * to the coefficient: (2 - 2*x)^3 is -8*(x - 1)^3.
   */
  private factor(base: IrNode, exp: number): Product {
    if (base.op === 'add' && Number.isInteger(exp)) {
      const sign = this.normal(base) ? 1 : -1;
      const ts = this.terms(base);
      const divisor = content(ts);
      const c = sign * (divisor > 0 && Number.isFinite(divisor) ? divisor : 1);
      if (c !== 1) {
        const primitive = this.sumOfTerms(ts.map((t) => ({ coef: tidyNumber(t.coef / c), factors: t.factors })));
        return { coef: tidyNumber(Math.pow(c, exp)), factors: [{ base: primitive, exp }] };
      }
    }
    return { coef: 1, factors: [{ base, exp }] };
  }

  /** The terms of a canonical node: a sum's terms, a number times a sum distributed. */
  terms(n: IrNode): Product[] {
    if (n.op === 'add') return n.args.flatMap((a) => this.terms(a));
    const p = this.read(n);
    const only = p.factors.length === 1 ? p.factors[0]! : undefined;
    if (only !== undefined && only.exp === 1 && only.base.op === 'add') {
      return this.terms(only.base).map((t) => ({ coef: t.coef * p.coef, factors: t.factors }));
    }
    return [p];
  }

  /**
   * Of a sum S and -S exactly one is normal, the one that is written where S
   * is a factor (the other is written as -1 times it): the one whose first
   * term is positive, in this order of terms: polynomial terms (highest degree
   * first), then the constant, then the rest. So `x - 1`, `x^2 - 1`,
   * `1 - sigmoid(x)` and `1 - tanh(x)^2` are normal; `1 - x` is not.
   */
  private normal(s: IrNode): boolean {
    let v = this.normals.get(s.id);
    if (v === undefined) {
      const ts = this.terms(s);
      const polynomial = (t: Product): boolean => t.factors.every((f) => f.base.op === 'var' && f.exp > 0);
      const poly = ts.filter((t) => t.factors.length > 0 && polynomial(t)).sort(compareTerms);
      const constant = ts.filter((t) => t.factors.length === 0).reduce((acc, t) => acc + t.coef, 0);
      const rest = ts.filter((t) => t.factors.length > 0 && !polynomial(t)).sort(compareTerms);
      const first = poly[0]?.coef ?? (constant !== 0 ? constant : rest[0]?.coef ?? 1);
      v = !(first < 0);
      this.normals.set(s.id, v);
    }
    return v;
  }

  /** True when n reads with a minus sign in front (-x, -2*x, -x - 1), so that -n reads without. */
  isNegative(n: IrNode): boolean {
    if (n.op === 'add') return this.terms(n).every((t) => t.coef < 0);
    const first = n.op === 'mul' ? n.args[0]! : n;
    return first.op === 'neg' || (first.op === 'const' && first.value < 0);
  }

  // -------------------------------------------------------------------------
  // Building
  // -------------------------------------------------------------------------

  negate(n: IrNode): IrNode {
    if (n.op === 'add') return this.sumOfTerms(this.terms(n).map(negated));
    return this.product([negated(this.read(n))]);
  }

  private sum(args: readonly IrNode[]): IrNode {
    return this.sumOfTerms(args.flatMap((a) => this.terms(a)));
  }

  /**
   * The sum of terms, like terms collected, in the shortest of its normal
   * forms. `expand`: may also try multiplying out products with a sum factor
   * (x*y*(s - 1) - x*s*(y - 1) is x*(s - y)); false inside that trial.
   */
  sumOfTerms(all: readonly Product[], expand = true): IrNode {
    let constant = 0;
    const byKey = new Map<string, { coef: number; factors: readonly Factor[] }>();
    for (const t of all) {
      if (t.factors.length === 0) {
        constant = tidyNumber(constant + t.coef);
        continue;
      }
      const key = keyOf(t.factors);
      const like = byKey.get(key);
      if (like) like.coef = tidyNumber(like.coef + t.coef);
      else byKey.set(key, { coef: t.coef, factors: t.factors });
    }
    const terms: Product[] = [...byKey.values()].filter((t) => t.coef !== 0);
    if (Number.isNaN(constant) || terms.some((t) => Number.isNaN(t.coef))) return this.g.constant(NaN); // NaN + u = NaN
    if (terms.length === 0) return this.g.constant(constant);
    if (terms.length === 1 && constant === 0) return this.render(terms[0]!);

    // The same sum comes up again and again (in each candidate form of an enclosing sum): once each.
    const key = `${expand ? 'e' : 'n'}${constant}|${terms.map((t) => `${t.coef}:${keyOf(t.factors)}`).sort().join('+')}`;
    let done = this.sums.get(key);
    if (done === undefined) {
      done = this.chooseSum(terms, constant, expand);
      this.sums.set(key, done);
    }
    return done;
  }

  /** The shortest normal form of a sum of collected terms. */
  private chooseSum(terms: readonly Product[], constant: number, expand: boolean): IrNode {
    const candidates: IrNode[] = [];
    if (constant === 0) {
      // Factors common to every term: e^x*(x + 1), not x*e^x + e^x. Negative powers are taken out
      // to the power nearest 0 ((cos(x) - sin(x)/x)/x) or to the most negative, a common
      // denominator ((x*cos(x) - sin(x))/x^2). A variable is taken out only where what stays is
      // not a polynomial: x*(s - y), but 3*x^2 + 2*x.
      for (const denominator of ['common', 'nearest'] as const) {
        let common = commonFactors(terms, denominator);
        const rest = (c: readonly Factor[]): Product[] =>
          terms.map((t) => merge([t, { coef: 1, factors: c.map((f) => ({ base: f.base, exp: -f.exp })) }]));
        if (rest(common).every(isPolynomial)) common = common.filter((f) => !(f.exp > 0 && f.base.op === 'var'));
        if (common.length === 0) continue;
        candidates.push(this.product([{ coef: 1, factors: common }, this.read(this.sumOfTerms(rest(common), expand))]));
      }
    }

    // 2*w*x + 2*b - 2*y = 2*(w*x + b - y): whole content taken out where that saves writing it
    // on two or more terms (6*x^2 + 2 stays as it is).
    const withConstant = constant === 0 ? terms : [...terms, { coef: constant, factors: [] }];
    if (withConstant.every((t) => Number.isInteger(t.coef))) {
      const content = withConstant.reduce((acc, t) => gcd(acc, Math.abs(t.coef)), 0);
      if (content > 1 && Number.isFinite(content) && terms.filter((t) => Math.abs(t.coef) === content).length >= 2) {
        const inner = this.sumOfTerms(
          withConstant.map((t) => ({ coef: t.coef / content, factors: t.factors })),
          expand,
        );
        candidates.push(this.render({ coef: content, factors: [{ base: inner, exp: 1 }] }));
      }
    }

    candidates.push(this.renderSum(terms, constant));

    // Products with a sum factor multiplied out, where the terms then cancel or collect into something shorter.
    // (One level: each term's first sum factor; at most 48 terms.)
    if (expand && terms.length <= 12 && terms.some((t) => t.factors.some((f) => f.exp === 1 && f.base.op === 'add'))) {
      const expanded: Product[] = [];
      for (const t of withConstant) {
        expanded.push(...this.multiplyOut(t));
        if (expanded.length > 48) break;
      }
      if (expanded.length <= 48) candidates.push(this.sumOfTerms(expanded, false));
    }
    return shortest(candidates);
  }

  /** A term with its first sum factor (to the power 1) multiplied out: c*u*(a + b) -> c*u*a + c*u*b. */
  private multiplyOut(t: Product): Product[] {
    const i = t.factors.findIndex((f) => f.exp === 1 && f.base.op === 'add');
    if (i < 0) return [t];
    const others = { coef: t.coef, factors: t.factors.filter((_, j) => j !== i) };
    return this.terms(t.factors[i]!.base).map((s) => merge([others, s]));
  }

  /** A sum of collected terms as a node: terms in canonical order, the first positive where one is. */
  private renderSum(collected: readonly Product[], constant: number): IrNode {
    const terms = [...collected].sort(compareTerms);
    if (constant !== 0) terms.push({ coef: constant, factors: [] });
    if (terms.length === 1) return this.render(terms[0]!);
    if (terms[0]!.coef < 0) {
      const i = terms.findIndex((t) => t.coef > 0);
      if (i > 0) terms.unshift(...terms.splice(i, 1));
    }
    const args = terms.map((t, i) =>
      i > 0 && t.coef < 0 ? this.g.apply('neg', [this.render({ coef: -t.coef, factors: t.factors })]) : this.render(t),
    );
    return this.g.apply('add', args);
  }

  product(ps: readonly Product[]): IrNode {
    let p = merge(ps);
    p = this.applyFactorRules(p);
    if (p.coef === 0) return this.g.constant(0);
    const only = p.factors.length === 1 ? p.factors[0]! : undefined;
    if (only !== undefined && only.exp === 1 && only.base.op === 'add') {
      // c*(a + b) = c*a + c*b
      const c = p.coef;
      return this.sumOfTerms(this.terms(only.base).map((t) => ({ coef: t.coef * c, factors: t.factors })));
    }
    if (this.multiplying) return this.render(p);
    this.multiplying = true;
    try {
      return shortest([this.render(p), ...this.multipliedIn(p)]);
    } finally {
      this.multiplying = false;
    }
  }

  /**
   * A factor multiplied into a sum factor whose terms hold it to the opposite
   * power, where that is shorter: x^2*(1/x^2 + 1) is x^2 + 1, so
   * 1/(x^2*(1/x^2 + 1)) is 1/(x^2 + 1).
   */
  private multipliedIn(p: Product): IrNode[] {
    const out: IrNode[] = [];
    for (const s of p.factors) {
      if (s.base.op !== 'add' || (s.exp !== 1 && s.exp !== -1)) continue;
      const ts = this.terms(s.base);
      for (const f of p.factors) {
        if (f === s || f.base.op === 'add' || Math.sign(f.exp) !== Math.sign(s.exp)) continue;
        // only where it cancels in some term: x^2*(1/x^2 + 1), not x^2*(x + 1)
        const cancels = (t: Product): boolean => t.factors.some((x) => x.base === f.base && x.exp + f.exp * s.exp === 0);
        if (!ts.some(cancels)) continue;
        // f^k s^e = (f^(k e) s)^e for e = ±1
        const inner = this.sumOfTerms(ts.map((t) => merge([t, { coef: 1, factors: [{ base: f.base, exp: f.exp * s.exp }] }])));
        const rest = { coef: p.coef, factors: p.factors.filter((x) => x !== s && x !== f) };
        const q = this.read(inner);
        out.push(this.product([rest, { coef: Math.pow(q.coef, s.exp), factors: q.factors.map((x) => ({ base: x.base, exp: x.exp * s.exp })) }]));
      }
    }
    return out;
  }

  /** a^k for a number k. */
  power(a: IrNode, k: number): IrNode {
    if (k === 1) return a;
    if (k === 0) return this.g.constant(1); // x^0 = 1 for every x, NaN included (as Math.pow)
    if (a.op === 'const') return this.g.constant(Math.pow(a.value, k));
    if (!Number.isFinite(k)) return this.g.apply('pow', [a, this.g.constant(k)]); // x^NaN, x^inf: as they are
    const p = this.read(a);
    // c^k that overflows or underflows where c did not: a^k stays as it is
    const c = Math.pow(p.coef, k);
    if ((c === 0 || !Number.isFinite(c)) && p.coef !== 0 && Number.isFinite(p.coef)) {
      return this.product([{ coef: 1, factors: [{ base: a, exp: k }] }]);
    }
    if (Number.isInteger(k)) {
      // (c u^e v^f)^k = c^k u^(ek) v^(fk)
      return this.product([{ coef: c, factors: p.factors.map((f) => ({ base: f.base, exp: f.exp * k })) }]);
    }
    if (p.coef === 1 && p.factors.length === 1) {
      const { base, exp } = p.factors[0]!;
      // (u^e)^k = u^(ek); for an even e, |u|^(ek): (u^2)^0.5 = |u|
      if (!isEven(exp) || isEven(exp * k)) return this.product([{ coef: 1, factors: [{ base, exp: exp * k }] }]);
      return this.power(this.build('abs', [base]), exp * k);
    } else if (p.coef > 0 && p.coef !== 1 && p.factors.length > 0) {
      // (c u)^k = c^k u^k for c > 0
      const rest = this.render({ coef: 1, factors: p.factors });
      return this.product([{ coef: c, factors: [] }, this.read(this.power(rest, k))]);
    }
    return this.product([{ coef: 1, factors: [{ base: a, exp: k }] }]);
  }

  /** The node of a product: coefficient first, numerator factors, then one reciprocal of the denominator. */
  render(product: Product): IrNode {
    const g = this.g;
    if (product.factors.length === 0 || product.coef === 0 || Number.isNaN(product.coef)) return g.constant(product.coef);
    const p = this.positive(product);
    const powerOf = (f: Factor, exp: number): IrNode =>
      exp === 1 ? f.base : exp === 0.5 ? g.apply('sqrt', [f.base]) : g.apply('pow', [f.base, g.constant(exp)]);
    const list = p.factors.filter((f) => f.exp > 0).map((f) => powerOf(f, f.exp));
    const numerators = list.length;
    const den = p.factors.filter((f) => f.exp < 0).map((f) => powerOf(f, -f.exp));
    if (den.length > 0) list.push(g.apply('recip', [den.length === 1 ? den[0]! : g.apply('mul', den)]));
    if (p.coef === -1 && numerators > 0) {
      // -x*y reads as (-x)*y; a leading sum factor cannot carry the sign: -((x + 1)*(x + 2))
      if (list[0]!.op === 'add') return g.apply('neg', [g.apply('mul', list)]);
      list[0] = g.apply('neg', [list[0]!]);
    } else if (p.coef !== 1) {
      list.unshift(g.constant(p.coef));
    }
    return list.length === 1 ? list[0]! : g.apply('mul', list);
  }

  /**
   * A negative product with a sum factor of mixed signs to an odd power takes
   * the sign into the first such sum: e^-x (1 - x), not -e^-x (x - 1).
   */
  private positive(p: Product): Product {
    if (!(p.coef < 0)) return p;
    const mixed = (f: Factor): boolean => {
      const ts = this.terms(f.base);
      return ts.some((t) => t.coef > 0) && ts.some((t) => t.coef < 0);
    };
    const i = p.factors.findIndex((f) => f.base.op === 'add' && Number.isInteger(f.exp) && f.exp % 2 !== 0 && mixed(f));
    if (i < 0) return p;
    const factors = p.factors.map((f, j) => (j === i ? { base: this.negate(f.base), exp: f.exp } : f)).sort(compareFactors);
    return { coef: -p.coef, factors };
  }

  // -------------------------------------------------------------------------
  // Rules (rules.ts)
  // -------------------------------------------------------------------------

  /** n (canonical, its op's rules not yet tried) after the first rule of RULES that matches. */
  private rewrite(n: IrNode): IrNode {
    for (const rule of compiledRules().byOp.get(n.op) ?? []) {
      const bound = new Map<string, IrNode>();
      if (!this.match(rule.l, n, bound)) continue;
      if (rule.where) {
        const numbers: Record<string, number> = {};
        for (const [name, node] of bound) if (node.op === 'const') numbers[name] = node.value;
        if (!rule.where(numbers)) continue;
      }
      return this.instantiate(rule.r, bound);
    }
    return n;
  }

  private match(pattern: IrNode, n: IrNode, bound: Map<string, IrNode>): boolean {
    const bind = (name: string, value: IrNode): boolean => {
      const old = bound.get(name);
      if (old !== undefined) return old === value;
      bound.set(name, value);
      return true;
    };
    switch (pattern.op) {
      case 'var':
        if (pattern.name.startsWith('c') && n.op !== 'const') return false;
        return bind(pattern.name, n);
      case 'const':
        return n.op === 'const' && Object.is(n.value, pattern.value);
      case 'neg':
        // -u: anything with a minus sign in front
        if (pattern.args[0]!.op === 'var' && this.isNegative(n)) return bind(pattern.args[0]!.name, this.negate(n));
        return false;
      case 'mul': {
        // c*u: a numeric coefficient times the rest
        const [c, u] = pattern.args;
        if (pattern.args.length === 2 && c!.op === 'var' && u!.op === 'var' && n.op !== 'const') {
          const p = this.read(n);
          if (p.coef === 1) return false;
          return bind(c!.name, this.g.constant(p.coef)) && bind(u!.name, this.render({ coef: 1, factors: p.factors }));
        }
        return false;
      }
      default:
        if (n.op !== pattern.op || n.args.length !== pattern.args.length) return false;
        return pattern.args.every((p, i) => this.match(p, n.args[i]!, bound));
    }
  }

  private instantiate(pattern: IrNode, bound: ReadonlyMap<string, IrNode>): IrNode {
    if (pattern.op === 'var') return bound.get(pattern.name)!;
    if (pattern.op === 'const') return this.g.constant(pattern.value);
    if (!isOpName(pattern.op)) throw new Error(`internal: pattern op ${pattern.op}`);
    return this.build(pattern.op, pattern.args.map((a) => this.instantiate(a, bound)));
  }

  /** The product after FACTOR_RULES (sin/cos -> tan, ...), merged again. */
  private applyFactorRules(p: Product): Product {
    if (p.factors.length === 0) return p;
    for (const rule of compiledRules().factorRules) {
      const first = rule.l[0]!; // a function of u (patterns are sorted so)
      for (const f of p.factors) {
        if (f.base.op !== first.op || f.base.args.length !== 1) continue;
        const u = f.base.args[0]!;
        // How many whole copies of the left side the product holds.
        let k = Infinity;
        const matched: Factor[] = [];
        for (const want of rule.l) {
          const have = p.factors.find((x) => (want.op === 'self' ? x.base === u : x.base.op === want.op && x.base.args[0] === u));
          const copies = have === undefined ? 0 : Math.floor(have.exp / want.exp);
          k = Math.min(k, copies);
          if (have) matched.push(have);
        }
        if (!(k >= 1)) continue;
        const out: Product[] = p.factors.map((x) => {
          const j = matched.indexOf(x);
          return j < 0 ? { coef: 1, factors: [x] } : { coef: 1, factors: [{ base: x.base, exp: x.exp - k * rule.l[j]!.exp }] };
        });
        for (const r of rule.r) out.push({ coef: 1, factors: [{ base: r.op === 'self' ? u : this.build(r.op, [u]), exp: k * r.exp }] });
        out.push({ coef: p.coef, factors: [] });
        return this.applyFactorRules(merge(out.map((x) => this.reread(x))));
      }
    }
    return p;
  }

  /** A product whose factor bases may not be canonical factors (a rule's result): read them again. */
  private reread(p: Product): Product {
    return merge([
      { coef: p.coef, factors: [] },
      ...p.factors.filter((f) => f.exp !== 0).map((f) => {
        const q = this.read(f.base);
        return { coef: Math.pow(q.coef, f.exp), factors: q.factors.map((x) => ({ base: x.base, exp: x.exp * f.exp })) };
      }),
    ]);
  }
}

// ---------------------------------------------------------------------------
// Products: merging, order
// ---------------------------------------------------------------------------

function negated(p: Product): Product {
  return { coef: -p.coef, factors: p.factors };
}

function inverted(p: Product): Product {
  return { coef: tidyNumber(1 / p.coef), factors: p.factors.map((f) => ({ base: f.base, exp: -f.exp })) };
}

/** The product of products: coefficients multiplied (and tidied: see tidyNumber), one factor per base, in canonical order. */
function merge(ps: readonly Product[]): Product {
  let coef = 1;
  const byBase = new Map<number, { base: IrNode; exp: number }>();
  for (const p of ps) {
    coef *= p.coef;
    for (const f of p.factors) {
      const same = byBase.get(f.base.id);
      if (same) same.exp += f.exp;
      else byBase.set(f.base.id, { base: f.base, exp: f.exp });
    }
  }
  const factors = [...byBase.values()].filter((f) => f.exp !== 0).sort(compareFactors);
  coef = tidyNumber(coef);
  return factors.length === 0 && coef === 1 ? ONE : { coef, factors };
}

/** A term with variables to positive powers only (or a number). */
function isPolynomial(t: Product): boolean {
  return t.factors.every((f) => f.base.op === 'var' && f.exp > 0);
}

/** The shortest as printed (treeSize); the first of equals. */
function shortest(nodes: readonly IrNode[]): IrNode {
  let best = nodes[0]!;
  let size = treeSize(best);
  for (const n of nodes.slice(1)) {
    const s = treeSize(n);
    if (s < size) {
      best = n;
      size = s;
    }
  }
  return best;
}

function keyOf(factors: readonly Factor[]): string {
  return factors.map((f) => `${f.base.id}^${f.exp}`).join('*');
}

/**
 * The content of a sum's terms: the gcd of whole coefficients (6*x + 4 -> 2),
 * or, where the coefficients are not all simple fractions, the smallest
 * magnitude if every coefficient is a whole multiple of it
 * (log(2)*x + 2*log(2) -> log(2)); else 1 (x - 0.5 stays).
 */
function content(ts: readonly Product[]): number {
  if (ts.every((t) => Number.isInteger(t.coef))) {
    const g = ts.reduce((acc, t) => gcd(acc, Math.abs(t.coef)), 0);
    return g > 0 && Number.isFinite(g) ? g : 1;
  }
  if (ts.every((t) => isSimpleRational(t.coef))) return 1;
  const m = Math.min(...ts.map((t) => Math.abs(t.coef)));
  if (!(m > 0) || !Number.isFinite(m)) return 1;
  return ts.every((t) => Number.isInteger(tidyNumber(t.coef / m))) ? m : 1;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function isEven(k: number): boolean {
  return Number.isInteger(k / 2);
}

/**
 * The factors every term shares, all to positive or all to negative powers:
 * a positive power to the lowest power every term has (e^x*(x + 1)), a
 * negative one to the most negative ('common': a common denominator,
 * (x*cos(x) - sin(x))/x^2) or the one nearest 0 ('nearest',
 * (cos(x) - sin(x)/x)/x).
 */
function commonFactors(terms: readonly Product[], denominator: 'common' | 'nearest'): Factor[] {
  const out: Factor[] = [];
  for (const f of terms[0]!.factors) {
    let exp = f.exp;
    for (const t of terms.slice(1)) {
      const same = t.factors.find((x) => x.base === f.base);
      if (same === undefined || Math.sign(same.exp) !== Math.sign(exp)) {
        exp = 0;
        break;
      }
      exp = exp > 0 || denominator === 'common' ? Math.min(exp, same.exp) : Math.max(exp, same.exp);
    }
    if (exp === 0) continue;
    out.push({ base: f.base, exp });
  }
  return out;
}

/** The order of factors: variables (and their powers), then functions, then sums. */
function category(n: IrNode): number {
  if (n.op === 'var') return 0;
  if (n.op === 'pow') return category(n.args[0]!) === 0 ? 0 : 1;
  if (n.op === 'add') return 2;
  return 1;
}

function compareFactors(a: Factor, b: Factor): number {
  return category(a.base) - category(b.base) || compareNodes(a.base, b.base) || b.exp - a.exp;
}

/** Terms: higher degree first, then by their factors in order (x^2 + x*y + y^2 + x + 1). */
function compareTerms(a: Product, b: Product): number {
  const degree = (p: Product): number => p.factors.reduce((s, f) => s + f.exp, 0);
  const d = degree(b) - degree(a);
  if (d !== 0) return d;
  const n = Math.min(a.factors.length, b.factors.length);
  for (let i = 0; i < n; i++) {
    const fa = a.factors[i]!;
    const fb = b.factors[i]!;
    const c = category(fa.base) - category(fb.base) || compareNodes(fa.base, fb.base) || fb.exp - fa.exp;
    if (c !== 0) return c;
  }
  return a.factors.length - b.factors.length;
}

/** A total order on nodes: numbers, then variables (natural order), then operations by name and arguments. */
export function compareNodes(a: IrNode, b: IrNode): number {
  if (a === b) return 0;
  const rank = (n: IrNode): number => (n.op === 'const' ? 0 : n.op === 'var' ? 1 : 2);
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  if (a.op === 'const') {
    if (Number.isNaN(a.value) || Number.isNaN(b.value)) return Number(Number.isNaN(a.value)) - Number(Number.isNaN(b.value));
    return a.value - b.value || Number(Object.is(b.value, -0)) - Number(Object.is(a.value, -0));
  }
  if (a.op === 'var') return naturalCompare(a.name, b.name);
  if (a.op !== b.op) return a.op < b.op ? -1 : 1;
  if (a.args.length !== b.args.length) return a.args.length - b.args.length;
  for (let i = 0; i < a.args.length; i++) {
    const c = compareNodes(a.args[i]!, b.args[i]!);
    if (c !== 0) return c;
  }
  return a.id - b.id;
}

// ---------------------------------------------------------------------------
// The rules of rules.ts, parsed once into a private graph of patterns.
// ---------------------------------------------------------------------------

interface CompiledRule {
  l: IrNode;
  r: IrNode;
  where?: Rule['where'];
}

/** f(u)^exp, or u^exp itself ('self'). */
interface FactorPattern {
  op: OpName | 'self';
  exp: number;
}

interface CompiledRules {
  byOp: Map<string, CompiledRule[]>;
  factorRules: { l: FactorPattern[]; r: FactorPattern[] }[];
}

let compiled: CompiledRules | undefined;

function compiledRules(): CompiledRules {
  if (compiled) return compiled;
  const pg = new Graph();
  const ir = (text: string): IrNode => lower(pg, parse(text));
  const byOp = new Map<string, CompiledRule[]>();
  for (const rule of RULES) {
    const l = ir(rule.l);
    const list = byOp.get(l.op) ?? [];
    list.push({ l, r: ir(rule.r), ...(rule.where ? { where: rule.where } : {}) });
    byOp.set(l.op, list);
  }
  const functionsFirst = (ps: FactorPattern[]): FactorPattern[] => [...ps].sort((a, b) => Number(a.op === 'self') - Number(b.op === 'self'));
  const factorRules = FACTOR_RULES.map((rule) => ({ l: functionsFirst(factorPattern(ir(rule.l))), r: factorPattern(ir(rule.r)) }));
  compiled = { byOp, factorRules };
  return compiled;
}

/** A product of powers of one-argument functions of u, as (op, exp) pairs. */
function factorPattern(n: IrNode, sign = 1): FactorPattern[] {
  switch (n.op) {
    case 'mul':
      return n.args.flatMap((a) => factorPattern(a, sign));
    case 'recip':
      return factorPattern(n.args[0]!, -sign);
    case 'pow':
      if (n.args[1]!.op === 'const') return factorPattern(n.args[0]!, sign * n.args[1]!.value);
      break;
    case 'var':
      return [{ op: 'self', exp: sign }];
    default:
      if (isOpName(n.op) && n.args.length === 1 && n.args[0]!.op === 'var') return [{ op: n.op, exp: sign }];
  }
  throw new Error(`internal: a factor rule must be a product of f(u)^k, got ${n.op}`);
}
