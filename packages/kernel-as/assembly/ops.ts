// The kernel's op table: one row (a class) per element-wise opcode, holding
// every rule of that op. The sweeps (sweeps.ts) never see an op's maths; they
// dispatch each instruction to its row and run the row's rules in a loop over
// the batch (or over the vector), through the rule factories in loops.ts.
//
// A unary row has
//   ev(a)        the value y = f(a)                       (evV: the same on f64x2, optional)
//   d(a, y)      the partial dy/da: the JVP is  ẏ = d ȧ  and the VJP is  ā += d ȳ
//                                                          (dV: the same on f64x2, optional)
//   cx(a, b)     f(a + ib), returning the real part and leaving the imaginary part in cxIm
// A binary row has ev(a, b), the partials da(a, b, y) and db(a, b, y)
// (JVP ẏ = da ȧ + db ḃ, VJP ā += da ȳ, b̄ += db ȳ), optionally jvp(a, b, y, ȧ, ḃ)
// when its JVP is not that sum (pow), and cx(a, ai, b, bi).
//
// A tangent or adjoint of a constant operand is a structural zero: the
// factories drop its term (so 0 * Inf never makes a NaN there).
//
// Conventions at points where an op is not differentiable (the core reports
// those points; the kernel only needs a definite number): abs'(0) = 0,
// relu'(0) = 0, sqrt'(0) = cbrt'(0) = +Infinity, min/max send the derivative
// to `a` on a tie, pow's da term is 0 where b == 0 and its db term 0 where
// ḃ == 0. A NaN operand gives a NaN derivative.
//
// The rows are `@final` classes used only as types: the factories call their
// methods on changetype<Row>(0), which never touches memory.
import { cxIm, cret, cnan, cdiv, csqrt, clog, cexp, cpow, casinRaw, cacosRaw, catan } from './complex';

const LN10: f64 = 2.302585092994046;
const LN2: f64 = 0.6931471805599453;

// sigmoid(a) = 1 / (1 + exp(-a)), written so that exp never overflows:
// for a < 0 it is exp(a) / (1 + exp(a)).
@inline export function sigmoid(a: f64): f64 {
  if (a >= 0) return 1.0 / (1.0 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1.0 + e);
}

// softplus(a) = log(1 + exp(a)) = max(a, 0) + log1p(exp(-|a|)), stable for large |a|.
@inline export function softplus(a: f64): f64 {
  return Math.max(a, 0.0) + Math.log1p(Math.exp(-Math.abs(a)));
}

// ---------------------------------------------------------------- arithmetic

@final export class Add {
  // y = a + b
  @inline ev(a: f64, b: f64): f64 { return a + b; }
  @inline evV(a: v128, b: v128): v128 { return f64x2.add(a, b); }
  // dy = da + db
  @inline da(a: f64, b: f64, y: f64): f64 { return 1.0; }
  @inline db(a: f64, b: f64, y: f64): f64 { return 1.0; }
  @inline daV(a: v128, b: v128, y: v128): v128 { return f64x2.splat(1.0); }
  @inline dbV(a: v128, b: v128, y: v128): v128 { return f64x2.splat(1.0); }
  // (a + i ai) + (b + i bi) = (a + b) + i (ai + bi)
  @inline cx(a: f64, ai: f64, b: f64, bi: f64): f64 { return cret(a + b, ai + bi); }
}

@final export class Sub {
  // y = a - b
  @inline ev(a: f64, b: f64): f64 { return a - b; }
  @inline evV(a: v128, b: v128): v128 { return f64x2.sub(a, b); }
  // dy = da - db
  @inline da(a: f64, b: f64, y: f64): f64 { return 1.0; }
  @inline db(a: f64, b: f64, y: f64): f64 { return -1.0; }
  @inline daV(a: v128, b: v128, y: v128): v128 { return f64x2.splat(1.0); }
  @inline dbV(a: v128, b: v128, y: v128): v128 { return f64x2.splat(-1.0); }
  // (a + i ai) - (b + i bi) = (a - b) + i (ai - bi)
  @inline cx(a: f64, ai: f64, b: f64, bi: f64): f64 { return cret(a - b, ai - bi); }
}

