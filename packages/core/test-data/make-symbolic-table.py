#!/usr/bin/env python3
"""Write symbolic-table.json: symbolic derivatives by SymPy, for Nudge's own.

Run from anywhere:

    python3 packages/core/test-data/make-symbolic-table.py

Needs python3 (3.8+), sympy and mpmath. The TypeScript tests read the JSON
file (src/symbolic/sympy.test.ts); they never run this script. The output is
deterministic (seeded generators, shortest round-trip decimals): rerunning
gives the identical file.

What a case holds
-----------------
  expr        an expression in Nudge syntax;
  wrt         the variable;
  sympy       SymPy's derivative, sympy.diff of the expression, printed in
              Nudge syntax by `to_nudge` below (so that the tests can parse it,
              evaluate it and count its nodes the way Nudge counts its own);
  points      a few points with the derivative's value there, evaluated by
              SymPy at 50 digits at the exact binary value of the coordinates
              and rounded to the nearest double.

The expressions are those of make-derivative-table.py (whose parser and
plain-float dual-number evaluator this script reuses: imported, not copied),
and a few more from deep learning (w, b as variables).

SymPy has no sigmoid, relu or softplus, and its cbrt is the principal
(complex) root; they are written here as SymPy functions with the usual
derivatives: sigmoid' = sigmoid (1 - sigmoid), relu' = Heaviside,
softplus' = sigmoid, cbrt(u)' = 1/(3 cbrt(u)^2) with the real cube root. At
the non-differentiable points SymPy's Abs, Max, Min and these are kept away
from: every point keeps each kink, pole and branch point at the margins of
make-derivative-table.py's `domain_check`.

Each point is accepted only if the plain-float dual-number derivative agrees
with SymPy's value to 1e-10 relative (the point is well conditioned in
float64, so the tests may ask for 1e-10), and 1e-3 <= |derivative| <= 1e8.
"""

import importlib.util
import json
import math
import os
import random
import sys
from fractions import Fraction

import mpmath
import sympy as sp

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "symbolic-table.json")
SCRIPT_NAME = "packages/core/test-data/make-symbolic-table.py"
SEED = 20261203
POINTS = 3
DIGITS = 50
mpmath.mp.dps = DIGITS

# The parser, the float evaluator and the templates of the derivative table.
_spec = importlib.util.spec_from_file_location("derivative_table", os.path.join(HERE, "make-derivative-table.py"))
dt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dt)
dt.VARIABLES = ("x", "y", "z", "w", "b")
Reject = dt.Reject
SYMBOLS = {name: sp.Symbol(name, real=True) for name in dt.VARIABLES}


class Parser(dt.Parser):
    """Nudge syntax in full: also `-a^b` (= -(a^b)) and `a^b^c` (= a^(b^c)), which the
    derivative table's parser refuses for its own templates; SymPy's printed
    derivatives use them."""

    def unary(self):
        if self.peek() == "-":
            self.take("-")
            return ("neg", self.unary())
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek() == "^":
            self.take("^")
            return ("pow", base, self.unary())
        return base


def parse(src):
    return Parser(src).parse()


# --------------------------------------------------------------------------
# The functions SymPy lacks
# --------------------------------------------------------------------------

class sigmoid(sp.Function):
    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)


class relu(sp.Function):
    def fdiff(self, argindex=1):
        return sp.Heaviside(self.args[0])


class softplus(sp.Function):
    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])


class cbrt(sp.Function):
    """The real cube root."""

    def fdiff(self, argindex=1):
        return 1 / (3 * cbrt(self.args[0]) ** 2)


def closed_form(expr):
    """The expression with the functions above written out, for evaluation."""
    return expr.replace(sigmoid, lambda t: 1 / (1 + sp.exp(-t))) \
               .replace(softplus, lambda t: sp.log(1 + sp.exp(t))) \
               .replace(relu, lambda t: sp.Max(t, 0)) \
               .replace(cbrt, lambda t: sp.sign(t) * sp.Abs(t) ** sp.Rational(1, 3))


def to_sympy(node):
    kind = node[0]
    if kind == "num":
        return sp.Rational(node[1])
    if kind == "var":
        return SYMBOLS[node[1]]
    if kind == "const":
        return sp.pi if node[1] == "pi" else sp.E
    if kind == "neg":
        return -to_sympy(node[1])
    if kind in ("add", "sub", "mul", "div", "pow"):
        a = to_sympy(node[1])
        b = to_sympy(node[2])
        return {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
                "div": lambda: a / b, "pow": lambda: a ** b}[kind]()
    name = node[1]
    args = [to_sympy(a) for a in node[2]]
    u = args[0]
    table = {
        "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "sec": sp.sec, "csc": sp.csc, "cot": sp.cot,
        "asin": sp.asin, "acos": sp.acos, "atan": sp.atan,
        "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh,
        "asinh": sp.asinh, "acosh": sp.acosh, "atanh": sp.atanh,
        "exp": sp.exp, "log": sp.log, "ln": sp.log,
        "log10": lambda t: sp.log(t, 10), "log2": lambda t: sp.log(t, 2),
        "sqrt": sp.sqrt, "abs": sp.Abs, "cbrt": cbrt,
        "sigmoid": sigmoid, "relu": relu, "softplus": softplus,
    }
    if name == "pow":
        return args[0] ** args[1]
    if name == "min":
        return sp.Min(args[0], args[1])
    if name == "max":
        return sp.Max(args[0], args[1])
    return table[name](u)


