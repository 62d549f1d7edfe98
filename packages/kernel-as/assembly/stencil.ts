// Finite-difference stencils: offsets, steps and the combination of function
// values into a derivative and an error estimate. The tape routines
// (derivative, gradient) and the host's closure path both use these, so the
// arithmetic exists once.

export const METHOD_FORWARD: i32 = 0;
export const METHOD_BACKWARD: i32 = 1;
export const METHOD_CENTRAL: i32 = 2;
export const METHOD_RICHARDSON: i32 = 3;

/** Machine epsilon of f64, 2^-52. */
const EPS: f64 = 2.220446049250313e-16;

// Error estimates are SAFETY * (truncation estimate) + ROUNDING * eps * max|f| / step.
// src/accuracy.test.ts (npm run accuracy) measures how often they cover the
// true error: >= 95% is required, all methods reach ~99% or more.
const SAFETY: f64 = 2.0;
const ROUNDING: f64 = 2.0;

// Ridders' method (C. J. F. Ridders, "Accurate computation of F'(x) and
// F'(x)F''(x)", Adv. Eng. Software 4 (1982) 75-76), as in Numerical Recipes
// (Press et al., 3rd ed., section 5.7, routine dfridr): a tableau of central
// differences at steps h0, h0/c, h0/c^2, ... extrapolated by Neville's
// algorithm, keeping the entry with the smallest error estimate and
// stopping once the error grows by a factor SAFE.
//
// Two changes to dfridr, both chosen by measurement: c = 1.6 = 8/5 (NR: 1.4),
// so that every offset (5/8)^i is an exact binary number and 15 rows span a
// factor 720 of steps; and the tableau is started from every row in turn,
// keeping the start with the smallest error estimate, so that large steps
// which straddle a singularity or a domain edge (or leave the domain:
// non-finite rows are skipped) do not spoil the answer. A single tableau
// from the largest step gets sqrt'(0.2), tan'(1.4) or (1/x)'(0.1) wrong by
// 1e-3 to 100% with the automatic step; see 'is robust near singularities'
// in src/stencil.test.ts.
/** Rows of the richardson tableau (the stencil has 1 + 2 * rows values). */
export const RICHARDSON_ROWS: i32 = 15;
/** Step ratio between rows. */
const RICHARDSON_CON: f64 = 1.6;
const RICHARDSON_CON2: f64 = RICHARDSON_CON * RICHARDSON_CON;
/** Stop a tableau once its error grows by this factor (NR's SAFE). */
const RICHARDSON_SAFE: f64 = 2.0;
/** Auto largest step, relative to max(1, |x|). */
const RICHARDSON_BASE: f64 = 0.2;
/** Auto steps: forward/backward sqrt(eps) = 2^-26, central cbrt(eps). */
const SQRT_EPS: f64 = 1.4901161193847656e-8;
const CBRT_EPS: f64 = 6.055454452393343e-6;

// Static working memory of the richardson combination (no allocation): the
// central differences D and their steps H; the tableau T with the error
// estimate E of each entry; and per row the running minimum of E over columns
// 1..j (PE) with the entry that attains it (PT). The matrices are stored by
// column (column j, row i at j * TAB_STRIDE + i): the entries of a column are
// independent, and computing them in a row keeps the FPU pipelined. (An
// f64x2 version of these loops measured no faster.)
const TAB_STRIDE: i32 = RICHARDSON_ROWS;
const TAB_BYTES: i32 = TAB_STRIDE * TAB_STRIDE << 3;
const TAB_D: usize = memory.data(TAB_STRIDE << 3);
const TAB_H: usize = memory.data(TAB_STRIDE << 3);
const TAB_T: usize = memory.data(TAB_BYTES);
const TAB_E: usize = memory.data(TAB_BYTES);
const TAB_PE: usize = memory.data(TAB_BYTES);
const TAB_PT: usize = memory.data(TAB_BYTES);

