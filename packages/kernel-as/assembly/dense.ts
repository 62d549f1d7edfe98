// Dense layers of a network, over a batch of rows: matrix work, not scalar
// tape entries. The layer table: each layer op's forward and reverse rule
// together, in one row (the host's NetworkObjective, packages/core/src/fit/
// network.ts, runs them in order and back):
//
//   dense       y = x W^T + b            x̄ = ȳ W,  W̄ += ȳ^T x,  b̄ += colsum(ȳ)
//   activation  h = act(z), element-wise  z̄ = act'(z) h̄ (the op rows of ops.ts)
//   log loss    L = Σ softplus(z) - t z    z̄ = (sigmoid(z) - t) scale
//   squared     L = Σ (z - t)^2            z̄ = 2 (z - t) scale
//   absolute    L = Σ |z - t|              z̄ = sign(z - t) scale
//
// No symbolic form: these are rows of matrices, not expressions. Matrices
// are row-major f64: x is rows x nIn, W is nOut x nIn (row o holds the
// weights into unit o), y is rows x nOut. Inner loops run along the
// contiguous nIn, two lanes of f64x2 at a time.
import { evalUnary, vjpUnary } from './loops';
import { Relu, Sigmoid, Tanh, sigmoid, softplus } from './ops';

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

/**
 * Σ a[i] b[i], i < n, in the one order every dense loop keeps (so that the
 * blocked and the plain loops, and the SIMD and the scalar builds, give the
 * same bits): the even terms and the odd terms summed apart, in order (the
 * lanes of one f64x2), then together, then the last term of an odd n.
 */
@inline function dot(a: usize, b: usize, n: i32): f64 {
  let i = 0;
  let t: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let s = f64x2.splat(0.0);
    for (; i + 1 < n; i += 2) s = f64x2.add(s, f64x2.mul(v128.load(a + (<usize>i << 3)), v128.load(b + (<usize>i << 3))));
    t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  } else {
    let s0: f64 = 0, s1: f64 = 0;
    for (; i + 1 < n; i += 2) {
      s0 += ld(a, i) * ld(b, i);
      s1 += ld(a, i + 1) * ld(b, i + 1);
    }
    t = s0 + s1;
  }
  if (i < n) t += ld(a, i) * ld(b, i);
  return t;
}

/** The lanes of s added, then the odd last term a[n-1] b[n-1] if n is odd: dot's ending. */
@inline function finish(s: v128, a: usize, b: usize, n: i32): f64 {
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if ((n & 1) != 0) t += ld(a, n - 1) * ld(b, n - 1);
  return t;
}

/**
 * y = x W^T + b: rows x nOut. Two rows by four units at a time (eight
 * f64x2 sums, each x and W pair loaded once for several products), the
 * rest one dot product at a time; every sum in dot's order.
 */
