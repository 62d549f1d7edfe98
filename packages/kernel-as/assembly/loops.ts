// The rule factories: each turns a row's rules (ops.ts) into the loop of one
// sweep over n elements (the rows of a batch, or the elements of a vector).
// They are @inline and generic over the row, so each (sweep, op, variant)
// becomes one straight loop with the row's maths inlined: no call and no
// switch per element.
//
// Binary ops come in three broadcast variants, `bc`: 0 both operands have n
// elements, 1 `a` has one element (broadcast), 2 `b` has one. `na`/`nb` say
// whether an operand carries a tangent or adjoint (false for constants: their
// term is dropped). `bc`, `na` and `nb` are always literals at the call site,
// so the optimiser folds every test on them away.
//
// f64x2: a row that defines the v128 forms of its rules (evV, dV, daV, dbV)
// gets a SIMD main loop when the build enables SIMD; the scalar loop handles
// the last odd element and the whole loop otherwise. The per-lane arithmetic
// is the same IEEE operation as the scalar one, so both builds agree bit for
// bit. Reductions (sum, a broadcast operand's adjoint) add the even and the
// odd elements separately and then the two sums, in both builds.
import { cxIm } from './complex';

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** Element i of an operand in broadcast variant bc: operand index 1 = a, 2 = b. */
@inline function opd(p: usize, i: i32, bc: i32, which: i32): f64 {
  return bc == which ? load<f64>(p) : load<f64>(p + (<usize>i << 3));
}

@inline function opdV(p: usize, o: usize, splat: v128, bc: i32, which: i32): v128 {
  return bc == which ? splat : v128.load(p + o);
}

// ------------------------------------------------------------------ values

export function fillF64(d: usize, value: f64, n: i32): void {
  for (let i = 0; i < n; i++) st(d, i, value);
}

/** d[i] = R(a[i]) */
@inline export function evalUnary<R>(d: usize, a: usize, n: i32): void {
  const r = changetype<R>(0);
  let i = 0;
  if (ASC_FEATURE_SIMD && isDefined(r.evV)) {
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      v128.store(d + o, r.evV(v128.load(a + o)));
    }
  }
  for (; i < n; i++) st(d, i, r.ev(ld(a, i)));
}

/** d[i] = R(a[i], b[i]) with broadcasting */
@inline export function evalBinary<R>(d: usize, a: usize, b: usize, n: i32, bc: i32): void {
  const r = changetype<R>(0);
  let i = 0;
  if (ASC_FEATURE_SIMD && isDefined(r.evV)) {
    const sa = f64x2.splat(load<f64>(a));
    const sb = f64x2.splat(load<f64>(b));
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      v128.store(d + o, r.evV(opdV(a, o, sa, bc, 1), opdV(b, o, sb, bc, 2)));
    }
  }
  for (; i < n; i++) st(d, i, r.ev(opd(a, i, bc, 1), opd(b, i, bc, 2)));
}

/** The sum of a[0..n), even and odd elements apart, then together. */
export function sumOf(a: usize, n: i32): f64 {
  let i = 0;
  let s0: f64 = 0;
  let s1: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let s = f64x2.splat(0.0);
    for (; i + 1 < n; i += 2) s = f64x2.add(s, v128.load(a + (<usize>i << 3)));
    s0 = f64x2.extract_lane(s, 0);
    s1 = f64x2.extract_lane(s, 1);
  } else {
    for (; i + 1 < n; i += 2) {
      s0 += ld(a, i);
      s1 += ld(a, i + 1);
    }
  }
  if (i < n) s0 += ld(a, i);
  return s0 + s1;
}

/** d[i] += a[i] */
export function addTo(d: usize, a: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      v128.store(d + o, f64x2.add(v128.load(d + o), v128.load(a + o)));
    }
  }
  for (; i < n; i++) st(d, i, ld(d, i) + ld(a, i));
}

/** d[i] += s */
export function addScalarTo(d: usize, s: f64, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v = f64x2.splat(s);
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      v128.store(d + o, f64x2.add(v128.load(d + o), v));
    }
  }
  for (; i < n; i++) st(d, i, ld(d, i) + s);
}

// -------------------------------------------------- forward mode (JVP, dual numbers)

