// Dense layers, activations and losses over a batch of rows: the forward
// rules against plain loops, the reverse rules against the written-out
// matrix formulas and against central differences of the forward ones, in
// each build (the scalar build sums in the SIMD build's order: the same bits).
import { describe, expect, it } from 'vitest';
import { Activation, Loss } from './index.js';
import { Heap, loadKernel, type Build } from './test-support/heap.js';
import { rng } from './test-support/reference.js';

const builds = ['release', 'debug', 'scalar'] as const satisfies readonly Build[];

function random(n: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => 2 * r() - 1);
}

/** y = x W^T + b by the definition. */
function denseRef(x: number[], w: number[], b: number[], rows: number, nIn: number, nOut: number): number[] {
  const y: number[] = [];
  for (let r = 0; r < rows; r++) for (let o = 0; o < nOut; o++) {
    let s = b[o]!;
    for (let i = 0; i < nIn; i++) s += x[r * nIn + i]! * w[o * nIn + i]!;
    y.push(s);
  }
  return y;
}

describe('dense layers', () => {
  // Odd widths reach every tail of the loops.
  const shapes: [number, number, number][] = [[5, 7, 3], [4, 16, 1], [3, 1, 2], [6, 9, 5]];

  it.each(builds)('%s: the forward rule is x W^T + b', (build) => {
    const heap = new Heap(loadKernel(build));
    for (const [rows, nIn, nOut] of shapes) {
      const [x, w, b] = [random(rows * nIn, 1), random(nOut * nIn, 2), random(nOut, 3)];
      const y = heap.alloc(rows * nOut * 8);
      heap.kernel.denseForward(heap.putF64(x), heap.putF64(w), heap.putF64(b), y, rows, nIn, nOut);
      heap.getF64(y, rows * nOut).forEach((v, k) => expect(v).toBeCloseTo(denseRef(x, w, b, rows, nIn, nOut)[k]!, 13));
    }
  });

  it('the scalar build gives the SIMD build\'s bits, forward and back (blocked loops and their tails)', () => {
    for (const [rows, nIn, nOut] of [[7, 13, 5], [9, 19, 9], [2, 8, 4]]) {
      const out = (['release', 'scalar'] as const).map((build) => {
        const heap = new Heap(loadKernel(build));
        const [x, w] = [heap.putF64(random(rows! * nIn!, 4)), heap.putF64(random(nOut! * nIn!, 5))];
        const y = heap.alloc(rows! * nOut! * 8);
        heap.kernel.denseForward(x, w, heap.putF64(random(nOut!, 6)), y, rows!, nIn!, nOut!);
        const [dx, dw, db] = [heap.alloc(rows! * nIn! * 8), heap.putF64(random(nOut! * nIn!, 7)), heap.putF64(random(nOut!, 8))];
        heap.kernel.denseBackward(x, w, y, dx, dw, db, rows!, nIn!, nOut!);
        return [heap.getF64(y, rows! * nOut!), heap.getF64(dx, rows! * nIn!), heap.getF64(dw, nOut! * nIn!), heap.getF64(db, nOut!)];
      });
      expect(out[1]).toEqual(out[0]);
    }
  });

  it.each(builds)('%s: the reverse rule: dW += dy^T x, db += colsum(dy), dx = dy W; dx 0 skips it', (build) => {
    const heap = new Heap(loadKernel(build));
    for (const [rows, nIn, nOut] of shapes) {
      const [x, w, dy] = [random(rows * nIn, 7), random(nOut * nIn, 8), random(rows * nOut, 9)];
      const dw0 = random(nOut * nIn, 10);
      const db0 = random(nOut, 11);
      const [px, pw, pdy] = [heap.putF64(x), heap.putF64(w), heap.putF64(dy)];
      const [dx, dw, db] = [heap.alloc(rows * nIn * 8), heap.putF64(dw0), heap.putF64(db0)];
      heap.kernel.denseBackward(px, pw, pdy, dx, dw, db, rows, nIn, nOut);
      for (let o = 0; o < nOut; o++) {
        let sb = db0[o]!;
        for (let r = 0; r < rows; r++) sb += dy[r * nOut + o]!;
        expect(heap.getF64(db, nOut)[o]).toBeCloseTo(sb, 13);
        for (let i = 0; i < nIn; i++) {
          let s = dw0[o * nIn + i]!;
          for (let r = 0; r < rows; r++) s += dy[r * nOut + o]! * x[r * nIn + i]!;
          expect(heap.getF64(dw, nOut * nIn)[o * nIn + i]).toBeCloseTo(s, 13);
        }
      }
      for (let r = 0; r < rows; r++) for (let i = 0; i < nIn; i++) {
        let s = 0;
        for (let o = 0; o < nOut; o++) s += dy[r * nOut + o]! * w[o * nIn + i]!;
        expect(heap.getF64(dx, rows * nIn)[r * nIn + i]).toBeCloseTo(s, 13);
      }
      const untouched = heap.putF64([42]);
      heap.kernel.denseBackward(px, pw, pdy, 0, dw, db, rows, nIn, nOut);
      expect(heap.getF64(untouched, 1)).toEqual([42]);
    }
  });

  it('a two-layer network\'s gradient, by the reverse rules, equals central differences of its loss', () => {
    const heap = new Heap(loadKernel('release'));
    const k = heap.kernel;
    const [rows, n0, n1] = [6, 3, 4];
    const x = heap.putF64(random(rows * n0, 12));
    const t = heap.putF64(random(rows, 13).map((v) => (v > 0 ? 1 : 0)));
    const params = random(n1 * n0 + n1 + n1 + 1, 14);
    const p = heap.putF64(params);
    const [w1, w2] = [p, p + n1 * n0 * 8];
    const [b1, b2] = [w2 + n1 * 8, w2 + n1 * 8 + n1 * 8];
    const [z1, h1, z2] = [heap.alloc(rows * n1 * 8), heap.alloc(rows * n1 * 8), heap.alloc(rows * 8)];
    const loss = () => {
      k.denseForward(x, w1, b1, z1, rows, n0, n1);
      k.activationForward(Activation.tanh, z1, h1, rows * n1);
      k.denseForward(h1, w2, b2, z2, rows, n1, 1);
      return k.lossForward(Loss.log, z2, t, 0, rows, 1) / rows;
    };
    loss();
    const g = heap.putF64(new Array(params.length).fill(0));
    const [dz2, dh1, dz1] = [heap.alloc(rows * 8), heap.alloc(rows * n1 * 8), heap.alloc(rows * n1 * 8)];
    k.lossForward(Loss.log, z2, t, dz2, rows, 1 / rows);
    const [gw1, gw2] = [g, g + n1 * n0 * 8];
    const [gb1, gb2] = [gw2 + n1 * 8, gw2 + n1 * 8 + n1 * 8];
    k.denseBackward(h1, w2, dz2, dh1, gw2, gb2, rows, n1, 1);
    k.activationBackward(Activation.tanh, z1, h1, dh1, dz1, rows * n1);
    k.denseBackward(x, w1, dz1, 0, gw1, gb1, rows, n0, n1);
    const grad = heap.getF64(g, params.length);
    const view = heap.f64(p, params.length);
    grad.forEach((gi, i) => {
      const h = 1e-6;
      const v = view[i]!;
      view[i] = v + h;
      const up = loss();
      view[i] = v - h;
      const down = loss();
      view[i] = v;
      expect(Math.abs(gi - (up - down) / (2 * h))).toBeLessThan(1e-8);
    });
  });

  it.each(builds)('%s: losses: squared, absolute and log loss (of logits), with their derivatives scaled', (build) => {
    const heap = new Heap(loadKernel(build));
    const z = [0.5, -2, 3, 0];
    const t = [1, 0, 1, 0];
    const dz = heap.alloc(32);
    const run = (loss: number) => [heap.kernel.lossForward(loss, heap.putF64(z), heap.putF64(t), dz, 4, 0.25), ...heap.getF64(dz, 4)];
    const sq = run(Loss.squared);
    expect(sq[0]).toBeCloseTo(0.25 + 4 + 4 + 0, 14);
    expect(sq.slice(1)).toEqual([-0.25, -1, 1, 0]);
    const abs = run(Loss.absolute);
    expect(abs).toEqual([0.5 + 2 + 2 + 0, -0.25, -0.25, 0.25, 0]);
    const log = run(Loss.log);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const want = z.reduce((s, zi, i) => s - (t[i]! * Math.log(sig(zi)) + (1 - t[i]!) * Math.log(1 - sig(zi))), 0);
    expect(log[0]).toBeCloseTo(want, 13);
    log.slice(1).forEach((g, i) => expect(g).toBeCloseTo((sig(z[i]!) - t[i]!) * 0.25, 15));
  });

  it.each(builds)('%s: softmax cross-entropy: the loss, its derivative against central differences, the probabilities; huge logits do not overflow', (build) => {
    const heap = new Heap(loadKernel(build));
    const [rows, classes] = [4, 3];
    const z = [0.5, -1, 2, 3, 3, 3, -2, 0.25, 1, 800, 900, 1000];
    const t = [2, 0, 1, 1];
    const [pz, pt, dz, probs] = [heap.putF64(z), heap.putF64(t), heap.alloc(rows * classes * 8), heap.alloc(rows * classes * 8)];
    const loss = heap.kernel.softmaxLoss(pz, pt, dz, 0, rows, classes, 0.5);
    const lse = (row: number[]) => {
      const m = Math.max(...row);
      return m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    };
    const rowsOf = (v: number[]) => Array.from({ length: rows }, (_, r) => v.slice(r * classes, (r + 1) * classes));
    const want = rowsOf(z).reduce((a, row, r) => a + lse(row) - row[t[r]!]!, 0);
    expect(loss).toBeCloseTo(want, 12);
    expect(Number.isFinite(loss)).toBe(true);
    const view = heap.f64(pz, z.length);
    heap.getF64(dz, z.length).forEach((g, i) => {
      if (i >= 9) return; // the huge row: central differences of 1000 lose every digit
      const h = 1e-6;
      const v = view[i]!;
      view[i] = v + h;
      const up = heap.kernel.softmaxLoss(pz, pt, 0, 0, rows, classes, 1);
      view[i] = v - h;
      const down = heap.kernel.softmaxLoss(pz, pt, 0, 0, rows, classes, 1);
      view[i] = v;
      expect(g).toBeCloseTo((0.5 * (up - down)) / (2 * h), 7);
    });
    heap.kernel.softmaxLoss(pz, pt, 0, probs, rows, classes, 1);
    rowsOf(heap.getF64(probs, z.length)).forEach((p, r) => {
      expect(p.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 15);
      p.forEach((pk, k) => expect(pk).toBeCloseTo(Math.exp(rowsOf(z)[r]![k]! - lse(rowsOf(z)[r]!)), 14));
    });
  });

  it.each(builds)('%s: activations are the op rows\', forward and back; rows gathered by index; L2', (build) => {
    const heap = new Heap(loadKernel(build));
    const z = [-1.5, -0.25, 0, 0.5, 2];
    const [h, dz] = [heap.alloc(40), heap.alloc(40)];
    const dh = heap.putF64([1, 2, 3, 4, 5]);
    const pz = heap.putF64(z);
    const cases = [
      [Activation.tanh, Math.tanh, (v: number) => 1 / Math.cosh(v) ** 2],
      [Activation.relu, (v: number) => Math.max(v, 0), (v: number) => (v > 0 ? 1 : 0)],
      [Activation.sigmoid, (v: number) => 1 / (1 + Math.exp(-v)), (v: number) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2],
    ] as const;
    for (const [act, f, d] of cases) {
      heap.kernel.activationForward(act, pz, h, 5);
      heap.getF64(h, 5).forEach((v, i) => expect(v).toBeCloseTo(f(z[i]!), 15));
      heap.kernel.activationBackward(act, pz, h, dh, dz, 5);
      heap.getF64(dz, 5).forEach((v, i) => expect(v).toBeCloseTo(d(z[i]!) * (i + 1), 14));
    }
    const table = heap.putF64([0, 1, 10, 11, 20, 21, 30, 31]);
    const out = heap.alloc(6 * 8);
    heap.kernel.gatherRows(table, heap.putI32([3, 0, 2]), 3, 2, out);
    expect(heap.getF64(out, 6)).toEqual([30, 31, 0, 1, 20, 21]);
    const g = heap.putF64([1, 1]);
    expect(heap.kernel.addL2(heap.putF64([2, -3]), g, 2, 0.5)).toBe(13);
    expect(heap.getF64(g, 2)).toEqual([2, -0.5]);
  });
});
