// Descents in a real worker_threads worker (the BUILT dist): progress, cancellation, errors, results.
import { describe, expect, it } from 'vitest';
import { NudgeError, minimize, maximize, type DescentProgress } from '@nudge/core';
import type { NudgeClient } from '@nudge/worker/node';
import { median, sameBits, useNodeWorker } from './test-support/built.js';

const ROSENBROCK = '(1-x)^2 + 100*(y-x^2)^2';
/** Plain gradient descent with a small step: millions of steps (seconds of work), chunked by the kernel. */
const LONG = { optimizer: 'gd', lr: 1e-4, maxSteps: 5e6, tol: 0 } as const;
const FROM = { x: -1.2, y: 1 };

let nudge!: NudgeClient;
useNodeWorker((client) => (nudge = client));

/** Start a long descent; resolve when it has reported progress `events` times. */
function startLong(signal: AbortSignal, events = 3) {
  const steps: number[] = [];
  let reached!: () => void;
  const running = new Promise<void>((resolve) => (reached = resolve));
  const call = nudge.minimize(ROSENBROCK, FROM, {
    ...LONG,
    signal,
    onProgress: (p) => {
      steps.push(p.step);
      if (steps.length === events) reached();
    },
  });
  call.catch(() => {}); // observed by the test
  return { call, running, steps };
}

describe('minimize in a worker', () => {
  it('returns the core result, Float64Arrays intact', async () => {
    const options = { optimizer: 'gd', lr: 1e-4, maxSteps: 20_000, tol: 0 } as const;
    const remote = await nudge.minimize(ROSENBROCK, FROM, options);
    const local = minimize(ROSENBROCK, FROM, options);
    expect(remote.vector).toBeInstanceOf(Float64Array);
    expect(remote.start).toBeInstanceOf(Float64Array);
    expect(sameBits(remote.vector, local.vector)).toBe(true);
    expect(sameBits(remote.start, local.start)).toBe(true);
    expect(remote).toMatchObject({ value: local.value, iterations: 20_000, status: 'max-steps', point: local.point, variables: ['x', 'y'] });
    expect(remote.trajectory?.step.at(-1)).toBe(20_000);
  });

  it('maximizes, and runs a multi-start in one worker as the core does', async () => {
    const up = await nudge.maximize('-(x-1)^2 - (y+2)^2', { x: 0, y: 0 });
    expect(up.point.x).toBeCloseTo(1, 8);
    expect(up.maximize).toBe(true);
    const f = '(x^2+y-11)^2+(x+y^2-7)^2';
    const remote = await nudge.minimize(f, { x: 0, y: 0 }, { starts: 6, seed: 3 });
    const local = minimize(f, { x: 0, y: 0 }, { starts: 6, seed: 3 });
    expect(remote.value).toBe(local.value);
    expect(remote.runs!.map((r) => r.value)).toEqual(local.runs!.map((r) => r.value));
    expect(remote.minima!.map((m) => [...m.point])).toEqual(local.minima!.map((m) => [...m.point]));
    expect(remote.runs![2]!.start).toBeInstanceOf(Float64Array);
    expect(maximize('-(x-1)^2 - (y+2)^2', { x: 0, y: 0 }).value).toBe(up.value);
  });

  it('reports progress with increasing steps during a long descent', async () => {
    const progress: DescentProgress[] = [];
    const result = await nudge.minimize(ROSENBROCK, FROM, { ...LONG, maxSteps: 600_000, onProgress: (p) => progress.push(p) });
    expect(result.iterations).toBe(600_000);
    expect(progress.length).toBeGreaterThan(5);
    const steps = progress.map((p) => p.step);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
    expect(steps.at(-1)).toBeLessThan(600_000);
    expect(progress[1]).toMatchObject({ maxSteps: 600_000, value: expect.any(Number), gradientNorm: expect.any(Number), bestValue: expect.any(Number) });
    expect(progress[1]!.point).toBeInstanceOf(Float64Array);
  });

  it('cancels mid-run: rejects with an AbortError within 50 ms of abort(), and the worker answers the next call', async () => {
    const latencies: number[] = [];
    for (let round = 0; round < 3; round++) {
      const controller = new AbortController();
      const { call, running, steps } = startLong(controller.signal);
      await running;
      const t0 = performance.now();
      controller.abort();
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      latencies.push(performance.now() - t0);
      expect(error).toBeInstanceOf(DOMException);
      expect(error).toMatchObject({ name: 'AbortError' });
      expect(steps.at(-1)).toBeLessThan(LONG.maxSteps); // it was mid-run
      // the same worker, free again
      expect((await nudge.derivative('x^2', 3, { method: 'forward' })).derivative).toBe(6.000100000012054);
      const next = await nudge.minimize('(x-2)^2 + (y+1)^2', { x: 0, y: 0 });
      expect(next.status).toBe('converged');
      expect(next.point.x).toBeCloseTo(2, 8);
    }
    console.log(`cancel latency, abort() to rejection (ms): ${latencies.map((t) => t.toFixed(1)).join(', ')}`);
    // The issue asks for 50 ms; the machine is shared, so one round may be slow: the median must meet it, every round 150 ms.
    expect(median(latencies)).toBeLessThan(50);
    for (const t of latencies) expect(t).toBeLessThan(150);
  });

  it("rejects with the signal's own reason when abort() is given one", async () => {
    const controller = new AbortController();
    const { call, running } = startLong(controller.signal, 1);
    await running;
    const reason = new Error('user pressed stop');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  it('rejects at once for an already aborted signal, starting nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    let progressed = false;
    const t0 = performance.now();
    await expect(nudge.minimize(ROSENBROCK, FROM, { ...LONG, signal: controller.signal, onProgress: () => (progressed = true) })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(performance.now() - t0).toBeLessThan(20);
    expect(progressed).toBe(false);
  });

  it('keeps the code of errors in bad options and bad starts', async () => {
    const cases: [string, Parameters<NudgeClient['minimize']>, string][] = [
      ['negative lr', ['x^2', 1, { optimizer: 'gd', lr: -0.1 }], 'invalid-argument'],
      ['unknown optimizer', ['x^2', 1, { optimizer: 'newton' as 'gd' }], 'invalid-argument'],
      ['missing variable', ['x^2 + y^2', { x: 1 }], 'missing-variable'],
      ['bad starts', ['x^2', 1, { starts: 0 }], 'invalid-argument'],
      ['syntax', ['x^^2', 1], 'syntax'],
    ];
    for (const [what, args, code] of cases) {
      const error = await nudge.minimize(...args).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(NudgeError);
      expect(error, what).toMatchObject({ code });
    }
    const syntax = await nudge.maximize('x^^2', 1).catch((e: unknown) => e);
    expect(syntax).toMatchObject({ name: 'NudgeSyntaxError', column: 3 });
    expect((await nudge.minimize('x^2', 1)).point.x).toBeCloseTo(0, 8);
  });
});