@final export class Mul {
  // y = a b
  @inline ev(a: f64, b: f64): f64 { return a * b; }
  @inline evV(a: v128, b: v128): v128 { return f64x2.mul(a, b); }
  // dy = b da + a db
  @inline da(a: f64, b: f64, y: f64): f64 { return b; }
  @inline db(a: f64, b: f64, y: f64): f64 { return a; }
  @inline daV(a: v128, b: v128, y: v128): v128 { return b; }
  @inline dbV(a: v128, b: v128, y: v128): v128 { return a; }
  // (a + i ai)(b + i bi) = (a b - ai bi) + i (a bi + ai b)
  @inline cx(a: f64, ai: f64, b: f64, bi: f64): f64 { return cret(a * b - ai * bi, a * bi + ai * b); }
}

@final export class Div {
  // y = a / b
  @inline ev(a: f64, b: f64): f64 { return a / b; }
  @inline evV(a: v128, b: v128): v128 { return f64x2.div(a, b); }
  // dy = da / b - (y / b) db
  @inline da(a: f64, b: f64, y: f64): f64 { return 1.0 / b; }
  @inline db(a: f64, b: f64, y: f64): f64 { return -y / b; }
  @inline daV(a: v128, b: v128, y: v128): v128 { return f64x2.div(f64x2.splat(1.0), b); }
  @inline dbV(a: v128, b: v128, y: v128): v128 { return f64x2.div(f64x2.neg(y), b); }
  // (a + i ai) / (b + i bi): Smith's algorithm
  @inline cx(a: f64, ai: f64, b: f64, bi: f64): f64 { return cdiv(a, ai, b, bi); }
}

@final export class Pow {
  // y = a^b
  @inline ev(a: f64, b: f64): f64 { return Math.pow(a, b); }
  // dy = b a^(b-1) da + a^b log(a) db   (the da term 0 where b == 0)
  @inline da(a: f64, b: f64, y: f64): f64 { return b == 0 ? 0.0 : b * Math.pow(a, b - 1.0); }
  @inline db(a: f64, b: f64, y: f64): f64 { return y * Math.log(a); }
  // ẏ = b a^(b-1) ȧ + a^b log(a) ḃ, the ḃ term 0 where ḃ == 0 (x^2 at x < 0)
  @inline jvp(a: f64, b: f64, y: f64, ta: f64, tb: f64): f64 {
    const t = this.da(a, b, y) * ta;
    return tb == 0 ? t : t + this.db(a, b, y) * tb;
  }
  // (a + i ai)^(b + i bi) = exp((b + i bi) log(a + i ai)), real domain of pow
  @inline cx(a: f64, ai: f64, b: f64, bi: f64): f64 { return cpow(a, ai, b, bi); }
}

@final export class Min {
  // y = min(a, b)
  @inline ev(a: f64, b: f64): f64 { return Math.min(a, b); }
  @inline evV(a: v128, b: v128): v128 { return f64x2.min(a, b); }
  // dy = da where a <= b, else db (a tie goes to a)
  @inline da(a: f64, b: f64, y: f64): f64 { return a <= b ? 1.0 : b < a ? 0.0 : NaN; }
  @inline db(a: f64, b: f64, y: f64): f64 { return a <= b ? 0.0 : b < a ? 1.0 : NaN; }
  // min(z, w) = z where Re z <= Re w, else w
  @inline cx(a: f64, ai: f64, b: f64, bi: f64): f64 { return a <= b ? cret(a, ai) : b < a ? cret(b, bi) : cnan(); }
}

@final export class Max {
  // y = max(a, b)
  @inline ev(a: f64, b: f64): f64 { return Math.max(a, b); }
  @inline evV(a: v128, b: v128): v128 { return f64x2.max(a, b); }
  // dy = da where a >= b, else db (a tie goes to a)
  @inline da(a: f64, b: f64, y: f64): f64 { return a >= b ? 1.0 : b > a ? 0.0 : NaN; }
  @inline db(a: f64, b: f64, y: f64): f64 { return a >= b ? 0.0 : b > a ? 1.0 : NaN; }
  // max(z, w) = z where Re z >= Re w, else w
  @inline cx(a: f64, ai: f64, b: f64, bi: f64): f64 { return a >= b ? cret(a, ai) : b > a ? cret(b, bi) : cnan(); }
}

