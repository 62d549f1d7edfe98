// Fitting a model to data by gradient descent: the answers against their
// independent truths (the normal equations, Newton's method on the log
// likelihood, finite differences of the objective), and the training loop's
// behaviour (reproducible seeds, validation and early stopping, divergence,
// separable classes, clear errors).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataset } from '../data/datasets.js';
import { solve as solveLinear } from '../hessian/linalg.js';
import { getKernel } from '../kernel/instance.js';
import { uniform } from '../optimize/multistart.js';
import { resolveModel } from './model.js';
import { NetworkObjective } from './network.js';
import { Objective } from './objective.js';
import { classify } from './predict.js';
import { fit, fitAsync } from './train.js';

/** n rows of seeded features in [-1, 1]. */
function features(n: number, names: readonly string[], seed: number): Record<string, Float64Array> {
  const r = uniform(seed);
  return Object.fromEntries(names.map((name) => [name, Float64Array.from({ length: n }, () => 2 * r() - 1)]));
}

/** A standard normal from two uniforms (Box-Muller). */
function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Solves A x = b: the project's Gaussian elimination (hessian/linalg.ts), independent of the training code. */
function solve(A: number[][], b: number[]): number[] {
  const x = solveLinear(A, b);
  if (!x) throw new Error('singular system in the test');
  return x;
}

/** The design matrix's rows [x1, x2, ..., 1] (the bias last, as the built-in models order their parameters). */
const design = (data: Record<string, Float64Array>, xs: readonly string[], i: number) => [...xs.map((x) => data[x]![i]!), 1];

