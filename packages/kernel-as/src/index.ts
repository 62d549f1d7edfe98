// @nudge/kernel-as: the loader and typings of Nudge's WebAssembly kernel.
//
// Only numbers cross the boundary. The host allocates every buffer in the
// kernel's exported memory (above heapBase()) and passes pointers:
//
// - A compiled function is a DESCRIPTOR of 8 or 12 consecutive i32 (see `Descriptor`):
//   [tape, nInstr, consts, nConsts, nVars, nSlots, result, scratch, slotLens, nIn, mode, compiled].
//   A fresh instance reads the first 8 (batch mode); after setDescriptorFields(12)
//   it reads all 12 (mode 0 batch, mode 1 vector).
// - compiled (batch mode): 0 interprets the tape; k > 0 is the index in the
//   kernel's exported `table` of the tape's compiled eval function, k + 1 its
//   jvp, k + 2 its gradient (see `CompiledSignatures`); -k uses them for calls
//   of up to 16 rows only. The compiled code
//   imports the kernel's op exports (`opExports`) for the maths it does not
//   inline, so that it computes what the interpreter does.
// - The tape holds nInstr instructions of 4 i32: [opcode, dst, a, b] (slot
//   indices; b unused by unary ops, an integer immediate for slice). Slots
//   0..nVars-1 are the variables, nVars..nVars+nConsts-1 the constants, the
//   rest op results. An instruction's dst is never one of its own operands.
//   gradientAD needs a tape without slot reuse (every dst unique).
// - scratch: 16-byte aligned, scratchBytes(nSlots, nVars) bytes (batch mode)
//   or scratchBytesFor(fn) bytes (either mode).
// - Batch mode: points are structure-of-arrays f64, coordinate v of point p at
//   points + (v * nPoints + p) * 8. Vector mode: point after point, nIn f64
//   each (the variables' elements in order), point p at points + p * nIn * 8.
//
// Growing the memory detaches every typed-array view over it: re-create views
// after any allocation.
import { decodeKernelBytes } from './generated/kernel-bytes.js';

export { opcodes, opcodeByName, vectorOpcodes, vectorOpcodeByName } from './generated/opcodes.js';
export type { OpName, VectorOpName } from './generated/opcodes.js';
export { opExports } from './generated/op-exports.js';
export type { OpExportName, OpExports } from './generated/op-exports.js';
import type { OpExports } from './generated/op-exports.js';

/** Finite-difference methods, as the kernel numbers them. */
export const Method = { forward: 0, backward: 1, central: 2, richardson: 3 } as const;
export type MethodName = keyof typeof Method;
export type MethodCode = (typeof Method)[MethodName];

/**
 * Field indices (in i32) of a function descriptor; `length` is its full size
 * in i32 (12). An instance reads the first 8 until the host calls
 * setDescriptorFields(12) (see `DESCRIPTOR_FIELDS`).
 */
export const Descriptor = {
  tape: 0,
  nInstr: 1,
  consts: 2,
  nConsts: 3,
  nVars: 4,
  nSlots: 5,
  result: 6,
  scratch: 7,
  /** Pointer to nSlots i32 lengths (vector mode), 0 in batch mode. */
  slotLens: 8,
  /** f64 per point: nVars in batch mode, the sum of the variables' lengths in vector mode. */
  nIn: 9,
  /** `DescriptorMode`. */
  mode: 10,
  /**
   * 0: interpret the tape. k > 0 (batch mode only): the index in the kernel's
   * `table` of the tape's compiled eval function; k + 1 is its jvp, k + 2 its
   * gradient (`CompiledSignatures`); -k: those for calls of up to 16 rows,
   * the interpreter for larger batches. Vector mode ignores it (debug builds abort).
   */
  compiled: 11,
  length: 12,
} as const;

/**
 * The f64 fields of a descent state block (assembly/descent.ts): settings the
 * host writes once, counters and results it reads after every `descend`
 * call, and the addresses of the run's vectors (nIn f64 each). `length` is
 * the block's size in f64.
 */
