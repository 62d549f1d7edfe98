// fit in a real worker_threads worker (the BUILT dist): the core's result, an epoch callback, cancellation that keeps what was learned.
import { describe, expect, it } from 'vitest';
import { dataset, fit } from '@nudge/core';
import type { FitEpoch } from './fit-worker.js';
import type { NudgeClient } from '@nudge/worker/node';
import { sameBits, useNodeWorker } from './test-support/built.js';

let nudge!: NudgeClient;
useNodeWorker((client) => (nudge = client));

const line = () => dataset('line', { rows: 200, seed: 1 }).data;

describe('fit in a worker', () => {
  it('returns the core result for the same options (the data copied unless transfer is asked for)', async () => {
    const data = line();
    const options = { model: 'linear', target: 'y', epochs: 200, lr: 0.05 } as const;
    const remote = await nudge.fit(data, options);
    const local = fit(data, options);
    expect(remote.params).toEqual(local.params);
    expect(sameBits(remote.vector, local.vector)).toBe(true);
    expect(remote.history).toEqual(local.history);
    expect(remote).toMatchObject({ status: local.status, trainingLoss: local.trainingLoss, fitted: local.fitted, model: local.model });
    expect(data.x!.length).toBe(200);
    const moved = line();
    await nudge.fit(moved, { ...options, epochs: 2, transfer: true });
    expect(moved.x!.length).toBe(0); // detached: moved to the worker
  });

  it('calls onEpoch for every epoch, in order, with the parameters then (the last ones the result\'s)', async () => {
    const epochs: FitEpoch[] = [];
    const r = await nudge.fit(line(), { model: 'linear', target: 'y', epochs: 30, tol: 0, onEpoch: (e) => epochs.push(e) });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the last messages may trail the result
    expect(r.epochs).toBe(30);
    expect(epochs.map((e) => e.epoch)).toEqual(r.history.map((h) => h.epoch).filter((e) => e <= epochs.length));
    expect(epochs.length).toBeGreaterThan(0);
    // The parameters after epoch k are those of the same fit run for k epochs.
    const last = epochs[epochs.length - 1]!;
    const core = fit(line(), { model: 'linear', target: 'y', epochs: last.epoch, tol: 0 });
    expect(Array.from(last.params)).toEqual(Array.from(core.vector));
  });

  it('cancel resolves with status cancelled and the best parameters so far', async () => {
    const data = dataset('moons', { rows: 2000, seed: 2 }).data;
    const controller = new AbortController();
    const seen: number[] = [];
    const call = nudge.fit(data, {
      model: 'mlp:2-16-16-1',
      target: 'label',
      epochs: 1_000_000,
      tol: 0,
      signal: controller.signal,
      onEpoch: (e) => {
        seen.push(e.epoch);
        if (seen.length === 5) controller.abort();
      },
    });
    const r = await call;
    expect(r.status).toBe('cancelled');
    expect(r.epochs).toBeLessThan(1_000_000);
    expect(r.epochs).toBeGreaterThanOrEqual(5);
    expect(Object.keys(r.params).length).toBe(r.model.params.length);
    expect(Object.values(r.params).every(Number.isFinite)).toBe(true);
    // the worker is free for the next call
    expect((await nudge.fit(line(), { model: 'linear', target: 'y', epochs: 3 })).epochs).toBe(3);
  });
});
