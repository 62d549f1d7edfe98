import { Activation as ACT, Loss as LOSS } from '@nudge/kernel-as';
import { getKernel } from '../kernel/instance.js';
import type { LossName } from './loss.js';
import type { Model } from './model.js';

/** The kernel's number of each one-output loss (log loss takes the output layer's logit; softmax has its own op). */
const LOSS_CODE: Record<Exclude<LossName, 'softmax'>, number> = { mse: LOSS.squared, mae: LOSS.absolute, bce: LOSS.log };

const align16 = (n: number) => (n + 15) & ~15;

/**
 * The training objective of a multilayer perceptron over a batch of `rows`
 * rows, as matrix work in the kernel (kernel-as dense.ts): each layer one
 * dense op over the whole batch, its activation one element-wise op, the
 * loss one op; reverse mode runs the layers' reverse rules back. The mean
 * loss plus (l2 / 2) times the sum of the squared weights, as `Objective`
 * computes it for any other model: the same maths, another evaluation order.
 *
 * The parameters are read where the optimiser keeps them (`setParams`):
 * the weights layer by layer, row-major (unit by input), then the biases,
 * the order of `Model.params`. The gradient has that layout at `gradient`.
 */
export class NetworkObjective {
  readonly gradient: number;
  readonly paramsAt = 0;
  private params = 0;
  private readonly block: number;
  private readonly x: number;
  private readonly t: number;
  /** Per layer l >= 1: z (pre-activation), h (activation), and their adjoints; h[0] is x. */
  private readonly z: number[] = [];
  private readonly h: number[] = [];
  private readonly dz: number[] = [];
  private readonly dh: number[] = [];
  private readonly sizes: number[];
  private readonly act: number;
  private readonly nWeights: number;

  constructor(readonly model: Model, readonly target: string, readonly loss: LossName, readonly rows: number, private readonly l2: number) {
    const shape = model.mlp!;
    this.sizes = shape.sizes;
    this.act = ACT[shape.activation];
    this.nWeights = model.weights.length;
    const { heap } = getKernel();
    const sizes: number[] = [];
    const take = (f64s: number) => sizes.push(align16(f64s * 8)) - 1;
    const gi = take(model.params.length);
    const xi = take(rows * this.sizes[0]!);
    const ti = take(rows);
    const layers = this.sizes.slice(1).map((n) => [take(rows * n), take(rows * n), take(rows * n), take(rows * n)]);
    this.block = heap.alloc(sizes.reduce((a, b) => a + b, 0));
    const at: number[] = [];
    sizes.reduce((offset, bytes, i) => ((at[i] = this.block + offset), offset + bytes), 0);
    this.gradient = at[gi]!;
    this.x = at[xi]!;
    this.t = at[ti]!;
    this.h.push(this.x);
    this.dh.push(0);
    for (const [z, h, dz, dh] of layers) {
      this.z.push(at[z!]!);
      this.h.push(at[h!]!);
      this.dz.push(at[dz!]!);
      this.dh.push(at[dh!]!);
    }
  }

  /** Copies `rows` rows (from index[from..], or from..) of the feature columns, row-major, and the target. */
  gather(data: Readonly<Record<string, Float64Array>>, index?: Uint32Array, from = 0): void {
    const f64 = getKernel().heap.f64();
    const columns = this.model.features.map((c) => data[c]!);
    const target = data[this.target]!;
    const n0 = columns.length;
    const x = this.x >> 3;
    const t = this.t >> 3;
    for (let r = 0; r < this.rows; r++) {
      const row = index ? index[from + r]! : from + r;
      for (let i = 0; i < n0; i++) f64[x + r * n0 + i] = columns[i]![row]!;
      f64[t + r] = target[row]!;
    }
  }

  /** The parameters are read from byte address `params` (the optimiser's own). */
  setParams(params: number): void {
    this.params = params;
  }

  /** Layer l's (1-based) weights and biases within a parameter-shaped block at `base` (the parameters, or the gradient). */
  private layer(l: number, base = this.params): { w: number; b: number } {
    let w = base;
    let b = base + this.nWeights * 8;
    for (let k = 1; k < l; k++) {
      w += this.sizes[k]! * this.sizes[k - 1]! * 8;
      b += this.sizes[k]! * 8;
    }
    return { w, b };
  }

  /** The output layer's values for the batch (logits for log loss): the forward pass. */
  private forward(): number {
    const k = getKernel().exports;
    const L = this.sizes.length - 1;
    for (let l = 1; l <= L; l++) {
      const { w, b } = this.layer(l);
      k.denseForward(this.h[l - 1]!, w, b, this.z[l - 1]!, this.rows, this.sizes[l - 1]!, this.sizes[l]!);
      if (l < L) k.activationForward(this.act, this.z[l - 1]!, this.h[l]!, this.rows * this.sizes[l]!);
    }
    return this.z[L - 1]!;
  }

  /** The objective and its gradient (at `gradient`). */
  evaluateWithGradient(): number {
    const { exports: k, heap } = getKernel();
    const L = this.sizes.length - 1;
    const out = this.forward();
    const sum = this.lossOf(out, this.dz[L - 1]!, 1 / this.rows);
    heap.f64().fill(0, this.gradient >> 3, (this.gradient >> 3) + this.model.params.length);
    for (let l = L; l >= 1; l--) {
      const { w } = this.layer(l);
      const { w: gw, b: gb } = this.layer(l, this.gradient);
      const dx = l > 1 ? this.dh[l - 1]! : 0;
      k.denseBackward(this.h[l - 1]!, w, this.dz[l - 1]!, dx, gw, gb, this.rows, this.sizes[l - 1]!, this.sizes[l]!);
      if (l > 1) k.activationBackward(this.act, this.z[l - 2]!, this.h[l - 1]!, this.dh[l - 1]!, this.dz[l - 2]!, this.rows * this.sizes[l - 1]!);
    }
    return sum / this.rows + this.penalty(this.l2);
  }

  /** The objective alone. */
  evaluate(): number {
    return this.lossOf(this.forward(), 0, 1) / this.rows + this.penalty(0);
  }

  /** The loss summed over the rows from the output layer at `out`, and its derivative times `scale` into dz (unless 0). */
  private lossOf(out: number, dz: number, scale: number): number {
    const k = getKernel().exports;
    if (this.loss === 'softmax') return k.softmaxLoss(out, this.t, dz, 0, this.rows, this.classes, scale);
    return k.lossForward(LOSS_CODE[this.loss], out, this.t, dz, this.rows, scale);
  }

  /** Output units: 1, or K for K classes. */
  get classes(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  /** (l2 / 2) Σ w^2, adding l2 w to the weights' gradient when `add` is l2 (0 leaves it as it is). */
  private penalty(add: number): number {
    if (this.l2 === 0) return 0;
    return (this.l2 / 2) * getKernel().exports.addL2(this.params, this.gradient, this.nWeights, add);
  }

  /**
   * The output for each row of the batch, row-major: the forward pass (the
   * kernel's sigmoid of the logit for a one-output classifier; for K classes
   * the softmax probabilities, K per row; the target must hold valid classes).
   */
  outputs(): Float64Array {
    const { exports: k, heap } = getKernel();
    const out = this.forward();
    const n = this.rows * this.classes;
    if (this.model.classes) k.softmaxLoss(out, this.t, 0, out, this.rows, this.classes, 1);
    else if (this.model.probability) k.activationForward(ACT.sigmoid, out, out, this.rows);
    return heap.f64().slice(out >> 3, (out >> 3) + n);
  }

  dispose(): void {
    getKernel().heap.release(this.block);
  }
}