export const DescentField = {
  optimizer: 0, gradient: 1, sign: 2, lr: 3, beta1: 4, beta2: 5, epsilon: 6,
  gradTol: 7, stepTol: 8, valueTol: 9, growthLimit: 10, xLimit: 11, h: 12, armijo: 13,
  traceEvery: 14, traceCapacity: 15, traceX: 16, traceCount: 17,
  step: 18, value: 19, gradNorm: 20, alpha: 21, hasPrevious: 22,
  bestValue: 23, bestGradNorm: 24, bestStep: 25, stepNorm: 26, status: 27, ready: 28,
  backtracks: 29, evaluations: 30, divergedBy: 31, badValue: 32, previousValue: 33, trialValue: 34, traceNext: 35,
  pX: 40, pGrad: 41, pTrial: 42, pTrialGrad: 43, pMoment1: 44, pMoment2: 45, pBest: 46, pErr: 47,
  length: 48,
} as const;

/** Activations of dense layers, as activationForward numbers them. */
export const Activation = { tanh: 0, relu: 1, sigmoid: 2 } as const;
/** Losses, as lossForward numbers them (log: binary cross-entropy of a logit). */
export const Loss = { squared: 0, absolute: 1, log: 2 } as const;

/** Optimisers, as `descend` numbers them. */
export const Optimizer = { gd: 0, momentum: 1, nesterov: 2, adam: 3, 'line-search': 4 } as const;
export type OptimizerName = keyof typeof Optimizer;

/** The gradient a descent uses: reverse mode, or a finite-difference method's code. */
export const DescentGradient = { exact: -1, forward: 0, central: 2 } as const;

/** What `descend` returns. */
export const DescentStatus = {
  running: 0, convergedGradient: 1, convergedStep: 2, convergedValue: 3, noDecrease: 4, diverged: 5, traceFull: 6,
} as const;

/** Why a descent diverged (DescentField.divergedBy). */
export const DivergedBy = { value: 1, gradient: 2, growth: 3, runaway: 4 } as const;

/** The two descriptor sizes: the first ABI's 8 fields, and the full 12. */
export const DESCRIPTOR_FIELDS = { v1: 8, full: 12 } as const;

/** Descriptor modes: batch (every slot a column of rows, one per point) or vector (one point per pass, slots of slotLens[s] elements). */
export const DescriptorMode = { batch: 0, vector: 1 } as const;

/** The h the complex-step derivative is meant for. */
export const COMPLEX_STEP_H = 1e-20;

/** i32 per tape instruction: [opcode, dst, a, b]. */
export const INSTRUCTION_INTS = 4;
/** f64 written by stencilCombine: [derivative, error estimate, f(x)]. */
export const COMBINE_OUT_LENGTH = 3;
/** Alignment the kernel expects of scratch (and that heapBase() has). */
export const KERNEL_ALIGN = 16;

/**
 * The three functions of a compiled tape, at table indices k, k + 1, k + 2
 * (k = the descriptor's `compiled`). Every parameter is a wasm i32 (pointers
 * into the kernel's memory, counts); none returns a value. Points are
 * structure-of-arrays columns: coordinate v of row r at
 * points + (v * stride + r) * 8, stride counted in rows. Each loops over its
 * n rows itself.
 */
export interface CompiledSignatures {
  /** k: out[r] = f(row r), r < n. */
  eval(points: number, stride: number, n: number, out: number): void;
  /** k + 1: outValue[r] = f, outTangent[r] = the derivative along dir (nVars f64, the same for every row). */
  jvp(points: number, stride: number, n: number, dir: number, outValue: number, outTangent: number): void;
  /** k + 2: outValue[r] = f, outGrad[r * nVars + v] = df/dx_v. */
  gradient(points: number, stride: number, n: number, outValue: number, outGrad: number): void;
}

/** How many i32 parameters each compiled function takes (`CompiledSignatures`); none returns a value. */
export const COMPILED_PARAMS = { eval: 4, jvp: 6, gradient: 5 } as const;

