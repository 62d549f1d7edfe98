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
