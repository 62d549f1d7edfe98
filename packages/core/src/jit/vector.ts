import type { Tape } from '../tape/tape.js';
import { F64, I32 } from '../wasm/module.js';
import { Context } from './codegen.js';
import { planFusion, type FusionPlan } from './fusion.js';
import { Frame } from './vector-frame.js';
import { forward } from './vector-forward.js';
import { emitGradient } from './vector-reverse.js';

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
