#!/usr/bin/env python3
"""Write derivative-table.json: a reference table of values and derivatives.

Run from anywhere:

    python3 packages/core/test-data/make-derivative-table.py

Needs only python3 (3.8+), sympy and mpmath. The TypeScript tests read the
JSON file; they never run this script. The output is deterministic: every
template draws its points from its own generator seeded with SEED and the
template id, the cases keep the order of the templates below, and numbers are
written as the shortest decimal that round-trips to the double. Rerunning
gives the identical file.

How a case is made
------------------
Each template is an expression in Nudge syntax (numbers, x y z, + - * / ^,
parentheses, calls, the constants pi and e). The script parses it with its own
small recursive-descent parser, which accepts Nudge syntax only (no `**`, no
implicit multiplication) and refuses the two forms whose reading depends on a
precedence convention (`-a^b` and `a^b^c`), so every table entry means the same
thing to any reasonable parser.

From the syntax tree it builds

  * a SymPy expression; the derivative is sympy.diff of it, and the value and
    derivative are evaluated with evalf at 60 digits (mpmath underneath, with
    mp.dps = 50 for the final conversion), at the exact binary value of the
    double coordinates in "at"; numeric literals mean their exact decimal value;
  * an independent plain-float evaluator (Python math) with forward-mode dual
    numbers and hand-written derivative rules, which also checks, at every
    call, that the argument is inside the domain and well away from poles,
    branch points and kinks (the margins are listed in `domain_check`).

A point is drawn at random (coordinates rounded to a few decimals) and redrawn
until it passes every filter:

  * every call argument keeps its margins (see `domain_check`);
  * value and derivative are finite, |value| <= 1e8, value is 0 or
    |value| >= 1e-6, and 1e-3 <= |derivative| <= 1e8;
  * plain float math agrees with the high-precision value to 1e-12 relative,
    and the float dual-number derivative agrees with sympy's to 1e-10
    relative. A disagreement between 1e-12 (1e-10) and 1e-6 means the point
    is ill-conditioned in float64, so it is redrawn; beyond 1e-6 it is a bug
    in one of the two translations and the script stops.

Every accepted case is also checked against a central difference at 60 digits
(step 1e-20 relative) of the SymPy expression, independent of sympy.diff, to
1e-25 relative; a failure stops the script.

Numbers are converted with mpmath (mp.dps = 50) and float(), i.e. rounded to
nearest double from at least 40 correct significant digits.
"""

import json
import math
import os
import random
import sys
from fractions import Fraction

import mpmath
import sympy as sp

SEED = 20261127
EVAL_DIGITS = 60
mpmath.mp.dps = 50

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "derivative-table.json")
SCRIPT_NAME = "packages/core/test-data/make-derivative-table.py"

FUNCTIONS = {
    # name: number of arguments
    "sin": 1, "cos": 1, "tan": 1, "sec": 1, "csc": 1, "cot": 1,
    "asin": 1, "acos": 1, "atan": 1,
    "sinh": 1, "cosh": 1, "tanh": 1, "asinh": 1, "acosh": 1, "atanh": 1,
    "exp": 1, "log": 1, "ln": 1, "log10": 1, "log2": 1,
    "sqrt": 1, "cbrt": 1, "abs": 1,
    "pow": 2, "min": 2, "max": 2,
    "sigmoid": 1, "relu": 1, "softplus": 1,
}
VARIABLES = ("x", "y", "z")
CONSTANTS = ("pi", "e")


class Reject(Exception):
    """The point is unsuitable (domain margin, range filter, conditioning)."""


# --------------------------------------------------------------------------
# Parser: Nudge syntax -> tuples
#   ("num", text) ("var", name) ("const", name) ("neg", a)
#   ("add", a, b) ("sub", a, b) ("mul", a, b) ("div", a, b) ("pow", a, b)
#   ("call", name, [args])
# --------------------------------------------------------------------------

def tokenize(src):
    tokens = []
    i = 0
    while i < len(src):
        c = src[i]
        if c.isspace():
            i += 1
        elif c.isdigit() or c == ".":
            j = i
            while j < len(src) and (src[j].isdigit() or src[j] == "."):
                j += 1
            text = src[i:j]
            if text.count(".") > 1 or text.startswith(".") or text.endswith("."):
                raise SyntaxError("bad number %r in %r" % (text, src))
            if j < len(src) and (src[j].isalpha() or src[j] == "_"):
                raise SyntaxError("implicit multiplication in %r" % src)
            tokens.append(("num", text))
            i = j
        elif c.isalpha():
            j = i
            while j < len(src) and (src[j].isalnum() or src[j] == "_"):
                j += 1
            tokens.append(("name", src[i:j]))
            i = j
        elif src.startswith("**", i):
            raise SyntaxError("'**' is not Nudge syntax: %r" % src)
        elif c in "+-*/^(),":
            tokens.append((c, c))
            i += 1
        else:
            raise SyntaxError("unexpected %r in %r" % (c, src))
    tokens.append(("end", ""))
    return tokens


