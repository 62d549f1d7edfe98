import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-reader.js';
import { toCsv } from './csv-writer.js';
import { DATASET_INFO, DATASETS, dataset } from './datasets.js';

/** Bit-for-bit equality of two tables (Float64Array equality by toEqual treats -0 and 0 apart, NaN as NaN). */
function sameBits(a: ReturnType<typeof dataset>, b: ReturnType<typeof dataset>): boolean {
  if (a.rows !== b.rows || a.columns.join('\u0000') !== b.columns.join('\u0000')) return false;
  return a.columns.every((c) => Buffer.from(a.data[c]!.buffer).equals(Buffer.from(b.data[c]!.buffer)));
}

function mean(v: Float64Array): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}

describe('data sets', () => {
  for (const name of DATASETS) {
    it(`${name}: the documented columns, 500 rows by default, all finite`, () => {
      const table = dataset(name);
      expect(table.columns).toEqual(DATASET_INFO[name].columns);
      expect(table.rows).toBe(500);
      for (const c of table.columns) expect(table.data[c]!.every(Number.isFinite)).toBe(true);
    });

    it(`${name}: the same seed gives the same bits, another seed other rows`, () => {
      const a = dataset(name, { rows: 300, seed: 7 });
      expect(sameBits(a, dataset(name, { rows: 300, seed: 7 }))).toBe(true);
      expect(sameBits(a, dataset(name, { rows: 300, seed: 8 }))).toBe(false);
      expect(sameBits(a, dataset(name, { rows: 300, seed: 7, noise: 0.2 }))).toBe(false);
    });

    it(`${name}: written as CSV and read back, equal to the bit`, () => {
      const table = dataset(name, { rows: 1000, seed: 3 });
      expect(sameBits(parseCsv(toCsv(table)), table)).toBe(true);
    });
  }

  it('line: y = 2x + 1 plus noise of the given standard deviation, x in [-1, 1]', () => {
    const { data } = dataset('line', { rows: 20_000, noise: 0.3, seed: 2 });
    const x = data.x!;
    const y = data.y!;
    expect(x.every((v) => v >= -1 && v < 1)).toBe(true);
    const residuals = x.map((v, i) => y[i]! - (2 * v + 1));
    expect(mean(residuals)).toBeCloseTo(0, 2);
    expect(Math.sqrt(mean(residuals.map((r) => r * r)))).toBeCloseTo(0.3, 2);
    const exact = dataset('line', { rows: 10, noise: 0 });
    exact.data.x!.forEach((v, i) => expect(exact.data.y![i]).toBe(2 * v + 1));
  });

  it('moons: balanced classes; without noise, half circles of radius 1 around (0, 0) (upper) and (1, 0.5) (lower)', () => {
    const { data, rows } = dataset('moons', { rows: 201, noise: 0 });
    const [x1, x2, label] = [data.x1!, data.x2!, data.label!];
    expect(label.filter((l) => l === 0).length).toBe(100);
    expect(label.filter((l) => l === 1).length).toBe(101);
    for (let i = 0; i < rows; i++) {
      if (label[i] === 0) {
        expect(Math.hypot(x1[i]!, x2[i]!)).toBeCloseTo(1, 12);
        expect(x2[i]).toBeGreaterThanOrEqual(-1e-15);
      } else {
        expect(Math.hypot(x1[i]! - 1, x2[i]! - 0.5)).toBeCloseTo(1, 12);
        expect(x2[i]).toBeLessThanOrEqual(0.5 + 1e-15);
      }
    }
    // The rows are shuffled: the classes are mixed, not in two runs.
    expect(Array.from(label.slice(0, 50)).some((l) => l === 1)).toBe(true);
  });

  it('circles: radius 1 for label 0 and 0.5 for label 1, balanced; noise spreads the radii', () => {
    const { data, rows } = dataset('circles', { rows: 400, noise: 0 });
    for (let i = 0; i < rows; i++) expect(Math.hypot(data.x1![i]!, data.x2![i]!)).toBeCloseTo(data.label![i] === 0 ? 1 : 0.5, 12);
    expect(mean(data.label!)).toBe(0.5);
    const noisy = dataset('circles', { rows: 4000, noise: 0.05 });
    const radii = noisy.data.x1!.map((x, i) => Math.hypot(x, noisy.data.x2![i]!));
    const inner = radii.filter((_, i) => noisy.data.label![i] === 1);
    expect(mean(inner)).toBeCloseTo(0.5, 1);
    expect(inner.some((r) => Math.abs(r - 0.5) > 0.01)).toBe(true);
  });

  it('blobs: around (-1, -1) and (1, 1) with the noise as standard deviation; they overlap at the default', () => {
    const { data } = dataset('blobs', { rows: 20_000, seed: 4 });
    const zero = data.label!.map((l) => (l === 0 ? 1 : 0));
    const x1 = data.x1!;
    const m0 = x1.reduce((s, v, i) => s + (zero[i] ? v : 0), 0) / 10_000;
    expect(m0).toBeCloseTo(-1, 1);
    const sd0 = Math.sqrt(x1.reduce((s, v, i) => s + (zero[i] ? (v - m0) ** 2 : 0), 0) / 10_000);
    expect(sd0).toBeCloseTo(1, 1);
    // Overlap: some points of each class lie on the other's side of the line x1 + x2 = 0.
    const wrongSide = data.label!.filter((l, i) => (l === 0) !== x1[i]! + data.x2![i]! < 0).length;
    expect(wrongSide / 20_000).toBeGreaterThan(0.05);
    expect(wrongSide / 20_000).toBeLessThan(0.12); // P(Z > sqrt(2)) = 0.079
  });

  it('options are checked, naming the bad one', () => {
    expect(() => dataset('moons', { rows: 1 })).toThrow(/^rows must be a whole number from 2 to 10000000, got 1$/);
    expect(() => dataset('moons', { rows: 2.5 })).toThrow(/^rows must be a whole number/);
    expect(() => dataset('line', { noise: -0.1 })).toThrow(/^noise must be a number from 0 to 1000, got -0.1$/);
    expect(() => dataset('line', { noise: NaN })).toThrow(/^noise must be a number/);
    expect(() => dataset('blobs', { seed: 1.5 })).toThrow(/^seed must be a whole number, got 1.5$/);
    expect(() => dataset('spirals' as never)).toThrow(/^unknown data set 'spirals': one of line, moons, circles, blobs$/);
    expect(() => dataset('toString' as never)).toThrow(/^unknown data set 'toString'/);
  });
});