export function denseForward(x: usize, w: usize, b: usize, y: usize, rows: i32, nIn: i32, nOut: i32): void {
  const rowIn = <usize>nIn << 3;
  const even = nIn & ~1;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 1 < rows; r += 2) {
      const x0 = x + <usize>r * rowIn;
      const x1 = x0 + rowIn;
      const y0 = y + ((<usize>r * <usize>nOut) << 3);
      const y1 = y0 + (<usize>nOut << 3);
      let o = 0;
      for (; o + 3 < nOut; o += 4) {
        const w0 = w + <usize>o * rowIn;
        const w1 = w0 + rowIn;
        const w2 = w1 + rowIn;
        const w3 = w2 + rowIn;
        let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), a3 = f64x2.splat(0.0);
        let c0 = f64x2.splat(0.0), c1 = f64x2.splat(0.0), c2 = f64x2.splat(0.0), c3 = f64x2.splat(0.0);
        for (let i = 0; i < even; i += 2) {
          const k = <usize>i << 3;
          const u = v128.load(x0 + k);
          const v = v128.load(x1 + k);
          const p0 = v128.load(w0 + k), p1 = v128.load(w1 + k), p2 = v128.load(w2 + k), p3 = v128.load(w3 + k);
          a0 = f64x2.add(a0, f64x2.mul(u, p0));
          a1 = f64x2.add(a1, f64x2.mul(u, p1));
          a2 = f64x2.add(a2, f64x2.mul(u, p2));
          a3 = f64x2.add(a3, f64x2.mul(u, p3));
          c0 = f64x2.add(c0, f64x2.mul(v, p0));
          c1 = f64x2.add(c1, f64x2.mul(v, p1));
          c2 = f64x2.add(c2, f64x2.mul(v, p2));
          c3 = f64x2.add(c3, f64x2.mul(v, p3));
        }
        st(y0, o, ld(b, o) + finish(a0, x0, w0, nIn));
        st(y0, o + 1, ld(b, o + 1) + finish(a1, x0, w1, nIn));
        st(y0, o + 2, ld(b, o + 2) + finish(a2, x0, w2, nIn));
        st(y0, o + 3, ld(b, o + 3) + finish(a3, x0, w3, nIn));
        st(y1, o, ld(b, o) + finish(c0, x1, w0, nIn));
        st(y1, o + 1, ld(b, o + 1) + finish(c1, x1, w1, nIn));
        st(y1, o + 2, ld(b, o + 2) + finish(c2, x1, w2, nIn));
        st(y1, o + 3, ld(b, o + 3) + finish(c3, x1, w3, nIn));
      }
      for (; o < nOut; o++) {
        const wo = w + <usize>o * rowIn;
        st(y0, o, ld(b, o) + dot(x0, wo, nIn));
        st(y1, o, ld(b, o) + dot(x1, wo, nIn));
      }
    }
  }
  for (; r < rows; r++) {
    const xr = x + <usize>r * rowIn;
    const yr = y + ((<usize>r * <usize>nOut) << 3);
    for (let o = 0; o < nOut; o++) st(yr, o, ld(b, o) + dot(xr, w + <usize>o * rowIn, nIn));
  }
}

/**
 * The reverse rule: W̄ += ȳ^T x, b̄ += the column sums of ȳ, and x̄ = ȳ W
 * unless dx is 0 (the first layer's input is data). Every element of W̄ and
 * x̄ takes its terms in order (rows, units ascending), as a plain loop would.
 */
