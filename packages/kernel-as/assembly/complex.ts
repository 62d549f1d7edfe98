// Complex arithmetic for the complex-step derivative: f(x + i h dir) with h
// about 1e-20, so the imaginary parts are tiny and every formula here is
// written so that a tiny imaginary part keeps its relative accuracy (no
// 1 + 1e-40 rounded to 1, no 2*pi - 1e-20 rounded to 2*pi).
//
// A complex result is returned as its real part, with the imaginary part
// in the global `cxIm` (read it right after the call).
//
// Outside the real domain of the real function (log of a negative number,
// asin(2), pow of a negative base to a non-integer power, ...) the result is
// NaN + NaN i, as the real function gives NaN there.

/** Imaginary part of the last complex result. */
export let cxIm: f64 = 0;

/** Returns re, sets cxIm = im. */
@inline export function cret(re: f64, im: f64): f64 {
  cxIm = im;
  return re;
}

@inline export function cnan(): f64 {
  cxIm = NaN;
  return NaN;
}

const LN2: f64 = 0.6931471805599453;
const PI: f64 = 3.141592653589793;

// (a + ib) / (c + id), Smith's algorithm (R. L. Smith, "Algorithm 116:
// Complex division", CACM 5(8), 1962): no overflow of c^2 + d^2.
export function cdiv(a: f64, b: f64, c: f64, d: f64): f64 {
  if (Math.abs(d) <= Math.abs(c)) {
    const r = d / c;
    const den = c + d * r;
    return cret((a + b * r) / den, (b - a * r) / den);
  }
  const r = c / d;
  const den = c * r + d;
  return cret((a * r + b) / den, (b * r - a) / den);
}

// sqrt(a + ib): t = sqrt((|z| + |a|) / 2), the other part b / 2t (W. Kahan,
// "Branch cuts for complex elementary functions", 1987). Principal branch.
export function csqrt(a: f64, b: f64): f64 {
  if (a == 0 && b == 0) return cret(0, b);
  const t = Math.sqrt((Math.hypot(a, b) + Math.abs(a)) * 0.5);
  if (a >= 0) return cret(t, b / (2 * t));
  return cret(Math.abs(b) / (2 * t), b < 0 ? -t : t);
}

// log(a + ib) = log|z| + i arg z
export function clog(a: f64, b: f64): f64 {
  return cret(Math.log(Math.hypot(a, b)), Math.atan2(b, a));
}

// exp(a + ib) = e^a (cos b + i sin b)
export function cexp(a: f64, b: f64): f64 {
  const e = Math.exp(a);
  NativeMath.sincos(b);
  return cret(e * NativeMath.sincos_cos, e * NativeMath.sincos_sin);
}

// z^w for Re z > 0 (or z = 0 with Im z != 0): |z|^c e^(-d arg z) (cos phi + i sin phi),
// phi = c arg z + d log|z|, w = c + id. |z|^c by Math.pow keeps the modulus exact for real w.
function cpowRight(a: f64, b: f64, c: f64, d: f64): f64 {
  const r = Math.hypot(a, b);
  const t = Math.atan2(b, a);
  let m = Math.pow(r, c);
  let phi = c * t;
  if (d != 0) {
    m *= Math.exp(-d * t);
    phi += d * Math.log(r);
  }
  NativeMath.sincos(phi);
  return cret(m * NativeMath.sincos_cos, m * NativeMath.sincos_sin);
}