@inline function f64At(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function f64Set(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

/** m, the number of function values of a method (offset 0 first); 0 for an unknown method. */
export function stencilSizeOf(method: i32): i32 {
  switch (method) {
    case METHOD_FORWARD: return 3;
    case METHOD_BACKWARD: return 3;
    case METHOD_CENTRAL: return 5;
    case METHOD_RICHARDSON: return 1 + 2 * RICHARDSON_ROWS;
    default: return 0;
  }
}

/**
 * Writes the m offsets, in units of the step, to `out`:
 *   forward    [0, 1, 2]
 *   backward   [0, -1, -2]
 *   central    [0, 1, -1, 2, -2]
 *   richardson [0, 1, -1, c^-1, -c^-1, ..., c^-(rows-1), -c^-(rows-1)], c = 1.6
 * The second value of forward/backward and the +-2 pair of central feed the
 * error estimate only.
 */
export function stencilOffsetsOf(method: i32, out: usize): i32 {
  const m = stencilSizeOf(method);
  if (m == 0) return 0;
  f64Set(out, 0, 0.0);
  if (method == METHOD_FORWARD) {
    f64Set(out, 1, 1.0);
    f64Set(out, 2, 2.0);
  } else if (method == METHOD_BACKWARD) {
    f64Set(out, 1, -1.0);
    f64Set(out, 2, -2.0);
  } else if (method == METHOD_CENTRAL) {
    f64Set(out, 1, 1.0);
    f64Set(out, 2, -1.0);
    f64Set(out, 3, 2.0);
    f64Set(out, 4, -2.0);
  } else {
    // (5/8)^i: 5^i < 2^53, so every product below is exact.
    let o: f64 = 1.0;
    for (let i = 0; i < RICHARDSON_ROWS; i++) {
      f64Set(out, 1 + 2 * i, o);
      f64Set(out, 2 + 2 * i, -o);
      o *= 0.625;
    }
  }
  return m;
}

/**
 * The step for a point whose coordinate along the direction is x.
 * h > 0: used as given (richardson: the largest step).
 * h NaN: automatic, relative to max(1, |x|) and made exactly representable
 * as (x + h) - x: forward/backward sqrt(eps), central cbrt(eps), richardson 0.2.
 * Anything else (h <= 0), or an unknown method: NaN.
 */
export function stencilStepOf(method: i32, h: f64, x: f64): f64 {
  if (stencilSizeOf(method) == 0) return NaN;
  if (h > 0) return h;
  if (!isNaN(h)) return NaN;
  let base: f64;
  if (method == METHOD_CENTRAL) base = CBRT_EPS;
  else if (method == METHOD_RICHARDSON) base = RICHARDSON_BASE;
  else base = SQRT_EPS;
  const step = base * Math.max(1.0, Math.abs(x));
  return (x + step) - x;
}

/** err if it is a number; NaN if the derivative is NaN; +Infinity if the estimate cannot be formed. */
@inline function finishErr(d: f64, err: f64): f64 {
  if (isNaN(err)) return isNaN(d) ? NaN : Infinity;
  return err;
}

/**
 * values[k] = f(x + offsets[k] * h), k < m. Writes out[0] = derivative,
 * out[1] = error estimate (>= 0, +Infinity if unknown, NaN with a NaN
 * derivative), out[2] = f(x).
 */
export function stencilCombineOf(method: i32, h: f64, values: usize, out: usize): void {
  const f0 = f64At(values, 0);
  let d: f64 = NaN;
  let err: f64 = NaN;
  if (method == METHOD_FORWARD || method == METHOD_BACKWARD) {
    // D(h) = (f(x+h) - f(x)) / h; backward mirrors it with f(x-h).
    // D(2h) - D(h) = f''h/2 + O(h^2): the leading truncation error of D(h).
    const f1 = f64At(values, 1);
    const f2 = f64At(values, 2);
    let d2: f64;
    if (method == METHOD_FORWARD) {
      d = (f1 - f0) / h;
      d2 = (f2 - f0) / (2.0 * h);
    } else {
      d = (f0 - f1) / h;
      d2 = (f0 - f2) / (2.0 * h);
    }
    const rounding = EPS * Math.max(Math.abs(f0), Math.abs(f1)) / h;
    err = SAFETY * Math.abs(d2 - d) + ROUNDING * rounding;
  } else if (method == METHOD_CENTRAL) {
    // D(h) = (f(x+h) - f(x-h)) / 2h; error of D(h) ~ (D(2h) - D(h)) / 3.
    const fp1 = f64At(values, 1);
    const fm1 = f64At(values, 2);
    const fp2 = f64At(values, 3);
    const fm2 = f64At(values, 4);
    d = (fp1 - fm1) / (2.0 * h);
    const d2 = (fp2 - fm2) / (4.0 * h);
    const rounding = EPS * Math.max(Math.abs(fp1), Math.abs(fm1)) / h;
    err = SAFETY * Math.abs(d2 - d) / 3.0 + ROUNDING * rounding;
  } else if (method == METHOD_RICHARDSON) {
    richardson(h, values, out);
    d = f64At(out, 0);
    err = f64At(out, 1);
  }
  f64Set(out, 0, d);
  f64Set(out, 1, finishErr(d, err));
  f64Set(out, 2, f0);
}

/** Byte offset of column j, row i. */
@inline function cell(j: i32, i: i32): usize {
  return <usize>(j * TAB_STRIDE + i) << 3;
}

/**
 * Ridders' tableau. Entry (row i, column j) of the tableau started at any
 * row s <= i - j is the same number: the Neville extrapolation of D[i-j..i],
 *   T[i][j] = T[i][j-1] + (T[i][j-1] - T[i-1][j-1]) / (c^(2j) - 1)
 * (dfridr's (T[i][j-1] c^(2j) - T[i-1][j-1]) / (c^(2j) - 1), rearranged), with
 * error estimate E[i][j] = max(|T[i][j] - T[i][j-1]|, |T[i][j] - T[i-1][j-1]|).
 * So the triangle is computed once (non-finite rows are NaN, and every entry
 * that depends on one gets a NaN error, so that it is never selected). Each
 * start s then scans it as dfridr would: rows i = s+1, s+2, ..., columns
 * 1..i-s, keeping the entry with the smallest error, stopping once the
 * diagonal moves by more than SAFE times that error, or at a non-finite row;
 * running row minima make each row one comparison. The start with the
 * smallest error wins. Writes out[0] = derivative, out[1] = error estimate
 * (SAFETY * tableau error + ROUNDING * eps * max|f| / step).
 */
function richardson(h: f64, values: usize, out: usize): void {
  const N = RICHARDSON_ROWS;
  let fmax = Math.abs(f64At(values, 0));
  if (!isFinite(fmax)) fmax = 0;
  let first = -1;
  let o: f64 = 1.0;
  for (let i = 0; i < N; i++) {
    const hi = o * h;
    const fp = f64At(values, 1 + 2 * i);
    const fm = f64At(values, 2 + 2 * i);
    let di = (fp - fm) / (2.0 * hi);
    if (isFinite(di)) {
      if (first < 0) first = i;
      fmax = Math.max(fmax, Math.max(Math.abs(fp), Math.abs(fm)));
    } else {
      di = NaN;
    }
    f64Set(TAB_D, i, di);
    f64Set(TAB_H, i, hi);
    store<f64>(TAB_T + cell(0, i), di);
    o *= 0.625;
  }
  if (first < 0) {
    f64Set(out, 0, NaN);
    f64Set(out, 1, NaN);
    return;
  }

  // The triangle, column by column.
  let fac = RICHARDSON_CON2;
  for (let j = 1; j < N; j++) {
    const r = 1.0 / (fac - 1.0);
    fac *= RICHARDSON_CON2;
    for (let i = first + j; i < N; i++) {
      const a = load<f64>(TAB_T + cell(j - 1, i));
      const b = load<f64>(TAB_T + cell(j - 1, i - 1));
      const v = a + (a - b) * r;
      store<f64>(TAB_T + cell(j, i), v);
      const e = Math.max(Math.abs(v - a), Math.abs(v - b));
      store<f64>(TAB_E + cell(j, i), isFinite(v) ? e : NaN);
    }
  }

  // Running minima along each row (ties go to the later column, as dfridr's
  // <=), column by column. A row with no entry yet has PE = Infinity, PT = NaN.
  for (let i = 0; i < N; i++) {
    store<f64>(TAB_PE + cell(0, i), Infinity);
    store<f64>(TAB_PT + cell(0, i), NaN);
  }
  for (let j = 1; j < N; j++) {
    for (let i = first + j; i < N; i++) {
      const m = load<f64>(TAB_PE + cell(j - 1, i));
      const e = load<f64>(TAB_E + cell(j, i));
      const take = e <= m;
      store<f64>(TAB_PE + cell(j, i), take ? e : m);
      store<f64>(TAB_PT + cell(j, i), take ? load<f64>(TAB_T + cell(j, i)) : load<f64>(TAB_PT + cell(j - 1, i)));
    }
  }

  let bestAns = f64At(TAB_D, first);
  let bestErr: f64 = Infinity;
  let bestStep = f64At(TAB_H, first);
  for (let s = first; s < N - 1; s++) {
    if (isNaN(f64At(TAB_D, s))) continue;
    let ans = f64At(TAB_D, s);
    let err: f64 = Infinity;
    let step = f64At(TAB_H, s);
    for (let i = s + 1; i < N; i++) {
      if (isNaN(f64At(TAB_D, i))) break; // a non-finite row ends this start's tableau
      const k = i - s;
      const e = load<f64>(TAB_PE + cell(k, i));
      const t = load<f64>(TAB_PT + cell(k, i));
      const take = e <= err && t == t;
      err = select<f64>(e, err, take);
      ans = select<f64>(t, ans, take);
      step = select<f64>(f64At(TAB_H, i), step, take);
      const moved = Math.abs(load<f64>(TAB_T + cell(k, i)) - load<f64>(TAB_T + cell(k - 1, i - 1)));
      if (moved >= RICHARDSON_SAFE * err) break;
    }
    const better = err < bestErr;
    bestAns = select<f64>(ans, bestAns, better);
    bestErr = select<f64>(err, bestErr, better);
    bestStep = select<f64>(step, bestStep, better);
  }
  f64Set(out, 0, bestAns);
  f64Set(out, 1, SAFETY * bestErr + ROUNDING * EPS * fmax / bestStep);
}