export function denseBackward(x: usize, w: usize, dy: usize, dx: usize, dw: usize, db: usize, rows: i32, nIn: i32, nOut: i32): void {
  const rowIn = <usize>nIn << 3;
  const rowOut = <usize>nOut << 3;
  for (let o = 0; o < nOut; o++) {
    let s = ld(db, o);
    for (let r = 0; r < rows; r++) s += ld(dy + <usize>r * rowOut, o);
    st(db, o, s);
  }
  // W̄: a strip of four inputs of four units stays in registers over all the rows.
  let o = 0;
  if (ASC_FEATURE_SIMD) {
    const four = nIn & ~3;
    for (; o + 3 < nOut; o += 4) {
      const d0 = dw + <usize>o * rowIn;
      const d1 = d0 + rowIn;
      const d2 = d1 + rowIn;
      const d3 = d2 + rowIn;
      for (let i = 0; i < four; i += 4) {
        const k = <usize>i << 3;
        let g0 = v128.load(d0 + k), g1 = v128.load(d1 + k), g2 = v128.load(d2 + k), g3 = v128.load(d3 + k);
        let h0 = v128.load(d0 + k, 16), h1 = v128.load(d1 + k, 16), h2 = v128.load(d2 + k, 16), h3 = v128.load(d3 + k, 16);
        for (let r = 0; r < rows; r++) {
          const xr = x + <usize>r * rowIn + k;
          const u = v128.load(xr);
          const v = v128.load(xr, 16);
          const e = dy + <usize>r * rowOut + (<usize>o << 3);
          const e0 = f64x2.splat(load<f64>(e)), e1 = f64x2.splat(load<f64>(e, 8)), e2 = f64x2.splat(load<f64>(e, 16)), e3 = f64x2.splat(load<f64>(e, 24));
          g0 = f64x2.add(g0, f64x2.mul(e0, u));
          g1 = f64x2.add(g1, f64x2.mul(e1, u));
          g2 = f64x2.add(g2, f64x2.mul(e2, u));
          g3 = f64x2.add(g3, f64x2.mul(e3, u));
          h0 = f64x2.add(h0, f64x2.mul(e0, v));
          h1 = f64x2.add(h1, f64x2.mul(e1, v));
          h2 = f64x2.add(h2, f64x2.mul(e2, v));
          h3 = f64x2.add(h3, f64x2.mul(e3, v));
        }
        v128.store(d0 + k, g0);
        v128.store(d1 + k, g1);
        v128.store(d2 + k, g2);
        v128.store(d3 + k, g3);
        v128.store(d0 + k, h0, 16);
        v128.store(d1 + k, h1, 16);
        v128.store(d2 + k, h2, 16);
        v128.store(d3 + k, h3, 16);
      }
      for (let q = 0; q < 4; q++) weightColumns(x, dy, dw, rows, nIn, nOut, o + q, four);
    }
  }
  for (; o < nOut; o++) weightColumns(x, dy, dw, rows, nIn, nOut, o, 0);
  if (dx == 0) return;
  // x̄: eight inputs of two rows summed over the units in registers.
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    const eight = nIn & ~7;
    for (; r + 1 < rows; r += 2) {
      const p0 = dx + <usize>r * rowIn;
      const p1 = p0 + rowIn;
      const q0 = dy + <usize>r * rowOut;
      const q1 = q0 + rowOut;
      for (let i = 0; i < eight; i += 8) {
        const k = <usize>i << 3;
        let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), a3 = f64x2.splat(0.0);
        let c0 = f64x2.splat(0.0), c1 = f64x2.splat(0.0), c2 = f64x2.splat(0.0), c3 = f64x2.splat(0.0);
        for (let q = 0; q < nOut; q++) {
          const wq = w + <usize>q * rowIn + k;
          const m0 = v128.load(wq), m1 = v128.load(wq, 16), m2 = v128.load(wq, 32), m3 = v128.load(wq, 48);
          const s = f64x2.splat(ld(q0, q));
          const t = f64x2.splat(ld(q1, q));
          a0 = f64x2.add(a0, f64x2.mul(s, m0));
          a1 = f64x2.add(a1, f64x2.mul(s, m1));
          a2 = f64x2.add(a2, f64x2.mul(s, m2));
          a3 = f64x2.add(a3, f64x2.mul(s, m3));
          c0 = f64x2.add(c0, f64x2.mul(t, m0));
          c1 = f64x2.add(c1, f64x2.mul(t, m1));
          c2 = f64x2.add(c2, f64x2.mul(t, m2));
          c3 = f64x2.add(c3, f64x2.mul(t, m3));
        }
        v128.store(p0 + k, a0);
        v128.store(p0 + k, a1, 16);
        v128.store(p0 + k, a2, 32);
        v128.store(p0 + k, a3, 48);
        v128.store(p1 + k, c0);
        v128.store(p1 + k, c1, 16);
        v128.store(p1 + k, c2, 32);
        v128.store(p1 + k, c3, 48);
      }
      inputColumns(w, dy, dx, nIn, nOut, r, eight);
      inputColumns(w, dy, dx, nIn, nOut, r + 1, eight);
    }
  }
  for (; r < rows; r++) inputColumns(w, dy, dx, nIn, nOut, r, 0);
}

/** W̄[o, i] += Σ_r ȳ[r, o] x[r, i] for i from `from`, one at a time (rows in order). */
function weightColumns(x: usize, dy: usize, dw: usize, rows: i32, nIn: i32, nOut: i32, o: i32, from: i32): void {
  const rowIn = <usize>nIn << 3;
  const rowOut = <usize>nOut << 3;
  const at = dw + <usize>o * rowIn;
  for (let i = from; i < nIn; i++) {
    let s = ld(at, i);
    for (let r = 0; r < rows; r++) s += ld(dy + <usize>r * rowOut, o) * ld(x + <usize>r * rowIn, i);
    st(at, i, s);
  }
}

/** x̄[r, i] = Σ_o ȳ[r, o] W[o, i] for i from `from`, one at a time (units in order, from 0). */
function inputColumns(w: usize, dy: usize, dx: usize, nIn: i32, nOut: i32, r: i32, from: i32): void {
  const rowIn = <usize>nIn << 3;
  const dxr = dx + <usize>r * rowIn;
  const dyr = dy + ((<usize>r * <usize>nOut) << 3);
  for (let i = from; i < nIn; i++) {
    let s: f64 = 0;
    for (let q = 0; q < nOut; q++) s += ld(dyr, q) * ld(w + <usize>q * rowIn, i);
    st(dxr, i, s);
  }
}

