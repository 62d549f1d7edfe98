import cliProgress from 'cli-progress';
import { formatNumber, type DescentProgress } from '@nudge/core';

/** A progress bar on stderr for a long descent: only on a terminal (or when NUDGE_FORCE_PROGRESS=1, for tests). */
export interface ProgressBar {
  update(p: DescentProgress): void;
  stop(): void;
}

const NONE: ProgressBar = { update() {}, stop() {} };

export function progressBar(enabled: boolean): ProgressBar {
  const forced = process.env.NUDGE_FORCE_PROGRESS === '1';
  if (!enabled || !(process.stderr.isTTY || forced)) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{bar} {percentage}% | step {value}/{total}{run} | f {f} | |∇f| {g} | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      noTTYOutput: forced,
      notTTYSchedule: 100,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = {
        f: formatNumber(p.value, 6),
        g: formatNumber(p.gradientNorm, 3),
        run: p.runs !== undefined ? ` (start ${p.run! + 1}/${p.runs})` : '',
      };
      if (!started) {
        bar.start(p.maxSteps, p.step, payload);
        started = true;
      } else {
        bar.setTotal(p.maxSteps);
        bar.update(p.step, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