class Parser:
    def __init__(self, src):
        self.src = src
        self.toks = tokenize(src)
        self.pos = 0
        self.bare_powers = set()  # ids of a^b nodes not wrapped in parentheses

    def peek(self):
        return self.toks[self.pos][0]

    def take(self, kind):
        tok = self.toks[self.pos]
        if tok[0] != kind:
            raise SyntaxError("expected %r, got %r in %r" % (kind, tok[1], self.src))
        self.pos += 1
        return tok

    def parse(self):
        node = self.sum()
        self.take("end")
        return node

    def sum(self):
        node = self.product()
        while self.peek() in ("+", "-"):
            op = self.take(self.peek())[0]
            node = ("add" if op == "+" else "sub", node, self.product())
        return node

    def product(self):
        node = self.unary()
        while self.peek() in ("*", "/"):
            op = self.take(self.peek())[0]
            node = ("mul" if op == "*" else "div", node, self.unary())
        return node

    def unary(self):
        if self.peek() == "-":
            self.take("-")
            arg = self.unary()
            if id(arg) in self.bare_powers:
                raise SyntaxError("ambiguous '-a^b' in %r; write -(a^b)" % self.src)
            return ("neg", arg)
        if self.peek() == "+":
            raise SyntaxError("unary plus not used in %r" % self.src)
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek() == "^":
            self.take("^")
            exponent = self.unary()
            if id(exponent) in self.bare_powers:
                raise SyntaxError("ambiguous 'a^b^c' in %r" % self.src)
            node = ("pow", base, exponent)
            self.bare_powers.add(id(node))
            return node
        return base

    def atom(self):
        kind = self.peek()
        if kind == "num":
            return ("num", self.take("num")[1])
        if kind == "(":
            self.take("(")
            node = self.sum()
            self.take(")")
            self.bare_powers.discard(id(node))
            return node
        if kind == "name":
            name = self.take("name")[1]
            if self.peek() == "(":
                if name not in FUNCTIONS:
                    raise SyntaxError("unknown function %r in %r" % (name, self.src))
                self.take("(")
                args = [self.sum()]
                while self.peek() == ",":
                    self.take(",")
                    args.append(self.sum())
                self.take(")")
                if len(args) != FUNCTIONS[name]:
                    raise SyntaxError("%s takes %d argument(s) in %r"
                                      % (name, FUNCTIONS[name], self.src))
                return ("call", name, args)
            if name in VARIABLES:
                return ("var", name)
            if name in CONSTANTS:
                return ("const", name)
            raise SyntaxError("unknown name %r in %r" % (name, self.src))
        raise SyntaxError("unexpected %r in %r" % (self.toks[self.pos][1], self.src))


def parse(src):
    return Parser(src).parse()


def calls_in(node, out):
    if node[0] == "call":
        out.append(node[1])
        for a in node[2]:
            calls_in(a, out)
    elif node[0] in ("neg",):
        calls_in(node[1], out)
    elif node[0] in ("add", "sub", "mul", "div", "pow"):
        calls_in(node[1], out)
        calls_in(node[2], out)
    return out


def vars_in(node, out):
    if node[0] == "var":
        out.add(node[1])
    elif node[0] == "call":
        for a in node[2]:
            vars_in(a, out)
    elif node[0] == "neg":
        vars_in(node[1], out)
    elif node[0] in ("add", "sub", "mul", "div", "pow"):
        vars_in(node[1], out)
        vars_in(node[2], out)
    return out


# --------------------------------------------------------------------------
# Plain float evaluation with forward-mode dual numbers and domain margins.
# Returns (value, d value / d wrt). Independent of SymPy.
# --------------------------------------------------------------------------

MARGIN = 0.1          # abs, relu, min, max, cbrt, log*, sqrt, division, powers
POLE_MARGIN = 0.2     # tan sec csc cot
INV_TRIG_LIMIT = 0.9  # asin acos atanh
ACOSH_MIN = 1.1


def dist_to_multiple(u, period, offset):
    k = round((u - offset) / period)
    return abs(u - offset - k * period)


