import { Body } from '../wasm/module.js';
import type { Context } from './codegen.js';
import { operandsOf, type FusionPlan, type Step, type Unit } from './fusion.js';

type Loop = Unit & { kind: 'loop' };


/**
 * The loops whose forward pass reverse mode can skip, summing them in the
 * backward pass instead (which runs over every element again anyway): those
 * whose sums no other loop reads and no partial derivative of the backward
 * pass needs, directly or through the scalars computed from them. A mean
 * loss, sum(...) / n, is such a loop: the partial of the division by n is
 * 1/n whatever the sum is. f's value is then computed after the backward
 * pass, from the sums it leaves.
 */
export function deferredLoops(c: Context, plan: FusionPlan): Set<Loop> {
  const deferred = new Set<Loop>();
  for (const unit of plan.units) {
    if (unit.kind !== 'loop') continue;
    // The values that depend on this loop's sums, unit by unit after it.
    const dependent = new Set(unit.steps.filter((s) => s.kind === 'sum').map((s) => s.dst));
    let ok = true;
    for (const other of plan.units) {
      if (other.position <= unit.position || !ok) continue;
      const steps = other.kind === 'loop' ? other.steps : [other.step];
      for (const step of steps) {
        const reads = operandsOf(step).some((s) => dependent.has(s));
        if (other.kind === 'loop' && reads) ok = false; // another loop's elements need the value
        if (reads) dependent.add(step.kind === 'sum' ? step.dst : step.ins.dst); // before the partials: they may read y
        if (other.kind === 'scalar' && step.kind === 'op' && partialsRead(c, step).some((s) => dependent.has(s))) ok = false;
      }
    }
    if (ok) deferred.add(unit);
  }
  return deferred;
}

/** The slots whose values the partial derivatives of a scalar step read (recorded by emitting them into a scratch body). */
function partialsRead(c: Context, step: Step & { kind: 'op' }): number[] {
  const { ins } = step;
  const read: number[] = [];
  const scratch = new Body(0);
  const push = (s: number) => () => void read.push(s);
  const parts = ins.row.arity === 1 ? (['d'] as const) : (['da', 'db'] as const);
  for (const part of parts) c.times(scratch, ins, part, push(ins.a), push(ins.b), push(ins.dst), () => {});
  return read;
}
