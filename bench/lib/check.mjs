// Agreement checks: before anything is timed, every implementation's output
// is compared with a reference, so that nothing fast-but-wrong is benchmarked.

/**
 * The largest |a - b| / max(1, |a|, |b|) over the first n entries: relative
 * where values are at least 1 in size, absolute below (pure relative
 * differences explode near the zeros of a function, where a last-bit
 * difference in sin or exp is all that separates two correct answers).
 * A NaN on one side only counts as Infinity; NaN on both sides as agreement.
 */
export function maxRelDiff(a, b, n = Math.min(a.length, b.length)) {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      return Infinity;
    }
    if (x === y) continue;
    const d = Math.abs(x - y) / Math.max(1, Math.abs(x), Math.abs(y));
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

/** One agreement line: `what` of `implementation` against `against`, over `n` points. */
export function agreement({ implementation, against, what, a, b, n, tolerance }) {
  const count = n ?? Math.min(a.length, b.length);
  const diff = maxRelDiff(a, b, count);
  return { implementation, against, what, points: count, maxRelDiff: diff, tolerance, ok: diff <= tolerance };
}

/** Entries of two Float64Arrays whose 64 bits differ (over the first n; a length mismatch counts every missing entry). */
export function differingBits(a, b, n = Math.max(a.length, b.length)) {
  const m = Math.min(n, a.length, b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, 2 * a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, 2 * b.length);
  let differ = n - m;
  for (let i = 0; i < m; i++) {
    if (ua[2 * i] !== ub[2 * i] || ua[2 * i + 1] !== ub[2 * i + 1]) differ++;
  }
  return differ;
}

/**
 * Bit-for-bit agreement (the two engines run the same ops on the same
 * points: any difference in any bit, -0 and NaN payloads included, fails).
 */
export function identical({ implementation, against, what, a, b, n, countLabel = 'points' }) {
  const count = n ?? Math.max(a.length, b.length);
  const differ = differingBits(a, b, count);
  return {
    implementation,
    against,
    what,
    points: count,
    ok: differ === 0,
    detail: `${differ.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} ${countLabel} differ in any bit (required: 0, bit for bit)`,
  };
}

/** The engine a function runs on now (`f.engine`), against the one its row claims: nothing is timed on the wrong engine. */
export function engineIs(implementation, fn, want, why = '') {
  return {
    implementation,
    what: 'engine',
    ok: fn.engine === want,
    detail: `f.engine is '${fn.engine}' (required: '${want}'${why})`,
  };
}
