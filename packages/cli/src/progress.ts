import cliProgress from 'cli-progress';
import { formatNumber, type DescentProgress, type EpochRecord } from '@nudge/core';

/** A progress bar on stderr for a long descent: only on a terminal (or when NUDGE_FORCE_PROGRESS=1, for tests). */
export interface ProgressBar {
  update(p: DescentProgress): void;
  stop(): void;
}

const NONE: ProgressBar = { update() {}, stop() {} };

/** A cli-progress bar on stderr with this format, or undefined when there is no terminal to draw on. */
function bar(enabled: boolean, format: string): cliProgress.SingleBar | undefined {
  const forced = process.env.NUDGE_FORCE_PROGRESS === '1';
  if (!enabled || !(process.stderr.isTTY || forced)) return undefined;
  return new cliProgress.SingleBar(
    { stream: process.stderr, format, hideCursor: true, clearOnComplete: true, noTTYOutput: forced, notTTYSchedule: 100 },
    cliProgress.Presets.shades_classic,
  );
}

export function progressBar(enabled: boolean): ProgressBar {
  const b = bar(enabled, '{bar} {percentage}% | step {value}/{total}{run} | f {f} | |∇f| {g} | {duration_formatted}');
  if (!b) return NONE;
  let started = false;
  return {
    update(p) {
      const payload = {
        f: formatNumber(p.value, 6),
        g: formatNumber(p.gradientNorm, 3),
        run: p.runs !== undefined ? ` (start ${p.run! + 1}/${p.runs})` : '',
      };
      if (!started) {
        b.start(p.maxSteps, p.step, payload);
        started = true;
      } else {
        b.setTotal(p.maxSteps);
        b.update(p.step, payload);
      }
    },
    stop() {
      if (started) b.stop();
    },
  };
}

/** A bar per epoch of training, with the current loss. */
export interface EpochBar {
  update(e: EpochRecord): void;
  stop(): void;
}

export function epochBar(enabled: boolean, epochs: number): EpochBar {
  const b = bar(enabled, '{bar} {percentage}% | epoch {value}/{total} | loss {loss}{validation} | {duration_formatted}');
  if (!b) return { update() {}, stop() {} };
  let started = false;
  return {
    update(e) {
      const payload = { loss: formatNumber(e.loss, 6), validation: e.validationLoss !== undefined ? ` | validation ${formatNumber(e.validationLoss, 6)}` : '' };
      if (!started) {
        b.start(epochs, e.epoch, payload);
        started = true;
      } else b.update(e.epoch, payload);
    },
    stop() {
      if (started) b.stop();
    },
  };
}
