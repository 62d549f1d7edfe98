import { describe, expect, it } from 'vitest';
import { startPoints } from '../optimize/multistart.js';
import { Random } from './random.js';

describe('Random', () => {
  it('is the multi-start descent’s mulberry32: a seed means the same stream in both', () => {
    for (const seed of [1, 7, 123456789]) {
      const starts = startPoints([0], { starts: 21, seed, spread: 1 }).slice(1);
      const random = new Random(seed);
      for (const [x] of starts) expect(x).toBe(2 * random.uniform() - 1);
    }
  });

  it('uniform numbers in [0, 1) with the mean and variance of the uniform law', () => {
    const random = new Random(3);
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const u = random.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      sq += u * u;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
  });

  it('Gaussian numbers with mean 0, variance 1, and the normal law’s tails', () => {
    const random = new Random(5);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const z = random.gaussian();
      sum += z;
      sq += z * z;
      if (Math.abs(z) > 2) beyond2++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(sq / n).toBeCloseTo(1, 1);
    expect(beyond2 / n).toBeCloseTo(0.0455, 2); // P(|Z| > 2)
  });

  it('a permutation holds every index once', () => {
    const p = new Random(9).permutation(1000);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(p)).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});
