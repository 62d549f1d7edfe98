import { NudgeError } from '../errors.js';
import { Graph, type IrNode, variablesOf } from '../ir/node.js';
import { lower } from '../ir/lower.js';
import { print } from '../ir/print.js';
import { naturalOrder } from '../ir/variables.js';
import { parse } from '../parse/parse.js';
import { getKernel } from '../kernel/instance.js';
import { compileTape, type Input, type Tape } from '../tape/tape.js';

export interface CompileOptions {
  /**
   * The variables, in the order vectors use. Default: the names the
   * expression uses, in natural order (x1, x2, ..., x10; x, y, z). When
   * given, any other name is an `unknown variable` error.
   */
  variables?: readonly string[];
}

interface Resources {
  block: number;
}

// The safety net for handles nobody disposed: their kernel memory goes back when they are collected.
const registry = new FinalizationRegistry<Resources>((r) => {
  if (r.block >= 0) getKernel().heap.release(r.block);
});

/**
 * An expression compiled to a tape in the kernel's memory. A handle: call
 * `dispose()` when done (a FinalizationRegistry frees forgotten ones later).
 */
export class CompiledFunction {
  /** The variables, in vector order. */
  readonly variables: readonly string[];
  /** The expression as Nudge prints it (parses back to the same function). */
  readonly expression: string;
  /** @internal The IR root. */
  readonly ir: IrNode;
  /** @internal */
  readonly tape: Tape;
  private readonly resources: Resources;
  /** @internal Pointer to the kernel descriptor [tape, nInstr, consts, nConsts, nVars, nSlots, result, scratch]. */
  private readonly descriptorPtr: number;

  /** The variables with their element counts (1 for a scalar), in vector order. */
  readonly inputs: readonly Input[];

  /** @internal The graph the IR lives in (symbolic derivatives are built in it). */
  readonly graph: Graph;

  /** @internal Use `compile()` or a builder's `compile()`. */
  constructor(ir: IrNode, inputs: readonly Input[], graph: Graph) {
    this.ir = ir;
    this.graph = graph;
    this.inputs = Object.freeze(inputs.map((i) => Object.freeze({ ...i })));
    this.variables = Object.freeze(inputs.map((i) => i.name));
    this.expression = print(ir);
    this.tape = compileTape(ir, inputs);
    const { exports, heap } = getKernel();

    const nInstr = this.tape.code.length / 4;
    const codeBytes = align16(this.tape.code.length * 4);
    const constBytes = align16(this.tape.consts.length * 8);
    const scratchBytes = align16(exports.scratchBytes(this.tape.nSlots, this.tape.nVars));
    const block = heap.alloc(32 + codeBytes + constBytes + scratchBytes);
    const code = block + 32;
    const consts = code + codeBytes;
    const scratch = consts + constBytes;
    heap.i32().set(this.tape.code, code >> 2);
    heap.f64().set(this.tape.consts, consts >> 3);
    heap.i32().set([code, nInstr, consts, this.tape.consts.length, this.tape.nVars, this.tape.nSlots, this.tape.result, scratch], block >> 2);

    this.descriptorPtr = block;
    this.resources = { block };
    registry.register(this, this.resources, this);
  }

  /** @internal The kernel descriptor pointer; throws once disposed. */
  get descriptor(): number {
    if (this.resources.block < 0) {
      throw new NudgeError('disposed', `the compiled function '${this.expression}' was disposed`);
    }
    return this.descriptorPtr;
  }

  get disposed(): boolean {
    return this.resources.block < 0;
  }

  /** Free the kernel memory of this function. Safe to call twice. */
  dispose(): void {
    if (this.resources.block < 0) return;
    getKernel().heap.release(this.resources.block);
    this.resources.block = -1;
    registry.unregister(this);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    return this.expression;
  }
}

/** Parse and compile an expression: `compile('x^2*y + sin(z)')`. */
export function compile(expression: string, options: CompileOptions = {}): CompiledFunction {
  if (typeof expression !== 'string') {
    throw new NudgeError('invalid-argument', `compile takes the expression as a string, got ${typeof expression}`);
  }
  const g = new Graph();
  const ir = lower(g, parse(expression), options.variables ? { variables: options.variables } : {});
  const variables = options.variables ? [...options.variables] : naturalOrder(variablesOf(ir));
  return new CompiledFunction(ir, variables.map((name) => ({ name, length: 1, vector: false })), g);
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
