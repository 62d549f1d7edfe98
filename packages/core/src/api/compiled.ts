import { NudgeError } from '../errors.js';
import { Graph, type IrNode, variablesOf } from '../ir/node.js';
import { lower } from '../ir/lower.js';
import { print } from '../ir/print.js';
import { naturalOrder } from '../ir/variables.js';
import { parse } from '../parse/parse.js';
import { getKernel } from '../kernel/instance.js';
import { compileTape, type Input, type Tape } from '../tape/tape.js';
import { acquireCompiled, canCompile, defaultEngine, ENGINES, environmentEngine, releaseCompiled, uncompilable, type Engine } from '../jit/engine.js';

export interface CompileOptions {
  /**
   * The variables, in the order vectors use. Default: the names the
   * expression uses, in natural order (x1, x2, ..., x10; x, y, z). When
   * given, any other name is an `unknown variable` error.
   */
  variables?: readonly string[];
  /**
   * 'compiled' (the tape compiled to WebAssembly at run time) or
   * 'interpreter'. Default: compiled where run-time compilation is allowed
   * (NUDGE_ENGINE=interpreter in the environment changes the default in Node).
   * Tapes of more than 20,000 slots, and functions of vector variables whose
   * loops cannot be fused to the interpreter's bits (a slice of a computed
   * vector, say), are interpreted either way (`engine` on the result says
   * which ran).
   */
  engine?: Engine;
}

/** Descriptor field 11: the table index of the compiled eval function (0: interpret). */
const COMPILED_FIELD = 11;
/**
 * Tapes longer than this are interpreted: a compiled function holds a local
 * per slot for values and adjoints (engines cap a function at 50,000 locals
 * and a few megabytes of code), and compiling costs more than it saves.
 */
export const MAX_COMPILED_SLOTS = 20_000;
/**
 * With the default engine a function is interpreted until it has been asked
 * for this many rows of work (points, stencil rows), then compiled: a
 * one-off evaluation is not worth a compilation, a batch or a descent is.
 */
export const TIER_UP_ROWS = 1024;

interface Resources {
  /** Kernel blocks this function owns; emptied on dispose. */
  blocks: number[];
  /** The compiled tape this function uses, if any (released on dispose). */
  compiled?: string;
}

function free(r: Resources): void {
  const { heap } = getKernel();
  for (const b of r.blocks.splice(0)) heap.release(b);
  if (r.compiled !== undefined) releaseCompiled(r.compiled);
  delete r.compiled;
}

// The safety net for handles nobody disposed: their kernel memory and compiled code go back when they are collected.
const registry = new FinalizationRegistry<Resources>(free);

