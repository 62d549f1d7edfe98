import { opcodes, vectorOpcodes } from '@nudge/kernel-as';
import { OPS, isOpName, type OpRow, type Push, type WasmPartial } from '../ops/table.js';
import type { Tape } from '../tape/tape.js';
import { F64, I32, ModuleBuilder, Op, PairBody, Simd, V128, type Body } from '../wasm/module.js';

/**
 * A batch-mode tape compiled to a WebAssembly module of three functions,
 * straight-line code per row in f64 locals (no dispatch), that the kernel's
 * loops call through its function table:
 *
 *   eval(points, stride, n, out)                          out[r] = f(row r)
 *   jvp(points, stride, n, dir, outValue, outTangent)     forward mode along dir
 *   gradient(points, stride, n, outValue, outGrad)        reverse mode, outGrad[r * nVars + v]
 *
 * Points are columns: coordinate v of row r at points + (v * stride + r) * 8.
 * The rules are the op table's (`wasm` in ops/table.ts) or calls into the
 * kernel's own rows (imported as kernel.op_<name>_ev, _d, _da, _db,
 * op_pow_jvp), and every sweep mirrors the interpreter's arithmetic (the
 * same products and sums, in the same order; constants' tangents and
 * adjoints are structural zeros; an op slot's first adjoint contribution in
 * the backward sweep is stored, later ones added; the variables' adjoints
 * start at 0), so compiled and interpreted results agree to the bit.
 */

export const KERNEL_MODULE = 'kernel';

const NAME_OF = new Map<number, string>(opcodes.map((o) => [o.code, o.name]));

/** The kernel's export that holds rule `part` of op `name`. */
export const kernelRowExport = (name: string, part: 'ev' | 'd' | 'da' | 'db' | 'jvp') => `op_${name}_${part}`;

/** One element-wise instruction of a tape, with its op table row. */
export interface Instr {
  name: string;
  row: OpRow;
  dst: number;
  a: number;
  b: number;
}

/** The tape's instructions with their rows (batch mode: every op element-wise). */
function instructions(tape: Tape): Instr[] {
  const out: Instr[] = [];
  for (let i = 0; i < tape.code.length; i += 4) {
    const name = NAME_OF.get(tape.code[i]!);
    if (name === undefined || !isOpName(name)) throw new Error(`internal: opcode ${tape.code[i]} cannot be compiled`);
    out.push({ name, row: OPS[name], dst: tape.code[i + 1]!, a: tape.code[i + 2]!, b: tape.code[i + 3]! });
  }
  return out;
}

/** The op table's name of an opcode (element-wise ops), or the vector op's ('sum', 'slice'). */
const ALL_NAMES = new Map<number, string>([...opcodes, ...vectorOpcodes].map((o) => [o.code, o.name]));
export const opName = (code: number): string | undefined => ALL_NAMES.get(code);

/** What every function of a module shares: the module, the slots' kinds, imported row functions. */
export class Context {
  readonly m = new ModuleBuilder();
  private readonly imported = new Map<string, number>();

  /** `instrs`: the element-wise instructions the module's code computes (every one, by default). */
  constructor(readonly tape: Tape, readonly instrs: Instr[] = instructions(tape)) {
    this.m.importMemory('env', 'memory');
    // Imports come first in a module: declare every row function the sweeps may call.
    for (const ins of this.instrs) {
      const w = ins.row.wasm;
      const k = ins.row.arity;
      if (!w?.ev) this.need(ins.name, 'ev', k);
      if (k === 1 && typeof w?.d !== 'number' && !w?.d) this.need(ins.name, 'd', 2);
      if (k === 2) {
        if (w?.da === undefined) this.need(ins.name, 'da', 3);
        if (w?.db === undefined) this.need(ins.name, 'db', 3);
        if (ins.name === 'pow') this.need('pow', 'jvp', 5);
      }
    }
  }

  private need(name: string, part: 'ev' | 'd' | 'da' | 'db' | 'jvp', params: number): void {
    const key = kernelRowExport(name, part);
    if (!this.imported.has(key)) this.imported.set(key, this.m.importFunction(KERNEL_MODULE, key, Array<typeof F64>(params).fill(F64), [F64]));
  }

  fn(name: string, part: 'ev' | 'd' | 'da' | 'db' | 'jvp'): number {
    return this.imported.get(kernelRowExport(name, part))!;
  }

