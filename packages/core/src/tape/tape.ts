import { opcodes } from '@nudge/kernel-as';
import type { OpName } from '../ops/table.js';
import { type IrNode } from '../ir/node.js';

/**
 * A tape: the IR flattened to a straight-line program for the kernel.
 * Slots 0..nVars-1 hold the variables, the next consts.length slots the
 * constants, the rest the results of instructions; `code` holds four i32 per
 * instruction, [opcode, dst, a, b]. Result slots are reused once their value
 * is dead, so the working set stays small and in cache.
 */
export interface Tape {
  readonly nVars: number;
  readonly consts: Float64Array;
  readonly code: Int32Array;
  readonly nSlots: number;
  /** The slot that holds f after the tape runs. */
  readonly result: number;
}

const OPCODE: ReadonlyMap<string, number> = new Map(opcodes.map((o) => [o.name, o.code]));

export function opcodeOf(op: OpName): number {
  const code = OPCODE.get(op);
  if (code === undefined) throw new Error(`internal: the kernel has no opcode for '${op}'`);
  return code;
}

interface Instruction {
  op: OpName;
  a: number;
  b: number;
}

/** Value numbers: variables first, then constants, then instruction results (in emission order). */
export function compileTape(root: IrNode, variables: readonly string[]): Tape {
  const varIndex = new Map(variables.map((name, i) => [name, i]));
  const constValues: number[] = [];
  const constIndex = new Map<number, number>(); // node id -> const number
  const instructions: Instruction[] = [];
  const valueOfNode = new Map<number, number>(); // node id -> value number (temp: -1 - instruction index)

  const emit = (op: OpName, a: number, b = -0x7fffffff): number => {
    instructions.push({ op, a, b });
    return -instructions.length; // temps are negative: -1 is instruction 0
  };

  const value = (node: IrNode): number => {
    const known = valueOfNode.get(node.id);
    if (known !== undefined) return known;
    let v: number;
    switch (node.op) {
      case 'var': {
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
        v = 1_000_000_000 + index; // resolved to a slot once nVars is known
        break;
      }
      case 'add': {
        // a + neg(b) runs as a - b: one op, and one rounding, as typed.
        v = value(node.args[0]!);
        for (const term of node.args.slice(1)) {
          v = term.op === 'neg' ? emit('sub', v, value(term.args[0]!)) : emit('add', v, value(term));
        }
        break;
      }
      case 'mul': {
        // a * recip(b) runs as a / b.
        v = value(node.args[0]!);
        for (const factor of node.args.slice(1)) {
          v = factor.op === 'recip' ? emit('div', v, value(factor.args[0]!)) : emit('mul', v, value(factor));
        }
        break;
      }
      case 'pow': {
        const [base, exponent] = node.args as [IrNode, IrNode];
        // x^2 as x*x: correctly rounded, and no call to pow.
        if (exponent.op === 'const' && exponent.value === 2) v = emit('square', value(base));
        else if (exponent.op === 'const' && exponent.value === -1) v = emit('recip', value(base));
        else v = emit('pow', value(base), value(exponent));
        break;
      }
      default:
        v = node.args.length === 1 ? emit(node.op, value(node.args[0]!)) : emit(node.op, value(node.args[0]!), value(node.args[1]!));
    }
    valueOfNode.set(node.id, v);
    return v;
  };

  const rootValue = value(root);
  return allocateSlots(instructions, rootValue, variables.length, constValues);
}

/** Liveness-based slot assignment: a temp's slot is free again after its last use. */
function allocateSlots(instructions: Instruction[], rootValue: number, nVars: number, constValues: number[]): Tape {
  const fixed = (v: number): number => (v >= 1_000_000_000 ? nVars + (v - 1_000_000_000) : v);
  const lastUse = new Int32Array(instructions.length).fill(-1);
  instructions.forEach((ins, i) => {
    if (ins.a < 0) lastUse[-ins.a - 1] = i;
    if (ins.b < 0 && ins.b !== -0x7fffffff) lastUse[-ins.b - 1] = i;
  });
  if (rootValue < 0) lastUse[-rootValue - 1] = instructions.length; // the result stays live to the end

  const firstTemp = nVars + constValues.length;
  const free: number[] = [];
  let nSlots = firstTemp;
  const slotOfTemp = new Int32Array(instructions.length);
  const code = new Int32Array(instructions.length * 4);
  const slotOf = (v: number): number => (v < 0 ? slotOfTemp[-v - 1]! : fixed(v));

  instructions.forEach((ins, i) => {
    const a = slotOf(ins.a);
    const b = ins.b === -0x7fffffff ? 0 : slotOf(ins.b);
    // The destination is taken before the operands are released, so it never aliases them.
    const dst = free.length > 0 ? free.pop()! : nSlots++;
    slotOfTemp[i] = dst;
    if (ins.a < 0 && lastUse[-ins.a - 1] === i) free.push(a);
    if (ins.b < 0 && ins.b !== -0x7fffffff && lastUse[-ins.b - 1] === i && ins.b !== ins.a) free.push(b);
    code.set([opcodeOf(ins.op), dst, a, b], i * 4);
  });

  return {
    nVars,
    consts: Float64Array.from(constValues),
    code,
    nSlots: Math.max(nSlots, 1),
    result: slotOf(rootValue),
  };
}
