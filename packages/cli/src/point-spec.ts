import { evaluate, NudgeError } from '@nudge/core';

/**
 * A point typed on the command line: `3`, `x=1,y=2`, or `1,2` in variable
 * order. Coordinates may be constant expressions (`x=pi/2`, `y=-1e-3`).
 */
export type PointSpec = number[] | Record<string, number>;

export function parsePointSpec(text: string, option: string): PointSpec {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new NudgeError('invalid-argument', `${option} '${text}' has an empty coordinate: write it as x=1,y=2 or 1,2`);
  }
  const named = parts.filter((p) => p.includes('='));
  if (named.length === 0) return parts.map((p, i) => constantValue(p, `${option}: coordinate ${i + 1}`));
  if (named.length !== parts.length) {
    throw new NudgeError('invalid-argument', `${option} '${text}' mixes named and unnamed coordinates: write all as name=value`);
  }
  const out: Record<string, number> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new NudgeError('invalid-argument', `${option}: '${name}' is not a variable name (in '${part}')`);
    }
    if (Object.hasOwn(out, name)) throw new NudgeError('invalid-argument', `${option}: the variable '${name}' is given twice`);
    out[name] = constantValue(value, `${option}: the value of '${name}'`);
  }
  return out;
}

/** A number, or a constant expression such as pi/2; anything else is an error naming it. */
export function constantValue(text: string, what: string): number {
  const asNumber = Number(text);
  if (text !== '' && Number.isFinite(asNumber)) return asNumber;
  try {
    const { value } = evaluate(text);
    if (!Number.isNaN(value)) return value;
  } catch {
    // fall through to the message below: the user typed something that is not a number
  }
  throw new NudgeError('invalid-argument', `${what} must be a number, got '${text}'`);
}
