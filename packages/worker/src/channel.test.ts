// Both sides in one process over a MessageChannel, as comlink's own tests do.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NudgeDataError, NudgeError, derivativeMany, evaluateMany, gradientMany, tangent } from '@nudge/core';
import { exposeNudge } from './expose.js';
import { wrapNudge, type NudgeClient } from './client.js';
import { NudgeWorkerError, reviveNudgeError } from './errors.js';

let client: NudgeClient | undefined;
let channel: MessageChannel | undefined;

function connect(): NudgeClient {
  channel = new MessageChannel();
  exposeNudge(channel.port1);
  client = wrapNudge(channel.port2);
  return client;
}

afterEach(async () => {
  await client?.terminate();
  channel?.port1.close();
  channel?.port2.close();
  client = undefined;
  channel = undefined;
});

describe('over a MessageChannel', () => {
  it('computes the forward difference of x^2 at 3', async () => {
    const nudge = connect();
    const d = await nudge.derivative('x^2', 3, { method: 'forward' });
    expect(d.derivative).toBe(6.000100000012054);
    expect(d.value).toBe(9);
    expect(d.method).toBe('forward');
    expect(d.at).toEqual({ x: 3 });
  });

  it('computes the gradient of x^2*y at (1, 2)', async () => {
    const nudge = connect();
    const g = await nudge.gradient('x^2*y', { x: 1, y: 2 });
    expect(g.variables).toEqual(['x', 'y']);
    expect(g.gradient.x).toBeCloseTo(4, 10);
    expect(g.gradient.y).toBeCloseTo(1, 10);
    expect(g.value).toBe(2);
  });

  it('answers every other operation with the core result', async () => {
    const nudge = connect();
    expect(await nudge.inspect('x^2*y + sin(z)')).toEqual({ expression: expect.any(String), variables: ['x', 'y', 'z'] });
    expect((await nudge.evaluate('x^2*y', { x: 1, y: 2 })).value).toBe(2);
    expect((await nudge.slope('x^2+3', 1, 3)).slope).toBe(4);
    expect(await nudge.tangent('x^2', 3, { method: 'central' })).toEqual(tangent('x^2', 3, { method: 'central' }));
    expect((await nudge.partial('x^2*y', { x: 1, y: 2 }, 'y')).derivative).toBeCloseTo(1, 10);
    const dir = await nudge.directional('x^2*y', { x: 1, y: 2 }, { x: 3, y: 4 });
    expect(dir.directional).toBeCloseTo((4 * 3 + 1 * 4) / 5, 9);
    await expect(nudge.init()).resolves.toBeUndefined();
  });

  it('returns the batch forms as typed arrays equal to the core', async () => {
    const nudge = connect();
    const xs = Array.from({ length: 1000 }, (_, i) => i / 100 - 5);
    expect(await nudge.evaluateMany('sin(x)*x', xs)).toEqual(evaluateMany('sin(x)*x', xs));
    const d = await nudge.derivativeMany('sin(x)*x', xs, { method: 'central' });
    expect(d.derivative).toBeInstanceOf(Float64Array);
    expect(d).toEqual(derivativeMany('sin(x)*x', xs, { method: 'central' }));
    const cols = { x: new Float64Array([1, 2, 3]), y: new Float64Array([2, 3, 4]) };
    expect(await nudge.gradientMany('x^2*y', cols)).toEqual(gradientMany('x^2*y', cols));
  });

  it('transfers the result buffers of the batch forms instead of copying them', async () => {
    const nudge = connect();
    const post = vi.spyOn(channel!.port1, 'postMessage');
    await nudge.derivativeMany('x^2', [1, 2, 3]);
    const transfers = post.mock.calls.at(-1)?.[1] as unknown[] | undefined;
    expect(transfers).toHaveLength(3);
    expect(transfers!.every((t) => t instanceof ArrayBuffer)).toBe(true);
  });

  it('transfers the Float64Arrays of a descent result, each buffer once', async () => {
    const nudge = connect();
    const post = vi.spyOn(channel!.port1, 'postMessage');
    const r = await nudge.minimize('(x-1)^2 + (y-2)^2', { x: 0, y: 0 }, { starts: 3 });
    const transfers = post.mock.calls.at(-1)?.[1] as unknown[] | undefined;
    // three starts and three end points (the best run's and the minima's are among them)
    expect(transfers).toHaveLength(6);
    expect(transfers!.every((t) => t instanceof ArrayBuffer)).toBe(true);
    // the best run's end point is still the same array as its entry in runs: sharing survives the transfer
    expect(r.runs!.some((run) => run.point === r.vector)).toBe(true);
    expect(r.point.x).toBeCloseTo(1, 8);
  });

  it('answers false to cancel of a job that is not running; a cancelled descent rejects with an AbortError', async () => {
    const nudge = connect();
    expect(await nudge.remote.cancel('no-such-job')).toBe(false);
    const controller = new AbortController();
    const call = nudge.minimize('(1-x)^2 + 100*(y-x^2)^2', [-1.2, 1], { optimizer: 'gd', lr: 1e-4, maxSteps: 5e6, tol: 0, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect((await nudge.evaluate('x', 1)).value).toBe(1);
  });

  it('computes a grid, and a band of it, equal to the core at the same points', async () => {
    const nudge = connect();
    const grid = { x: [-1, 1, 5], y: [0, 2, 3] } as const;
    const g = await nudge.gradientGrid('x^2*y', grid);
    expect(g).toMatchObject({ nx: 5, ny: 3, variables: ['x', 'y'], range: [0, 15] });
    const x = Float64Array.from({ length: 15 }, (_, k) => g.x[k % 5]!);
    const y = Float64Array.from({ length: 15 }, (_, k) => g.y![Math.floor(k / 5)]!);
    const local = gradientMany('x^2*y', { x, y });
    expect(g.values).toEqual(local.value);
    expect(g.gradient.x).toEqual(local.gradient.filter((_, i) => i % 2 === 0));
    expect(g.gradient.y).toEqual(local.gradient.filter((_, i) => i % 2 === 1));
    const band = await nudge.evaluateGrid('x^2*y', grid, { range: [5, 10] });
    expect(band.range).toEqual([5, 10]);
    expect(band.values).toEqual(evaluateMany('x^2*y', { x: x.subarray(5, 10), y: y.subarray(5, 10) }));
  });

  it('rejects with a real NudgeError, keeping its class, code and column', async () => {
    const nudge = connect();
    const error = await nudge.derivative('sin(x))', 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NudgeError);
    expect(error).toMatchObject({ name: 'NudgeSyntaxError', code: 'syntax', column: 7 });
    expect((error as Error).message).toMatch(/column 7$/);
    // a NudgeError without a column
    await expect(nudge.derivative('x*y', { x: 1, y: 2 })).rejects.toMatchObject({ code: 'invalid-argument', column: undefined });
    // still usable
    expect((await nudge.derivative('x^2', 3, { method: 'forward' })).derivative).toBe(6.000100000012054);
  });

  it('a data error keeps its class, line and column name across the thread', () => {
    const sent = new NudgeDataError("line 3, column 'y': \"abc\" is not a number", { line: 3, columnName: 'y' });
    const back = reviveNudgeError(JSON.parse(JSON.stringify(sent.toJSON())));
    expect(back).toBeInstanceOf(NudgeDataError);
    expect(back).toMatchObject({ name: 'NudgeDataError', code: 'data', line: 3, columnName: 'y', message: sent.message });
  });

  it('refuses a JavaScript function with a message saying to pass a string', async () => {
    const nudge = connect();
    const f = ((x: number) => x * x) as unknown as string;
    await expect(nudge.derivative(f, 3)).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('expression string') });
  });

  it('keeps the error of a non-Nudge throw as comlink does', async () => {
    const channel2 = new MessageChannel();
    exposeNudge(channel2.port1, {
      ...(await import('./api.js')).nudgeApi,
      async init() {
        throw new RangeError('boom');
      },
    });
    const other = wrapNudge(channel2.port2);
    await expect(other.init()).rejects.toMatchObject({ name: 'RangeError', message: 'boom' });
    await other.terminate();
    channel2.port1.close();
  });

  it('refuses calls after close and rejects calls in flight on terminate', async () => {
    const nudge = connect();
    const pending = nudge.derivativeMany('sin(x)', Array.from({ length: 200_000 }, (_, i) => i));
    await nudge.terminate();
    await expect(pending).rejects.toBeInstanceOf(NudgeWorkerError);
    await expect(nudge.evaluate('x', 1)).rejects.toMatchObject({ code: 'closed' });
    expect(nudge.closed).toBe(true);
  });
});
