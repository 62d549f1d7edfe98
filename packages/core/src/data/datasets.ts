/**
 * Seeded toy data sets for fitting: a noisy line to regress, and three
 * two-class sets in the plane to classify (the shapes of scikit-learn's
 * make_moons, make_circles and make_blobs). The same options give the same
 * table, to the bit, on every machine.
 */
import { NudgeError } from '../errors.js';
import { Random } from './random.js';
import { makeTable, type Table } from './table.js';

export const DATASETS = ['line', 'moons', 'circles', 'blobs'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface DatasetOptions {
  /** How many rows. Default 500; from 2 to 10,000,000. */
  rows?: number;
  /** The standard deviation of the Gaussian noise (of each blob, for blobs). Default: the data set's (`DATASET_INFO`). */
  noise?: number;
  /** The same seed gives the same rows. Default 1. */
  seed?: number;
}

export interface DatasetInfo {
  /** What the rows are, in one line. */
  description: string;
  /** The table's columns. */
  columns: readonly string[];
  /** The noise when none is given. */
  noise: number;
}

interface DatasetSpec extends DatasetInfo {
  /** One value per column for each row, into `out` (one array per column). */
  generate(rows: number, noise: number, random: Random, out: Float64Array[]): void;
}

export const DEFAULT_ROWS = 500;
export const MAX_ROWS = 10_000_000;
export const DEFAULT_SEED = 1;
const MAX_NOISE = 1000;

/**
 * Two classes of `rows` points, label 0 for the first floor(rows/2) and 1 for
 * the rest, each point from `place(label, k, n)` (the k-th of n in its class)
 * plus noise in both coordinates, then the rows shuffled so that the classes
 * are mixed.
 */
function twoClasses(place: (label: 0 | 1, k: number, n: number) => [number, number]) {
  return (rows: number, noise: number, random: Random, [x1, x2, label]: Float64Array[]): void => {
    const order = random.permutation(rows);
    const n0 = Math.floor(rows / 2);
    for (let i = 0; i < rows; i++) {
      const cls = i < n0 ? 0 : 1;
      const [a, b] = cls === 0 ? place(0, i, n0) : place(1, i - n0, rows - n0);
      const at = order[i]!;
      x1![at] = a + noise * random.gaussian();
      x2![at] = b + noise * random.gaussian();
      label![at] = cls;
    }
  };
}

/** k-th of n evenly spaced angles from 0 to `span` (both ends included when `closed`). */
function angle(k: number, n: number, span: number, closed: boolean): number {
  const steps = closed ? n - 1 : n;
  return steps === 0 ? 0 : (span * k) / steps;
}

const SPECS: { [N in DatasetName]: DatasetSpec } = {
  line: {
    description: 'y = 2x + 1 plus noise, x uniform in [-1, 1]',
    columns: ['x', 'y'],
    noise: 0.1,
    generate(rows, noise, random, [x, y]) {
      for (let i = 0; i < rows; i++) {
        const xi = 2 * random.uniform() - 1;
        x![i] = xi;
        y![i] = 2 * xi + 1 + noise * random.gaussian();
      }
    },
  },
  moons: {
    description: 'two interleaving half circles: label 0 the upper (center (0, 0)), label 1 the lower (center (1, 0.5)), radius 1',
    columns: ['x1', 'x2', 'label'],
    noise: 0.1,
    generate: twoClasses((label, k, n) => {
      const t = angle(k, n, Math.PI, true);
      return label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    }),
  },
  circles: {
    description: 'two concentric circles around (0, 0): label 0 radius 1, label 1 radius 0.5',
    columns: ['x1', 'x2', 'label'],
    noise: 0.05,
    generate: twoClasses((label, k, n) => {
      const t = angle(k, n, 2 * Math.PI, false);
      const r = label === 0 ? 1 : 0.5;
      return [r * Math.cos(t), r * Math.sin(t)];
    }),
  },
  blobs: {
    description: 'two overlapping Gaussian blobs: label 0 around (-1, -1), label 1 around (1, 1); the noise is each blob\u2019s standard deviation',
    columns: ['x1', 'x2', 'label'],
    noise: 1,
    generate: twoClasses((label) => (label === 0 ? [-1, -1] : [1, 1])),
  },
};

/** Each data set's description, columns and default noise. */
export const DATASET_INFO: { readonly [N in DatasetName]: DatasetInfo } = SPECS;

function spec(name: DatasetName): DatasetSpec {
  if (typeof name !== 'string' || !Object.hasOwn(SPECS, name)) {
    throw new NudgeError('invalid-argument', `unknown data set '${String(name)}': one of ${DATASETS.join(', ')}`);
  }
  return SPECS[name];
}

/** The options with their defaults, checked: a NudgeError naming the bad one. */
export function checkDatasetOptions(name: DatasetName, options: DatasetOptions = {}): Required<DatasetOptions> {
  const rows = options.rows ?? DEFAULT_ROWS;
  if (!Number.isInteger(rows) || rows < 2 || rows > MAX_ROWS) {
    throw new NudgeError('invalid-argument', `rows must be a whole number from 2 to ${MAX_ROWS}, got ${String(options.rows)}`);
  }
  const noise = options.noise ?? spec(name).noise;
  if (typeof noise !== 'number' || !(noise >= 0 && noise <= MAX_NOISE)) {
    throw new NudgeError('invalid-argument', `noise must be a number from 0 to ${MAX_NOISE}, got ${String(options.noise)}`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new NudgeError('invalid-argument', `seed must be a whole number, got ${String(options.seed)}`);
  return { rows, noise, seed };
}

/** A seeded data set as a table: `dataset('moons', { rows: 200, noise: 0.1, seed: 1 })`. */
export function dataset(name: DatasetName, options: DatasetOptions = {}): Table {
  const { columns, generate } = spec(name);
  const { rows, noise, seed } = checkDatasetOptions(name, options);
  const out = columns.map(() => new Float64Array(rows));
  generate(rows, noise, new Random(seed), out);
  return makeTable(columns, out);
}