// pow(a + ib, c + id) = exp((c + id) log(a + ib)), with the real function's domain:
// a < 0 needs a real integer exponent (then z^c = (-1)^c (-z)^c), else NaN.
// At a = 0 the first-order terms of the JVP rule (pow is not analytic there).
export function cpow(a: f64, b: f64, c: f64, d: f64): f64 {
  if (b == 0 && d == 0) return cret(Math.pow(a, c), 0);
  if (a > 0) return cpowRight(a, b, c, d);
  if (a < 0) {
    if (d != 0 || Math.floor(c) != c) return cnan();
    const re = cpowRight(-a, -b, c, 0);
    const im = cxIm;
    // (-1)^c for an integer c: odd when c/2 is not an integer.
    return Math.floor(c * 0.5) * 2 != c ? cret(-re, -im) : cret(re, im);
  }
  if (a == 0) {
    const y = Math.pow(a, c);
    const da = c == 0 ? 0 : c * Math.pow(a, c - 1) * b;
    const db = d == 0 ? 0 : y * Math.log(a) * d;
    return cret(y, da + db);
  }
  return cnan();
}

// The real and imaginary parts of asin(z) for z = x + iy with x, y >= 0 (and
// the same for acos), after T. E. Hull, T. F. Fairgrieve and P. T. P. Tang,
// "Implementing the complex arcsine and arccosine functions using exception
// handling", ACM TOMS 23(3), 1997, Fig. 2 (the moderate range, plus their
// large-argument form of the imaginary part). With y tiny, A - 1 ~ y^2 is
// formed without cancellation, so Im asin(x + iy) ~ y / sqrt(1 - x^2).
let hullRe: f64 = 0; // asin's real part (acos: hullReC)
let hullReC: f64 = 0;
let hullIm: f64 = 0;
const B_CROSS: f64 = 0.6417;
const A_CROSS: f64 = 1.5;

function hull(x: f64, y: f64): void {
  const xp1 = x + 1;
  const xm1 = x - 1;
  const r = Math.hypot(xp1, y);
  const s = Math.hypot(xm1, y);
  const A = 0.5 * (r + s);
  const B = x / A;
  const y2 = y * y;
  if (B <= B_CROSS) {
    hullRe = Math.asin(B);
    hullReC = Math.acos(B);
  } else {
    const apx = A + x;
    if (x <= 1) {
      const q = Math.sqrt(0.5 * apx * (y2 / (r + xp1) + (s - xm1)));
      hullRe = Math.atan(x / q);
      hullReC = Math.atan(q / x);
    } else {
      const q = y * Math.sqrt(0.5 * (apx / (r + xp1) + apx / (s + xm1)));
      hullRe = Math.atan(x / q);
      hullReC = Math.atan(q / x);
    }
  }
  if (A <= A_CROSS) {
    const am1 = x < 1 ? 0.5 * (y2 / (r + xp1) + y2 / (s - xm1)) : 0.5 * (y2 / (r + xp1) + (s + xm1));
    hullIm = Math.log1p(am1 + Math.sqrt(am1 * (A + 1)));
  } else if (A < 1e150) {
    hullIm = Math.log(A + Math.sqrt(A * A - 1));
  } else {
    hullIm = Math.log(A) + LN2;
  }
}

// asin(a + ib) (complex); the caller checks the real domain.
export function casinRaw(a: f64, b: f64): f64 {
  hull(Math.abs(a), Math.abs(b));
  return cret(copysign<f64>(hullRe, a), copysign<f64>(hullIm, b));
}

// acos(a + ib) (complex); the caller checks the real domain.
export function cacosRaw(a: f64, b: f64): f64 {
  hull(Math.abs(a), Math.abs(b));
  return cret(a < 0 ? PI - hullReC : hullReC, -copysign<f64>(hullIm, b));
}

// atan(a + ib) = 1/2 atan2(2a, 1 - a^2 - b^2) + i/4 log1p(4b / (a^2 + (1 - b)^2))
// (the real part halved in both arguments, so that 2a cannot overflow; the
// imaginary part is odd in b and formed from |b|, so that log1p never sees
// an argument near -1).
export function catan(a: f64, b: f64): f64 {
  const re = 0.5 * Math.atan2(a, 0.5 * ((1 - a) * (1 + a) - b * b));
  const c = Math.abs(b);
  const omc = 1 - c;
  const im = 0.25 * Math.log1p(4 * c / (a * a + omc * omc));
  return cret(re, copysign<f64>(im, b));
}
