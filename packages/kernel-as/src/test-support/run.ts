// Runs a tape through the kernel's entry points and copies the results out.
// Batch mode: coords[v][p] (structure of arrays); vector mode: points[p] is
// one point's nIn f64.
import type { Heap } from './heap.js';
import type { Tape } from './tape.js';

export interface Runner {
  evaluate(points: number[][]): number[];
  jvp(points: number[][], dir: number[]): { value: number[]; tangent: number[] };
  gradient(points: number[][]): { value: number[]; grad: number[][] };
  complexStep(points: number[][], dir: number[], h?: number): { value: number[]; deriv: number[] };
}

/** nIn: f64 per point (vector mode) or variables (batch mode). */
function nInOf(tape: Tape): number {
  return tape.slotLens ? tape.slotLens.slice(0, tape.nVars).reduce((s, l) => s + l, 0) : tape.nVars;
}

/**
 * A runner over one compiled tape. Batch mode takes `coords` as [variable][point];
 * vector mode as [point][element].
 */
export function runner(heap: Heap, tape: Tape): Runner {
  const fn = heap.compile(tape);
  const k = heap.kernel;
  const vector = tape.slotLens !== undefined;
  const nIn = nInOf(tape);
  const put = (coords: number[][]): [number, number] => {
    if (vector) return [heap.putF64(coords.length > 0 ? coords.flat() : [0]), coords.length];
    const n = coords[0]?.length ?? 0;
    return [heap.putPoints(coords), n];
  };
  return {
    evaluate(coords) {
      const [points, n] = put(coords);
      const out = heap.alloc(Math.max(n, 1) * 8);
      k.evaluate(fn, points, n, out);
      return heap.getF64(out, n);
    },
    jvp(coords, dir) {
      const [points, n] = put(coords);
      const d = heap.putF64(dir.length > 0 ? dir : [0]);
      const v = heap.alloc(Math.max(n, 1) * 8);
      const t = heap.alloc(Math.max(n, 1) * 8);
      k.jvp(fn, points, n, d, v, t);
      return { value: heap.getF64(v, n), tangent: heap.getF64(t, n) };
    },
    gradient(coords) {
      const [points, n] = put(coords);
      const v = heap.alloc(Math.max(n, 1) * 8);
      const g = heap.alloc(Math.max(n * nIn, 1) * 8);
      k.gradientAD(fn, points, n, v, g);
      const flat = heap.getF64(g, n * nIn);
      return { value: heap.getF64(v, n), grad: Array.from({ length: n }, (_, p) => flat.slice(p * nIn, (p + 1) * nIn)) };
    },
    complexStep(coords, dir, h = 1e-20) {
      const [points, n] = put(coords);
      const d = heap.putF64(dir.length > 0 ? dir : [0]);
      const v = heap.alloc(Math.max(n, 1) * 8);
      const out = heap.alloc(Math.max(n, 1) * 8);
      k.complexStep(fn, points, n, d, h, v, out);
      return { value: heap.getF64(v, n), deriv: heap.getF64(out, n) };
    },
  };
}

/** Central differences with one Richardson step (error O(h^4)) of a JS function along coordinate i. */
export function centralDiff(f: (x: number[]) => number, x: number[], i: number, h: number): number {
  const at = (t: number) => {
    const y = [...x];
    y[i] = x[i]! + t;
    return f(y);
  };
  const d1 = (at(h) - at(-h)) / (2 * h);
  const d2 = (at(h / 2) - at(-h / 2)) / h;
  return d2 + (d2 - d1) / 3;
}
