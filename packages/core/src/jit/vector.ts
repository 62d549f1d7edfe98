import type { Push } from '../ops/table.js';
import type { Tape } from '../tape/tape.js';
import { F64, I32, Op, PairBody, Simd, V128, type Body } from '../wasm/module.js';
import { Context, type Instr } from './codegen.js';
import { deferredLoops } from './deferred.js';
import { planFusion, type FusionPlan, type Step, type Unit } from './fusion.js';

/**
 * A vector-mode tape compiled to three functions over one point (the
 * kernel's vector drivers loop over the points; kernel-as compiled.ts):
 *
 *   eval(point, out)                         out[0] = f
 *   jvp(point, dir, outValue, outTangent)    forward mode along dir (nIn f64)
 *   gradient(point, outValue, outGrad)       reverse mode, added into the zeroed outGrad
 *
 * The tape's loops are fused (jit/fusion.ts): one pass over the elements
 * per loop, each element's chain in locals, two rows of elements at a time
 * in f64x2 lanes where every op of a loop is inline (evaluation). The
 * arithmetic is the interpreter's, element by element; sums keep its even
 * and odd partial sums.
 */

type Loop = Unit & { kind: 'loop' };

const operandsOf = (step: Step): number[] =>
  step.kind === 'sum' ? [step.a] : step.ins.row.arity === 2 ? [step.ins.a, step.ins.b] : [step.ins.a];