@final export class Neg {
  // y = -a
  @inline ev(a: f64): f64 { return -a; }
  @inline evV(a: v128): v128 { return f64x2.neg(a); }
  // dy = -da
  @inline d(a: f64, y: f64): f64 { return -1.0; }
  @inline dV(a: v128, y: v128): v128 { return f64x2.splat(-1.0); }
  // -(a + ib) = -a - ib
  @inline cx(a: f64, b: f64): f64 { return cret(-a, -b); }
}

@final export class Square {
  // y = a^2
  @inline ev(a: f64): f64 { return a * a; }
  @inline evV(a: v128): v128 { return f64x2.mul(a, a); }
  // dy = 2a da
  @inline d(a: f64, y: f64): f64 { return a + a; }
  @inline dV(a: v128, y: v128): v128 { return f64x2.add(a, a); }
  // (a + ib)^2 = (a^2 - b^2) + i 2ab
  @inline cx(a: f64, b: f64): f64 { return cret(a * a - b * b, (a + a) * b); }
}

@final export class Abs {
  // y = |a|
  @inline ev(a: f64): f64 { return Math.abs(a); }
  @inline evV(a: v128): v128 { return f64x2.abs(a); }
  // dy = sign(a) da, abs'(0) = 0   (|a| * 0: +0 at ±0, NaN at NaN)
  @inline d(a: f64, y: f64): f64 { return a > 0 ? 1.0 : a < 0 ? -1.0 : y * 0.0; }
  @inline dV(a: v128, y: v128): v128 {
    const z = f64x2.splat(0.0);
    return v128.bitselect(f64x2.splat(1.0), v128.bitselect(f64x2.splat(-1.0), f64x2.mul(y, z), f64x2.lt(a, z)), f64x2.gt(a, z));
  }
  // |z| = z where Re z > 0, -z where Re z < 0, 0 where Re z = 0
  @inline cx(a: f64, b: f64): f64 { return a > 0 ? cret(a, b) : a < 0 ? cret(-a, -b) : a == 0 ? cret(0.0, 0.0) : cnan(); }
}

@final export class Sqrt {
  // y = sqrt(a)
  @inline ev(a: f64): f64 { return Math.sqrt(a); }
  @inline evV(a: v128): v128 { return f64x2.sqrt(a); }
  // dy = da / (2 sqrt(a)), sqrt'(0) = +Infinity
  @inline d(a: f64, y: f64): f64 { return 0.5 / y; }
  @inline dV(a: v128, y: v128): v128 { return f64x2.div(f64x2.splat(0.5), y); }
  // sqrt(a + ib) principal (Kahan); a < 0: NaN; a = 0: b * Inf, as the JVP
  @inline cx(a: f64, b: f64): f64 { return a > 0 ? csqrt(a, b) : a == 0 ? cret(0.0, b * Infinity) : cnan(); }
}

@final export class Recip {
  // y = 1 / a
  @inline ev(a: f64): f64 { return 1.0 / a; }
  @inline evV(a: v128): v128 { return f64x2.div(f64x2.splat(1.0), a); }
  // dy = -y^2 da
  @inline d(a: f64, y: f64): f64 { return -(y * y); }
  @inline dV(a: v128, y: v128): v128 { return f64x2.neg(f64x2.mul(y, y)); }
  // 1 / (a + ib): Smith's algorithm
  @inline cx(a: f64, b: f64): f64 { return cdiv(1.0, 0.0, a, b); }
}

@final export class Relu {
  // y = max(a, 0) (relu(-0) = +0, relu(NaN) = NaN)
  @inline ev(a: f64): f64 { return Math.max(a, 0.0); }
  @inline evV(a: v128): v128 { return f64x2.max(a, f64x2.splat(0.0)); }
  // dy = da where a > 0, else 0 (relu'(0) = 0)   (y * 0: +0, NaN at NaN)
  @inline d(a: f64, y: f64): f64 { return a > 0 ? 1.0 : y * 0.0; }
  @inline dV(a: v128, y: v128): v128 {
    const z = f64x2.splat(0.0);
    return v128.bitselect(f64x2.splat(1.0), f64x2.mul(y, z), f64x2.gt(a, z));
  }
  // relu(z) = z where Re z > 0, else 0
  @inline cx(a: f64, b: f64): f64 { return a > 0 ? cret(a, b) : a <= 0 ? cret(0.0, 0.0) : cnan(); }
}