def domain_check(name, args):
    u = args[0]
    if name in ("abs", "relu", "cbrt"):
        ok = abs(u) >= MARGIN
    elif name in ("min", "max"):
        ok = abs(args[0] - args[1]) >= MARGIN
    elif name == "acosh":
        ok = u >= ACOSH_MIN
    elif name in ("asin", "acos", "atanh"):
        ok = abs(u) <= INV_TRIG_LIMIT
    elif name in ("log", "ln", "log10", "log2", "sqrt"):
        ok = u >= MARGIN
    elif name in ("tan", "sec"):
        ok = dist_to_multiple(u, math.pi, math.pi / 2) >= POLE_MARGIN
    elif name in ("csc", "cot"):
        ok = dist_to_multiple(u, math.pi, 0.0) >= POLE_MARGIN
    elif name == "pow":
        return  # checked as a power
    else:
        ok = True
    if not ok:
        raise Reject("%s(%r) outside margins" % (name, args))


def is_const_integer(node):
    if node[0] == "num":
        return Fraction(node[1]).denominator == 1
    if node[0] == "neg":
        return is_const_integer(node[1])
    return False


def has_var(node):
    return bool(vars_in(node, set()))


def fpow(a, da, b, db, exp_node):
    """a^b with derivative; exp_node is the exponent's syntax tree."""
    if is_const_integer(exp_node):
        n = int(round(b))
        if n < 0 and abs(a) < MARGIN:
            raise Reject("negative power of small base")
        v = a ** n
        d = n * a ** (n - 1) * da if n != 0 else 0.0
        return v, d
    if a < MARGIN:
        raise Reject("real power of base %r" % a)
    v = a ** b
    d = v * (db * math.log(a) + b * da / a)
    return v, d


def feval(node, point, wrt):
    kind = node[0]
    if kind == "num":
        return float(node[1]), 0.0
    if kind == "var":
        return float(point[node[1]]), (1.0 if node[1] == wrt else 0.0)
    if kind == "const":
        return (math.pi if node[1] == "pi" else math.e), 0.0
    if kind == "neg":
        v, d = feval(node[1], point, wrt)
        return -v, -d
    if kind in ("add", "sub", "mul", "div", "pow"):
        a, da = feval(node[1], point, wrt)
        b, db = feval(node[2], point, wrt)
        if kind == "add":
            return a + b, da + db
        if kind == "sub":
            return a - b, da - db
        if kind == "mul":
            return a * b, da * b + a * db
        if kind == "div":
            if abs(b) < MARGIN:
                raise Reject("denominator %r" % b)
            return a / b, (da * b - a * db) / (b * b)
        return fpow(a, da, b, db, node[2])
    if kind == "call":
        name = node[1]
        vals = [feval(a, point, wrt) for a in node[2]]
        domain_check(name, [v for v, _ in vals])
        u, du = vals[0]
        if name == "pow":
            (a, da), (b, db) = vals
            return fpow(a, da, b, db, node[2][1])
        if name in ("min", "max"):
            (a, da), (b, db) = vals
            first = (a <= b) if name == "min" else (a >= b)
            return (a, da) if first else (b, db)
        if name == "sin":
            return math.sin(u), math.cos(u) * du
        if name == "cos":
            return math.cos(u), -math.sin(u) * du
        if name == "tan":
            t = math.tan(u)
            return t, (1 + t * t) * du
        if name == "sec":
            s = 1 / math.cos(u)
            return s, s * math.tan(u) * du
        if name == "csc":
            s = 1 / math.sin(u)
            return s, -s * (math.cos(u) / math.sin(u)) * du
        if name == "cot":
            return math.cos(u) / math.sin(u), -du / math.sin(u) ** 2
        if name == "asin":
            return math.asin(u), du / math.sqrt(1 - u * u)
        if name == "acos":
            return math.acos(u), -du / math.sqrt(1 - u * u)
        if name == "atan":
            return math.atan(u), du / (1 + u * u)
        if name == "sinh":
            return math.sinh(u), math.cosh(u) * du
        if name == "cosh":
            return math.cosh(u), math.sinh(u) * du
        if name == "tanh":
            t = math.tanh(u)
            return t, (1 - t * t) * du
        if name == "asinh":
            return math.asinh(u), du / math.sqrt(u * u + 1)
        if name == "acosh":
            return math.acosh(u), du / (math.sqrt(u - 1) * math.sqrt(u + 1))
        if name == "atanh":
            return math.atanh(u), du / (1 - u * u)
        if name == "exp":
            v = math.exp(u)
            return v, v * du
        if name in ("log", "ln"):
            return math.log(u), du / u
        if name == "log10":
            return math.log10(u), du / (u * math.log(10))
        if name == "log2":
            return math.log2(u), du / (u * math.log(2))
        if name == "sqrt":
            v = math.sqrt(u)
            return v, du / (2 * v)
        if name == "cbrt":
            v = math.copysign(abs(u) ** (1.0 / 3.0), u)
            return v, du / (3 * v * v)
        if name == "abs":
            return abs(u), math.copysign(1.0, u) * du
        if name == "sigmoid":
            s = 1 / (1 + math.exp(-u))
            return s, s * (1 - s) * du
        if name == "relu":
            return (u, du) if u > 0 else (0.0, 0.0)
        if name == "softplus":
            return math.log1p(math.exp(u)), du / (1 + math.exp(-u))
        raise AssertionError(name)
    raise AssertionError(kind)


