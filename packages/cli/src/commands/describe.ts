import { formatNumber } from '@nudge/core';

/** ` at x = 1, y = 2`, or nothing for a point with no coordinates. */
export function describeAt(at: Record<string, number>): string {
  const parts = Object.entries(at).map(([k, v]) => `${k} = ${formatNumber(v)}`);
  return parts.length > 0 ? ` at ${parts.join(', ')}` : '';
}

/** `(0.6, 0.8)`-style vector text with names: `x = 0.6, y = 0.8`. */
export function describeVector(v: Record<string, number | null>): string {
  return Object.entries(v)
    .map(([k, x]) => `${k} = ${x === null ? 'null' : formatNumber(x)}`)
    .join(', ');
}
