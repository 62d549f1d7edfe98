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

export class TrajectoryRecorder {
  readonly trajectory: Trajectory;

  constructor(variables: readonly string[], private readonly limit: number, withPoints: boolean) {
    this.trajectory = { variables: [...variables], every: 1, step: [], value: [], gradientNorm: [], points: withPoints ? [] : null };
  }

  /** Appends kernel records [step, f, |grad|, x...]; returns the new `every` if it doubled. */
  add(rows: readonly Float64Array[]): number | undefined {
    const t = this.trajectory;
    for (const r of rows) {
      t.step.push(r[0]!);
      t.value.push(r[1]!);
      t.gradientNorm.push(r[2]!);
      t.points?.push(Array.from(r.subarray(3)));
    }
    let doubled: number | undefined;
    while (t.step.length > this.limit) {
      for (const list of [t.step, t.value, t.gradientNorm, t.points] as (unknown[] | null)[]) {
        if (!list) continue;
        let w = 0;
        for (let i = 0; i < list.length; i += 2) list[w++] = list[i];
        list.length = w;
      }
      t.every *= 2;
      doubled = t.every;
    }
    return doubled;
  }

  /** Adds the end point unless it is already the last record (it may replace the last record to respect the limit). */
  finish(step: number, value: number, gradientNorm: number, point: ArrayLike<number>): void {
    const t = this.trajectory;
    if (this.limit === 0 || t.step[t.step.length - 1] === step) return;
    if (t.step.length >= this.limit) {
      t.step.pop();
      t.value.pop();
      t.gradientNorm.pop();
      t.points?.pop();
    }
    t.step.push(step);
    t.value.push(value);
    t.gradientNorm.push(gradientNorm);
    t.points?.push(Array.from(point));
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