# --------------------------------------------------------------------------
# SymPy translation
# --------------------------------------------------------------------------

SYMBOLS = {name: sp.Symbol(name, real=True) for name in VARIABLES}


def to_sympy(node, point):
    """point is needed only for cbrt: the real cube root of a negative
    argument u is written -cbrt(-u), since sympy.cbrt is the principal root."""
    kind = node[0]
    if kind == "num":
        return sp.Rational(node[1])  # exact decimal value of the literal
    if kind == "var":
        return SYMBOLS[node[1]]
    if kind == "const":
        return sp.pi if node[1] == "pi" else sp.E
    if kind == "neg":
        return -to_sympy(node[1], point)
    if kind in ("add", "sub", "mul", "div", "pow"):
        a = to_sympy(node[1], point)
        b = to_sympy(node[2], point)
        return {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
                "div": lambda: a / b, "pow": lambda: a ** b}[kind]()
    name = node[1]
    args = [to_sympy(a, point) for a in node[2]]
    u = args[0]
    if name == "cbrt":
        sign = feval(node[2][0], point, None)[0]
        return sp.cbrt(u) if sign > 0 else -sp.cbrt(-u)
    table = {
        "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
        "sec": sp.sec, "csc": sp.csc, "cot": sp.cot,
        "asin": sp.asin, "acos": sp.acos, "atan": sp.atan,
        "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh,
        "asinh": sp.asinh, "acosh": sp.acosh, "atanh": sp.atanh,
        "exp": sp.exp, "log": sp.log, "ln": sp.log,
        "log10": lambda t: sp.log(t, 10), "log2": lambda t: sp.log(t, 2),
        "sqrt": sp.sqrt, "abs": sp.Abs,
        "sigmoid": lambda t: 1 / (1 + sp.exp(-t)),
        "relu": lambda t: sp.Max(t, 0),
        "softplus": lambda t: sp.log(1 + sp.exp(t)),
    }
    if name == "pow":
        return args[0] ** args[1]
    if name == "min":
        return sp.Min(args[0], args[1])
    if name == "max":
        return sp.Max(args[0], args[1])
    return table[name](u)


def exact(value):
    """The exact rational value of a double."""
    f = Fraction(value)
    return sp.Rational(f.numerator, f.denominator)


def hp(expr, subs):
    """Evaluate to EVAL_DIGITS digits, return an mpmath mpf (or None)."""
    v = sp.N(expr, EVAL_DIGITS, subs=subs)
    if not v.is_number:
        return None
    if v.is_real is False or not v.is_finite:
        return None
    re, im = v.as_real_imag()
    if im != 0:
        return None
    return mpmath.mpf(sp.Float(re, EVAL_DIGITS)._mpf_)


def to_double(m):
    d = float(m)
    if not math.isfinite(d):
        raise Reject("not finite")
    return d


def rel_err(a, b):
    if b == 0:
        return abs(a)
    return abs(a - b) / abs(b)


# --------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------

NORMAL = (0.2, 3.0, 4)      # |coordinate| range, decimals
LARGE = (10.0, 100.0, 3)
SMALL = (0.01, 0.1, 5)
SCALES = {"normal": NORMAL, "large": LARGE, "small": SMALL}