  isConst(s: number): boolean {
    return s >= this.tape.nVars && s < this.tape.nVars + this.tape.consts.length;
  }

  constant(s: number): number {
    return this.tape.consts[s - this.tape.nVars]!;
  }

  /** Pushes y = op(a, b): the row's inline rule, or a call of the kernel's row. */
  value(e: Body, ins: Instr, a: Push, b: Push): void {
    if (ins.row.wasm?.ev) ins.row.wasm.ev(e, a, b);
    else {
      a();
      if (ins.row.arity === 2) b();
      e.call(this.fn(ins.name, 'ev'));
    }
  }

  /**
   * Pushes partial * t (t pushed by `t`), as the interpreter's `d * t`;
   * x * 1 and x * -1 are exact, so no product then. a, b, y push the
   * instruction's operands and result.
   */
  times(e: Body, ins: Instr, part: 'd' | 'da' | 'db', a: Push, b: Push, y: Push, t: Push): void {
    const rule: WasmPartial | undefined = ins.row.wasm?.[part];
    if (typeof rule === 'number') {
      if (rule === 1) t();
      else if (rule === -1) {
        t();
        e.op(Op.f64Neg);
      } else {
        e.f64(rule);
        t();
        e.op(Op.f64Mul);
      }
      return;
    }
    if (rule) rule(e, a, b, y);
    else {
      a();
      if (ins.row.arity === 2) b();
      y();
      e.call(this.fn(ins.name, part));
    }
    t();
    e.op(Op.f64Mul);
  }

  /**
   * Pushes the tangent of y = op(a, b) from the operands' tangents ta, tb
   * (undefined: a constant operand, whose term is dropped), as the
   * interpreter's forward mode: d ȧ for unary ops; da ȧ + db ḃ, or pow's own
   * JVP row, for binary ones; 0 when both operands are constants.
   */
  tangent(e: Body, ins: Instr, a: Push, b: Push, y: Push, ta: Push | undefined, tb: Push | undefined): void {
    if (ins.row.arity === 1) {
      // ẏ = d ȧ (ȧ = 0 for a constant operand, as the interpreter's zeroed column)
      this.times(e, ins, 'd', a, b, y, ta ?? (() => e.f64(0)));
    } else if (!ta && !tb) {
      e.f64(0);
    } else if (ins.name === 'pow') {
      // The row's own JVP, the terms of constant operands passed as 0.
      a();
      b();
      y();
      (ta ?? (() => e.f64(0)))();
      (tb ?? (() => e.f64(0)))();
      e.call(this.fn('pow', 'jvp'));
    } else {
      if (ta) this.times(e, ins, 'da', a, b, y, ta);
      if (tb) this.times(e, ins, 'db', a, b, y, tb);
      if (ta && tb) e.op(Op.f64Add);
    }
  }
}

/** One function's slots: a local per variable and op slot (values, and tangents or adjoints). */
class Slots {
  readonly value: number[];

  constructor(private readonly c: Context, private readonly e: Body) {
    this.value = Array.from({ length: c.tape.nSlots }, (_, s) => (c.isConst(s) ? -1 : e.local(F64)));
  }

  push(s: number): Push {
    return () => (this.c.isConst(s) ? this.e.f64(this.c.constant(s)) : this.e.get(this.value[s]!));
  }

  /** y = op(a, b) into dst's local. */
  evaluate(ins: Instr): void {
    this.c.value(this.e, ins, this.push(ins.a), this.push(ins.b));
    this.e.set(this.value[ins.dst]!);
  }

  /** Pushes partial * t, see Context.times. */
  times(ins: Instr, part: 'd' | 'da' | 'db', t: Push): void {
    this.c.times(this.e, ins, part, this.push(ins.a), this.push(ins.b), this.push(ins.dst), t);
  }
}

/** The loop over rows shared by the three functions: cursors over the points and the outputs. */
class RowLoop {
  readonly p: number;
  readonly q: number;
  readonly sb: number;
  readonly end: number;
  readonly cursors: number[];

