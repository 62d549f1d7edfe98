// Seeded pseudo-random inputs: every implementation of a workload gets the
// same points, and every run of the benchmark the same points for a seed.

/** mulberry32: a small, fast 32-bit generator (Tommy Ettinger's), seeded by a 32-bit integer. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A uniform double in [0, 1) with 53 random bits, from two 32-bit draws. */
export function uniform01(next) {
  const hi = next() >>> 5; // 27 bits
  const lo = next() >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** n seeded points, uniform in [lo, hi) in every coordinate, as one Float64Array column per name. */
export function seededColumns(names, n, { seed = 1, lo = -2, hi = 2 } = {}) {
  const next = mulberry32(seed);
  const columns = {};
  for (const name of names) columns[name] = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const name of names) columns[name][i] = lo + (hi - lo) * uniform01(next);
  }
  return columns;
}
