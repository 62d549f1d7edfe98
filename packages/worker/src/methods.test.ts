// The symbolic, second-order, backprop and data methods in a real worker_threads worker (the BUILT dist): each result is the core's, and plain data.
import { describe, expect, it } from 'vitest';
import {
  NudgeError,
  backprop,
  backpropDot,
  critical,
  dataset,
  derivativeExpression,
  explainByLimit,
  explainChain,
  explainDerivative,
  explainGradient,
  fit,
  gradientExpression,
  hessian,
  predictRows,
} from '@nudge/core';
import type { NudgeClient } from '@nudge/worker/node';
import { sameBits, useNodeWorker } from './test-support/built.js';

let nudge!: NudgeClient;
useNodeWorker((client) => (nudge = client));

/** What arrived equals what the core gives here, and is plain data (structured cloning leaves it as it is). */
function sameAsCore(remote: unknown, local: unknown): void {
  expect(remote).toEqual(local);
  expect(structuredClone(remote)).toEqual(remote);
}

describe('forwarded core methods in a worker', () => {
  it('critical: the saddle of x^2 - y^2 and the minimum of a bowl, with their kinds', async () => {
    const saddle = await nudge.critical('x^2 - y^2', { x: 0.3, y: -0.2 });
    sameAsCore(saddle, critical('x^2 - y^2', { x: 0.3, y: -0.2 }));
    expect(saddle.kind).toBe('saddle');
    const bowl = await nudge.critical('(x-1)^2 + (y+2)^2', { x: 0, y: 0 }, { tol: 1e-12 });
    expect(bowl).toMatchObject({ kind: 'minimum', status: 'converged' });
    expect(bowl.point.x).toBeCloseTo(1, 10);
  });

  it('hessian of x^2*y at (1, 2)', async () => {
    const h = await nudge.hessian('x^2*y', { x: 1, y: 2 });
    sameAsCore(h, hessian('x^2*y', { x: 1, y: 2 }));
    expect(h.hessian).toEqual([
      [4, 2],
      [2, 0],
    ]);
  });

  it('derivativeExpression and gradientExpression', async () => {
    const d = await nudge.derivativeExpression('x^2');
    sameAsCore(d, derivativeExpression('x^2'));
    expect(d).toMatchObject({ expression: '2*x', latex: '2x' });
    sameAsCore(await nudge.gradientExpression('x^2*y'), gradientExpression('x^2*y'));
  });

  it('the explanations: rules, gradient, chain and limit, steps as data with LaTeX', async () => {
    const d = await nudge.explainDerivative('sin(x^2)');
    sameAsCore(d, explainDerivative('sin(x^2)'));
    expect(d.steps[0]!.latex).toContain('\\frac');
    sameAsCore(await nudge.explainGradient('x^2*y + sin(y)'), explainGradient('x^2*y + sin(y)'));
    const chain = await nudge.explainChain('sin(u)', ['u=x^2'], { x: 2 });
    sameAsCore(chain, explainChain('sin(u)', ['u=x^2'], { x: 2 }));
    expect(chain.at?.agrees).toBe(true);
    sameAsCore(await nudge.explainByLimit('x^2'), explainByLimit('x^2'));
  });

  it('backprop and backpropDot of a neuron', async () => {
    const at = { w: 0.5, x: 2, b: -1 };
    const r = await nudge.backprop('sigmoid(w*x + b)', at);
    sameAsCore(r, backprop('sigmoid(w*x + b)', at));
    expect(r.gradient.w).toBeCloseTo(0.25 * 2, 12);
    expect(await nudge.backpropDot('sigmoid(w*x + b)', at)).toBe(backpropDot(backprop('sigmoid(w*x + b)', at)));
  });

  it('dataset and predict: the columns transferred, the predictions the core makes', async () => {
    const remote = await nudge.dataset('moons', { rows: 200, seed: 4 });
    const local = dataset('moons', { rows: 200, seed: 4 });
    expect(remote.columns).toEqual(local.columns);
    for (const c of local.columns) expect(sameBits(remote.data[c]!, local.data[c]!)).toBe(true);
    const trained = fit(local.data, { model: 'logistic', target: 'label', epochs: 20 });
    const p = await nudge.predict(trained.model, trained.params, { x1: local.data.x1!, x2: local.data.x2! });
    expect(sameBits(p, predictRows(trained.model, trained.params, local.data))).toBe(true);
  });

  it('rejects a bad expression with its column, and a function with a reason', async () => {
    await expect(nudge.explainDerivative('sin(x))')).rejects.toMatchObject({ code: 'syntax', column: 7 });
    const error = await nudge.backprop((() => 1) as unknown as string).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NudgeError);
  });
});