/** Activations by number, as the host's layer table numbers them. */
export const ACT_TANH: i32 = 0;
export const ACT_RELU: i32 = 1;
export const ACT_SIGMOID: i32 = 2;

/** h = act(z), n elements: the op rows' own loops. */
export function activationForward(act: i32, z: usize, h: usize, n: i32): void {
  if (act == ACT_TANH) evalUnary<Tanh>(h, z, n);
  else if (act == ACT_RELU) evalUnary<Relu>(h, z, n);
  else evalUnary<Sigmoid>(h, z, n);
}

/** z̄ = act'(z) h̄, n elements (the rows' reverse loops; h is act(z)). */
export function activationBackward(act: i32, z: usize, h: usize, dh: usize, dz: usize, n: i32): void {
  if (act == ACT_TANH) vjpUnary<Tanh>(h, dh, z, dz, n, true);
  else if (act == ACT_RELU) vjpUnary<Relu>(h, dh, z, dz, n, true);
  else vjpUnary<Sigmoid>(h, dh, z, dz, n, true);
}

/** Losses by number, as the host's layer table numbers them. */
export const LOSS_SQUARED: i32 = 0;
export const LOSS_ABSOLUTE: i32 = 1;
export const LOSS_LOG: i32 = 2;

/**
 * The summed loss of `rows` outputs z against targets t (log loss: z is the
 * logit, the sigmoid's input), and z̄ = dL/dz times `scale` (1/rows for a
 * mean) unless dz is 0.
 */
export function lossForward(loss: i32, z: usize, t: usize, dz: usize, rows: i32, scale: f64): f64 {
  let s: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const zr = ld(z, r);
    const tr = ld(t, r);
    let g: f64;
    if (loss == LOSS_LOG) {
      s += softplus(zr) - tr * zr;
      g = sigmoid(zr) - tr;
    } else if (loss == LOSS_SQUARED) {
      const e = zr - tr;
      s += e * e;
      g = e + e;
    } else {
      const e = zr - tr;
      s += Math.abs(e);
      g = e > 0 ? 1.0 : e < 0 ? -1.0 : 0.0;
    }
    if (dz != 0) st(dz, r, g * scale);
  }
  return s;
}

/**
 * Softmax cross-entropy of `rows` rows of `classes` logits z against class
 * numbers t: L = Σ_r log Σ_k exp(z_rk) - z_r,t_r (the log-sum-exp shifted by
 * the row's largest logit, so that no exp overflows), and z̄ = (softmax(z) -
 * onehot(t)) scale unless dz is 0. With `dz` 0 and `probabilities` not 0,
 * writes softmax(z) there instead (the same exps).
 */
export function softmaxLoss(z: usize, t: usize, dz: usize, probabilities: usize, rows: i32, classes: i32, scale: f64): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const zr = z + ((<usize>r * <usize>classes) << 3);
    let m = ld(zr, 0);
    for (let k = 1; k < classes; k++) m = max(m, ld(zr, k));
    let s: f64 = 0;
    for (let k = 0; k < classes; k++) s += Math.exp(ld(zr, k) - m);
    const target = <i32>ld(t, r);
    total += m + Math.log(s) - ld(zr, target);
    const out = dz != 0 ? dz : probabilities;
    if (out == 0) continue;
    const pr = out + ((<usize>r * <usize>classes) << 3);
    for (let k = 0; k < classes; k++) {
      const p = Math.exp(ld(zr, k) - m) / s;
      st(pr, k, dz != 0 ? (p - (k == target ? 1.0 : 0.0)) * scale : p);
    }
  }
  return total;
}

/** The rows idx[k] (k < count) of a row-major table of `width` f64 per row, copied one after the other into dst. */
export function gatherRows(src: usize, index: usize, count: i32, width: i32, dst: usize): void {
  const bytes = <usize>width << 3;
  for (let k = 0; k < count; k++) {
    const r = <usize>load<u32>(index + (<usize>k << 2));
    memory.copy(dst + <usize>k * bytes, src + r * bytes, bytes);
  }
}

/** g += l2 w over n weights; returns Σ w^2 (the host adds l2 / 2 of it to the loss). */
export function addL2(w: usize, g: usize, n: i32, l2: f64): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const wi = ld(w, i);
    s += wi * wi;
    st(g, i, ld(g, i) + l2 * wi);
  }
  return s;
}
