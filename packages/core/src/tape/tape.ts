import { opcodes, vectorOpcodes } from '@nudge/kernel-as';
import { type IrNode } from '../ir/node.js';

/**
 * A tape: the IR flattened to a straight-line program for the kernel.
 * Slots 0..nVars-1 hold the variables, the next consts.length slots the
 * constants, the rest the results of instructions; `code` holds four i32 per
 * instruction, [opcode, dst, a, b].
 *
 * Batch mode (mode 0, scalar functions): every slot is a column of rows, and
 * result slots are reused once their value is dead (evaluation tapes), so the
 * working set stays in cache. Tapes for automatic differentiation give every
 * instruction its own slot: the backward sweep needs every value.
 *
 * Vector mode (mode 1, functions with vector variables): one point per pass,
 * `slotLens` gives each slot's element count, a `slice` instruction's b is
 * its first element (an immediate, not a slot) and its slot is a view of the
 * source. Vector tapes are short and never reuse slots.
 */
export interface Tape {
  readonly mode: 0 | 1;
  readonly nVars: number;
  /** Inputs per point: nVars in batch mode, the total element count in vector mode. */
  readonly nIn: number;
  readonly consts: Float64Array;
  readonly code: Int32Array;
  readonly nSlots: number;
  /** The slot that holds f after the tape runs. */
  readonly result: number;
  /** Vector mode: elements of each slot. */
  readonly slotLens: Int32Array | undefined;
  /** The variables (slots) whose adjoints nobody wants (`Input.frozen`). */
  readonly frozen?: readonly number[];
}

/** A variable of the function: a scalar (length 1) or a vector. */
export interface Input {
  readonly name: string;
  readonly length: number;
  readonly vector: boolean;
  /**
   * Data, not a parameter: nobody wants f's gradient with respect to it
   * (a training batch's columns). Compiled vector code skips its adjoints
   * and leaves its part of the gradient 0; the interpreter computes it.
   */
  readonly frozen?: boolean;
}

const OPCODE: ReadonlyMap<string, number> = new Map([...opcodes, ...vectorOpcodes].map((o) => [o.name, o.code]));

export function opcodeOf(op: string): number {
  const code = OPCODE.get(op);
  if (code === undefined) throw new Error(`internal: the kernel has no opcode for '${op}'`);
  return code;
}

interface Instruction {
  op: string;
  a: number;
  /** A value number, or an immediate (slice start) when `immediate`. */
  b: number;
  immediate: boolean;
  length: number;
}

const NONE = -0x7fffffff;
const CONST_BASE = 1_000_000_000;

export interface TapeOptions {
  /** Reuse dead result slots (evaluation tapes). Default true. */
  reuse?: boolean;
}

export function compileTape(root: IrNode, inputs: readonly Input[], options: TapeOptions = {}): Tape {
  const vectorMode = inputs.some((i) => i.vector);
  const varIndex = new Map(inputs.map((input, i) => [input.name, i]));
  const constValues: number[] = [];
  const constIndex = new Map<number, number>();
  const instructions: Instruction[] = [];
  const valueOfNode = new Map<number, number>();

  // Temps are negative value numbers: -1 is instruction 0.
  const emit = (op: string, a: number, b: number, length: number, immediate = false): number => {
    instructions.push({ op, a, b, immediate, length });
    return -instructions.length;
  };
  const lengthOf = (v: number): number => (v < 0 ? instructions[-v - 1]!.length : v >= CONST_BASE ? 1 : inputs[v]!.length);

  const value = (node: IrNode): number => {
    const known = valueOfNode.get(node.id);
    if (known !== undefined) return known;
    let v: number;
    switch (node.op) {
      case 'var':
      case 'vvar': {
        const index = varIndex.get(node.name);
        if (index === undefined) throw new Error(`internal: variable '${node.name}' is not in the variable list`);
        v = index;
        break;
      }
      case 'const': {
        let index = constIndex.get(node.id);
        if (index === undefined) {
          index = constValues.length;
          constValues.push(node.value);
          constIndex.set(node.id, index);
        }
        v = CONST_BASE + index;
        break;
      }
      case 'slice':
        v = emit('slice', value(node.args[0]!), node.start, node.length, true);
        break;
      case 'sum':
        v = emit('sum', value(node.args[0]!), NONE, 1);
        break;
      case 'add': {
        // a + neg(b) runs as a - b: one op, and one rounding, as typed.
        v = value(node.args[0]!);
        for (const term of node.args.slice(1)) {
          const b = term.op === 'neg' ? value(term.args[0]!) : value(term);
          v = emit(term.op === 'neg' ? 'sub' : 'add', v, b, Math.max(lengthOf(v), lengthOf(b)));
        }
        break;
      }
      case 'mul': {
        // a * recip(b) runs as a / b.
        v = value(node.args[0]!);
        for (const factor of node.args.slice(1)) {
          const b = factor.op === 'recip' ? value(factor.args[0]!) : value(factor);
          v = emit(factor.op === 'recip' ? 'div' : 'mul', v, b, Math.max(lengthOf(v), lengthOf(b)));
        }
        break;
      }
      case 'pow': {
        const [base, exponent] = node.args as [IrNode, IrNode];
        // x^2 as x*x: correctly rounded, and no call to pow.
        if (exponent.op === 'const' && exponent.value === 2) v = emit('square', value(base), NONE, node.length);
        else if (exponent.op === 'const' && exponent.value === -1) v = emit('recip', value(base), NONE, node.length);
        else v = emit('pow', value(base), value(exponent), node.length);
        break;
      }
      default:
        v = node.args.length === 1
          ? emit(node.op, value(node.args[0]!), NONE, node.length)
          : emit(node.op, value(node.args[0]!), value(node.args[1]!), node.length);
    }
    valueOfNode.set(node.id, v);
    return v;
  };

  const rootValue = value(root);
  return allocateSlots(instructions, rootValue, inputs, constValues, vectorMode, (options.reuse ?? true) && !vectorMode);
}

