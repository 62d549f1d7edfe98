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
  /** Kernel blocks this function owns; emptied on dispose. */
  blocks: number[];
}

// The safety net for handles nobody disposed: their kernel memory goes back when they are collected.
const registry = new FinalizationRegistry<Resources>((r) => {
  const { heap } = getKernel();
  for (const b of r.blocks.splice(0)) heap.release(b);
});

/** A tape in the kernel's memory: its 12-field descriptor and the blocks it lives in. */
function loadTape(tape: Tape, blocks: number[]): number {
  const { exports, heap } = getKernel();
  const nInstr = tape.code.length / 4;
  const codeBytes = align16(tape.code.length * 4);
  const constBytes = align16(tape.consts.length * 8);
  const lensBytes = tape.slotLens ? align16(tape.slotLens.length * 4) : 0;
  const block = heap.alloc(48 + codeBytes + constBytes + lensBytes);
  blocks.push(block);
  const code = block + 48;
  const consts = code + codeBytes;
  const lens = consts + constBytes;
  heap.i32().set(tape.code, code >> 2);
  heap.f64().set(tape.consts, consts >> 3);
  if (tape.slotLens) heap.i32().set(tape.slotLens, lens >> 2);
  const fields = [code, nInstr, consts, tape.consts.length, tape.nVars, tape.nSlots, tape.result, 0, tape.slotLens ? lens : 0, tape.nIn, tape.mode, 0];
  heap.i32().set(fields, block >> 2);
  const scratch = heap.alloc(exports.scratchBytesFor(block));
  blocks.push(scratch);
  heap.i32()[(block >> 2) + 7] = scratch;
  return block;
}

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
  /** @internal The evaluation tape (slots reused). */
  readonly tape: Tape;
  /** The variables with their element counts (1 for a scalar), in vector order. */
  readonly inputs: readonly Input[];
  /** @internal The graph the IR lives in (symbolic derivatives are built in it). */
  readonly graph: Graph;
  /** Inputs per point: the number of variables, or every element of the vectors. */
  readonly inputLength: number;
  private readonly resources: Resources = { blocks: [] };
  private readonly evalDescriptor: number;
  private adDescriptor = -1;
  private io = { ptr: -1, bytes: 0 };

  /** @internal Use `compile()` or a builder's `compile()`. */
  constructor(ir: IrNode, inputs: readonly Input[], graph: Graph) {
    this.ir = ir;
    this.graph = graph;
    this.inputs = Object.freeze(inputs.map((i) => Object.freeze({ ...i })));
    this.variables = Object.freeze(inputs.map((i) => i.name));
    this.expression = print(ir);
    this.tape = compileTape(ir, inputs);
    this.inputLength = this.tape.nIn;
    this.evalDescriptor = loadTape(this.tape, this.resources.blocks);
    // Vector tapes never reuse slots: the same tape serves differentiation.
    if (this.tape.mode === 1) this.adDescriptor = this.evalDescriptor;
    registry.register(this, this.resources, this);
  }

  /** Whether points are vectors of elements (a builder function with vector variables). */
  get vectorMode(): boolean {
    return this.tape.mode === 1;
  }

  /** @internal The evaluation descriptor; throws once disposed. */
  get descriptor(): number {
    this.checkLive();
    return this.evalDescriptor;
  }

  /** @internal The descriptor of the tape without slot reuse, for forward and reverse mode (built on first use). */
  get differentiationDescriptor(): number {
    this.checkLive();
    if (this.adDescriptor < 0) this.adDescriptor = loadTape(compileTape(this.ir, this.inputs, { reuse: false }), this.resources.blocks);
    return this.adDescriptor;
  }

  /**
   * @internal A block of at least `bytes` for a call's inputs and outputs, owned
   * by this function and reused from call to call (calls are synchronous), so
   * that a gradient at one point allocates nothing in the kernel's memory.
   */
  workspace(bytes: number): number {
    this.checkLive();
    if (bytes > this.io.bytes) {
      const { heap } = getKernel();
      if (this.io.ptr >= 0) {
        heap.release(this.io.ptr);
        this.resources.blocks.splice(this.resources.blocks.indexOf(this.io.ptr), 1);
      }
      const size = Math.max(bytes, 2 * this.io.bytes);
      this.io = { ptr: heap.alloc(size), bytes: size };
      this.resources.blocks.push(this.io.ptr);
    }
    return this.io.ptr;
  }

  get disposed(): boolean {
    return this.resources.blocks.length === 0;
  }

  /** Free the kernel memory of this function. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    const { heap } = getKernel();
    for (const b of this.resources.blocks.splice(0)) heap.release(b);
    registry.unregister(this);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    return this.expression;
  }

  private checkLive(): void {
    if (this.disposed) throw new NudgeError('disposed', `the compiled function '${this.expression}' was disposed`);
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