/** The kernel's exports. Pointers are byte offsets into `memory`. */
export interface KernelExports extends OpExports {
  readonly memory: WebAssembly.Memory;
  /**
   * The kernel's function table (funcref, growable; index 0 is null). The host
   * grows it and sets a compiled tape's three functions at k, k + 1, k + 2,
   * then writes k into the descriptor's `compiled` field.
   */
  readonly table: WebAssembly.Table;
  /** First free byte after the kernel's static data, aligned to 16. */
  heapBase(): number;
  /** Rows per batch (256). */
  batchSize(): number;
  /** The number of descriptor fields this instance reads: 8 (a fresh instance) or 12. */
  descriptorFields(): number;
  /** Makes this instance read 8 or 12 descriptor fields; returns the count in effect (other values change nothing). */
  setDescriptorFields(fields: number): number;
  /**
   * Bytes of scratch of a batch-mode function with nSlots slots, enough for
   * every entry point (slots' value and second columns, tables, the
   * finite-difference working space). nVars is reserved.
   */
  scratchBytes(nSlots: number, nVars: number): number;
  /** Bytes of scratch the descriptor at fn needs, either mode (all fields but `scratch` written). */
  scratchBytesFor(fn: number): number;
  /** out[p] = f(point p) for p < nPoints. `out` must not overlap `points`. */
  evaluate(fn: number, points: number, nPoints: number, out: number): void;
  /** Forward mode (dual numbers): outValue[p] = f, outTangent[p] = the derivative along dir (nIn f64, as given). */
  jvp(fn: number, points: number, nPoints: number, dir: number, outValue: number, outTangent: number): void;
  /**
   * Reverse mode: outValue[p] = f, outGrad[p * nIn + i] = df/dx_i. The tape
   * must have no slot reuse (each instruction its own dst).
   */
  gradientAD(fn: number, points: number, nPoints: number, outValue: number, outGrad: number): void;
  /** Complex step: outValue[p] = Re f(x + i h dir), outDeriv[p] = Im f(x + i h dir) / h (dir: nIn f64; h = 1e-20). */
  complexStep(fn: number, points: number, nPoints: number, dir: number, h: number, outValue: number, outDeriv: number): void;
  /** m, the number of function values of a method, offset 0 (f(x)) first; 0 for an unknown method. */
  stencilSize(method: number): number;
  /** Writes the m offsets (multiples of the step; offsets[0] = 0) as f64 at out; returns m. */
  stencilOffsets(method: number, out: number): number;
  /**
   * The step at a point whose coordinate along the direction is x: h > 0 is
   * used as given (richardson: its largest step); h = NaN means automatic
   * (error-optimal, relative to max(1, |x|), exactly representable); else NaN.
   */
  stencilStep(method: number, h: number, x: number): number;
  /**
   * values: m f64, values[k] = f(x + offsets[k] * h). Writes 3 f64 at out:
   * [derivative, error estimate (>= 0; +Infinity if it cannot be formed; NaN
   * with a NaN derivative), f(x)].
   */
  stencilCombine(method: number, h: number, values: number, out: number): void;
  /**
   * The derivative along `dir` (nVars f64, not normalised) at every point:
   * outValue[p] = f, outDeriv[p], outErr[p] (f64 arrays of nPoints).
   */
  derivative(
    fn: number, points: number, nPoints: number, dir: number, method: number, h: number,
    outValue: number, outDeriv: number, outErr: number,
  ): void;
  /** outValue[p] = f; outGrad[p * nVars + v] = df/dx_v; outErr likewise. */
  gradient(
    fn: number, points: number, nPoints: number, method: number, h: number,
    outValue: number, outGrad: number, outErr: number,
  ): void;
  /**
   * Up to nSteps steps of descent on fn from the state block at `state`
   * (`DescentField` layout), recording every traceEvery-th step into `trace`
   * as [step, f, |grad|, x (if traceX)]. Returns a `DescentStatus`.
   */
  descend(fn: number, state: number, trace: number, nIn: number, nSteps: number): number;
  /** One optimiser step on the parameters at x (n f64, in place) from the gradient g; t from 1 (Adam). Uses the state's optimiser settings, moments and trial vector. Returns the step's length. */
  optimizerStep(state: number, x: number, g: number, n: number, t: number): number;
  /** Dense layer y = x W^T + b over rows (row-major; W nOut x nIn). */
  denseForward(x: number, w: number, b: number, y: number, rows: number, nIn: number, nOut: number): void;
  /** Its reverse rule: dW += dy^T x, db += column sums of dy, dx = dy W (dx 0: skipped). */
  denseBackward(x: number, w: number, dy: number, dx: number, dw: number, db: number, rows: number, nIn: number, nOut: number): void;
  /** h = act(z) over n elements; act: `Activation` number. */
  activationForward(act: number, z: number, h: number, n: number): void;
  /** dz = act'(z) dh over n elements. */
  activationBackward(act: number, z: number, h: number, dh: number, dz: number, n: number): void;
  /** The summed loss of rows outputs against targets (`Loss` number; log loss takes logits), and dz = dL/dz * scale unless dz is 0. */
  lossForward(loss: number, z: number, t: number, dz: number, rows: number, scale: number): number;
  /** Softmax cross-entropy of rows x classes logits against class numbers t (f64); dz = (softmax - onehot) * scale unless 0; else softmax into probabilities unless 0. Returns the summed loss. */
  softmaxLoss(z: number, t: number, dz: number, probabilities: number, rows: number, classes: number, scale: number): number;
  /** Rows index[k] (u32 each) of a row-major table, width f64 per row, copied one after the other into dst. */
  gatherRows(src: number, index: number, count: number, width: number, dst: number): void;
  /** g += l2 w over n weights; returns the sum of squared weights. */
  addL2(w: number, g: number, n: number, l2: number): number;
  /** Arity of an opcode (slot operands: 1 or 2), -1 if the kernel does not know it. */
  opArity(code: number): number;
}

