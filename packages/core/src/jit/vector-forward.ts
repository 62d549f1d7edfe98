import type { Push } from '../ops/table.js';
import { Op, PairBody, Simd, V128 } from '../wasm/module.js';
import type { Step } from './fusion.js';
import { accumulate, Frame, inline, partials, sumsOf, zero, type Loop, type Partials } from './vector-frame.js';

/** The forward passes of a compiled vector function: loops summing their elements (and tangents), scalar steps between them. */

/** Tangent locals and the direction's address (forward mode). */
export type Tangent = { value: number[]; dir: number };

/**
 * The loop's sums into f's values: `sums` partials, then s = s0 + s1 into
 * the sum's local. `tangents`: the same for forward mode.
 */
export function forwardLoop(f: Frame, loop: Loop, tangent?: Tangent): void {
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
export function scalarStep(f: Frame, step: Step, tangent?: Tangent): void {
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
export function forward(f: Frame, tangent?: Tangent, skip?: ReadonlySet<Loop>): void {
  for (const unit of f.plan.units) {
    if (unit.kind === 'scalar') scalarStep(f, unit.step, tangent);
    else if (!skip?.has(unit)) forwardLoop(f, unit, tangent);
  }
}