# --------------------------------------------------------------------------
# SymPy -> Nudge syntax
# --------------------------------------------------------------------------

SUM, PRODUCT, UNARY, POWER, ATOM = 1, 2, 3, 4, 5

CALLS = {
    sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.sec: "sec", sp.csc: "csc", sp.cot: "cot",
    sp.asin: "asin", sp.acos: "acos", sp.atan: "atan",
    sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh",
    sp.asinh: "asinh", sp.acosh: "acosh", sp.atanh: "atanh",
    sp.log: "log", sp.Abs: "abs", sp.Max: "max", sp.Min: "min",
    sigmoid: "sigmoid", relu: "relu", softplus: "softplus", cbrt: "cbrt",
}


def wrap(text, level, minimum):
    return "(%s)" % text if level < minimum else text


def number(value):
    """An exact rational as Nudge text and its level."""
    if value.is_Integer:
        return str(int(value)), (ATOM if value >= 0 else UNARY)
    if value.is_Rational:
        return "%d/%d" % (value.p, value.q), PRODUCT
    f = float(value)
    return repr(f), (ATOM if f >= 0 else UNARY)


def to_nudge(e, minimum=SUM):
    """SymPy expression -> Nudge syntax, with the fewest parentheses."""
    if e.is_Number:
        text, level = number(e)
        return wrap(text, level, minimum)
    if e is sp.pi:
        return "pi"
    if e is sp.E:
        return "e"
    if e.is_Symbol:
        return e.name
    if e.is_Add:
        terms = e.as_ordered_terms()
        out = ""
        for i, t in enumerate(terms):
            negative = t.could_extract_minus_sign()
            body = to_nudge(-t if negative else t, PRODUCT)
            if i == 0:
                out = ("-" + body) if negative else body
            else:
                out += (" - " if negative else " + ") + body
        return wrap(out, SUM, minimum)
    if e.is_Mul:
        if e.could_extract_minus_sign():
            return wrap("-" + to_nudge(-e, PRODUCT), PRODUCT, minimum)
        num, den = [], []
        for f in e.as_ordered_factors():
            if f.is_Rational and not f.is_Integer:
                if f.p != 1:
                    num.append(sp.Integer(f.p))
                den.append(sp.Integer(f.q))
            elif f.is_Pow and f.exp.is_Number and f.exp < 0:
                den.append(f.base ** (-f.exp))
            else:
                num.append(f)
        top = "*".join(to_nudge(f, UNARY) for f in num) if num else "1"
        if not den:
            return wrap(top, PRODUCT, minimum)
        bottom = to_nudge(den[0], UNARY) if len(den) == 1 else "(%s)" % "*".join(to_nudge(f, UNARY) for f in den)
        return wrap("%s/%s" % (top, bottom), PRODUCT, minimum)
    if e.is_Pow:
        b, x = e.base, e.exp
        if x == sp.Rational(1, 2):
            return "sqrt(%s)" % to_nudge(b)
        if x.is_Number and x < 0:
            return wrap("1/%s" % to_nudge(b ** (-x), UNARY), PRODUCT, minimum)
        if b is sp.E:
            return "exp(%s)" % to_nudge(x)
        return wrap("%s^%s" % (to_nudge(b, ATOM), to_nudge(x, UNARY)), POWER, minimum)
    if isinstance(e, sp.exp):
        return "exp(%s)" % to_nudge(e.args[0])
    if isinstance(e, sp.sign):
        u = to_nudge(e.args[0])
        nu = to_nudge(-e.args[0])
        return wrap("0^relu(%s) - 0^relu(%s)" % (nu, u), SUM, minimum)
    if isinstance(e, sp.Heaviside):
        return wrap("1 - 0^relu(%s)" % to_nudge(e.args[0]), SUM, minimum)
    if isinstance(e, (sp.sech, sp.csch, sp.coth)):
        inner = {sp.sech: "cosh", sp.csch: "sinh", sp.coth: "tanh"}[e.func]
        return wrap("1/%s(%s)" % (inner, to_nudge(e.args[0])), PRODUCT, minimum)
    if e.func in CALLS:
        return "%s(%s)" % (CALLS[e.func], ", ".join(to_nudge(a) for a in e.args))
    raise ValueError("no Nudge form for %s (%s)" % (e, e.func))


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

