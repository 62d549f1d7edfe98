/**
 * The path of a descent, for pictures and export: every `every`-th step from
 * the start, plus the last point. Memory is bounded whatever the step count:
 * when more than `limit` records are held, every other one is dropped and
 * `every` doubles.
 */
export interface Trajectory {
  variables: string[];
  /** Steps between records (the last record may be closer: it is the end). */
  every: number;
  step: number[];
  value: number[];
  gradientNorm: number[];
  /** The points, in variable order; null when f has too many inputs to keep them. */
  points: number[][] | null;
}

/**
 * Collects the kernel's records ([step, f, |grad|, x...], `stride` f64 each)
 * in one flat array, halving it (every other record) whenever it passes the
 * limit; the Trajectory is built once, at the end.
 */
export class TrajectoryRecorder {
  private data: Float64Array;
  private count = 0;
  private every = 1;
  private readonly stride: number;

  constructor(private readonly variables: readonly string[], private readonly limit: number, private readonly withPoints: boolean, nIn: number) {
    this.stride = 3 + (withPoints ? nIn : 0);
    this.data = new Float64Array(Math.max(1, Math.min(limit, 4096)) * this.stride);
  }

  /** Appends `flat` (whole records); returns the new `every` if it doubled. */
  add(flat: Float64Array): number | undefined {
    const records = flat.length / this.stride;
    const need = (this.count + records) * this.stride;
    if (need > this.data.length) {
      const next = new Float64Array(Math.max(need, this.data.length * 2));
      next.set(this.data.subarray(0, this.count * this.stride));
      this.data = next;
    }
    this.data.set(flat, this.count * this.stride);
    this.count += records;
    let doubled: number | undefined;
    while (this.count > this.limit) {
      // Keep records 0, 2, 4, ...: the steps that are multiples of twice `every`.
      let w = 0;
      for (let r = 0; r < this.count; r += 2, w++) this.data.copyWithin(w * this.stride, r * this.stride, (r + 1) * this.stride);
      this.count = w;
      this.every *= 2;
      doubled = this.every;
    }
    return doubled;
  }

  /** Adds the end point unless it is already the last record (replacing the last record if the limit is reached). */
  finish(step: number, value: number, gradientNorm: number, point: ArrayLike<number>): void {
    if (this.limit === 0) return;
    if (this.count > 0 && this.data[(this.count - 1) * this.stride] === step) return;
    if (this.count >= this.limit) this.count--;
    const row = new Float64Array(this.stride);
    row[0] = step;
    row[1] = value;
    row[2] = gradientNorm;
    if (this.withPoints) row.set(point, 3);
    this.add(row);
  }

  get trajectory(): Trajectory {
    const t: Trajectory = { variables: [...this.variables], every: this.every, step: [], value: [], gradientNorm: [], points: this.withPoints ? [] : null };
    for (let r = 0; r < this.count; r++) {
      const o = r * this.stride;
      t.step.push(this.data[o]!);
      t.value.push(this.data[o + 1]!);
      t.gradientNorm.push(this.data[o + 2]!);
      t.points?.push(Array.from(this.data.subarray(o + 3, o + this.stride)));
    }
    return t;
  }
}

/** The trajectory as CSV: step, value, gradientNorm and one column per variable. */
export function trajectoryCsv(t: Trajectory): string {
  const header = ['step', 'value', 'gradientNorm', ...(t.points ? t.variables : [])];
  const lines = [header.join(',')];
  for (let i = 0; i < t.step.length; i++) {
    lines.push([t.step[i], t.value[i], t.gradientNorm[i], ...(t.points ? t.points[i]! : [])].map(String).join(','));
  }
  return lines.join('\n') + '\n';
}
