// A pool of real worker_threads workers (the BUILT dist) with the real kernel: grids, multi-start, cancel, crashes.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NudgeError, evaluateMany, gradientMany, minimize, type DescentProgress } from '@nudge/core';
import { NudgeWorkerError, createPool, type GridResult, type NudgePool } from '@nudge/worker';
import { createNodePool } from '@nudge/worker/node';
import { requireBuild, sameBits } from './test-support/built.js';

const HIMMELBLAU = '(x^2+y-11)^2+(x+y^2-7)^2';
const ROSENBROCK = '(1-x)^2 + 100*(y-x^2)^2';
const LONG = { optimizer: 'gd', lr: 1e-4, maxSteps: 5e6, tol: 0 } as const;
const WAVES = 'sin(x)*cos(y)*exp(-(x^2+y^2)/10)';

let pool: NudgePool;

beforeAll(() => {
  requireBuild();
  pool = createNodePool({ size: 2 });
});

afterAll(async () => {
  await pool.close();
});

/** The grid's points as columns (x fastest), from the coordinates the result reports. */
function gridPoints(g: GridResult): { x: Float64Array; y: Float64Array } {
  const n = g.nx * g.ny;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    x[k] = g.x[k % g.nx]!;
    y[k] = g.y![Math.floor(k / g.nx)]!;
  }
  return { x, y };
}

