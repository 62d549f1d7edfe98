import { OPS, isOpName } from '../ops/table.js';
import type { Tape } from '../tape/tape.js';
import { opName, type Instr } from './codegen.js';

/**
 * The plan for compiling a vector-mode tape: its element-wise instructions
 * fused into loops, one pass over the elements per loop instead of one per
 * instruction.
 *
 * A loop is a connected group of element-wise instructions over vectors of
 * one length L and the sums that reduce them; the loop computes each
 * element's chain in locals and keeps two partial sums (even and odd
 * elements, as the kernel's sums do). Scalars (length 1: sums, scalar
 * variables, single elements, constants) are plain locals between loops.
 * Slices are views: an element of a slice of variable v is a load from the
 * point at a fixed offset. Reverse mode recomputes each element's chain in
 * a second pass over the loop and sends its adjoints straight to the
 * variables' gradient and to the scalars' adjoints.
 *
 * The compiled code must give the interpreter's bits. Within one element
 * every operation and its order are the interpreter's; what fusion changes
 * is the order in which a variable element or a scalar receives its adjoint
 * contributions (loop by loop, element by element, instead of instruction
 * by instruction). `planFusion` accepts a tape only when that order is the
 * interpreter's for every adjoint, or differs by the first two terms alone
 * (0 + a + b = 0 + b + a exactly, and a + b = b + a); otherwise, and for slices of computed vectors,
 * empty vectors or unread results, it gives the reason, and the tape stays
 * interpreted.
 */

/** An element-wise instruction or a sum, with its index in the tape. */
export type Step =
  | { kind: 'op'; index: number; ins: Instr }
  | { kind: 'sum'; index: number; dst: number; a: number };

/** A unit of the schedule: one scalar step, or a loop of steps over L elements. */
export type Unit =
  | { kind: 'scalar'; step: Step; position: number }
  | { kind: 'loop'; length: number; steps: Step[]; position: number };

export interface FusionPlan {
  /** The units in forward order (a loop runs where its last step stands in the tape). */
  readonly units: readonly Unit[];
  /** Variables and slices of them: the element offset of their first element in a point. */
  readonly at: ReadonlyMap<number, number>;
  /** The variable each view belongs to. */
  readonly varOf: ReadonlyMap<number, number>;
  /** The element-wise instructions (for the module's imports). */
  readonly instrs: readonly Instr[];
  /** Variables whose adjoints nobody wants (data): no contribution to them is computed. */
  readonly frozen: ReadonlySet<number>;
}

/** A step's operand slots: a sum's one, an op's one or two. */
export const operandsOf = (step: Step): number[] =>
  step.kind === 'sum' ? [step.a] : step.ins.row.arity === 2 ? [step.ins.a, step.ins.b] : [step.ins.a];

const dstOf = (step: Step): number => (step.kind === 'sum' ? step.dst : step.ins.dst);

/** The plan, or why the tape cannot be fused. */
export function planFusion(tape: Tape): FusionPlan | { reason: string } {
  const lens = tape.slotLens;
  if (tape.mode !== 1 || !lens) return { reason: 'not a vector-mode tape' };
  const { nVars } = tape;
  const fixed = nVars + tape.consts.length;
  const isConst = (s: number) => s >= nVars && s < fixed;
  for (let s = 0; s < tape.nSlots; s++) if (lens[s] === 0) return { reason: 'an empty vector' };

  const at = new Map<number, number>();
  const varOf = new Map<number, number>();
  let offset = 0;
  for (let v = 0; v < nVars; v++) {
    at.set(v, offset);
    varOf.set(v, v);
    offset += lens[v]!;
  }

  const steps: Step[] = [];
  const instrs: Instr[] = [];
  for (let i = 0, index = 0; i < tape.code.length; i += 4, index++) {
    const name = opName(tape.code[i]!);
    const [dst, a, b] = [tape.code[i + 1]!, tape.code[i + 2]!, tape.code[i + 3]!];
    if (name === 'slice') {
      const base = at.get(a);
      if (base === undefined) return { reason: 'a slice of a computed vector' };
      at.set(dst, base + b);
      varOf.set(dst, varOf.get(a)!);
    } else if (name === 'sum') {
      steps.push({ kind: 'sum', index, dst, a });
    } else if (name !== undefined && isOpName(name)) {
      const ins: Instr = { name, row: OPS[name], dst, a, b };
      instrs.push(ins);
      steps.push({ kind: 'op', index, ins });
    } else {
      return { reason: `opcode ${tape.code[i]}` };
    }
  }
  const isView = (s: number) => at.has(s);
  const isOpSlot = (s: number) => s >= fixed && !isView(s);

  // Every computed value is read (or is f): the interpreter sends an unread slot's zero adjoint on.
  const read = new Set<number>();
  for (const step of steps) operandsOf(step).forEach((s) => read.add(s));
  for (const step of steps) if (!read.has(dstOf(step)) && dstOf(step) !== tape.result) return { reason: 'an unread result' };

  // Loops: the steps over vectors, joined through the vector values they pass on.
  const producer = new Map<number, number>();
  steps.forEach((step, k) => producer.set(dstOf(step), k));
  const lengthOf = (step: Step) => (step.kind === 'sum' ? lens[step.a]! : lens[step.ins.dst]!);
  const parent = steps.map((_, k) => k);
  const root = (k: number): number => (parent[k] === k ? k : (parent[k] = root(parent[k]!)));
  steps.forEach((step, k) => {
    if (lengthOf(step) === 1) return;
    for (const s of operandsOf(step)) if (lens[s]! > 1 && isOpSlot(s)) parent[root(k)] = root(producer.get(s)!);
  });
  const unitOf: Unit[] = [];
  const loops = new Map<number, Unit & { kind: 'loop' }>();
  const units: Unit[] = [];
  steps.forEach((step, k) => {
    if (lengthOf(step) === 1) {
      const unit: Unit = { kind: 'scalar', step, position: step.index };
      units.push(unit);
      unitOf[k] = unit;
      return;
    }
    let loop = loops.get(root(k));
    if (!loop) {
      loop = { kind: 'loop', length: lengthOf(step), steps: [], position: step.index };
      loops.set(root(k), loop);
      units.push(loop);
    }
    loop.steps.push(step);
    loop.position = step.index;
    unitOf[k] = loop;
  });
  for (const loop of loops.values()) {
    if (loop.steps.some((step) => lengthOf(step) !== loop.length)) return { reason: 'vectors of different lengths in one loop' };
  }
  units.sort((p, q) => p.position - q.position);

  // The schedule: every value a unit reads comes from a unit that runs before it.
  for (const [k, step] of steps.entries()) {
    const unit = unitOf[k]!;
    for (const s of operandsOf(step)) {
      if (!isOpSlot(s)) continue;
      const from = unitOf[producer.get(s)!]!;
      if (from === unit ? lens[s] === 1 : from.position >= unit.position) return { reason: 'a loop that reads its own sum' };
    }
  }

  const frozen = new Set(tape.frozen ?? []);
  const order = adjointOrder(steps, unitOf, tape.result, { isConst, isView, lens, at, varOf, frozen });
  if (order) return { reason: order };
  return { units, at, varOf, instrs, frozen };
}