// ---------------------------------------------------------- powers and logs

@final export class Cbrt {
  // y = cbrt(a)
  @inline ev(a: f64): f64 { return Math.cbrt(a); }
  // dy = da / (3 y^2), cbrt'(0) = +Infinity
  @inline d(a: f64, y: f64): f64 { return 1.0 / (3.0 * y * y); }
  // cbrt(z) = |z|^(1/3) e^(i arg(z) / 3) for Re z > 0, -cbrt(-z) for Re z < 0; a = 0: b * Inf
  @inline cx(a: f64, b: f64): f64 {
    if (a == 0) return cret(0.0, b * Infinity);
    if (a != a) return cnan();
    const s: f64 = a < 0 ? -1.0 : 1.0;
    const m = Math.cbrt(Math.hypot(a, b));
    const t = Math.atan2(s * b, s * a) / 3.0;
    return cret(s * m * Math.cos(t), s * m * Math.sin(t));
  }
}

@final export class Exp {
  // y = exp(a)
  @inline ev(a: f64): f64 { return Math.exp(a); }
  // dy = exp(a) da
  @inline d(a: f64, y: f64): f64 { return y; }
  // exp(a + ib) = e^a cos b + i e^a sin b
  @inline cx(a: f64, b: f64): f64 { return cexp(a, b); }
}

@final export class Log {
  // y = log(a)
  @inline ev(a: f64): f64 { return Math.log(a); }
  // dy = da / a
  @inline d(a: f64, y: f64): f64 { return 1.0 / a; }
  // log(a + ib) = log|z| + i arg z; a < 0: NaN; a = 0: -Inf + i b/0, as the JVP
  @inline cx(a: f64, b: f64): f64 { return a > 0 ? clog(a, b) : a == 0 ? cret(-Infinity, b / a) : cnan(); }
}

@final export class Log10 {
  // y = log10(a)
  @inline ev(a: f64): f64 { return Math.log10(a); }
  // dy = da / (a ln 10)
  @inline d(a: f64, y: f64): f64 { return 1.0 / (a * LN10); }
  // log10(z) = log10|z| + i arg(z) / ln 10
  @inline cx(a: f64, b: f64): f64 {
    return a > 0 ? cret(Math.log10(Math.hypot(a, b)), Math.atan2(b, a) / LN10) : a == 0 ? cret(-Infinity, b / a) : cnan();
  }
}

@final export class Log2 {
  // y = log2(a)
  @inline ev(a: f64): f64 { return Math.log2(a); }
  // dy = da / (a ln 2)
  @inline d(a: f64, y: f64): f64 { return 1.0 / (a * LN2); }
  // log2(z) = log2|z| + i arg(z) / ln 2
  @inline cx(a: f64, b: f64): f64 {
    return a > 0 ? cret(Math.log2(Math.hypot(a, b)), Math.atan2(b, a) / LN2) : a == 0 ? cret(-Infinity, b / a) : cnan();
  }
}

// ------------------------------------------------------------- trigonometry

@final export class Sin {
  // y = sin(a)
  @inline ev(a: f64): f64 { return Math.sin(a); }
  // dy = cos(a) da
  @inline d(a: f64, y: f64): f64 { return Math.cos(a); }
  // sin(a + ib) = sin a cosh b + i cos a sinh b
  @inline cx(a: f64, b: f64): f64 {
    NativeMath.sincos(a);
    return cret(NativeMath.sincos_sin * Math.cosh(b), NativeMath.sincos_cos * Math.sinh(b));
  }
}