/** Slot assignment; with `reuse`, a temp's slot is free again after its last use. */
function allocateSlots(instructions: Instruction[], rootValue: number, inputs: readonly Input[], constValues: number[], vectorMode: boolean, reuse: boolean): Tape {
  const nVars = inputs.length;
  const fixed = (v: number): number => (v >= CONST_BASE ? nVars + (v - CONST_BASE) : v);
  const isTemp = (v: number, immediate = false): boolean => !immediate && v < 0 && v !== NONE;
  const lastUse = new Int32Array(instructions.length).fill(-1);
  instructions.forEach((ins, i) => {
    if (isTemp(ins.a)) lastUse[-ins.a - 1] = i;
    if (isTemp(ins.b, ins.immediate)) lastUse[-ins.b - 1] = i;
  });
  if (rootValue < 0) lastUse[-rootValue - 1] = instructions.length; // the result stays live to the end

  const firstTemp = nVars + constValues.length;
  const free: number[] = [];
  let nSlots = firstTemp;
  const slotOfTemp = new Int32Array(instructions.length);
  const code = new Int32Array(instructions.length * 4);
  const lens: number[] = [...inputs.map((i) => i.length), ...constValues.map(() => 1)];
  const slotOf = (v: number): number => (v < 0 ? slotOfTemp[-v - 1]! : fixed(v));

  instructions.forEach((ins, i) => {
    const a = slotOf(ins.a);
    const b = ins.immediate ? ins.b : ins.b === NONE ? 0 : slotOf(ins.b);
    // The destination is taken before the operands are released, so it never aliases them.
    const dst = reuse && free.length > 0 ? free.pop()! : nSlots++;
    slotOfTemp[i] = dst;
    lens[dst] = ins.length;
    if (reuse) {
      if (isTemp(ins.a) && lastUse[-ins.a - 1] === i) free.push(a);
      if (isTemp(ins.b, ins.immediate) && lastUse[-ins.b - 1] === i && ins.b !== ins.a) free.push(b);
    }
    code.set([opcodeOf(ins.op), dst, a, b], i * 4);
  });

  return {
    mode: vectorMode ? 1 : 0,
    nVars,
    nIn: vectorMode ? inputs.reduce((n, i) => n + i.length, 0) : nVars,
    consts: Float64Array.from(constValues),
    code,
    nSlots: Math.max(nSlots, 1),
    result: slotOf(rootValue),
    slotLens: vectorMode ? Int32Array.from({ length: Math.max(nSlots, 1) }, (_, s) => lens[s] ?? 1) : undefined,
    ...(inputs.some((i) => i.frozen) ? { frozen: inputs.flatMap((input, v) => (input.frozen ? [v] : [])) } : {}),
  };
}