# (group, [expressions]) -- single variable x, normal scale, one point each.
SINGLE = [
    ("sin", ["sin(x)", "sin(x^2+1)", "sin(3*x)*x", "sin(x)/x", "sin(2*x+pi/4)",
             "sin(x)^2", "sin(sin(x))"]),
    ("cos", ["cos(x)", "exp(-x*x/10)*cos(3*x)", "cos(x^2)", "cos(x)*sin(x)",
             "cos(1/x)", "x*cos(x)", "cos(e*x)"]),
    ("tan", ["tan(x)", "tan(x/2)", "tan(x)^2", "tan(sin(x))", "x*tan(x/3)",
             "tan(0.5*x+0.1)"]),
    ("sec", ["sec(x)", "sec(x/2)", "sec(x)^2", "sec(x^2/4)", "x*sec(x/3)",
             "sec(sin(x))"]),
    ("csc", ["csc(x)", "csc(x/2+1)", "csc(x)^2", "csc(1+x^2)", "x*csc(x)",
             "csc(exp(x/4))"]),
    ("cot", ["cot(x)", "cot(x/2)", "cot(x)^2", "cot(1+x*x)", "x*cot(x)",
             "cot(2*x+0.3)"]),
    ("asin", ["asin(x)", "asin(x/3)", "asin(x)^2", "asin(sin(x)/2)", "x*asin(x/4)",
              "asin(1/(1+x*x))"]),
    ("acos", ["acos(x)", "acos(x/3)", "acos(x)*x", "acos(tanh(x))",
              "acos(0.5*sin(x))", "exp(acos(x/4))"]),
    ("atan", ["atan(x)", "atan(x^2)", "atan(1/x)", "atan(2*x)/x", "atan(exp(x)-2)",
              "atan(x)^2", "atan(sinh(x))"]),
    ("sinh", ["sinh(x)", "sinh(x/2)^2", "sinh(x^2-1)", "x*sinh(x)", "sinh(cos(x))",
              "sinh(x)/cosh(x)"]),
    ("cosh", ["cosh(x)", "cosh(x/2)^2", "cosh(1/x)", "log(cosh(x))", "cosh(sin(x))",
              "1/cosh(x)"]),
    ("tanh", ["tanh(x)", "tanh(2*x-1)", "x*tanh(x)", "tanh(x^2/3)", "tanh(sin(x))+x",
              "tanh(x)^2"]),
    ("asinh", ["asinh(x)", "asinh(x^2)", "asinh(3*x)/3", "asinh(exp(x))", "x*asinh(x)",
               "asinh(1/x)"]),
    ("acosh", ["acosh(x)", "acosh(1+x^2)", "acosh(x^2+1.5)", "acosh(cosh(x)+0.2)",
               "acosh(2*x)", "acosh(exp(x)+1)"]),
    ("atanh", ["atanh(x)", "atanh(x/3)", "atanh(tanh(x)/2)", "atanh(sin(x))",
               "x*atanh(x/4)", "atanh(1/(1+x*x))", "atanh(0.5*cos(x))"]),
    ("exp", ["exp(x)", "exp(x^2/4)", "exp(sin(x))", "x*exp(-x)", "exp(2*x)/(1+exp(x))",
             "exp(-(x^2))", "e^x", "e^(x/2)*sin(pi*x)"]),
    ("log", ["log(x)", "log(1+x^2)", "log(x^2)", "log(exp(x)+1)", "x*log(x)",
             "log(sin(x)+2)", "log(log(x+3))"]),
    ("ln", ["ln(x)", "ln(x^2+1)", "ln(3*x)", "x^2*ln(x)", "ln(cosh(x))",
            "ln(1+exp(-x))"]),
    ("log10", ["log10(x)", "log10(x^2+1)", "log10(10*x)", "x*log10(x)",
               "log10(exp(x)+1)", "log10(2+sin(x))"]),
    ("log2", ["log2(x)", "log2(1+x*x)", "log2(8*x)", "log2(x)^2", "log2(2+cos(x))",
              "log2(1+exp(x))"]),
    ("sqrt", ["sqrt(x)", "sqrt(1+x^2)", "sqrt(x)*x", "sqrt(sin(x)+1.5)", "1/sqrt(x)",
              "sqrt(x^2+x+1)", "sqrt(exp(x))"]),
    ("cbrt", ["cbrt(x)", "cbrt(x-3)", "cbrt(x^2+1)", "cbrt(x-0.5)", "x*cbrt(x)",
              "cbrt(sin(x))", "cbrt(1-x*x)", "cbrt(x^3-2*x)"]),
    ("abs", ["abs(x)", "abs(x-1)", "abs(sin(x))", "x*abs(x)", "abs(x^2-2)",
             "exp(-abs(x))", "abs(x)^1.5"]),
    ("pow", ["pow(x, 2)", "pow(x, 2.5)", "pow(x, -1.5)", "pow(2, x)", "pow(1+x^2, 0.5)",
             "pow(x, x)", "pow(sin(x)+2, 3)"]),
    ("min", ["min(x, 1)", "min(x, x^2)", "min(sin(x), cos(x))", "min(x^2, 2*x+1)",
             "x*min(x, 1)", "min(x, -x)", "min(exp(x), 2)"]),
    ("max", ["max(x, 1)", "max(x, x^2)", "max(sin(x), cos(x))", "max(x^2, 2*x+1)",
             "x*max(x, 0.5)", "max(-x, x)"]),
    ("sigmoid", ["sigmoid(x)", "sigmoid(2*x-1)", "x*sigmoid(x)", "sigmoid(x^2)",
                 "sigmoid(sin(x))", "log(sigmoid(x))", "sigmoid(x)*(1-sigmoid(x))"]),
    ("relu", ["relu(x)", "relu(x-1)", "relu(sin(x))", "relu(2*x+1)*x", "relu(x^2-1)",
              "relu(x)+relu(-x)", "softplus(x)-relu(x)"]),
    ("softplus", ["softplus(x)", "softplus(2*x-1)", "softplus(-x)", "x*softplus(x)",
                  "softplus(x^2)", "softplus(sin(x))"]),
    ("poly", ["x^3-2*x+1", "3*x^4-x^3+2*x^2-x+5", "(x-1)*(x+2)*(x-3)", "x^5/5",
              "pi*x^2", "(x^2-1)^3", "2*x^7-x", "1-x+x^2/2-x^3/6+x^4/24"]),
    ("rational", ["1/x", "1/(1+x^2)", "(x^2+1)/(x-0.5)", "(2*x+3)/(x^2+x+1)",
                  "x/(1+x)^2", "(x^3-1)/(x^2+4)", "1/(x*x*x)", "x^-2", "(1-x)/(1+x)"]),
    ("power", ["x^2.5", "x^-1.5", "x^0.5", "x^(1/3)", "x^1.7+x^0.3", "(1+x^2)^1.5",
               "x^pi", "2^x", "x^x", "(x+1)^(x/2)", "3^(-x)", "x^-0.5*sin(x)"]),
]