/** One function's locals and how to push a slot's value (or tangent, or adjoint) at an element. */
class Frame {
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
type Partials = Map<number, [number, number]>;

function partials(e: Body, slots: number[]): Partials {
  return new Map(slots.map((s) => [s, [e.local(F64), e.local(F64)]]));
}

function zero(e: Body, p: Partials): void {
  for (const [s0, s1] of p.values()) e.f64(0).set(s0).f64(0).set(s1);
}

const sumsOf = (loop: Loop) => loop.steps.filter((s) => s.kind === 'sum').map((s) => s.dst);

/** Every op of the loop is inline: its elements can go two at a time in f64x2 lanes. */
const inline = (loop: Loop) => loop.steps.every((s) => s.kind === 'sum' || s.ins.row.wasm?.ev);

/**
 * The loop's sums into f's values: `sums` partials, then s = s0 + s1 into
 * the sum's local. `tangents`: the same for forward mode.
 */
function forwardLoop(f: Frame, loop: Loop, tangent?: { value: number[]; dir: number }): void {
  const { e, c } = f;
  const sums = partials(e, sumsOf(loop));
  const dots = tangent ? partials(e, sumsOf(loop)) : undefined;
  zero(e, sums);
  if (dots) zero(e, dots);
  const body = (lane: number) => {
    f.loadElements(loop.steps, lane);
    for (const step of loop.steps) {
      if (step.kind === 'sum') {
        accumulate(e, sums.get(step.dst)![lane]!, f.push(step.a, lane));
        if (tangent) accumulate(e, dots!.get(step.dst)![lane]!, f.push(step.a, lane, tangent.value, tangent.dir));
        continue;
      }
      const { ins } = step;
      const [a, b, y] = [f.push(ins.a, lane), f.push(ins.b, lane), f.push(ins.dst, lane)];
      c.value(e, ins, a, b);
      e.set(f.value[ins.dst]!);
      if (tangent) {
        const t = (s: number) => (c.isConst(s) ? undefined : f.push(s, lane, tangent.value, tangent.dir));
        c.tangent(e, ins, a, b, y, t(ins.a), ins.row.arity === 2 ? t(ins.b) : undefined);
        e.set(tangent.value[ins.dst]!);
      }
    }
    f.forget();
  };
  f.loop(loop.length, body, !tangent && inline(loop) ? pairLoop(f, loop, sums) : undefined);
  const close = (p: Partials, locals: number[]) => {
    for (const [s, [s0, s1]] of p) e.get(s0).get(s1).op(Op.f64Add).set(locals[s]!);
  };
  close(sums, f.value);
  if (tangent) close(dots!, tangent.value);
}

/** s = s + (value pushed by `v`). */
function accumulate(e: Body, s: number, v: Push): void {
  e.get(s);
  v();
  e.op(Op.f64Add).set(s);
}

/**
 * Two elements at once, in f64x2 lanes: each sum's partials in one v128
 * (lane 0 the even elements, lane 1 the odd ones), taken apart into the
 * f64 partials after the loop, where the odd tail adds its element to lane 0.
 */
function pairLoop(f: Frame, loop: Loop, sums: Partials) {
  const { e, c } = f;
  const lanes = new PairBody(e);
  const v = f.locals(V128);
  const push = (s: number): Push => {
    if (c.isConst(s)) return () => lanes.f64(c.constant(s));
    if (f.isVectorView(s)) return () => e.get(f.point).get(f.o).op(Op.i32Add).simd(Simd.v128Load, 8 * f.plan.at.get(s)!);
    if (f.lens[s] === 1) return () => e.get(f.value[s]!).simd(Simd.f64x2Splat);
    return () => e.get(v[s]!);
  };
  return {
    before: () => {
      for (const s of sums.keys()) e.f64(0).simd(Simd.f64x2Splat).set(v[s]!);
    },
    body: () => {
      for (const step of loop.steps) {
        if (step.kind === 'sum') {
          e.get(v[step.dst]!);
          push(step.a)();
          e.simd(Simd.f64x2Add).set(v[step.dst]!);
          continue;
        }
        step.ins.row.wasm!.ev!(lanes, push(step.ins.a), push(step.ins.b));
        e.set(v[step.ins.dst]!);
      }
    },
    after: () => {
      for (const [s, [s0, s1]] of sums) {
        e.get(v[s]!).lane(Simd.f64x2ExtractLane, 0).set(s0);
        e.get(v[s]!).lane(Simd.f64x2ExtractLane, 1).set(s1);
      }
    },
  };
}

/** A scalar step's value (and tangent): y = op(a, b), or a sum of one element, (0 + a) + 0 as the kernel's. */
function scalarStep(f: Frame, step: Step, tangent?: { value: number[]; dir: number }): void {
  const { e, c } = f;
  const t = (s: number) => (c.isConst(s) ? undefined : f.push(s, 0, tangent!.value, tangent!.dir));
  if (step.kind === 'sum') {
    const one = (v: Push, into: number) => {
      e.f64(0);
      v();
      e.op(Op.f64Add).f64(0).op(Op.f64Add).set(into);
    };
    one(f.push(step.a, 0), f.value[step.dst]!);
    if (tangent) one(t(step.a) ?? (() => e.f64(0)), tangent.value[step.dst]!);
    return;
  }
  const { ins } = step;
  const [a, b, y] = [f.push(ins.a, 0), f.push(ins.b, 0), f.push(ins.dst, 0)];
  c.value(e, ins, a, b);
  e.set(f.value[ins.dst]!);
  if (tangent) {
    c.tangent(e, ins, a, b, y, t(ins.a), ins.row.arity === 2 ? t(ins.b) : undefined);
    e.set(tangent.value[ins.dst]!);
  }
}

/** The units in order: every scalar and every sum of f (and their tangents); `skip`: loops left to the backward pass. */
function forward(f: Frame, tangent?: { value: number[]; dir: number }, skip?: ReadonlySet<Loop>): void {
  for (const unit of f.plan.units) {
    if (unit.kind === 'scalar') scalarStep(f, unit.step, tangent);
    else if (!skip?.has(unit)) forwardLoop(f, unit, tangent);
  }
}

function emitEval(c: Context, plan: FusionPlan): void {
  const e = c.m.function([I32, I32], [], 'eval');
  const f = new Frame(c, plan, e, 0);
  f.loadScalarViews(f.value, 0);
  forward(f);
  e.get(1);
  f.push(c.tape.result, 0)();
  e.store();
}

function emitJvp(c: Context, plan: FusionPlan): void {
  const e = c.m.function([I32, I32, I32, I32], [], 'jvp');
  const f = new Frame(c, plan, e, 0);
  const tangent = { value: f.locals(F64), dir: 1 };
  f.loadScalarViews(f.value, 0);
  f.loadScalarViews(tangent.value, 1);
  forward(f, tangent);
  e.get(2);
  f.push(c.tape.result, 0)();
  e.store();
  e.get(3);
  (c.isConst(c.tape.result) ? () => e.f64(0) : f.push(c.tape.result, 0, tangent.value, 1))();
  e.store();
}

/**
 * Reverse mode. After the forward pass, the units last first: a scalar
 * step sends partial * ȳ to its operands; a loop runs over its elements
 * again, recomputing each element's chain, then its steps last first: a
 * vector value's adjoint in a local (its first contribution stored, later
 * ones added, as the interpreter's plan), a variable's element added into
 * outGrad, a broadcast scalar's contributions summed in two partials and
 * added to the scalar's adjoint after the loop. A scalar's adjoint is a
 * local (f's starts at 1, any other at its first contribution) or, for a
 * scalar variable or element, outGrad itself.
 */
function emitGradient(c: Context, plan: FusionPlan): void {
  const e = c.m.function([I32, I32, I32], [], 'gradient');
  const G = 2;
  const f = new Frame(c, plan, e, 0);
  const adjoint = f.locals(F64);
  const lens = f.lens;
  const { result } = c.tape;
  f.loadScalarViews(f.value, 0);
  const deferred = deferredLoops(c, plan);
  forward(f, undefined, deferred);

  const assigned = new Set<number>();
  if (plan.at.has(result)) e.get(G).f64(1).store(8 * plan.at.get(result)!);
  else if (!c.isConst(result)) {
    e.f64(1).set(adjoint[result]!);
    assigned.add(result);
  }
  /** A local adjoint: its first contribution (none in `seen` yet) stored, later ones added. */
  const adjointOf = (seen: Set<number>, s: number, v: Push) => {
    const first = !seen.has(s);
    if (!first) e.get(adjoint[s]!);
    v();
    if (!first) e.op(Op.f64Add);
    e.set(adjoint[s]!);
    seen.add(s);
  };
  /** target (+)= the value `v` pushes, at element `lane` for a vector target. */
  const contribute = (target: number, lane: number, v: Push) => {
    if (plan.at.has(target)) {
      // outGrad[at (+ o)] += v
      const offset = 8 * (plan.at.get(target)! + (lens[target]! > 1 ? lane : 0));
      e.get(G);
      if (lens[target]! > 1) e.get(f.o).op(Op.i32Add);
      e.tee(f.q).get(f.q).load(offset);
      v();
      e.op(Op.f64Add).store(offset);
      return;
    }
    adjointOf(assigned, target, v);
  };
  const bar = (s: number): Push => () => e.get(adjoint[s]!);
  /** Whether s gets adjoints: not a constant, not data (a frozen variable or a view of one). */
  const wanted = (s: number) => !c.isConst(s) && !(plan.at.has(s) && plan.frozen.has(plan.varOf.get(s)!));
  const partOf = (ins: Instr, k: number) => (ins.row.arity === 1 ? 'd' : k === 0 ? 'da' : 'db');
  /** Each non-constant operand's contribution, a before b, to `send`. */
  const sendAll = (step: Step, lane: number, send: (operand: number, k: number, v: Push) => void) => {
    if (step.kind === 'sum') {
      if (wanted(step.a)) send(step.a, 0, bar(step.dst));
      return;
    }
    const { ins } = step;
    operandsOf(step).forEach((s, k) => {
      if (!wanted(s)) return;
      send(s, k, () => c.times(e, ins, partOf(ins, k), f.push(ins.a, lane), f.push(ins.b, lane), f.push(ins.dst, lane), bar(ins.dst)));
    });
  };

  const units = [...plan.units].reverse();
  for (const unit of units) {
    if (unit.kind === 'scalar') {
      sendAll(unit.step, 0, (s, _k, v) => contribute(s, 0, v));
      continue;
    }
    // Broadcast scalars' partial sums, one pair per (step, operand), in the order they are sent.
    const backward = [...unit.steps].reverse();
    const broadcast = new Map<string, { target: number; partials: [number, number] }>();
    for (const step of backward) {
      operandsOf(step).forEach((s, k) => {
        if (wanted(s) && lens[s] === 1) broadcast.set(`${step.index}:${k}`, { target: s, partials: [e.local(F64), e.local(F64)] });
      });
    }
    for (const { partials: [s0, s1] } of broadcast.values()) e.f64(0).set(s0).f64(0).set(s1);
    const elementAdjoints: number[] = [];
    // A deferred loop sums here what its forward pass would have: the same elements, lanes and order.
    const sums = deferred.has(unit) ? partials(e, sumsOf(unit)) : undefined;
    if (sums) zero(e, sums);
    const body = (lane: number) => {
      f.loadElements(unit.steps, lane);
      for (const step of unit.steps) {
        if (step.kind === 'sum') {
          if (sums) accumulate(e, sums.get(step.dst)![lane]!, f.push(step.a, lane));
          continue;
        }
        c.value(e, step.ins, f.push(step.ins.a, lane), f.push(step.ins.b, lane));
        e.set(f.value[step.ins.dst]!);
      }
      const inLoop = new Set<number>();
      for (const step of backward) {
        sendAll(step, lane, (s, k, v) => {
          if (lens[s] === 1) {
            accumulate(e, broadcast.get(`${step.index}:${k}`)!.partials[lane]!, v);
          } else if (plan.at.has(s)) {
            const element = plan.at.get(s)! + lane;
            let local = touched.get(element);
            if (local === undefined) {
              local = (elementAdjoints[touched.size] ??= e.local(F64));
              touched.set(element, local);
              e.get(G).get(f.o).op(Op.i32Add).load(8 * element);
            } else e.get(local);
            v();
            e.op(Op.f64Add).set(local);
          } else {
            adjointOf(inLoop, s, v);
          }
        });
      }
      f.forget();
    };
    // A variable element's running adjoint stays in a local through both elements of a pair
    // (x[i+1] gets a term at element i through x[1:] and at element i + 1 through x), stored
    // once after them: the same additions in the same order as a store and a load each time.
    const touched = new Map<number, number>();
    const flush = () => {
      for (const [element, local] of touched) e.get(G).get(f.o).op(Op.i32Add).get(local).store(8 * element);
      touched.clear();
    };
    f.loop(unit.length, body, undefined, flush);
    for (const { target, partials: [s0, s1] } of broadcast.values()) contribute(target, 0, () => e.get(s0).get(s1).op(Op.f64Add));
    if (sums) for (const [s, [s0, s1]] of sums) e.get(s0).get(s1).op(Op.f64Add).set(f.value[s]!);
  }
  // f from the sums: the scalars again, now that every loop has summed.
  if (deferred.size > 0) for (const unit of plan.units) if (unit.kind === 'scalar') scalarStep(f, unit.step);
  e.get(1);
  f.push(result, 0)();
  e.store();
}

/** The module (eval, jvp, gradient) of a vector-mode tape, or why it stays interpreted. */
export function compileVectorModule(tape: Tape): { bytes: Uint8Array<ArrayBuffer> } | { reason: string } {
  const plan = planFusion(tape);
  if ('reason' in plan) return plan;
  const c = new Context(tape, [...plan.instrs]);
  emitEval(c, plan);
  emitJvp(c, plan);
  emitGradient(c, plan);
  return { bytes: c.m.bytes() };
}
