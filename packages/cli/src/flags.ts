import { NudgeError } from '@nudge/core';

/** A number typed after a flag; `what` says which numbers are allowed. */
export function numberFlag(text: string, flag: string, check: 'positive' | 'non-negative' | 'fraction' | 'count' | 'integer'): number {
  const v = Number(text);
  const ok =
    text.trim() !== '' &&
    Number.isFinite(v) &&
    (check === 'positive' ? v > 0 : check === 'non-negative' ? v >= 0 : check === 'fraction' ? v >= 0 && v < 1 : check === 'count' ? Number.isInteger(v) && v >= 1 : Number.isInteger(v));
  if (ok) return v;
  const want = {
    positive: 'a positive number',
    'non-negative': 'a number >= 0',
    fraction: 'a number in [0, 1)',
    count: 'a whole number >= 1',
    integer: 'a whole number',
  }[check];
  throw new NudgeError('invalid-argument', `${flag} must be ${want}, got '${text}'`);
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration: `10s`, `500ms`, `2m`, `1h`, or a plain number of seconds. In milliseconds. */
export function durationFlag(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*(ms|s|m|h)?\s*$/.exec(text);
  const ms = m ? Number(`${m[1]}${m[2] ? `e${m[2]}` : ''}`) * UNITS[m[3] ?? 's']! : NaN;
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new NudgeError('invalid-argument', `${flag} must be a positive duration such as 10s, 500ms or 2m, got '${text}'`);
  }
  return ms;
}