# Fixed, hand-checkable cases: (group, expr, wrt, point)
FIXED = [
    ("course", "x^2", "x", {"x": 3.0}),            # derivative 6
    ("course", "x^2+3", "x", {"x": 3.0}),          # derivative 6
    ("course", "x^3", "x", {"x": 2.0}),            # derivative 12
    ("course", "sin(x)", "x", {"x": 0.5}),
    ("course", "exp(x)", "x", {"x": 1.0}),         # e
    ("course", "log(x)", "x", {"x": 2.0}),         # 0.5
]

# Multi-variable: (expr, point or None for random); partials wrt every variable.
MULTI = [
    ("x^2*y + sin(z)", {"x": 1.0, "y": 2.0, "z": 3.0}),
    ("x^2*y + sin(z)", None),
    ("sin(x)*exp(-y*y)+x*x*y", None),
    ("x*y*z", None),
    ("pow(x, y)", None),
    ("x^y", None),
    ("log(x^2+y^2)", None),
    ("sqrt(x^2+y^2+z^2)", None),
    ("atan(y/x)", None),
    ("exp(x*y)*cos(z)", None),
    ("sigmoid(x*y+z)", None),
    ("softplus(x-y)*z", None),
    ("max(x, y)*z+x*y", None),
    ("min(x*y, z)+x*z", None),
    ("tanh(x+2*y-z)", None),
    ("(x-y)^2+(y-z)^2", None),
    ("x*log(y)+y*log(z)", None),
    ("sin(x+y)*cos(x-y)", None),
    ("relu(x*y-1)*z", None),
    ("cosh(x)*sinh(y)", None),
    ("x/(y+z)", None),
    ("abs(x-y)*z", None),
    ("cbrt(x*y)+z", None),
    ("asinh(x*y)+acosh(1+z^2)", None),
]

