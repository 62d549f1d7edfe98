import { DivergedBy } from '@nudge/kernel-as';
import { formatNumber } from '../api/format.js';
import type { DescentSettings } from './options.js';

const short = (v: number) => (Math.abs(v) >= 1e6 && Number.isFinite(v) ? v.toExponential(2).replace(/\.?0+e/, 'e') : formatNumber(v, 3));
const steps = (n: number) => `${n} step${n === 1 ? '' : 's'}`;

export interface DivergenceFacts {
  by: number;
  settings: DescentSettings;
  maximize: boolean;
  startValue: number;
  /** f at the last finite point, and the value that stopped the run. */
  lastValue: number;
  badValue: number;
  steps: number;
  where: string;
}

/** What went wrong in a diverged run and what to try, in one sentence. */
export function divergenceHint(d: DivergenceFacts): string {
  const { settings: s } = d;
  const fixedStep = s.optimizer !== 'line-search';
  const grew = d.maximize ? 'fell' : 'grew';
  const lr = `learning rate ${short(s.lr)} is too large here`;
  const tryInstead = `try ${short(s.lr / 10)} or the line search`;
  const away = d.maximize ? 'unbounded above' : 'unbounded below';
  switch (d.by) {
    case DivergedBy.growth:
      return fixedStep
        ? `${lr}: the value ${grew} from ${short(d.startValue)} to ${short(d.badValue)} in ${steps(d.steps)}; ${tryInstead}`
        : `the value ${grew} from ${short(d.startValue)} to ${short(d.badValue)} in ${steps(d.steps)}`;
    case DivergedBy.value: {
      const infinite = d.badValue === (d.maximize ? Infinity : -Infinity);
      if (infinite) return `f reached ${formatNumber(d.badValue)} after ${steps(d.steps)}: f looks ${away}`;
      const what = Number.isNaN(d.badValue) ? 'not a number (NaN)' : formatNumber(d.badValue);
      return fixedStep && Math.abs(d.lastValue) > Math.abs(d.startValue) * 10 + 1
        ? `${lr}: the value ${grew} from ${short(d.startValue)} to ${short(d.lastValue)} in ${steps(d.steps)}, then became ${what}; ${tryInstead}`
        : `f is ${what} at the next step from ${d.where} (outside its domain?); the last finite point is reported`;
    }
    case DivergedBy.gradient:
      return `the gradient is not finite at ${d.where}: f is not differentiable there`;
    default:
      return `the point ran away (a coordinate passed 1e100) while f kept improving, to ${short(d.lastValue)}: f looks ${away} along this path`;
  }
}

/** A hint for a run that used all its steps with the gradient still large. */
export function maxStepsHint(settings: DescentSettings, gradientNorm: number, gradTol: number): string | undefined {
  if (!(gradientNorm > gradTol)) return undefined;
  const more = settings.optimizer === 'line-search' ? 'raise the maximum steps' : 'raise the maximum steps, change the learning rate, or use the line search';
  return `the gradient norm is still ${short(gradientNorm)} after ${steps(settings.maxSteps)}: ${more}`;
}