describe('fit', () => {
  it('linear regression, trained by gradient descent, recovers the least-squares solution of the normal equations to 1e-6', () => {
    const xs = ['x1', 'x2', 'x3'];
    const data = features(200, xs, 7);
    const r = uniform(8);
    data.y = Float64Array.from({ length: 200 }, (_, i) => 2 - 1.5 * data.x1![i]! + 0.5 * data.x2![i]! + 3 * data.x3![i]! + 0.3 * normal(r));
    // X^T X w = X^T y
    const XtX = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    const Xty = new Array<number>(4).fill(0);
    for (let i = 0; i < 200; i++) {
      const row = design(data, xs, i);
      row.forEach((a, j) => {
        Xty[j]! += a * data.y![i]!;
        row.forEach((b, k) => (XtX[j]![k]! += a * b));
      });
    }
    const truth = solve(XtX, Xty);
    const result = fit(data, { model: 'linear', target: 'y', optimizer: 'gd', lr: 0.5, epochs: 20_000, tol: 1e-12 });
    expect(result.status).toBe('converged');
    expect(result.model.params).toEqual(['w_x1', 'w_x2', 'w_x3', 'b']);
    result.vector.forEach((w, j) => expect(Math.abs(w - truth[j]!)).toBeLessThan(1e-6));
    expect(result.fitted).toMatch(/x1/);
  });

  it('logistic regression on overlapping blobs reaches the maximum-likelihood parameters of Newton\'s method to 1e-4', () => {
    const n = 400;
    const r = uniform(11);
    const label = Float64Array.from({ length: n }, (_, i) => i % 2);
    const data: Record<string, Float64Array> = {
      x1: Float64Array.from(label, (c) => (c ? 1 : -0.5) + normal(r)),
      x2: Float64Array.from(label, (c) => (c ? 0.5 : -0.5) + normal(r)),
      label,
    };
    // Newton (IRLS) on the mean log loss: w <- w - H^-1 g.
    let w = [0, 0, 0];
    for (let it = 0; it < 50; it++) {
      const g = [0, 0, 0];
      const H = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
      for (let i = 0; i < n; i++) {
        const x = design(data, ['x1', 'x2'], i);
        const p = 1 / (1 + Math.exp(-x.reduce((s, xi, j) => s + xi * w[j]!, 0)));
        x.forEach((a, j) => {
          g[j]! += ((p - label[i]!) * a) / n;
          x.forEach((b, k) => (H[j]![k]! += (p * (1 - p) * a * b) / n));
        });
      }
      const step = solve(H, g);
      w = w.map((wj, j) => wj - step[j]!);
    }
    const result = fit(data, { model: 'logistic', target: 'label', optimizer: 'gd', lr: 2, epochs: 50_000, tol: 1e-9 });
    expect(result.status).toBe('converged');
    expect(result.loss).toBe('bce');
    result.vector.forEach((v, j) => expect(Math.abs(v - w[j]!)).toBeLessThan(1e-4));
    expect(result.accuracy).toBeGreaterThan(0.6);
    expect(result.accuracy).toBeLessThan(1);
    expect(result.warning).toBeUndefined();
  });

  it('on separable classes, where the log loss has no minimum, reports the growing weights instead of convergence; L2 gives a finite answer', () => {
    const data = features(100, ['x'], 3);
    data.label = Float64Array.from(data.x!, (x) => (x > 0 ? 1 : 0));
    const result = fit(data, { model: 'logistic', target: 'label', optimizer: 'gd', lr: 1, epochs: 400 });
    expect(result.accuracy).toBe(1);
    expect(result.status).not.toBe('converged');
    expect(result.warning).toMatch(/separable.*L2/);
    const regularised = fit(data, { model: 'logistic', target: 'label', optimizer: 'gd', lr: 1, epochs: 20_000, l2: 0.01, tol: 1e-9 });
    expect(regularised.status).toBe('converged');
    expect(regularised.warning).toBeUndefined();
    expect(Number.isFinite(regularised.params.w_x!)).toBe(true);
  });

  it('an expression model with named parameters, on mini-batches: the same seed gives the same bits, another seed another path', () => {
    const data = features(300, ['x'], 5);
    const r = uniform(6);
    data.y = Float64Array.from(data.x!, (x) => 1.5 * Math.sin(2 * x) + 0.1 * normal(r));
    const options = { model: { expression: 'a*sin(k*x)', params: ['a', 'k'] }, target: 'y', batchSize: 32, epochs: 60, lr: 0.05 } as const;
    const one = fit(data, { ...options, seed: 1 });
    const again = fit(data, { ...options, seed: 1 });
    const other = fit(data, { ...options, seed: 2 });
    expect(Array.from(again.vector)).toEqual(Array.from(one.vector));
    expect(again.history).toEqual(one.history);
    expect(Array.from(other.vector)).not.toEqual(Array.from(one.vector));
    expect(one.steps).toBe(60 * Math.ceil(300 / 32));
    expect(Math.abs(Math.abs(one.params.a!) - 1.5)).toBeLessThan(0.1);
    expect(one.history[59]!.loss).toBeLessThan(one.history[0]!.loss);
  });

  it('trains to the same bits with either engine (the compiled loss skips the data\'s adjoints, not the parameters\')', () => {
    const moons = dataset('moons', { rows: 200, noise: 0.2, seed: 4 }).data;
    const run = (engine: 'compiled' | 'interpreter') =>
      fit(moons, { model: { expression: 'sigmoid(a*x1 + c*x2^2 + d*tanh(x2) + k)', params: ['a', 'c', 'd', 'k'] }, target: 'label', batchSize: 16, epochs: 5, validation: 0.2, engine });
    const [c, i] = [run('compiled'), run('interpreter')];
    expect([c.engine, i.engine]).toEqual(['compiled', 'interpreter']);
    expect(Array.from(c.vector)).toEqual(Array.from(i.vector));
    expect(c.history).toEqual(i.history);
  });

  it('onEpoch hands each epoch\'s record and the parameters then: the last ones are the result', () => {
    const data = features(60, ['x'], 41);
    data.y = Float64Array.from(data.x!, (x) => 0.5 * x + 2);
    const seen: { epoch: number; params: Float64Array }[] = [];
    const r = fit(data, { model: 'linear', target: 'y', epochs: 25, tol: 0, onEpoch: (e, params) => seen.push({ epoch: e.epoch, params }) });
    expect(seen.map((s) => s.epoch)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(Array.from(seen[24]!.params)).toEqual(Array.from(r.vector));
    expect(Array.from(seen[0]!.params)).not.toEqual(Array.from(seen[1]!.params)); // copies, not one view
  });

  it('holds out a validation share, reports its loss, and stops early when it stops improving, keeping the best parameters', () => {
    const data = features(200, ['x'], 9);
    data.y = Float64Array.from(data.x!, (x) => 2 * x + 1);
    // Started at the exact answer: the validation loss (0) cannot improve, so the run stops after `patience` epochs.
    const result = fit(data, { model: 'linear', target: 'y', validation: 0.25, patience: 3, epochs: 100, tol: 0, init: { w_x: 2, b: 1 } });
    expect(result.rows).toEqual({ training: 150, validation: 50 });
    expect(result.status).toBe('early-stopped');
    expect(result.epochs).toBe(4);
    expect(result.history.every((e) => e.validationLoss !== undefined)).toBe(true);
    expect(result.params).toEqual({ w_x: 2, b: 1 });
    expect(result.validationLoss).toBe(0);
  });

  it('a learning rate far too large diverges: reported with a hint, the last finite parameters kept', () => {
    const data = features(50, ['x'], 1);
    data.y = Float64Array.from(data.x!, (x) => 100 * x);
    const result = fit(data, { model: 'linear', target: 'y', optimizer: 'gd', lr: 1e6, epochs: 1000 });
    expect(result.status).toBe('diverged');
    expect(result.warning).toMatch(/learning rate 1000000 is too large/);
    expect(result.vector.every(Number.isFinite)).toBe(true);
  });

  it('says what is wrong with a model or its data', () => {
    const data = { x: Float64Array.of(1, 2), y: Float64Array.of(3, 4) };
    expect(() => fit(data, { model: 'linear', target: 'z' })).toThrow(/no target column 'z' in the data \(the columns are x, y\)/);
    expect(() => fit(data, { model: { expression: 'w*x + c', params: ['w'] }, target: 'y' })).toThrow(/the model uses 'c', which is neither a parameter \(w\) nor a column/);
    expect(() => fit(data, { model: { expression: 'w*x', params: ['w', 'q'] }, target: 'y' })).toThrow(/the parameter 'q' does not appear in the model/);
    expect(() => fit(data, { model: { expression: 'w*x + e', params: ['w', 'e'] }, target: 'y' })).toThrow(/'e' is the constant 2\.718281828459045: name the parameter otherwise/);
    expect(() => fit(data, { model: { expression: 'w*y', params: ['w'] }, target: 'y' })).toThrow(/reads the target column 'y'/);
    expect(() => fit(data, { model: 'linear', target: 'y', lr: -1 })).toThrow(/learning rate lr must be a positive number/);
    expect(() => fit(data, { model: 'cubic', target: 'y' })).toThrow(/unknown model 'cubic'/);
    expect(() => fit(data, { model: 'logistic', target: 'y' })).toThrow(/log loss \(bce\) needs the target 'y' in \[0, 1\] \(a class 0 or 1\); row 1 holds 3/);
  });

  it('the gradient that training uses equals central differences of the objective (property, random models and data)', () => {
    const shapes = [
      { expression: 'w*x + b', params: ['w', 'b'] },
      { expression: 'sigmoid(w1*x + w2*z + b)', params: ['w1', 'w2', 'b'] },
      { expression: 'a*tanh(k*x) + c*z^2', params: ['a', 'k', 'c'] },
      { expression: 'exp(-s*x*x)*m + softplus(q*z)', params: ['s', 'm', 'q'] },
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: shapes.length - 1 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom('mse', 'mae', 'bce'), fc.integer(), (k, rows, lossAsked, seed) => {
        // Log loss wants a probability: the sigmoid model's (the others may predict outside (0, 1)).
        const loss = k === 1 ? lossAsked : lossAsked === 'bce' ? 'mse' : lossAsked;
        const data = features(rows, ['x', 'z'], seed);
        data.y = Float64Array.from(data.x!, (x) => (x > 0 ? 1 : 0));
        const model = resolveModel(shapes[k]!, Object.keys(data), 'y');
        const o = new Objective(model, 'y', loss as 'mse' | 'mae' | 'bce', rows, 0.1);
        try {
          o.gather(data);
          const r = uniform(seed + 1);
          const params = Float64Array.from(model.params, () => r() - 0.5);
          const f64 = () => getKernel().heap.f64();
          const at = (o.point + o.paramsAt) >> 3;
          f64().set(params, at);
          o.evaluateWithGradient();
          const g = f64().slice((o.gradient + o.paramsAt) >> 3, ((o.gradient + o.paramsAt) >> 3) + params.length);
          params.forEach((p, i) => {
            const h = 1e-6;
            f64()[at + i] = p + h;
            const up = o.evaluate();
            f64()[at + i] = p - h;
            const down = o.evaluate();
            f64()[at + i] = p;
            expect(Math.abs(g[i]! - (up - down) / (2 * h))).toBeLessThan(1e-6 * Math.max(1, Math.abs(g[i]!)));
          });
        } finally {
          o.dispose();
        }
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});

describe('fit: a multilayer perceptron', () => {
  it('mlp:2-16-16-1 (tanh) reaches at least 97% accuracy on a held-out 30% of 1,000 two-moons rows (noise 0.1), the same with the same seed', () => {
    const moons = dataset('moons', { rows: 1000, noise: 0.1, seed: 1 }).data;
    const options = { model: 'mlp:2-16-16-1', target: 'label', validation: 0.3, batchSize: 32, epochs: 300, lr: 0.01, seed: 1, patience: 300 } as const;
    const r = fit(moons, options);
    expect(r.model.kind).toBe('mlp');
    expect(r.engine).toBe('dense');
    expect(r.model.params).toHaveLength(2 * 16 + 16 * 16 + 16 + 16 + 16 + 1);
    expect(r.loss).toBe('bce');
    expect(r.rows).toEqual({ training: 700, validation: 300 });
    expect(r.validationAccuracy).toBeGreaterThanOrEqual(0.97);
    const again = fit(moons, options);
    expect(Array.from(again.vector)).toEqual(Array.from(r.vector));
  }, 120_000);

  it('the validation split does not follow the order of a data set made with the same seed (the generator orders its rows by class and arc)', () => {
    const moons = dataset('moons', { rows: 1000, noise: 0.1, seed: 1 }).data;
    const r = fit(moons, { model: 'logistic', target: 'label', validation: 0.3, epochs: 1, seed: 1 });
    // Both classes in the validation rows, about half each: accuracy on them is near the training accuracy.
    expect(Math.abs(r.validationAccuracy! - r.accuracy!)).toBeLessThan(0.1);
  });

  it('the dense layers\' loss and gradient equal the same network written out as one expression (property: shapes, activations, losses, L2)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('mlp:2-3-1', 'mlp:3-4-2-1', 'mlp:1-5-1', 'mlp:4-1'),
        fc.constantFrom('tanh', 'relu', 'sigmoid'),
        fc.constantFrom('mse', 'mae', 'bce'),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(0, 0.1),
        fc.integer(),
        (spec, activation, loss, rows, l2, seed) => {
          const n0 = Number(spec.split(':')[1]!.split('-')[0]);
          const names = Array.from({ length: n0 }, (_, i) => `f${i}`);
          const data = features(rows, names, seed);
          data.t = Float64Array.from({ length: rows }, (_, i) => i % 2);
          const model = resolveModel(spec, Object.keys(data), 't', { activation, classifier: loss === 'bce' });
          const r = uniform(seed + 1);
          const params = Float64Array.from(model.params, () => 2 * r() - 1);
          const net = new NetworkObjective(model, 't', loss as 'mse' | 'mae' | 'bce', rows, l2);
          const tape = new Objective(model, 't', loss as 'mse' | 'mae' | 'bce', rows, l2);
          const block = getKernel().heap.alloc(params.length * 8);
          try {
            getKernel().heap.f64().set(params, block >> 3);
            net.gather(data);
            tape.gather(data);
            net.setParams(block);
            tape.setParams(block);
            const [fNet, fTape] = [net.evaluateWithGradient(), tape.evaluateWithGradient()];
            expect(Math.abs(fNet - fTape)).toBeLessThan(1e-12 * Math.max(1, Math.abs(fTape)));
            expect(Math.abs(net.evaluate() - fNet)).toBeLessThan(1e-15 * Math.max(1, Math.abs(fNet)));
            const f64 = getKernel().heap.f64();
            model.params.forEach((p, i) => {
              const a = f64[(net.gradient >> 3) + i]!;
              const b = f64[((tape.gradient + tape.paramsAt) >> 3) + i]!;
              // mae's kink at a zero error: either side's slope is a subgradient; the data avoid it.
              expect(Math.abs(a - b), `${spec} ${activation} ${loss}: d/d${p}`).toBeLessThan(1e-12 * Math.max(1, Math.abs(b)));
            });
          } finally {
            net.dispose();
            tape.dispose();
            getKernel().heap.release(block);
          }
        },
      ),
      { numRuns: 80, seed: 4 },
    );
  });

  it('several classes: mlp:2-3 (multinomial logistic regression) and mlp:2-8-3 separate three clusters, by softmax cross-entropy', () => {
    const r = uniform(21);
    const centres = [[-2, 0], [2, 0], [0, 2.5]];
    const n = 300;
    const label = Float64Array.from({ length: n }, (_, i) => i % 3);
    const data = {
      x1: Float64Array.from(label, (c) => centres[c]![0]! + 0.7 * normal(r)),
      x2: Float64Array.from(label, (c) => centres[c]![1]! + 0.7 * normal(r)),
      label,
    };
    for (const model of ['mlp:2-3', 'mlp:2-8-3']) {
      const result = fit(data, { model, target: 'label', epochs: 300, lr: 0.05, validation: 0.2 });
      expect(result.loss).toBe('softmax');
      expect(result.model.classes).toBe(3);
      expect(result.validationAccuracy, model).toBeGreaterThan(0.9);
      expect(result.history[result.history.length - 1]!.loss).toBeLessThan(result.history[0]!.loss);
      const { probabilities, classes } = classify(result.model, result.params, data);
      for (let i = 0; i < n; i += 29) {
        expect(probabilities.reduce((a, p) => a + p[i]!, 0)).toBeCloseTo(1, 14);
        expect(probabilities[classes[i]!]![i]).toBe(Math.max(...probabilities.map((p) => p[i]!)));
      }
    }
    expect(() => fit({ ...data, label: Float64Array.from(label, (c) => c + 0.5) }, { model: 'mlp:2-3', target: 'label' })).toThrow(
      /the target 'label' must hold class numbers 0 to 2 for a network of 3 outputs; row 1 holds 0\.5/,
    );
    expect(() => fit(data, { model: 'mlp:2-3', target: 'label', loss: 'mse' })).toThrow(/its loss is softmax \(cross-entropy\), not mse/);
    expect(() => fit(data, { model: 'linear', target: 'label', loss: 'softmax' })).toThrow(/softmax cross-entropy is for a network of several outputs/);
  });

  it('softmax cross-entropy\'s gradient through the dense layers equals central differences (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('mlp:2-3', 'mlp:3-4-3', 'mlp:2-5-4'), fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, 0.1), fc.integer(), (spec, rows, l2, seed) => {
        const [n0, K] = [Number(spec.split(':')[1]!.split('-')[0]), Number(spec.split('-').pop())];
        const data = features(rows, Array.from({ length: n0 }, (_, i) => `f${i}`), seed);
        data.t = Float64Array.from({ length: rows }, (_, i) => (((i * 7 + seed) % K) + K) % K);
        const model = resolveModel(spec, Object.keys(data), 't', {});
        const r = uniform(seed + 3);
        const params = Float64Array.from(model.params, () => 2 * r() - 1);
        const net = new NetworkObjective(model, 't', 'softmax', rows, l2);
        const block = getKernel().heap.alloc(params.length * 8);
        try {
          getKernel().heap.f64().set(params, block >> 3);
          net.gather(data);
          net.setParams(block);
          net.evaluateWithGradient();
          const g = getKernel().heap.f64().slice(net.gradient >> 3, (net.gradient >> 3) + params.length);
          params.forEach((p, i) => {
            const f64 = getKernel().heap.f64();
            const h = 1e-6;
            f64[(block >> 3) + i] = p + h;
            const up = net.evaluate();
            f64[(block >> 3) + i] = p - h;
            const down = net.evaluate();
            f64[(block >> 3) + i] = p;
            expect(Math.abs(g[i]! - (up - down) / (2 * h))).toBeLessThan(1e-7 * Math.max(1, Math.abs(g[i]!)));
          });
        } finally {
          net.dispose();
          getKernel().heap.release(block);
        }
      }),
      { numRuns: 40, seed: 6 },
    );
  });

  it('says what does not fit: a shape whose inputs are not the feature columns, an unknown activation', () => {
    const data = { x: Float64Array.of(0, 1), y: Float64Array.of(0, 1) };
    expect(() => fit(data, { model: 'mlp:2-4-1', target: 'y' })).toThrow(/the network takes 2 inputs, the data have 1 feature column \(x\)/);
    expect(() => fit(data, { model: 'mlp:1-4-1', target: 'y', activation: 'swish' })).toThrow(/unknown activation 'swish'/);
    expect(() => fit(data, { model: 'mlp:1', target: 'y' })).toThrow(/is not a multilayer perceptron/);
  });
});

describe('fit: stopped from outside', () => {
  it('an abort keeps the best parameters so far: the best validation epoch\'s (fitAsync, aborted between epochs)', async () => {
    const data = features(200, ['x'], 31);
    const r = uniform(32);
    data.y = Float64Array.from(data.x!, (x) => 3 * x - 1 + 0.5 * normal(r));
    const controller = new AbortController();
    let seen = 0;
    const result = await fitAsync(data, {
      model: 'linear', target: 'y', validation: 0.3, epochs: 1000, lr: 0.05, signal: controller.signal,
      onEpoch: () => {
        if (++seen === 40) controller.abort();
      },
    });
    expect(result.status).toBe('cancelled');
    expect(result.epochs).toBe(40);
    const best = Math.min(...result.history.map((e) => e.validationLoss!));
    expect(result.validationLoss).toBe(best);
  });
});