# Larger and smaller scale: (expr, scale)
SCALED = [
    ("x^2", "large"), ("sqrt(x)", "large"), ("log(x)", "large"), ("ln(x)+x", "large"),
    ("log10(x)", "large"), ("log2(x)", "large"), ("1/x", "large"),
    ("atan(x/10)", "large"), ("sin(x)", "large"), ("cos(x)", "large"),
    ("tanh(x/50)", "large"), ("sigmoid(x/20-2)", "large"), ("softplus(x/10-3)", "large"),
    ("x^1.5", "large"), ("cbrt(x)", "large"), ("x*log(x)", "large"),
    ("exp(-x/30)", "large"), ("sqrt(x^2+1)", "large"), ("asinh(x)", "large"),
    ("acosh(x)", "large"), ("abs(x-50)", "large"), ("x^3/1000", "large"),
    ("x*y+z", "large"), ("sqrt(x^2+y^2)", "large"),
    ("sin(x)", "small"), ("x^2", "small"), ("exp(x)", "small"), ("tanh(x)", "small"),
    ("atan(x)", "small"), ("sigmoid(x)", "small"), ("softplus(x)", "small"),
    ("x^3+x", "small"), ("sqrt(1+x)", "small"), ("log(1+x)", "small"),
    ("asin(x)", "small"), ("cos(x)+x", "small"), ("x*exp(x)", "small"),
    ("sinh(x)", "small"), ("x^2+3*x", "small"), ("1/(1+x)", "small"),
    ("asinh(x)", "small"), ("atanh(x)", "small"), ("sin(x)/(1+x)", "small"),
    ("cbrt(1+x)", "small"), ("x*y+sin(z)", "small"),
]

MAX_TRIES = 5000


def draw(rng, names, scale):
    lo, hi, decimals = SCALES[scale]
    point = {}
    for name in names:
        v = round(rng.uniform(lo, hi), decimals)
        if rng.random() < 0.5:
            v = -v
        point[name] = v
    return point


def evaluate(expr, tree, wrt_list, point):
    """Return {wrt: (value, derivative)} or raise Reject."""
    # Cheap float pass first: domain margins, ranges, the dual-number derivative.
    floats = {}
    for wrt in wrt_list:
        fv, fd = feval(tree, point, wrt)
        if not (math.isfinite(fv) and math.isfinite(fd)):
            raise Reject("float not finite")
        # Early out before the slow SymPy work; the exact filters follow below.
        if abs(fv) > 2e8 or (fv != 0 and abs(fv) < 5e-7) or not (5e-4 <= abs(fd) <= 2e8):
            raise Reject("float value or derivative out of range")
        floats[wrt] = (fv, fd)

    sexpr = to_sympy(tree, point)
    subs = {SYMBOLS[n]: exact(v) for n, v in point.items()}
    value = hp(sexpr, subs)
    if value is None:
        raise Reject("value not real")
    out = {}
    for wrt in wrt_list:
        sym = SYMBOLS[wrt]
        deriv_expr = sp.diff(sexpr, sym)
        deriv = hp(deriv_expr, subs)
        if deriv is None:
            raise Reject("derivative not real")
        v = to_double(value)
        d = to_double(deriv)
        if abs(v) > 1e8 or (v != 0 and abs(v) < 1e-6):
            raise Reject("value out of range %r" % v)
        if not (1e-3 <= abs(d) <= 1e8):
            raise Reject("derivative out of range %r" % d)

        fv, fd = floats[wrt]
        ev = rel_err(fv, v)
        if ev > 1e-6:
            raise AssertionError("float value disagrees: %s at %r: float %r, mp %r"
                                 % (expr, point, fv, v))
        if ev > 1e-12:
            raise Reject("value ill-conditioned in float64 (%g)" % ev)
        ed = rel_err(fd, d)
        if ed > 1e-6:
            raise AssertionError("float derivative disagrees: %s d/d%s at %r: float %r, sympy %r"
                                 % (expr, wrt, point, fd, d))
        if ed > 1e-10:
            raise Reject("derivative ill-conditioned in float64 (%g)" % ed)

        # Central difference at high precision, independent of sympy.diff.
        x0 = exact(point[wrt])
        h = sp.Rational(1, 10 ** 20) * max(1, abs(x0))
        plus = dict(subs)
        minus = dict(subs)
        plus[sym] = x0 + h
        minus[sym] = x0 - h
        fp = hp(sexpr, plus)
        fm = hp(sexpr, minus)
        fd_hp = (fp - fm) / (2 * mpmath.mpf(h.p) / h.q)
        if abs(fd_hp - deriv) > mpmath.mpf("1e-25") * abs(deriv):
            raise AssertionError("sympy.diff disagrees with central difference: %s d/d%s at %r"
                                 % (expr, wrt, point))
        out[wrt] = (v, d)
    return out