@final export class Cos {
  // y = cos(a)
  @inline ev(a: f64): f64 { return Math.cos(a); }
  // dy = -sin(a) da
  @inline d(a: f64, y: f64): f64 { return -Math.sin(a); }
  // cos(a + ib) = cos a cosh b - i sin a sinh b
  @inline cx(a: f64, b: f64): f64 {
    NativeMath.sincos(a);
    return cret(NativeMath.sincos_cos * Math.cosh(b), -NativeMath.sincos_sin * Math.sinh(b));
  }
}

@final export class Tan {
  // y = tan(a)
  @inline ev(a: f64): f64 { return Math.tan(a); }
  // dy = (1 + y^2) da
  @inline d(a: f64, y: f64): f64 { return 1.0 + y * y; }
  // tan(a + ib) = (t (1 - u^2) + i u (1 + t^2)) / (1 + t^2 u^2), t = tan a, u = tanh b
  @inline cx(a: f64, b: f64): f64 {
    const t = Math.tan(a);
    const u = Math.tanh(b);
    const den = 1.0 + t * t * (u * u);
    return cret(t * (1.0 - u * u) / den, u * (1.0 + t * t) / den);
  }
}

@final export class Asin {
  // y = asin(a)
  @inline ev(a: f64): f64 { return Math.asin(a); }
  // dy = da / sqrt(1 - a^2)
  @inline d(a: f64, y: f64): f64 { return 1.0 / Math.sqrt((1.0 - a) * (1.0 + a)); }
  // asin(a + ib) by Hull, Fairgrieve and Tang; |a| > 1: NaN
  @inline cx(a: f64, b: f64): f64 { return Math.abs(a) <= 1 ? casinRaw(a, b) : cnan(); }
}

@final export class Acos {
  // y = acos(a)
  @inline ev(a: f64): f64 { return Math.acos(a); }
  // dy = -da / sqrt(1 - a^2)
  @inline d(a: f64, y: f64): f64 { return -1.0 / Math.sqrt((1.0 - a) * (1.0 + a)); }
  // acos(a + ib) by Hull, Fairgrieve and Tang; |a| > 1: NaN
  @inline cx(a: f64, b: f64): f64 { return Math.abs(a) <= 1 ? cacosRaw(a, b) : cnan(); }
}

@final export class Atan {
  // y = atan(a)
  @inline ev(a: f64): f64 { return Math.atan(a); }
  // dy = da / (1 + a^2)
  @inline d(a: f64, y: f64): f64 { return 1.0 / (1.0 + a * a); }
  // atan(a + ib) = 1/2 atan2(2a, 1 - a^2 - b^2) + i/4 log1p(4b / (a^2 + (1 - b)^2))
  @inline cx(a: f64, b: f64): f64 { return catan(a, b); }
}

// --------------------------------------------------------------- hyperbolic

@final export class Sinh {
  // y = sinh(a)
  @inline ev(a: f64): f64 { return Math.sinh(a); }
  // dy = cosh(a) da
  @inline d(a: f64, y: f64): f64 { return Math.cosh(a); }
  // sinh(a + ib) = sinh a cos b + i cosh a sin b
  @inline cx(a: f64, b: f64): f64 {
    NativeMath.sincos(b);
    return cret(Math.sinh(a) * NativeMath.sincos_cos, Math.cosh(a) * NativeMath.sincos_sin);
  }
}

@final export class Cosh {
  // y = cosh(a)
  @inline ev(a: f64): f64 { return Math.cosh(a); }
  // dy = sinh(a) da
  @inline d(a: f64, y: f64): f64 { return Math.sinh(a); }
  // cosh(a + ib) = cosh a cos b + i sinh a sin b
  @inline cx(a: f64, b: f64): f64 {
    NativeMath.sincos(b);
    return cret(Math.cosh(a) * NativeMath.sincos_cos, Math.sinh(a) * NativeMath.sincos_sin);
  }
}

@final export class Tanh {
  // y = tanh(a)
  @inline ev(a: f64): f64 { return Math.tanh(a); }
  // dy = da / cosh(a)^2 = 4e / (1 + e)^2 da, e = exp(-2|a|): one exp, no cancellation
  // (not 1 - y^2, which is 0 once y rounds to 1)
  @inline d(a: f64, y: f64): f64 {
    const e = Math.exp(-2.0 * Math.abs(a));
    const q = 1.0 + e;
    return (4.0 * e) / (q * q);
  }
  // tanh(a + ib) = (T (1 + v^2) + i v / cosh(a)^2) / (1 + T^2 v^2), T = tanh a, v = tan b
  @inline cx(a: f64, b: f64): f64 {
    const T = Math.tanh(a);
    const v = Math.tan(b);
    const c = Math.cosh(a);
    const den = 1.0 + T * T * (v * v);
    return cret(T * (1.0 + v * v) / den, v / (c * c) / den);
  }
}

