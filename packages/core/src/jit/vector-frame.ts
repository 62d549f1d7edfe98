import type { Push } from '../ops/table.js';
import { F64, I32, Op, V128, type Body } from '../wasm/module.js';
import type { Context } from './codegen.js';
import { operandsOf, type FusionPlan, type Step, type Unit } from './fusion.js';

/** The shared parts of a compiled vector function (jit/vector.ts): its frame of locals, loops, partial sums. */

/** A loop of the plan. */
export type Loop = Unit & { kind: 'loop' };

/** One function's locals and how to push a slot's value (or tangent, or adjoint) at an element. */
export class Frame {
  /** f64 locals: scalars' values; vector op slots' value at the current element. */
  readonly value: number[];
  /** The loop's byte offset of the current element (element i at 8 i). */
  readonly o: number;
  /** An address kept for a load-add-store. */
  readonly q: number;

  constructor(
    readonly c: Context,
    readonly plan: FusionPlan,
    readonly e: Body,
    /** The parameter holding the point's address. */
    readonly point: number,
  ) {
    this.value = this.locals(F64);
    this.o = e.local(I32);
    this.q = e.local(I32);
  }

  get lens(): Int32Array {
    return this.c.tape.slotLens!;
  }

  /** A local of `type` for every slot that is not a constant (-1 for constants). */
  locals(type: typeof F64 | typeof V128): number[] {
    return Array.from({ length: this.c.tape.nSlots }, (_, s) => (this.c.isConst(s) ? -1 : this.e.local(type)));
  }

  isVectorView(s: number): boolean {
    return this.plan.at.has(s) && this.lens[s]! > 1;
  }

  /** Pushes element `lane` (0 or 1 after the current one) of slot s, from `locals` or, for a vector view, from memory at `base`. */
  push(s: number, lane: number, locals: number[] = this.value, base: number = this.point): Push {
    const e = this.e;
    if (this.c.isConst(s)) return () => e.f64(this.c.constant(s));
    if (this.isVectorView(s)) {
      const element = this.plan.at.get(s)! + lane;
      const cached = base === this.point ? this.elements.get(element) : undefined;
      if (cached !== undefined) return () => e.get(cached);
      return () => e.get(base).get(this.o).op(Op.i32Add).load(8 * element);
    }
    return () => e.get(locals[s]!);
  }

  /** The point's elements the current element's steps read, by their offset in the point: locals loaded once. */
  private readonly elements = new Map<number, number>();
  private readonly elementLocals: number[] = [];

  /** Loads every point element that `steps` read at element `lane` into a local, for `push`; until `forget`. */
  loadElements(steps: readonly Step[], lane: number): void {
    this.elements.clear();
    for (const step of steps) {
      for (const s of operandsOf(step)) {
        if (!this.isVectorView(s)) continue;
        const element = this.plan.at.get(s)! + lane;
        if (this.elements.has(element)) continue;
        const local = (this.elementLocals[this.elements.size] ??= this.e.local(F64));
        this.e.get(this.point).get(this.o).op(Op.i32Add).load(8 * element).set(local);
        this.elements.set(element, local);
      }
    }
  }

  forget(): void {
    this.elements.clear();
  }

  /** Loads every scalar view (a scalar variable, a single element) from `base` into `locals`. */
  loadScalarViews(locals: number[], base: number): void {
    for (const [s, at] of this.plan.at) {
      if (this.lens[s] !== 1) continue;
      this.e.get(base).load(8 * at).set(locals[s]!);
    }
  }

  /**
   * for (o = 0; o < 8 (L - L % 2); o += 16) { body(0); body(1) }, then
   * body(0) once more at o = 8 (L - 1) for odd L: the elements in order,
   * even ones in lane 0 and odd ones in lane 1, as the kernel's sums.
   * `pairs` replaces the two bodies (two elements in f64x2 lanes), with
   * code before the loop and after it (before the odd tail).
   */
  loop(
    length: number,
    body: (lane: number) => void,
    pairs?: { before: () => void; body: () => void; after: () => void },
    /** After the two bodies of a pair, and after the odd tail's. */
    done?: () => void,
  ): void {
    const e = this.e;
    e.i32(0).set(this.o);
    pairs?.before();
    e.begin(Op.block).begin(Op.loop);
    e.get(this.o).i32(8 * (length - (length % 2))).op(Op.i32GeU).brIf(1);
    if (pairs) pairs.body();
    else {
      body(0);
      body(1);
    }
    done?.();
    e.get(this.o).i32(16).op(Op.i32Add).set(this.o);
    e.br(0).end().end();
    pairs?.after();
    if (length % 2 === 1) {
      body(0);
      done?.();
    }
  }
}

/** Two f64 locals per sum: its even and odd partial sums. */
export type Partials = Map<number, [number, number]>;

export function partials(e: Body, slots: number[]): Partials {
  return new Map(slots.map((s) => [s, [e.local(F64), e.local(F64)]]));
}

export function zero(e: Body, p: Partials): void {
  for (const [s0, s1] of p.values()) e.f64(0).set(s0).f64(0).set(s1);
}

export const sumsOf = (loop: Loop) => loop.steps.filter((s) => s.kind === 'sum').map((s) => s.dst);

/** Every op of the loop is inline: its elements can go two at a time in f64x2 lanes. */
export const inline = (loop: Loop) => loop.steps.every((s) => s.kind === 'sum' || s.ins.row.wasm?.ev);

/** s = s + (value pushed by `v`). */
export function accumulate(e: Body, s: number, v: Push): void {
  e.get(s);
  v();
  e.op(Op.f64Add).set(s);
}