def make_cases(rng_key, expr, scale, fixed_point=None, wrt_list=None):
    tree = parse(expr)
    names = sorted(vars_in(tree, set()))
    if wrt_list is None:
        wrt_list = names
    if fixed_point is not None:
        return fixed_point, evaluate(expr, tree, wrt_list, fixed_point), 0
    rng = random.Random("%d:%s" % (SEED, rng_key))
    for tries in range(1, MAX_TRIES + 1):
        point = draw(rng, names, scale)
        try:
            return point, evaluate(expr, tree, wrt_list, point), tries
        except Reject:
            continue
    raise RuntimeError("no acceptable point for %s (%s)" % (expr, scale))


def case(cid, expr, wrt, point, value, deriv, scale):
    return {
        "id": cid,
        "expr": expr,
        "wrt": wrt,
        "at": {n: point[n] for n in sorted(point)},
        "value": value,
        "derivative": deriv,
        "scale": scale,
    }


def main():
    cases = []
    stats = []

    for group, exprs in SINGLE:
        for k, expr in enumerate(exprs, 1):
            cid = "%s-%02d" % (group, k)
            point, res, tries = make_cases(cid, expr, "normal")
            for wrt, (v, d) in res.items():
                cases.append(case(cid, expr, wrt, point, v, d, "normal"))
            stats.append((cid, tries))

    for k, (group, expr, wrt, point) in enumerate(FIXED, 1):
        cid = "%s-%02d" % (group, k)
        point, res, tries = make_cases(cid, expr, "normal", fixed_point=point, wrt_list=[wrt])
        v, d = res[wrt]
        cases.append(case(cid, expr, wrt, point, v, d, "normal"))

    for k, (expr, fixed) in enumerate(MULTI, 1):
        key = "multi-%02d" % k
        point, res, tries = make_cases(key, expr, "normal", fixed_point=fixed)
        for wrt in sorted(res):
            v, d = res[wrt]
            cases.append(case("%s-%s" % (key, wrt), expr, wrt, point, v, d, "normal"))
        stats.append((key, tries))

    for k, (expr, scale) in enumerate(SCALED, 1):
        key = "%s-%02d" % (scale, k)
        point, res, tries = make_cases(key, expr, scale)
        multi = len(res) > 1
        for wrt in sorted(res):
            v, d = res[wrt]
            cid = "%s-%s" % (key, wrt) if multi else key
            cases.append(case(cid, expr, wrt, point, v, d, scale))
        stats.append((key, tries))

    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "duplicate ids"

    # Coverage: every function at least 6 times.
    coverage = {name: 0 for name in FUNCTIONS}
    for c in cases:
        for name in set(calls_in(parse(c["expr"]), [])):
            coverage[name] += 1
    short = {n: k for n, k in coverage.items() if k < 6}
    assert not short, "functions used fewer than 6 times: %r" % short
    multi_count = sum(1 for c in cases if len(c["at"]) > 1)
    assert multi_count >= 40, multi_count
    assert len(cases) >= 240, len(cases)

    doc_head = {
        "script": SCRIPT_NAME,
        "sympy": sp.__version__,
        "mpmath": mpmath.__version__,
        "seed": SEED,
        "digits": EVAL_DIGITS,
        "note": ("value and derivative (sympy.diff) evaluated at the exact binary value "
                 "of the coordinates in 'at', numeric literals as exact decimals, "
                 "rounded to nearest double; regenerate with python3 " + SCRIPT_NAME),
    }
    lines = ["{",
             '  "generator": ' + json.dumps(doc_head, ensure_ascii=True) + ",",
             '  "cases": [']
    for i, c in enumerate(cases):
        sep = "," if i + 1 < len(cases) else ""
        lines.append("    " + json.dumps(c, ensure_ascii=True, allow_nan=False) + sep)
    lines.append("  ]")
    lines.append("}")
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")

    # Round trip: the file parses and holds exactly what was computed.
    with open(OUT, encoding="utf-8") as f:
        assert json.load(f)["cases"] == cases

    print("wrote %s: %d cases (%d multi-variable, %d large, %d small)" % (
        os.path.relpath(OUT), len(cases), multi_count,
        sum(1 for c in cases if c["scale"] == "large"),
        sum(1 for c in cases if c["scale"] == "small")), file=sys.stderr)
    print("coverage: " + ", ".join("%s %d" % kv for kv in coverage.items()), file=sys.stderr)
    worst = sorted(stats, key=lambda s: -s[1])[:5]
    print("most redraws: " + ", ".join("%s %d" % s for s in worst), file=sys.stderr)


if __name__ == "__main__":
    main()