interface Slots {
  isConst: (s: number) => boolean;
  isView: (s: number) => boolean;
  lens: Int32Array;
  at: ReadonlyMap<number, number>;
  varOf: ReadonlyMap<number, number>;
  frozen: ReadonlySet<number>;
}

/**
 * Whether every adjoint receives its contributions in the interpreter's
 * order (up to the first two): undefined if so, else the reason. The
 * interpreter adds instruction by instruction, last first, operand a before
 * b. The compiled code runs the units last first; within a loop, element
 * after element (so a variable element j gets its contribution through a
 * view that starts k elements into the variable at element j - k: larger k
 * first), each element's steps last first, and the sums of broadcast
 * scalars' contributions after the loop, last step first.
 */
function adjointOrder(steps: Step[], unitOf: Unit[], result: number, s: Slots): string | undefined {
  interface Edge {
    target: string;
    interpreter: number[];
    fused: number[];
  }
  const edges: Edge[] = [];
  steps.forEach((step, k) => {
    const unit = unitOf[k]!;
    operandsOf(step).forEach((slot, operand) => {
      if (s.isConst(slot) || (s.lens[slot]! > 1 && !s.isView(slot))) return; // a vector value inside its loop
      if (s.isView(slot) && s.frozen.has(s.varOf.get(slot)!)) return; // data: no adjoint
      const target = s.isView(slot) ? `v${s.varOf.get(slot)}` : `s${slot}`;
      const perElement = unit.kind === 'loop' && s.lens[slot]! > 1;
      const interpreter = [-step.index, operand];
      const fused =
        unit.kind === 'scalar'
          ? [-unit.position, 0, 0, -step.index, operand]
          : [-unit.position, perElement ? 0 : 1, perElement ? -s.at.get(slot)! : 0, -step.index, operand];
      edges.push({ target, interpreter, fused });
    });
  });
  const lexical = (p: number[], q: number[]) => {
    for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i]! - q[i]!;
    return 0;
  };
  const byTarget = new Map<string, Edge[]>();
  for (const edge of edges) byTarget.set(edge.target, [...(byTarget.get(edge.target) ?? []), edge]);
  for (const [target, list] of byTarget) {
    const interpreter = [...list].sort((p, q) => lexical(p.interpreter, q.interpreter));
    const fused = [...list].sort((p, q) => lexical(p.fused, q.fused));
    // f's adjoint starts at 1, not 0: 1 + a + b is not 1 + b + a.
    const swappable = target !== `s${result}` && !(s.isView(result) && target === `v${s.varOf.get(result)}`);
    if (swappable && fused.length >= 2 && fused[0] === interpreter[1] && fused[1] === interpreter[0]) [fused[0], fused[1]] = [fused[1]!, fused[0]!];
    if (fused.some((edge, i) => edge !== interpreter[i])) {
      return `the adjoint of ${target.startsWith('v') ? 'a variable' : 'a scalar'} would be summed in another order`;
    }
  }
  return undefined;
}