/** y = R(a), ẏ = R.d(a, y) ȧ */
@inline export function jvpUnary<R>(d: usize, td: usize, a: usize, ta: usize, n: i32): void {
  const r = changetype<R>(0);
  let i = 0;
  if (ASC_FEATURE_SIMD && isDefined(r.evV) && isDefined(r.dV)) {
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      const x = v128.load(a + o);
      const y = r.evV(x);
      v128.store(d + o, y);
      v128.store(td + o, f64x2.mul(r.dV(x, y), v128.load(ta + o)));
    }
  }
  for (; i < n; i++) {
    const x = ld(a, i);
    const y = r.ev(x);
    st(d, i, y);
    st(td, i, r.d(x, y) * ld(ta, i));
  }
}

/** y = R(a, b), ẏ = R.da ȧ + R.db ḃ (or R.jvp), the terms of constant operands dropped */
@inline export function jvpBinary<R>(
  d: usize, td: usize, a: usize, ta: usize, b: usize, tb: usize, n: i32, bc: i32, na: bool, nb: bool,
): void {
  const r = changetype<R>(0);
  let i = 0;
  if (ASC_FEATURE_SIMD && isDefined(r.evV) && isDefined(r.daV) && isDefined(r.dbV) && !isDefined(r.jvp)) {
    const sa = f64x2.splat(load<f64>(a));
    const sb = f64x2.splat(load<f64>(b));
    const sta = f64x2.splat(load<f64>(ta));
    const stb = f64x2.splat(load<f64>(tb));
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      const x = opdV(a, o, sa, bc, 1);
      const z = opdV(b, o, sb, bc, 2);
      const y = r.evV(x, z);
      v128.store(d + o, y);
      let t: v128;
      if (na && nb) {
        t = f64x2.add(f64x2.mul(r.daV(x, z, y), opdV(ta, o, sta, bc, 1)), f64x2.mul(r.dbV(x, z, y), opdV(tb, o, stb, bc, 2)));
      } else if (na) {
        t = f64x2.mul(r.daV(x, z, y), opdV(ta, o, sta, bc, 1));
      } else {
        t = f64x2.mul(r.dbV(x, z, y), opdV(tb, o, stb, bc, 2));
      }
      v128.store(td + o, t);
    }
  }
  for (; i < n; i++) {
    const x = opd(a, i, bc, 1);
    const z = opd(b, i, bc, 2);
    const y = r.ev(x, z);
    st(d, i, y);
    let t: f64;
    if (isDefined(r.jvp)) {
      t = r.jvp(x, z, y, na ? opd(ta, i, bc, 1) : 0.0, nb ? opd(tb, i, bc, 2) : 0.0);
    } else if (na && nb) {
      t = r.da(x, z, y) * opd(ta, i, bc, 1) + r.db(x, z, y) * opd(tb, i, bc, 2);
    } else if (na) {
      t = r.da(x, z, y) * opd(ta, i, bc, 1);
    } else {
      t = r.db(x, z, y) * opd(tb, i, bc, 2);
    }
    st(td, i, t);
  }
}

// ------------------------------------------------- reverse mode (VJP, adjoints)

/** ā[i] += R.d(a[i], y[i]) ȳ[i]; `first`: ā[i] = (the first contribution, see the adjoint plan in sweeps.ts) */
@inline export function vjpUnary<R>(y: usize, g: usize, a: usize, ga: usize, n: i32, first: bool): void {
  const r = changetype<R>(0);
  let i = 0;
  if (ASC_FEATURE_SIMD && isDefined(r.dV)) {
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      const c = f64x2.mul(r.dV(v128.load(a + o), v128.load(y + o)), v128.load(g + o));
      v128.store(ga + o, first ? c : f64x2.add(v128.load(ga + o), c));
    }
  }
  for (; i < n; i++) {
    const c = r.d(ld(a, i), ld(y, i)) * ld(g, i);
    st(ga, i, first ? c : ld(ga, i) + c);
  }
}

/**
 * ā += R.da ȳ, b̄ += R.db ȳ (`sa`/`sb`: = instead of +=). A broadcast operand
 * (bc) receives the SUM of its contributions (even and odd elements apart,
 * then together).
 */
