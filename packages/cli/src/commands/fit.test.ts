import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataset, fit, parseCsv, toCsv } from '@nudge/core';
import { afterAll, describe, expect, it } from 'vitest';
import { interrupted, json, nudge } from '../test-support/nudge.js';

const dir = mkdtempSync(join(tmpdir(), 'nudge-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const line = file('line.csv', toCsv(dataset('line', { rows: 200, seed: 3 })));
const blobs = file('blobs.csv', toCsv(dataset('blobs', { rows: 300, seed: 2 })));

describe('nudge fit', () => {
  it('fits an expression with named parameters: the same numbers as the core, the documented JSON', async () => {
    const r = await json('fit', line, '--model', 'w*x + b', '--params', 'w,b', '--target', 'y', '--epochs', '300', '--lr', '0.1');
    const core = fit(parseCsv(readFileSync(line, 'utf8')).data, { model: { expression: 'w*x + b', params: ['w', 'b'] }, target: 'y', epochs: 300, lr: 0.1 });
    expect(r.params).toEqual(core.params);
    expect(r).toMatchObject({ loss: 'mse', status: 'max-epochs', epochs: 300, steps: 300, rows: { training: 200, validation: 0 } });
    expect(r.trainingLoss).toBe(core.trainingLoss);
    expect(r.history).toHaveLength(300);
    expect(r.history[299].loss).toBeLessThan(r.history[0].loss);
  });

  it('says it in words: the fitted model, the loss, a loss curve', async () => {
    const r = await nudge('fit', line, '--model', 'linear', '--target', 'y', '--epochs', '100', '--lr', '0.1');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^fitted [\d.]+ \+ [\d.]+\*x\n/);
    expect(r.stdout).toMatch(/mean squared error [\d.]+ \(training\)/);
    expect(r.stdout).toMatch(/100 epochs, 100 steps \(adam, lr 0\.1, full batch\)/);
    expect(r.stdout).toMatch(/training loss by epoch \(1 to 100\):\n.*┼/);
  });

  it('logistic regression with a validation share, saved; predict writes the rows back with the class and its probability', async () => {
    const model = join(dir, 'model.json');
    const r = await json('fit', blobs, '--model', 'logistic', '--target', 'label', '--validation', '0.2', '--epochs', '200', '--lr', '0.05', '--save', model);
    expect(r.loss).toBe('bce');
    expect(r.accuracy).toBeGreaterThan(0.7);
    expect(r.validationAccuracy).toBeGreaterThan(0.6);
    expect(r.saved).toBe(model);
    const saved = JSON.parse(readFileSync(model, 'utf8'));
    expect(saved).toMatchObject({ format: 'nudge-model', version: 1, model: { kind: 'logistic', target: 'label' }, params: r.params });
    const p = await nudge('predict', model, blobs);
    expect(p.code).toBe(0);
    const out = parseCsv(p.stdout);
    expect(out.columns).toEqual(['x1', 'x2', 'label', 'prediction', 'probability']);
    expect(out.rows).toBe(300);
    const { w_x1, w_x2, b } = r.params;
    for (let i = 0; i < 300; i += 37) {
      const probability = 1 / (1 + Math.exp(-(b + w_x1 * out.data.x1![i]! + w_x2 * out.data.x2![i]!)));
      expect(out.data.probability![i]).toBeCloseTo(probability, 12);
      expect(out.data.prediction![i]).toBe(probability >= 0.5 ? 1 : 0);
    }
    let right = 0;
    for (let i = 0; i < 300; i++) if (out.data.prediction![i] === out.data.label![i]) right++;
    expect(right / 300).toBeCloseTo(0.8 * r.accuracy + 0.2 * r.validationAccuracy, 10);
  });

  it('a network on two moons, in mini-batches, reproducible with its seed', async () => {
    const moons = file('moons.csv', toCsv(dataset('moons', { rows: 400, noise: 0.1, seed: 5 })));
    const args = ['fit', moons, '--model', 'mlp:2-8-1', '--target', 'label', '--batch-size', '32', '--epochs', '60', '--seed', '7'];
    const [a, b] = [await json(...args), await json(...args)];
    expect(a.params).toEqual(b.params);
    expect(a.steps).toBe(60 * Math.ceil(400 / 32));
    expect(a.accuracy).toBeGreaterThan(0.85);
    const words = await nudge(...args.filter((x) => x !== '--json'));
    expect(words.stdout).toMatch(/33 parameters \(24 weights, 9 biases\): --json or --save gives them all/);
  });

  it('a network of three outputs classifies three classes: predict gives the class and the three probabilities', async () => {
    const rows = Array.from({ length: 90 }, (_, i) => {
      const c = i % 3;
      return `${[-2, 2, 0][c]! + Math.sin(i * 1.7) * 0.5},${[0, 0, 2.5][c]! + Math.cos(i * 2.3) * 0.5},${c}`;
    });
    const three = file('three.csv', `x1,x2,label\n${rows.join('\n')}\n`);
    const model = join(dir, 'three.json');
    const r = await json('fit', three, '--model', 'mlp:2-3', '--target', 'label', '--epochs', '200', '--lr', '0.05', '--save', model);
    expect(r.loss).toBe('softmax');
    expect(r.accuracy).toBeGreaterThan(0.95);
    const p = await nudge('predict', model, three);
    const out = parseCsv(p.stdout);
    expect(out.columns).toEqual(['x1', 'x2', 'label', 'prediction', 'probability_0', 'probability_1', 'probability_2']);
    for (let i = 0; i < 90; i += 11) {
      const probs = [0, 1, 2].map((k) => out.data[`probability_${k}`]![i]!);
      expect(probs.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 14);
      expect(out.data.prediction![i]).toBe(probs.indexOf(Math.max(...probs)));
    }
  });

  it('bad input exits 2 with one line naming what is wrong, before any training', async () => {
    const cases: [string[], RegExp][] = [
      [['fit', line, '--model', 'w*x + b', '--target', 'y'], /name the parameters to learn with --params/],
      [['fit', line, '--model', 'w*x + c', '--params', 'w', '--target', 'y'], /the model uses 'c', which is neither a parameter \(w\) nor a column of the data \(x, y\)/],
      [['fit', line, '--model', 'linear', '--target', 'z'], /no target column 'z'/],
      [['fit', line, '--model', 'linear', '--target', 'y', '--lr', '-1'], /--lr/],
      [['fit', join(dir, 'missing.csv'), '--model', 'linear', '--target', 'y'], /missing\.csv/],
      [['fit', file('bad.csv', 'x,y\n1,2\n3\n'), '--model', 'linear', '--target', 'y'], /line 3/],
      [['fit', line, '--model', 'linear', '--target', 'y', '--save', join(dir, 'no', 'such', 'dir', 'm.json')], /--save: cannot write/],
      [['predict', file('notjson.json', '{'), line], /is not JSON/],
    ];
    for (const [args, message] of cases) {
      const r = await nudge(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('Ctrl-C stops the training, prints the parameters so far with status cancelled, and exits 130', async () => {
    const { code, stdout } = await interrupted(['fit', line, '--model', 'w*x + b', '--params', 'w,b', '--target', 'y', '--epochs', '100000000', '--batch-size', '1']);
    expect(code).toBe(130);
    expect(stdout).toMatch(/^fitted .*x/);
    expect(stdout).toMatch(/cancelled \(the best parameters so far are kept/);
  });
});
