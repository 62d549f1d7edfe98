import { DescentField as F, Optimizer } from '@nudge/kernel-as';
import { getKernel } from '../kernel/instance.js';

export const FIT_OPTIMIZERS = ['gd', 'momentum', 'nesterov', 'adam'] as const;
export type FitOptimizer = (typeof FIT_OPTIMIZERS)[number];

export interface OptimizerSettings {
  optimizer: FitOptimizer;
  lr: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * The parameters and the optimiser's state in the kernel's memory (a
 * descent state block: settings, moments, the trial vector). `step` is one
 * kernel call: the kernel's own update rule (kernel-as descent.ts) on the
 * parameters, in place, from a gradient already in the kernel's memory.
 */
export class ParameterOptimizer {
  /** Byte address of the parameters (n f64). */
  readonly params: number;
  private readonly block: number;
  private t = 0;

  constructor(readonly n: number, settings: OptimizerSettings, initial: Float64Array) {
    const { heap } = getKernel();
    const vector = (n * 8 + 15) & ~15;
    this.block = heap.alloc(F.length * 8 + 4 * vector);
    const m = heap.f64();
    const s = this.block >> 3;
    m.fill(0, s, s + F.length + (4 * vector) / 8);
    const at = (i: number) => this.block + F.length * 8 + i * vector;
    this.params = at(0);
    m[s + F.pX] = at(0);
    m[s + F.pTrial] = at(1);
    m[s + F.pMoment1] = at(2);
    m[s + F.pMoment2] = at(3);
    m[s + F.optimizer] = Optimizer[settings.optimizer];
    m[s + F.sign] = 1;
    m[s + F.lr] = settings.lr;
    m[s + F.beta1] = settings.optimizer === 'adam' ? settings.beta1 : settings.momentum;
    m[s + F.beta2] = settings.beta2;
    m[s + F.epsilon] = settings.epsilon;
    m.set(initial, this.params >> 3);
  }

  /** One step from the gradient at byte address `gradient` (n f64); returns the step's length. */
  step(gradient: number): number {
    this.t++;
    return getKernel().exports.optimizerStep(this.block, this.params, gradient, this.n, this.t);
  }

  /** The parameters now (a copy). */
  values(): Float64Array {
    const s = this.params >> 3;
    return getKernel().heap.f64().slice(s, s + this.n);
  }

  set(values: Float64Array): void {
    getKernel().heap.f64().set(values, this.params >> 3);
  }

  dispose(): void {
    getKernel().heap.release(this.block);
  }
}
