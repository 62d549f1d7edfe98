// Dense layers of a network, over a batch of rows: matrix work, not scalar
// tape entries. The layer table's rows (forward and reverse rule of each
// layer op; packages/core/src/fit/layers.ts holds the same table for the
// host):
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
 * Σ a[i] b[i], i < n: four running sums (i mod 4; two f64x2 accumulators in
 * the SIMD build, the same sums in the same order in the scalar build), then
 * the tail.
 */
@inline function dot(a: usize, b: usize, n: i32): f64 {
  let i = 0;
  let t: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let s0 = f64x2.splat(0.0);
    let s1 = f64x2.splat(0.0);
    for (; i + 3 < n; i += 4) {
      const o = <usize>i << 3;
      s0 = f64x2.add(s0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    }
    const s = f64x2.add(s0, s1);
    t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  } else {
    let l0: f64 = 0, l1: f64 = 0, l2: f64 = 0, l3: f64 = 0;
    for (; i + 3 < n; i += 4) {
      l0 += ld(a, i) * ld(b, i);
      l1 += ld(a, i + 1) * ld(b, i + 1);
      l2 += ld(a, i + 2) * ld(b, i + 2);
      l3 += ld(a, i + 3) * ld(b, i + 3);
    }
    t = (l0 + l2) + (l1 + l3);
  }
  for (; i < n; i++) t += ld(a, i) * ld(b, i);
  return t;
}

/** y[i] += k x[i], i < n. */
@inline function axpy(y: usize, k: f64, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const kk = f64x2.splat(k);
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(kk, v128.load(x + o))));
    }
  }
  for (; i < n; i++) st(y, i, ld(y, i) + k * ld(x, i));
}

/** y = x W^T + b: rows x nOut. */
export function denseForward(x: usize, w: usize, b: usize, y: usize, rows: i32, nIn: i32, nOut: i32): void {
  const rowIn = <usize>nIn << 3;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowIn;
    const yr = y + ((<usize>r * <usize>nOut) << 3);
    for (let o = 0; o < nOut; o++) st(yr, o, ld(b, o) + dot(xr, w + <usize>o * rowIn, nIn));
  }
}

/**
 * The reverse rule: W̄ += ȳ^T x, b̄ += the column sums of ȳ, and x̄ = ȳ W
 * unless dx is 0 (the first layer's input is data).
 */
export function denseBackward(x: usize, w: usize, dy: usize, dx: usize, dw: usize, db: usize, rows: i32, nIn: i32, nOut: i32): void {
  const rowIn = <usize>nIn << 3;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowIn;
    const dyr = dy + ((<usize>r * <usize>nOut) << 3);
    for (let o = 0; o < nOut; o++) {
      const g = ld(dyr, o);
      st(db, o, ld(db, o) + g);
      axpy(dw + <usize>o * rowIn, g, xr, nIn);
    }
    if (dx != 0) {
      const dxr = dx + <usize>r * rowIn;
      memory.fill(dxr, 0, rowIn);
      for (let o = 0; o < nOut; o++) axpy(dxr, ld(dyr, o), w + <usize>o * rowIn, nIn);
    }
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
