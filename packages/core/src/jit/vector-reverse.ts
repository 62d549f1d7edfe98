import type { Push } from '../ops/table.js';
import { F64, I32, Op } from '../wasm/module.js';
import type { Context, Instr } from './codegen.js';
import { deferredLoops } from './deferred.js';
import { operandsOf, type FusionPlan, type Step } from './fusion.js';
import { accumulate, Frame, partials, sumsOf, zero } from './vector-frame.js';
import { forward, scalarStep } from './vector-forward.js';

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
export function emitGradient(c: Context, plan: FusionPlan): void {
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