@inline export function vjpBinary<R>(
  y: usize, g: usize, a: usize, ga: usize, b: usize, gb: usize, n: i32, bc: i32,
  na: bool, nb: bool, sa: bool, sb: bool,
): void {
  const r = changetype<R>(0);
  let i = 0;
  // Sums of a broadcast operand's contributions: even elements, odd elements.
  let s0: f64 = 0;
  let s1: f64 = 0;
  if (ASC_FEATURE_SIMD && isDefined(r.daV) && isDefined(r.dbV)) {
    const sa2 = f64x2.splat(load<f64>(a));
    const sb2 = f64x2.splat(load<f64>(b));
    let s = f64x2.splat(0.0);
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      const x = opdV(a, o, sa2, bc, 1);
      const z = opdV(b, o, sb2, bc, 2);
      const yy = v128.load(y + o);
      const gg = v128.load(g + o);
      if (na) {
        const c = f64x2.mul(r.daV(x, z, yy), gg);
        if (bc == 1) s = f64x2.add(s, c);
        else v128.store(ga + o, sa ? c : f64x2.add(v128.load(ga + o), c));
      }
      if (nb) {
        const c = f64x2.mul(r.dbV(x, z, yy), gg);
        if (bc == 2) s = f64x2.add(s, c);
        else v128.store(gb + o, sb ? c : f64x2.add(v128.load(gb + o), c));
      }
    }
    s0 = f64x2.extract_lane(s, 0);
    s1 = f64x2.extract_lane(s, 1);
  } else if (bc != 0) {
    // Pairs, so that the scalar build sums in the SIMD build's order.
    for (; i + 1 < n; i += 2) {
      const x0 = opd(a, i, bc, 1);
      const z0 = opd(b, i, bc, 2);
      const x1 = opd(a, i + 1, bc, 1);
      const z1 = opd(b, i + 1, bc, 2);
      const y0 = ld(y, i);
      const y1 = ld(y, i + 1);
      const g0 = ld(g, i);
      const g1 = ld(g, i + 1);
      if (na) {
        const c0 = r.da(x0, z0, y0) * g0;
        const c1 = r.da(x1, z1, y1) * g1;
        if (bc == 1) {
          s0 += c0;
          s1 += c1;
        } else {
          st(ga, i, sa ? c0 : ld(ga, i) + c0);
          st(ga, i + 1, sa ? c1 : ld(ga, i + 1) + c1);
        }
      }
      if (nb) {
        const c0 = r.db(x0, z0, y0) * g0;
        const c1 = r.db(x1, z1, y1) * g1;
        if (bc == 2) {
          s0 += c0;
          s1 += c1;
        } else {
          st(gb, i, sb ? c0 : ld(gb, i) + c0);
          st(gb, i + 1, sb ? c1 : ld(gb, i + 1) + c1);
        }
      }
    }
  }
  for (; i < n; i++) {
    const x = opd(a, i, bc, 1);
    const z = opd(b, i, bc, 2);
    const yy = ld(y, i);
    const gg = ld(g, i);
    if (na) {
      const c = r.da(x, z, yy) * gg;
      if (bc == 1) s0 += c;
      else st(ga, i, sa ? c : ld(ga, i) + c);
    }
    if (nb) {
      const c = r.db(x, z, yy) * gg;
      if (bc == 2) s0 += c;
      else st(gb, i, sb ? c : ld(gb, i) + c);
    }
  }
  if (bc == 1 && na) store<f64>(ga, sa ? s0 + s1 : load<f64>(ga) + (s0 + s1));
  if (bc == 2 && nb) store<f64>(gb, sb ? s0 + s1 : load<f64>(gb) + (s0 + s1));
}

// ---------------------------------------------------------- complex step

/** (d + i di)[k] = R(a + i ai)[k] */
@inline export function cxUnary<R>(d: usize, di: usize, a: usize, ai: usize, n: i32): void {
  const r = changetype<R>(0);
  for (let i = 0; i < n; i++) {
    const re = r.cx(ld(a, i), ld(ai, i));
    st(d, i, re);
    st(di, i, cxIm);
  }
}

/** (d + i di)[k] = R(a + i ai, b + i bi)[k], with broadcasting */
@inline export function cxBinary<R>(d: usize, di: usize, a: usize, ai: usize, b: usize, bi: usize, n: i32, bc: i32): void {
  const r = changetype<R>(0);
  for (let i = 0; i < n; i++) {
    const re = r.cx(opd(a, i, bc, 1), opd(ai, i, bc, 1), opd(b, i, bc, 2), opd(bi, i, bc, 2));
    st(d, i, re);
    st(di, i, cxIm);
  }
}
