/**
 * Seeded random numbers for the data set generators: the same seed gives the
 * same numbers on every machine (integer arithmetic and Math.log, Math.sqrt,
 * Math.cos, Math.sin of V8).
 */
export class Random {
  private state: number;
  /** The second normal deviate of the last Box-Muller pair, not yet used. */
  private spare: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * Uniform in [0, 1): mulberry32, the generator the multi-start descent uses
   * (optimize/multistart.ts), so that a seed means the same stream in both.
   */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), this.state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Standard normal, by the Box-Muller transform: for u1 in (0, 1] and u2 in
   * [0, 1), r = sqrt(-2 ln u1) and the pair r cos(2 pi u2), r sin(2 pi u2)
   * are two independent N(0, 1) deviates; the second is kept for the next call.
   */
  gaussian(): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  }

  /** The indices 0..n-1 in a random order (Fisher-Yates). */
  permutation(n: number): Uint32Array {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /** a in a new random order, in place (Fisher-Yates); returns a. */
  shuffle(a: Uint32Array): Uint32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}