/** Column v of a point-major gradient. */
function column(gradient: Float64Array, v: number, nv: number): Float64Array {
  return Float64Array.from({ length: gradient.length / nv }, (_, p) => gradient[p * nv + v]!);
}

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const t0 = performance.now();
  while (!condition()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('createNodePool', () => {
  it('has the size asked for, defaulting to the number of cores', async () => {
    expect(pool.size).toBe(2);
    expect(pool.workers.map((w) => w.name)).toEqual(['nudge-pool-0', 'nudge-pool-1']);
    expect(pool.workers[0]).toMatchObject({ index: 0, busy: false, jobs: 0, generation: 0 });
    const { availableParallelism } = await import('node:os');
    const defaultSized = createNodePool();
    expect(defaultSized.size).toBe(availableParallelism());
    await defaultSized.close();
    expect(() => createNodePool({ size: 0 })).toThrow(NudgeError);
  });
});

describe('grids on a pool', () => {
  it('evaluateGrid equals the core evaluateMany at the same points, bit for bit, across bands', async () => {
    const g = await pool.evaluateGrid(WAVES, { x: [-5, 5, 301], y: [-4, 4, 211] });
    expect(g).toMatchObject({ nx: 301, ny: 211, variables: ['x', 'y'], range: [0, 301 * 211] });
    expect(g.values).toBeInstanceOf(Float64Array);
    expect(g.x[0]).toBe(-5);
    expect(g.x[300]).toBe(5);
    expect(g.y![210]).toBe(4);
    expect(sameBits(g.values, evaluateMany(WAVES, gridPoints(g)))).toBe(true);
  });

  it('gradientGrid equals the core gradientMany at the same points, bit for bit', async () => {
    const g = await pool.gradientGrid(WAVES, { x: [-3, 3, 257], y: [-2, 2, 129] });
    const local = gradientMany(WAVES, gridPoints(g));
    expect(sameBits(g.values, local.value)).toBe(true);
    expect(sameBits(g.gradient.x, column(local.gradient, 0, 2))).toBe(true);
    expect(sameBits(g.gradient.y!, column(local.gradient, 1, 2))).toBe(true);
  });

  it('puts named variables on the axes, and computes 1-D grids', async () => {
    // x-axis: y; y-axis: x
    const swapped = await pool.gradientGrid('x - 2*y', { x: [0, 1, 5], y: [10, 20, 3] }, { variables: ['y', 'x'] });
    expect(swapped.variables).toEqual(['y', 'x']);
    expect([...swapped.values.subarray(0, 5)]).toEqual([10, 9.5, 9, 8.5, 8]);
    expect(new Set(swapped.gradient.x)).toEqual(new Set([-2]));
    expect(new Set(swapped.gradient.y)).toEqual(new Set([1]));
    // a variable f does not use
    const flat = await pool.evaluateGrid('x^2', { x: [0, 2, 3], y: [0, 1, 2] }, { variables: ['x', 'y'] });
    expect([...flat.values]).toEqual([0, 1, 4, 0, 1, 4]);
    // 1-D
    const line = await pool.gradientGrid('x^3', { x: [-1, 1, 10_001] });
    expect(line).toMatchObject({ nx: 10_001, ny: 1, variables: ['x'] });
    expect(line.y).toBeUndefined();
    const local = gradientMany('x^3', { x: line.x });
    expect(sameBits(line.values, local.value)).toBe(true);
    expect(sameBits(line.gradient.x, local.gradient)).toBe(true);
    expect(line.gradient.y).toBeUndefined();
  });

  it('rejects bad grids and expressions with NudgeErrors that keep their code', async () => {
    await expect(pool.evaluateGrid('x*y*z', { x: [0, 1, 3], y: [0, 1, 3] })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('3 variables') });
    await expect(pool.evaluateGrid('x^2', { x: [0, 1, 3], y: [0, 1, 3] })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining("variables: ['x', 'y']") });
    await expect(pool.evaluateGrid('x*y', { x: [0, 1, 0], y: [0, 1, 3] })).rejects.toBeInstanceOf(NudgeError);
    await expect(pool.evaluateGrid('x*y', { x: [0, 1, 1e5], y: [0, 1, 1e5] })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(pool.gradientGrid('sin(x*y', { x: [0, 1, 3], y: [0, 1, 3] })).rejects.toMatchObject({ name: 'NudgeSyntaxError', code: 'syntax' });
    await expect(pool.evaluateGrid('x*y', { x: [0, 1, 3], y: [0, 1, 3] }, { variables: ['x', 'z'] })).rejects.toMatchObject({ code: 'unknown-variable' });
  });

  it('rejects at once when its signal aborts', async () => {
    const controller = new AbortController();
    const call = pool.gradientGrid(WAVES, { x: [-5, 5, 1000], y: [-4, 4, 1000] }, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    await until(() => pool.workers.every((w) => !w.busy), 'the running bands to finish');
  });
});

describe('multi-start descents on a pool', () => {
  it("matches the core's minimize on Himmelblau from (0, 0) with 16 starts, seed 1", async () => {
    const options = { starts: 16, seed: 1 };
    const remote = await pool.minimize(HIMMELBLAU, { x: 0, y: 0 }, options);
    const local = minimize(HIMMELBLAU, { x: 0, y: 0 }, options);
    expect(remote.value).toBe(local.value);
    expect(sameBits(remote.vector, local.vector)).toBe(true);
    expect(remote.runs!.map((r) => r.value)).toEqual(local.runs!.map((r) => r.value));
    expect(remote.runs!.every((r) => r.start instanceof Float64Array && r.point instanceof Float64Array)).toBe(true);
    expect(remote.minima!.map((m) => [m.starts, ...m.point])).toEqual(local.minima!.map((m) => [m.starts, ...m.point]));
    expect(remote.minima).toHaveLength(4);
    expect(remote.totalIterations).toBe(local.totalIterations);
  });

  it('runs a single start as one job, and maximizes', async () => {
    const one = await pool.minimize('(x-3)^2 + 1', 0);
    expect(one.runs).toBeUndefined();
    expect(one.point.x).toBeCloseTo(3, 8);
    const up = await pool.maximize('-(x-1)^2 - (y+2)^2', [5, 5], { starts: 4 });
    expect(up.maximize).toBe(true);
    expect(up.vector[1]).toBeCloseTo(-2, 8);
    expect(up.runs).toHaveLength(4);
  });

  it('reports progress of every run, with run and runs, and spreads the starts over the workers', async () => {
    const progress: DescentProgress[] = [];
    await until(() => pool.workers.every((w) => w.ready), 'both workers to be ready');
    const before = pool.workers.map((w) => w.jobs);
    await pool.minimize(ROSENBROCK, { x: -1.2, y: 1 }, { ...LONG, maxSteps: 200_000, starts: 4, spread: 0.5, onProgress: (p) => progress.push(p) });
    expect(new Set(progress.map((p) => p.run))).toEqual(new Set([0, 1, 2, 3]));
    expect(progress.every((p) => p.runs === 4)).toBe(true);
    for (const run of [0, 1, 2, 3]) {
      const steps = progress.filter((p) => p.run === run).map((p) => p.step);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
    }
    // the start points and four runs: both workers took some
    const after = pool.workers.map((w) => w.jobs);
    expect(after[0]! - before[0]! + after[1]! - before[1]!).toBe(5);
    expect(after.every((n, i) => n > before[i]!)).toBe(true);
  });

  it('keeps the code of errors (bad options, a missing variable)', async () => {
    await expect(pool.minimize('x^2', 1, { optimizer: 'gd', lr: -1, starts: 4 })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(pool.minimize('x^2', 1, { optimizer: 'sgd' as 'gd' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(pool.minimize('x^2 + y^2', { x: 1 }, { starts: 3 })).rejects.toMatchObject({ code: 'missing-variable' });
    await expect(pool.minimize('x^2', 1, { starts: 1.5 })).rejects.toBeInstanceOf(NudgeError);
  });

  it('cancels every run when the signal aborts, rejecting with an AbortError once they stopped', async () => {
    const controller = new AbortController();
    const runs = new Set<number>();
    const call = pool.minimize(ROSENBROCK, { x: -1.2, y: 1 }, { ...LONG, starts: 5, signal: controller.signal, onProgress: (p) => runs.add(p.run!) });
    call.catch(() => {});
    await until(() => runs.size >= 2, 'two runs to report progress');
    const t0 = performance.now();
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    const latency = performance.now() - t0;
    console.log(`pool cancel latency, abort() to rejection with 2 runs running and 3 queued: ${latency.toFixed(1)} ms`);
    expect(latency).toBeLessThan(150);
    // every run stopped: the queued ones never started, the running ones answered
    expect(runs).toEqual(new Set([0, 1]));
    expect(pool.workers.every((w) => !w.busy)).toBe(true);
    const next = await pool.minimize(HIMMELBLAU, { x: 0, y: 0 }, { starts: 4 });
    expect(next.converged).toBe(true);
  });
});

describe('crashes', () => {
  it('a worker terminated mid-descent rejects its job with a crash error naming it; a fresh worker serves the next call', async () => {
    let progressed = 0;
    const call = pool.minimize(ROSENBROCK, { x: -1.2, y: 1 }, { ...LONG, onProgress: () => progressed++ });
    call.catch(() => {});
    await until(() => progressed >= 2, 'the descent to run');
    const victim = pool.workers.find((w) => w.busy)!;
    expect(victim).toBeDefined();
    await pool.terminateWorker(victim.index);
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NudgeWorkerError);
    expect(error).toMatchObject({ code: 'crashed' });
    expect((error as Error).message).toMatch(new RegExp(`^pool worker ${victim.index} \\('nudge-pool-${victim.index}'\\) crashed during minimize start 1 of 1: .*exited.*a fresh worker took its place$`));
    expect(pool.workers[victim.index]).toMatchObject({ generation: 1, name: `nudge-pool-${victim.index}.1`, jobs: 0 });
    // the next calls succeed (queued until the replacement is ready, or served by the other worker)
    const g = await pool.evaluateGrid('x*y', { x: [0, 1, 200], y: [0, 1, 200] });
    expect(g.values[199 * 200 + 199]).toBe(1);
    await until(() => pool.workers.every((w) => w.ready), 'the replacement to start');
    const next = await pool.minimize(HIMMELBLAU, { x: 0, y: 0 }, { starts: 8 });
    expect(next.minima).toHaveLength(4);
    expect(pool.workers[victim.index]!.jobs).toBeGreaterThan(0); // the replacement took some of the starts
  });

  it('runs a grid band again when its worker dies mid-band: the grid is still exact', async () => {
    await until(() => pool.workers.every((w) => w.ready), 'both workers to be ready');
    const before = pool.workers[0]!.generation;
    const call = pool.gradientGrid(WAVES, { x: [-5, 5, 800], y: [-4, 4, 800] });
    await until(() => pool.workers[0]!.busy, 'worker 0 to take a band');
    await new Promise((r) => setTimeout(r, 10));
    await until(() => pool.workers[0]!.busy, 'worker 0 to run a band');
    await pool.terminateWorker(0); // (called in the same tick as the check: a band is in flight)
    const g = await call;
    expect(pool.workers[0]!.generation).toBe(before + 1);
    const local = gradientMany(WAVES, gridPoints(g));
    expect(sameBits(g.values, local.value)).toBe(true);
    expect(sameBits(g.gradient.y!, column(local.gradient, 1, 2))).toBe(true);
  });

  describe('of workers that die by themselves', () => {
    type NodeStart = typeof import('./node-start.js');
    let crashy: NudgePool;
    let startNodeWorker: NodeStart['startNodeWorker'];

    beforeAll(async () => {
      // the built module (its classes are the ones the package's entry points use)
      ({ startNodeWorker } = (await import(new URL('../dist/node-start.js', import.meta.url).href)) as NodeStart);
      const entry = new URL('./test-support/crash-worker.mjs', import.meta.url);
      crashy = createPool((name, onFail) => startNodeWorker({ name, onFail, entry }), { size: 2, name: 'crashy' });
    });

    afterAll(async () => {
      await crashy.close();
    });

    it.each([
      ['process.exit', 'exit', /exited \(code 3\)/],
      ['an uncaught error', 'throw', /stopped with an error: thrown outside any call/],
    ])('%s: the job rejects with a crash error, the pool replaces the worker and serves the next call', async (_, crash, cause) => {
      const error = await crashy.minimize('x^2', 1, { crash } as object).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NudgeWorkerError);
      expect(error).toMatchObject({ code: 'crashed', message: expect.stringMatching(/^pool worker \d \('crashy-\d(\.\d+)?'\) crashed during minimize start 1 of 1/) });
      expect((error as Error).message).toMatch(cause);
      expect(crashy.workers.some((w) => w.generation > 0)).toBe(true);
      expect((await crashy.minimize('(x-1)^2', 5)).point.x).toBeCloseTo(1, 8);
      const g = await crashy.evaluateGrid('x+y', { x: [0, 1, 2], y: [0, 1, 2] });
      expect([...g.values]).toEqual([0, 1, 1, 2]);
    });

    it('a grid band whose worker exits is run again on another; a band that crashes twice rejects the grid', async () => {
      const once = join(mkdtempSync(join(tmpdir(), 'nudge-pool-')), 'crashed');
      const grid = { x: [-1, 1, 300], y: [-1, 1, 200] } as const;
      const g = await crashy.evaluateGrid(WAVES, grid, { crash: { once } } as object);
      expect(existsSync(once)).toBe(true); // one band's worker did exit
      expect(sameBits(g.values, evaluateMany(WAVES, gridPoints(g)))).toBe(true);
      const error = await crashy.evaluateGrid(WAVES, grid, { crash: 'exit' } as object).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NudgeWorkerError);
      expect(error).toMatchObject({ code: 'crashed', message: expect.stringMatching(/^pool worker \d \('crashy-\d\.\d+'\) crashed during evaluateGrid band \d+ of \d+: .*exited \(code 3\)/) });
      expect((await crashy.evaluateGrid('x+y', grid)).values[0]).toBe(-2);
    });

    it('gives up, with a clear error, on workers that die as they start', async () => {
      let started = 0;
      const entry = new URL('./test-support/exit-at-start.mjs', import.meta.url);
      const doomed = createPool(
        (name, onFail) => {
          started++;
          return startNodeWorker({ name, onFail, entry });
        },
        { size: 2 },
      );
      await expect(doomed.minimize('x^2', 1)).rejects.toMatchObject({ code: 'crashed' });
      // calls made while the last workers die may see their crash; then every call sees why the pool gave up
      const t0 = performance.now();
      let error: unknown;
      do error = await doomed.evaluateGrid('x', { x: [0, 1, 2] }).catch((e: unknown) => e);
      while (!String((error as Error).message).includes('stop as they start') && performance.now() - t0 < 5000);
      expect(error).toBeInstanceOf(NudgeWorkerError);
      expect(error).toMatchObject({ code: 'crashed', message: expect.stringContaining('exited (code 1)') });
      await new Promise((r) => setTimeout(r, 300));
      expect(started).toBeLessThanOrEqual(4); // two, and a replacement each: the third failed start stops it
      await doomed.terminate();
    });
  });
});

describe('closing a pool', () => {
  it('close() finishes the calls made, queued ones included, then refuses new ones', async () => {
    const closing = createNodePool({ size: 1 });
    const a = closing.minimize(HIMMELBLAU, { x: 0, y: 0 }, { starts: 3 });
    const b = closing.evaluateGrid('x*y', { x: [0, 1, 50], y: [0, 1, 50] });
    await closing.close();
    await expect(a).resolves.toMatchObject({ converged: true });
    await expect(b).resolves.toMatchObject({ nx: 50 });
    await expect(closing.evaluateGrid('x', { x: [0, 1, 2] })).rejects.toMatchObject({ code: 'closed' });
  });

  it('terminate() stops at once: calls running or queued reject as closed', async () => {
    const stopping = createNodePool({ size: 1 });
    let progressed = false;
    const running = stopping.minimize(ROSENBROCK, { x: -1.2, y: 1 }, { ...LONG, onProgress: () => (progressed = true) });
    running.catch(() => {});
    await until(() => progressed, 'the descent to run');
    const queued = stopping.evaluateGrid('x*y', { x: [0, 1, 50], y: [0, 1, 50] });
    queued.catch(() => {});
    await stopping.terminate();
    await expect(running).rejects.toMatchObject({ code: 'closed' });
    await expect(queued).rejects.toMatchObject({ code: 'closed' });
    expect(stopping.workers[0]!.generation).toBe(0);
  });
});
