import { DescentField as F, DescentGradient, DescentStatus, Optimizer } from '@nudge/kernel-as';
import type { CompiledFunction } from '../api/compiled.js';
import { getKernel } from '../kernel/instance.js';
import type { DescentSettings } from './options.js';

/** Records per kernel call before descend returns to have its trace drained. */
const TRACE_BUFFER_RECORDS = 1024;
/** Records keep the point when f has at most this many inputs (else step, f and |grad| only). */
const TRACE_X_MAX_INPUTS = 64;
/** phi rising this many times its start scale above the start means divergence. */
const GROWTH_FACTOR = 1e8;
/** A coordinate beyond this means the point ran away. */
const X_LIMIT = 1e100;
/** Armijo's sufficient-decrease constant. */
const ARMIJO_C = 1e-4;

const VECTORS = [F.pX, F.pGrad, F.pTrial, F.pTrialGrad, F.pMoment1, F.pMoment2, F.pBest, F.pErr] as const;

/**
 * One descent's state in the kernel's memory: the state block, its vectors and
 * the trace buffer, written once from the settings; `advance` is one kernel
 * call. Read the fields after a call; `dispose` frees the memory.
 */
export class DescentRun {
  readonly n: number;
  readonly sign: 1 | -1;
  readonly traceWithX: boolean;
  private readonly block: number;
  private readonly trace: number;
  private readonly descriptor: number;
  private released = false;

  constructor(readonly fn: CompiledFunction, x0: Float64Array, readonly settings: DescentSettings, maximize: boolean) {
    const { heap } = getKernel();
    this.n = x0.length;
    this.sign = maximize ? -1 : 1;
    fn.use(Infinity); // a descent is always worth compiling
    this.descriptor = settings.gradient === 'exact' ? fn.differentiationDescriptor : fn.descriptor;
    this.traceWithX = this.n <= TRACE_X_MAX_INPUTS;
    const vectorBytes = align16(this.n * 8);
    this.block = heap.alloc(F.length * 8 + VECTORS.length * vectorBytes);
    const stride = 3 + (this.traceWithX ? this.n : 0);
    this.trace = heap.alloc(Math.max(1, TRACE_BUFFER_RECORDS * stride) * 8);
    const m = heap.f64();
    const s = this.block >> 3;
    m.fill(0, s, s + F.length + (VECTORS.length * vectorBytes) / 8);
    VECTORS.forEach((field, i) => (m[s + field] = this.block + F.length * 8 + i * vectorBytes));
    m[s + F.optimizer] = Optimizer[settings.optimizer];
    m[s + F.gradient] = DescentGradient[settings.gradient];
    m[s + F.sign] = this.sign;
    m[s + F.lr] = settings.lr;
    m[s + F.beta1] = settings.optimizer === 'adam' ? settings.beta1 : settings.momentum;
    m[s + F.beta2] = settings.beta2;
    m[s + F.epsilon] = settings.epsilon;
    m[s + F.gradTol] = 0; // set after the first call, from the start's gradient
    m[s + F.stepTol] = settings.stepTol;
    m[s + F.valueTol] = settings.valueTol;
    m[s + F.growthLimit] = Infinity;
    m[s + F.xLimit] = X_LIMIT;
    m[s + F.h] = settings.h;
    m[s + F.armijo] = ARMIJO_C;
    m[s + F.traceEvery] = 1;
    m[s + F.traceCapacity] = settings.traceLimit > 0 ? TRACE_BUFFER_RECORDS : 0;
    m[s + F.traceX] = this.traceWithX ? 1 : 0;
    m.set(x0, m[s + F.pX]! / 8);
  }

  /** One kernel call: up to nSteps steps. Returns a DescentStatus code. */
  advance(nSteps: number): number {
    const k = getKernel().exports;
    const first = this.get(F.ready) === 0;
    if (first) {
      // The start: evaluate (0 steps), then the tolerances that scale with it.
      const status = k.descend(this.descriptor, this.block, this.trace, this.n, 0);
      if (status === DescentStatus.diverged) return status;
      const g0 = this.get(F.gradNorm);
      const phi0 = this.sign * this.get(F.value);
      this.set(F.gradTol, this.settings.tol * Math.max(1, g0));
      this.set(F.growthLimit, phi0 + GROWTH_FACTOR * Math.max(1, Math.abs(phi0)));
      // The line search's first step moves the point by about 1.
      this.set(F.alpha, 1 / Math.max(1, g0));
      if (nSteps === 0) return status;
    }
    return k.descend(this.descriptor, this.block, this.trace, this.n, nSteps);
  }

  get(field: number): number {
    return getKernel().heap.f64()[(this.block >> 3) + field]!;
  }

  set(field: number, value: number): void {
    getKernel().heap.f64()[(this.block >> 3) + field] = value;
  }

  /** A copy of the vector whose address is in `field` (F.pX, F.pBest, ...). */
  vector(field: number): Float64Array {
    const at = this.get(field) / 8;
    return getKernel().heap.f64().slice(at, at + this.n);
  }

  /** The records written since the last drain, flat ([step, f, |grad|, x...] each); resets the count. */
  drainTrace(): Float64Array {
    const count = this.get(F.traceCount);
    const stride = 3 + (this.traceWithX ? this.n : 0);
    const at = this.trace >> 3;
    const rows = getKernel().heap.f64().slice(at, at + count * stride);
    this.set(F.traceCount, 0);
    return rows;
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    const { heap } = getKernel();
    heap.release(this.trace);
    heap.release(this.block);
  }
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
