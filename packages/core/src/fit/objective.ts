import { CompiledFunction } from '../api/compiled.js';
import type { Engine } from '../jit/engine.js';
import { Graph } from '../ir/node.js';
import { getKernel } from '../kernel/instance.js';
import { rowLoss, type LossName } from './loss.js';
import { modelIr, transplant, type Model } from './model.js';

/**
 * The training objective over a batch of `rows` rows: the mean row loss
 * plus (l2 / 2) times the sum of the squared weights, as one function of
 * vector variables (a column of the batch each, then the target) and
 * scalar parameters. Rows are the batch: the kernel runs the model over all
 * of them in one pass (one fused loop when compiled) and reverse mode sums
 * the parameters' gradient over the rows. The point, its gradient and the
 * value live in a block of the kernel's memory: the host gathers rows into
 * it, and the optimiser reads and writes the parameters there.
 */
export class Objective {
  readonly fn: CompiledFunction;
  /** Byte addresses: the point (columns, target, parameters), its gradient, f. */
  readonly point: number;
  readonly gradient: number;
  readonly value: number;
  /** Byte offset of the parameters within the point (and the gradient). */
  readonly paramsAt: number;
  private readonly block: number;

  constructor(readonly model: Model, readonly target: string, readonly loss: LossName, readonly rows: number, l2: number, engine?: Engine) {
    const g = new Graph();
    const columns = [...model.features, target];
    const bind = (name: string) => (model.params.includes(name) ? g.variable(name) : g.vectorVariable(name, rows));
    const p = transplant(g, modelIr(new Graph(), model), bind);
    // transplant runs on a fresh graph's IR: rebuild the target's vector in g too.
    const y = g.vectorVariable(target, rows);
    let f = g.apply('mul', [g.sum(rowLoss(g, loss, p, y)), g.constant(1 / rows)]);
    if (l2 > 0 && model.weights.length > 0) {
      const squares = model.weights.map((w) => g.apply('square', [g.variable(w)]));
      f = g.apply('add', [f, g.apply('mul', [g.constant(l2 / 2), g.apply('add', squares)])]);
    }
    const inputs = [
      ...columns.map((name) => ({ name, length: rows, vector: true, frozen: true })),
      ...model.params.map((name) => ({ name, length: 1, vector: false })),
    ];
    this.fn = new CompiledFunction(f, inputs, g, engine);
    this.fn.use(Infinity);
    const nIn = this.fn.inputLength;
    const { heap } = getKernel();
    const bytes = align16(nIn * 8);
    this.block = heap.alloc(2 * bytes + 16);
    this.point = this.block;
    this.gradient = this.block + bytes;
    this.value = this.block + 2 * bytes;
    this.paramsAt = columns.length * rows * 8;
  }

  /** Copies `n` = rows values of each column (and the target) into the point, row r from index[r] (or r). */
  gather(data: Readonly<Record<string, Float64Array>>, index?: Uint32Array, from = 0): void {
    const f64 = getKernel().heap.f64();
    const columns = [...this.model.features, this.target];
    columns.forEach((name, c) => {
      const column = data[name]!;
      const at = (this.point >> 3) + c * this.rows;
      if (!index) f64.set(column.subarray(from, from + this.rows), at);
      else for (let r = 0; r < this.rows; r++) f64[at + r] = column[index[from + r]!]!;
    });
  }

  /** Puts the parameters (at byte address `params`, in the model's order) into the point. */
  setParams(params: number): void {
    const f64 = getKernel().heap.f64();
    const n = this.model.params.length;
    f64.copyWithin((this.point + this.paramsAt) >> 3, params >> 3, (params >> 3) + n);
  }

  /** The objective and its gradient at the point; the parameters' gradient is at gradient + paramsAt. */
  evaluateWithGradient(): number {
    getKernel().exports.gradientAD(this.fn.differentiationDescriptor, this.point, 1, this.value, this.gradient);
    return getKernel().heap.f64()[this.value >> 3]!;
  }

  /** The objective alone. */
  evaluate(): number {
    getKernel().exports.evaluate(this.fn.descriptor, this.point, 1, this.value);
    return getKernel().heap.f64()[this.value >> 3]!;
  }

  dispose(): void {
    getKernel().heap.release(this.block);
    this.fn.dispose();
  }
}

const align16 = (n: number) => (n + 15) & ~15;