  /**
   * `outputs`: [parameter, bytes per row] of each output; the loop ends when
   * the first output's cursor has advanced n rows.
   */
  constructor(
    private readonly e: Body,
    points: number,
    stride: number,
    n: number,
    private readonly outputs: [param: number, step: number][],
    before?: (loop: RowLoop) => void,
  ) {
    this.p = e.local(I32);
    this.q = e.local(I32);
    this.sb = e.local(I32);
    this.end = e.local(I32);
    this.cursors = outputs.map(() => e.local(I32));
    e.get(stride).i32(3).op(Op.i32Shl).set(this.sb);
    e.get(points).set(this.p);
    outputs.forEach(([param], k) => e.get(param).set(this.cursors[k]!));
    e.get(this.cursors[0]!).get(n).i32(outputs[0]![1]).op(Op.i32Mul).op(Op.i32Add).set(this.end);
    before?.(this);
    e.begin(Op.block).begin(Op.loop);
    e.get(this.cursors[0]!).get(this.end).op(Op.i32GeU).brIf(1);
  }

  /** Loads the row's variables into their locals: x_v = f64.load(p + v * sb). */
  loadVariables(slots: Slots, nVars: number): void {
    const e = this.e;
    for (let v = 0; v < nVars; v++) {
      if (v === 0) e.get(this.p);
      else e.get(v === 1 ? this.p : this.q).get(this.sb).op(Op.i32Add).tee(this.q);
      e.load().set(slots.value[v]!);
    }
  }

  /** Advances every cursor by one row and closes the loop. */
  close(): void {
    const e = this.e;
    e.get(this.p).i32(8).op(Op.i32Add).set(this.p);
    this.outputs.forEach(([, step], k) => e.get(this.cursors[k]!).i32(step).op(Op.i32Add).set(this.cursors[k]!));
    e.br(0).end().end();
  }
}

/**
 * Two rows at a time in f64x2 lanes, for a tape whose every op is inline:
 * the same IEEE operations lane by lane, so the same bits; advances the row
 * loop's cursors, whose scalar loop then does the last odd row.
 */
function evalPairs(e: Body, c: Context, loop: RowLoop): void {
  const lanes = new PairBody(e);
  const v = Array.from({ length: c.tape.nSlots }, (_, s) => (c.isConst(s) ? -1 : e.local(V128)));
  const push = (s: number) => () => (c.isConst(s) ? lanes.f64(c.constant(s)) : e.get(v[s]!));
  const o = loop.cursors[0]!;
  e.begin(Op.block).begin(Op.loop);
  // Two rows left at least: end - o >= 16.
  e.get(loop.end).get(o).op(Op.i32Sub).i32(16).op(Op.i32LtS).brIf(1);
  for (let k = 0; k < c.tape.nVars; k++) {
    if (k === 0) e.get(loop.p);
    else e.get(k === 1 ? loop.p : loop.q).get(loop.sb).op(Op.i32Add).tee(loop.q);
    e.simd(Simd.v128Load, 0).set(v[k]!);
  }
  for (const ins of c.instrs) {
    ins.row.wasm!.ev!(lanes, push(ins.a), push(ins.b));
    e.set(v[ins.dst]!);
  }
  e.get(o);
  push(c.tape.result)();
  e.simd(Simd.v128Store, 0);
  e.get(loop.p).i32(16).op(Op.i32Add).set(loop.p);
  e.get(o).i32(16).op(Op.i32Add).set(o);
  e.br(0).end().end();
}

function emitEval(c: Context): void {
  const e = c.m.function([I32, I32, I32, I32], [], 'eval');
  const slots = new Slots(c, e);
  const allInline = c.instrs.every((ins) => ins.row.wasm?.ev);
  const loop = new RowLoop(e, 0, 1, 2, [[3, 8]], allInline ? (l) => evalPairs(e, c, l) : undefined);
  loop.loadVariables(slots, c.tape.nVars);
  for (const ins of c.instrs) slots.evaluate(ins);
  e.get(loop.cursors[0]!);
  slots.push(c.tape.result)();
  e.store();
  loop.close();
}

