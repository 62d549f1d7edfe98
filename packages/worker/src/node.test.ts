// A real worker_threads worker, running the BUILT dist/node-worker.js.
import { describe, expect, it } from 'vitest';
import { NudgeError, derivativeMany } from '@nudge/core';
import type { NudgeClient } from '@nudge/worker/node';
import { sameBits, useNodeWorker } from './test-support/built.js';

let nudge!: NudgeClient;
useNodeWorker((client) => (nudge = client));

describe('createNodeWorker', () => {
  it('computes the forward difference of x^2 at 3', async () => {
    const d = await nudge.derivative('x^2', 3, { method: 'forward' });
    expect(d.derivative).toBe(6.000100000012054);
  });

  it('computes the gradient of x^2*y at (1, 2)', async () => {
    const g = await nudge.gradient('x^2*y', { x: 1, y: 2 });
    expect(g.gradient.x).toBeCloseTo(4, 10);
    expect(g.gradient.y).toBeCloseTo(1, 10);
  });

  it('computes 100,000 derivatives in one call, equal to the core in this thread', async () => {
    const xs = new Float64Array(100_000).map((_, i) => -10 + i * 2e-4);
    const expression = 'sin(x)*exp(-x^2/10) + x^3';
    const remote = await nudge.derivativeMany(expression, { x: xs }, { method: 'central' });
    const local = derivativeMany(expression, { x: xs }, { method: 'central' });
    expect(remote.derivative).toBeInstanceOf(Float64Array);
    expect(remote.derivative.length).toBe(100_000);
    // bit for bit (a plain comparison: toEqual walks 100,000 elements slowly)
    expect(sameBits(remote.value, local.value)).toBe(true);
    expect(sameBits(remote.derivative, local.derivative)).toBe(true);
    expect(sameBits(remote.errorEstimate, local.errorEstimate)).toBe(true);
    expect(xs.length).toBe(100_000); // the input was copied, not transferred away
  });

  it('rejects a syntax error with a NudgeError (code, column) and stays usable', async () => {
    const error = await nudge.derivative('sin(x))', 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NudgeError);
    expect(error).toMatchObject({ code: 'syntax', column: 7 });
    expect((await nudge.derivative('x^2', 3, { method: 'forward' })).derivative).toBe(6.000100000012054);
  });
});