# Deep learning: neurons, losses, activations (variables w, b, x, y).
EXTRA = [
    "tanh(w*x+b)", "sigmoid(w*x+b)", "relu(w*x+b)", "softplus(w*x+b)", "(w*x+b-y)^2",
    "log(1+exp(w*x))", "-y*log(sigmoid(w*x))-(1-y)*log(1-sigmoid(w*x))", "exp(-x^2/2)",
    "x*sigmoid(x)", "x*tanh(softplus(x))", "x/(1+abs(x))", "log(exp(x)+exp(y))",
    "sqrt(x^2+y^2)", "(x^2+y^2)^2", "x^2*y", "x^3", "sin(x^2)", "exp(x)*sin(x)",
    "x^4-4*x^3+6*x^2-4*x+1", "1/(1+x^2)^2",
]


def cases_of(expr):
    tree = parse(expr)
    names = sorted(dt.vars_in(tree, set()))
    return [(expr, tree, wrt, names) for wrt in names]


def all_cases():
    out = []
    seen = set()

    def add(expr):
        if expr in seen:
            return
        seen.add(expr)
        out.extend(cases_of(expr))

    for _, exprs in dt.SINGLE:
        for expr in exprs:
            add(expr)
    for expr, _ in dt.MULTI:
        add(expr)
    for expr in EXTRA:
        add(expr)
    return out


def exact(value):
    f = Fraction(value)
    return sp.Rational(f.numerator, f.denominator)


def high_precision(expr, subs):
    v = sp.N(closed_form(expr), DIGITS, subs=subs)
    if not v.is_number or v.is_real is False or not v.is_finite:
        return None
    re, im = v.as_real_imag()
    if im != 0:
        return None
    return mpmath.mpf(sp.Float(re, DIGITS)._mpf_)


def sample(expr, tree, wrt, names, derivative, rng):
    points = []
    for _ in range(4000):
        if len(points) == POINTS:
            break
        point = dt.draw(rng, names, "normal")
        try:
            fv, fd = dt.feval(tree, point, wrt)
        except (Reject, ValueError, OverflowError, ZeroDivisionError):
            continue
        if not (math.isfinite(fv) and math.isfinite(fd)) or not (1e-3 <= abs(fd) <= 1e8):
            continue
        subs = {SYMBOLS[n]: exact(v) for n, v in point.items()}
        d = high_precision(derivative, subs)
        if d is None:
            continue
        value = float(d)
        if not math.isfinite(value) or abs(fd - value) > 1e-10 * abs(value):
            continue
        if any(p["at"] == point for p in points):
            continue
        points.append({"at": {n: point[n] for n in sorted(point)}, "derivative": value})
    if len(points) < 2:
        raise RuntimeError("fewer than 2 points for %s d/d%s" % (expr, wrt))
    return points


def main():
    cases = []
    for expr, tree, wrt, names in all_cases():
        f = to_sympy(tree)
        derivative = sp.diff(f, SYMBOLS[wrt])
        text = to_nudge(derivative)
        rng = random.Random("%d:%s:%s" % (SEED, expr, wrt))
        points = sample(expr, tree, wrt, names, derivative, rng)
        # The printed text means the same derivative: parse it back with this script's parser and compare.
        back = to_sympy(parse(text))
        for p in points:
            subs = {SYMBOLS[n]: exact(v) for n, v in p["at"].items()}
            v = high_precision(back, subs)
            if v is None or abs(float(v) - p["derivative"]) > 1e-12 * abs(p["derivative"]):
                raise AssertionError("printed derivative disagrees: %s d/d%s: %s" % (expr, wrt, text))
        cases.append({"expr": expr, "wrt": wrt, "sympy": text, "points": points})

    assert len(cases) >= 150, len(cases)
    head = {
        "script": SCRIPT_NAME,
        "sympy": sp.__version__,
        "mpmath": mpmath.__version__,
        "seed": SEED,
        "digits": DIGITS,
        "note": ("sympy = sympy.diff of expr printed in Nudge syntax; points: the derivative at the exact "
                 "binary value of 'at', rounded to nearest double; regenerate with python3 " + SCRIPT_NAME),
    }
    lines = ["{", '  "generator": ' + json.dumps(head, ensure_ascii=True) + ",", '  "cases": [']
    for i, c in enumerate(cases):
        lines.append("    " + json.dumps(c, ensure_ascii=True, allow_nan=False) + ("," if i + 1 < len(cases) else ""))
    lines += ["  ]", "}"]
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    with open(OUT, encoding="utf-8") as f:
        assert json.load(f)["cases"] == cases
    print("wrote %s: %d derivatives of %d expressions" % (
        os.path.relpath(OUT), len(cases), len({c["expr"] for c in cases})), file=sys.stderr)


if __name__ == "__main__":
    main()