/** A tape in the kernel's memory: its 12-field descriptor and the blocks it lives in. */
function loadTape(tape: Tape, blocks: number[]): number {
  const { exports, heap } = getKernel();
  checkWorkingMemory(tape);
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
 * The kernel's memory is 32-bit: a vector tape's slots (two columns each, the
 * interpreter's values and adjoints) must fit well inside 2 GiB, or the
 * kernel's own size arithmetic would wrap. Too large is the caller's error.
 */
function checkWorkingMemory(tape: Tape): void {
  if (!tape.slotLens) return;
  let bytes = 0;
  for (let s = tape.nVars + tape.consts.length; s < tape.nSlots; s++) bytes += 2 * tape.slotLens[s]! * 8;
  if (bytes > 2 ** 31) {
    throw new NudgeError(
      'invalid-argument',
      `this function's vectors need ${(bytes / 2 ** 30).toFixed(1)} GiB of working memory, more than the kernel's 32-bit memory can hold: use shorter vectors (fewer rows per batch)`,
    );
  }
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
  private policy: Engine;
  private readonly eager: boolean;
  private work = 0;
  private readonly resources: Resources = { blocks: [] };
  private readonly evalDescriptor: number;
  private adDescriptor = -1;
  private io = { ptr: -1, bytes: 0 };

  /** @internal Use `compile()` or a builder's `compile()`. */
  constructor(ir: IrNode, inputs: readonly Input[], graph: Graph, engine: Engine | undefined = undefined) {
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
    const requested = engine ?? environmentEngine();
    const resolved = resolveEngine(requested);
    // (The evaluation tape reuses slots: the compiled tape has one per instruction.)
    const slots = this.tape.nVars + this.tape.consts.length + this.tape.code.length / 4;
    this.policy = slots <= MAX_COMPILED_SLOTS && (this.tape.mode === 0 || uncompilable(this.tape) === undefined) ? resolved : 'interpreter';
    this.eager = requested === 'compiled';
    if (this.policy === 'compiled' && this.eager) this.attachCompiled();
  }

  /**
   * How it runs now: 'compiled' (its tape compiled to WebAssembly) or
   * 'interpreter'. With the default engine, a function is compiled once it
   * has done TIER_UP_ROWS rows of work; with `engine: 'compiled'`, at once.
   */
  get engine(): Engine {
    return this.resources.compiled !== undefined ? 'compiled' : 'interpreter';
  }

  /** @internal Counts `rows` of work about to be done; compiles the tape once enough is asked (Infinity: now). */
  use(rows: number): void {
    if (this.policy !== 'compiled' || this.resources.compiled !== undefined) return;
    this.work += this.tape.mode === 1 ? rows * this.inputLength : rows;
    if (this.work >= TIER_UP_ROWS) this.attachCompiled();
  }

  /** One module (from the tape without slot reuse) serves both descriptors: the kernel calls it instead of interpreting. */
  private attachCompiled(): void {
    this.checkLive();
    let compiled: { index: number; key: string; batches: boolean };
    try {
      compiled = acquireCompiled(this.differentiationTape());
    } catch (e) {
      // Run-time compilation refused (a browser's main thread refuses synchronous compilation of
      // modules over a few kilobytes; a Content-Security-Policy may refuse it altogether): interpret.
      this.policy = 'interpreter';
      if (!this.eager) return;
      throw new NudgeError('invalid-argument', `the compiled engine cannot compile '${this.expression}' here (${e instanceof Error ? e.message : String(e)}): use the interpreter, or compile in a worker`);
    }
    const { key, batches } = compiled;
    this.resources.compiled = key;
    // -index: compiled code for a few rows only (see TapeModule.batches in jit/codegen.ts).
    const index = batches ? compiled.index : -compiled.index;
    const i32 = getKernel().heap.i32();
    i32[(this.evalDescriptor >> 2) + COMPILED_FIELD] = index;
    i32[(this.differentiationDescriptor >> 2) + COMPILED_FIELD] = index;
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
    if (this.adDescriptor < 0) {
      this.adDescriptor = loadTape(this.differentiationTape(), this.resources.blocks);
      const index = getKernel().heap.i32()[(this.evalDescriptor >> 2) + COMPILED_FIELD]!;
      getKernel().heap.i32()[(this.adDescriptor >> 2) + COMPILED_FIELD] = index;
    }
    return this.adDescriptor;
  }

  private adTape: Tape | undefined;

  /** The tape without slot reuse (reverse mode needs every value; compiled code is made from it). */
  private differentiationTape(): Tape {
    this.adTape ??= compileTape(this.ir, this.inputs, { reuse: false });
    return this.adTape;
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
    free(this.resources);
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
  return new CompiledFunction(ir, variables.map((name) => ({ name, length: 1, vector: false })), g, options.engine);
}

/** The engine asked for, checked; the default where none is. */
export function resolveEngine(engine: Engine | undefined): Engine {
  if (engine === undefined) return defaultEngine();
  if (!ENGINES.includes(engine)) throw new NudgeError('invalid-argument', `unknown engine '${String(engine)}': use compiled or interpreter`);
  if (engine === 'compiled' && !canCompile()) {
    throw new NudgeError('invalid-argument', "the compiled engine needs WebAssembly compilation at run time, which this page's Content-Security-Policy forbids (allow 'wasm-unsafe-eval'), or use the interpreter");
  }
  return engine;
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
