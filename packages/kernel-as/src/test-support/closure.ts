// The closure path, as the core runs it: the kernel supplies offsets, step and
// the combination; the function is evaluated in JS.
import type { Heap } from './heap.js';

export interface Derivative {
  derivative: number;
  error: number;
  value: number;
  step: number;
}

export function closureDerivative(heap: Heap, f: (x: number) => number, x: number, method: number, h: number): Derivative {
  const k = heap.kernel;
  const m = k.stencilSize(method);
  const offsets = heap.alloc(Math.max(m, 1) * 8);
  k.stencilOffsets(method, offsets);
  const step = k.stencilStep(method, h, x);
  const values = heap.putF64(heap.getF64(offsets, m).map((o, i) => f(i === 0 ? x : x + o * step)));
  const out = heap.alloc(3 * 8);
  k.stencilCombine(method, step, values, out);
  const [derivative, error, value] = heap.getF64(out, 3) as [number, number, number];
  return { derivative, error, value, step };
}