/** Thrown by the kernel's `env.abort` import: a bug (e.g. an unknown opcode in a debug build). */
export class KernelAbortError extends Error {
  override readonly name = 'KernelAbortError';
  readonly code = 'KERNEL_ABORT';
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (${file}:${line}:${column})`);
  }
}

/** The release kernel's .wasm bytes (embedded; a fresh copy each call). */
export function kernelBytes(): Uint8Array<ArrayBuffer> {
  return decodeKernelBytes();
}

/** Reads an AssemblyScript string (UTF-16LE, byte length in the u32 before it). */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return '';
  const view = new DataView(memory.buffer);
  if (ptr < 4 || ptr > view.byteLength) return `<string at ${ptr}>`;
  const bytes = view.getUint32(ptr - 4, true);
  const end = Math.min(ptr + bytes, view.byteLength);
  let text = '';
  for (let at = ptr; at + 1 < end; at += 2) text += String.fromCharCode(view.getUint16(at, true));
  return text;
}

function imports(memoryOf: () => WebAssembly.Memory | undefined): WebAssembly.Imports {
  return {
    env: {
      abort(message: number, file: number, line: number, column: number): never {
        const memory = memoryOf();
        const text = memory ? readString(memory, message) : `message at ${message}`;
        const where = memory ? readString(memory, file) : `file at ${file}`;
        throw new KernelAbortError(text, where, line >>> 0, column >>> 0);
      },
    },
  };
}

function exportsOf(instance: WebAssembly.Instance): KernelExports {
  return instance.exports as unknown as KernelExports;
}

let compiled: WebAssembly.Module | undefined;

function source(bytes?: BufferSource | WebAssembly.Module): WebAssembly.Module {
  if (bytes instanceof WebAssembly.Module) return bytes;
  if (bytes !== undefined) return new WebAssembly.Module(bytes);
  compiled ??= new WebAssembly.Module(kernelBytes());
  return compiled;
}

/**
 * A new kernel instance with its own memory, synchronously (Node, workers;
 * browsers limit synchronous compilation on the main thread: use
 * instantiateKernelAsync there). `bytes` selects another build (e.g. the
 * debug .wasm); the default is the embedded release kernel.
 */
export function instantiateKernel(bytes?: BufferSource | WebAssembly.Module): KernelExports {
  let kernel: KernelExports | undefined;
  const instance = new WebAssembly.Instance(source(bytes), imports(() => kernel?.memory));
  kernel = exportsOf(instance);
  return kernel;
}

/** A new kernel instance, compiled asynchronously (fine on a browser's main thread). */
export async function instantiateKernelAsync(bytes?: BufferSource | WebAssembly.Module): Promise<KernelExports> {
  let kernel: KernelExports | undefined;
  const module =
    bytes instanceof WebAssembly.Module
      ? bytes
      : (compiled ?? (await WebAssembly.compile(bytes ?? kernelBytes())));
  if (bytes === undefined) compiled ??= module;
  const instance = await WebAssembly.instantiate(module, imports(() => kernel?.memory));
  kernel = exportsOf(instance);
  return kernel;
}