@final export class Asinh {
  // y = asinh(a)
  @inline ev(a: f64): f64 { return Math.asinh(a); }
  // dy = da / sqrt(a^2 + 1)
  @inline d(a: f64, y: f64): f64 { const x = Math.abs(a); return x > 1e150 ? 1.0 / x : 1.0 / Math.sqrt(a * a + 1.0); }
  // asinh(z) = -i asin(iz)
  @inline cx(a: f64, b: f64): f64 {
    const re = casinRaw(-b, a);
    return cret(cxIm, -re);
  }
}

@final export class Acosh {
  // y = acosh(a)
  @inline ev(a: f64): f64 { return Math.acosh(a); }
  // dy = da / sqrt(a^2 - 1)
  @inline d(a: f64, y: f64): f64 { return 1.0 / (Math.sqrt(a - 1.0) * Math.sqrt(a + 1.0)); }
  // acosh(z) = i acos(z) where Im z >= 0, -i acos(z) where Im z < 0; a < 1: NaN
  @inline cx(a: f64, b: f64): f64 {
    if (!(a >= 1)) return cnan();
    const re = cacosRaw(a, b);
    const im = cxIm;
    return b < 0 ? cret(im, -re) : cret(-im, re);
  }
}

@final export class Atanh {
  // y = atanh(a)
  @inline ev(a: f64): f64 { return Math.atanh(a); }
  // dy = da / (1 - a^2)
  @inline d(a: f64, y: f64): f64 { return 1.0 / ((1.0 - a) * (1.0 + a)); }
  // atanh(z) = -i atan(iz); |a| > 1: NaN
  @inline cx(a: f64, b: f64): f64 {
    if (!(Math.abs(a) <= 1)) return cnan();
    const re = catan(-b, a);
    return cret(cxIm, -re);
  }
}

// ------------------------------------------------------ activation functions

@final export class Sigmoid {
  // y = 1 / (1 + exp(-a))
  @inline ev(a: f64): f64 { return sigmoid(a); }
  // dy = e / (1 + e)^2 da, e = exp(-|a|)   (not y (1 - y), which is 0 once y rounds to 1)
  @inline d(a: f64, y: f64): f64 { const e = Math.exp(-Math.abs(a)); const q = 1.0 + e; return e / (q * q); }
  // sigmoid(z) = 1 / (1 + exp(-z)) for Re z >= 0, exp(z) / (1 + exp(z)) otherwise
  @inline cx(a: f64, b: f64): f64 {
    if (a >= 0) {
      const p = cexp(-a, -b);
      return cdiv(1.0, 0.0, 1.0 + p, cxIm);
    }
    const p = cexp(a, b);
    const q = cxIm;
    return cdiv(p, q, 1.0 + p, q);
  }
}

@final export class Softplus {
  // y = log(1 + exp(a))
  @inline ev(a: f64): f64 { return softplus(a); }
  // dy = sigmoid(a) da
  @inline d(a: f64, y: f64): f64 { return sigmoid(a); }
  // softplus(z) = log(1 + w) (+ z for Re z > 0), w = exp(-|z|) on the side where |w| <= 1,
  // log(1 + w) = 1/2 log1p(2p + p^2 + q^2) + i atan2(q, 1 + p), w = p + iq
  @inline cx(a: f64, b: f64): f64 {
    if (a != a) return cnan();
    const s: f64 = a > 0 ? -1.0 : 1.0;
    const p = cexp(s * a, s * b);
    const q = cxIm;
    const re = 0.5 * Math.log1p(p * (2.0 + p) + q * q);
    const im = Math.atan2(q, 1.0 + p);
    return a > 0 ? cret(a + re, b + im) : cret(re, im);
  }
}