function emitJvp(c: Context): void {
  const e = c.m.function([I32, I32, I32, I32, I32, I32], [], 'jvp');
  const slots = new Slots(c, e);
  // Tangents: the variables' from dir (the same for every row), the op slots' computed; constants' are structural zeros.
  const tangent = Array.from({ length: c.tape.nSlots }, (_, s) => (c.isConst(s) ? -1 : e.local(F64)));
  for (let v = 0; v < c.tape.nVars; v++) e.get(3).load(v * 8).set(tangent[v]!);
  const dot = (s: number): Push => () => (c.isConst(s) ? e.f64(0) : e.get(tangent[s]!));
  const loop = new RowLoop(e, 0, 1, 2, [[4, 8], [5, 8]]);
  loop.loadVariables(slots, c.tape.nVars);
  for (const ins of c.instrs) {
    slots.evaluate(ins);
    const na = !c.isConst(ins.a);
    const nb = ins.row.arity === 2 && !c.isConst(ins.b);
    c.tangent(e, ins, slots.push(ins.a), slots.push(ins.b), slots.push(ins.dst), na ? dot(ins.a) : undefined, nb ? dot(ins.b) : undefined);
    e.set(tangent[ins.dst]!);
  }
  e.get(loop.cursors[0]!);
  slots.push(c.tape.result)();
  e.store();
  e.get(loop.cursors[1]!);
  dot(c.tape.result)();
  e.store();
  loop.close();
}

function emitGradient(c: Context): void {
  const { nVars, result } = c.tape;
  const e = c.m.function([I32, I32, I32, I32, I32], [], 'gradient');
  const slots = new Slots(c, e);
  const adjoint = Array.from({ length: c.tape.nSlots }, (_, s) => (c.isConst(s) ? -1 : e.local(F64)));
  const loop = new RowLoop(e, 0, 1, 2, [[3, 8], [4, 8 * nVars]]);
  loop.loadVariables(slots, nVars);
  for (const ins of c.instrs) slots.evaluate(ins);
  // The adjoint plan, as the interpreter's: the variables', the result's and
  // unread slots' adjoints start at 0 and accumulate; any other op slot's
  // first contribution (its last reader's, the first the backward sweep
  // reaches) is stored.
  const read = new Set<number>();
  for (const ins of c.instrs) {
    read.add(ins.a);
    if (ins.row.arity === 2) read.add(ins.b);
  }
  const assigned = new Set<number>();
  for (let s = 0; s < c.tape.nSlots; s++) {
    if (c.isConst(s)) continue;
    if (s < nVars || s === result || !read.has(s)) {
      e.f64(0).set(adjoint[s]!);
      assigned.add(s);
    }
  }
  if (!c.isConst(result)) e.f64(1).set(adjoint[result]!);
  const bar = (s: number): Push => () => e.get(adjoint[s]!);
  const contribute = (ins: Instr, operand: number, part: 'd' | 'da' | 'db') => {
    const first = !assigned.has(operand);
    if (!first) e.get(adjoint[operand]!);
    slots.times(ins, part, bar(ins.dst));
    if (!first) e.op(Op.f64Add);
    e.set(adjoint[operand]!);
    assigned.add(operand);
  };
  for (let i = c.instrs.length - 1; i >= 0; i--) {
    const ins = c.instrs[i]!;
    const na = !c.isConst(ins.a);
    if (ins.row.arity === 1) {
      if (na) contribute(ins, ins.a, 'd');
      continue;
    }
    const nb = !c.isConst(ins.b);
    if (na) contribute(ins, ins.a, 'da');
    if (nb) contribute(ins, ins.b, 'db');
  }
  e.get(loop.cursors[0]!);
  slots.push(result)();
  e.store();
  for (let v = 0; v < nVars; v++) {
    e.get(loop.cursors[1]!);
    e.get(adjoint[v]!);
    e.store(v * 8);
  }
  loop.close();
}

/** A compiled tape: the module's bytes, and whether its code pays over large batches too. */
export interface TapeModule {
  bytes: Uint8Array<ArrayBuffer>;
  /**
   * False when each row would make many calls into the kernel (ops without an
   * inline rule) against its inline arithmetic: the interpreter's loop over a
   * batch is faster then, so the code is for a few rows only (one point, a
   * descent step).
   */
  batches: boolean;
}

/** The module (eval, jvp and gradient) of a batch-mode tape without slot reuse. */
export function compileTapeModule(tape: Tape): TapeModule {
  if (tape.mode !== 0) throw new Error('internal: only batch-mode tapes are compiled');
  const c = new Context(tape);
  emitEval(c);
  emitJvp(c);
  emitGradient(c);
  const calls = c.instrs.filter((ins) => !ins.row.wasm?.ev).length;
  return { bytes: c.m.bytes(), batches: calls * 8 < c.instrs.length - calls };
}
