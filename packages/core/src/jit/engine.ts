import { getKernel } from '../kernel/instance.js';
import type { Tape } from '../tape/tape.js';
import { ModuleBuilder } from '../wasm/module.js';
import { compileTapeModule, KERNEL_MODULE, type TapeModule } from './codegen.js';
import { planFusion } from './fusion.js';
import { compileVectorModule } from './vector.js';

/**
 * How a compiled function runs: 'compiled' (its tape compiled to WebAssembly
 * at run time, called by the kernel's loops through the kernel's function
 * table) or 'interpreter' (the kernel interprets the tape). Compiled is the
 * default where run-time compilation is allowed; a page whose
 * Content-Security-Policy forbids it (no 'wasm-unsafe-eval') gets the
 * interpreter. A function of vector variables is compiled when its loops
 * can be fused to the interpreter's bits (`uncompilable`), interpreted
 * otherwise.
 */
export type Engine = 'compiled' | 'interpreter';

export const ENGINES: readonly Engine[] = ['compiled', 'interpreter'];

let allowed: boolean | undefined;

/** Whether this context may compile WebAssembly at run time (tested once, on an empty module). */
export function canCompile(): boolean {
  if (allowed === undefined) {
    try {
      new WebAssembly.Module(new ModuleBuilder().bytes());
      allowed = true;
    } catch {
      allowed = false;
    }
  }
  return allowed;
}

/**
 * The engine NUDGE_ENGINE asks for in Node ('compiled': compile every
 * function at once; 'interpreter': never), for the parity runs of the tests
 * and for benchmarks; undefined elsewhere.
 */
export function environmentEngine(): Engine | undefined {
  const env = typeof process !== 'undefined' ? process.env?.NUDGE_ENGINE : undefined;
  return env === 'compiled' || env === 'interpreter' ? env : undefined;
}

/** The engine used when none is asked for: compiled where run-time compilation is allowed. */
export function defaultEngine(): Engine {
  return canCompile() ? 'compiled' : 'interpreter';
}

/** The function table of the kernel (grown by three entries per compiled tape). */
function kernelTable(): WebAssembly.Table {
  const x = getKernel().exports as unknown as Record<string, unknown>;
  const table = x.table ?? x.__indirect_function_table;
  if (!(table instanceof WebAssembly.Table)) throw new Error('internal: the kernel exports no function table');
  return table;
}

let kernelImports: WebAssembly.ModuleImports | undefined;

/** The kernel's row functions (op_<name>_ev, ...) that compiled code imports. */
function rowFunctions(): WebAssembly.ModuleImports {
  if (!kernelImports) {
    const x = getKernel().exports as unknown as Record<string, unknown>;
    kernelImports = Object.fromEntries(Object.entries(x).filter(([k]) => k.startsWith("op_"))) as WebAssembly.ModuleImports;
  }
  return kernelImports;
}

/** Compiled tapes by their text (code, constants and, in vector mode, the slots' lengths): the same tape is compiled once, its table entries shared and counted. */
const cache = new Map<string, { index: number; users: number; batches: boolean }>();
/** Table indices (of three entries each) freed by tapes nobody uses any more. */
const freeIndices: number[] = [];

function keyOf(tape: Tape): string {
  const lens = tape.slotLens ? Array.from(tape.slotLens).join(',') : '';
  return `${tape.mode}|${tape.nVars}|${tape.nSlots}|${tape.result}|${Array.from(tape.code).join(',')}|${Array.from(tape.consts, (c) => (Object.is(c, -0) ? '-0' : String(c))).join(',')}|${lens}|${tape.frozen?.join(',') ?? ''}`;
}

/** Why a tape (without slot reuse) cannot be compiled, or undefined when it can. */
export function uncompilable(tape: Tape): string | undefined {
  if (tape.mode === 0) return undefined;
  const plan = planFusion(tape);
  return 'reason' in plan ? plan.reason : undefined;
}

/** The module of a tape: batch mode's, or vector mode's fused loops (always for the kernel's every call). */
function tapeModule(tape: Tape): TapeModule {
  if (tape.mode === 0) return compileTapeModule(tape);
  const compiled = compileVectorModule(tape);
  if ('reason' in compiled) throw new Error(`internal: the vector tape cannot be compiled (${compiled.reason})`);
  return { bytes: compiled.bytes, batches: true };
}

/** A compiled tape in use: its table index, and the key that releases it. */
export interface CompiledTape {
  readonly index: number;
  readonly key: string;
  /** False: the kernel should call the compiled code for a few rows only (descriptor field -index), see `TapeModule.batches`. */
  readonly batches: boolean;
}

/**
 * The table index of the tape's compiled eval function (jvp at +1, gradient
 * at +2), compiling and registering it on first use. The tape must be a
 * tape without slot reuse that `uncompilable` accepts. Call `release` when done.
 */
export function acquireCompiled(tape: Tape): CompiledTape {
  const key = keyOf(tape);
  const known = cache.get(key);
  if (known) {
    known.users++;
    return { index: known.index, key, batches: known.batches };
  }
  const { exports } = getKernel();
  const { bytes, batches } = tapeModule(tape);
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, { env: { memory: exports.memory }, [KERNEL_MODULE]: rowFunctions() });
  const table = kernelTable();
  const index = freeIndices.pop() ?? table.grow(3);
  table.set(index, instance.exports.eval as () => void);
  table.set(index + 1, instance.exports.jvp as () => void);
  table.set(index + 2, instance.exports.gradient as () => void);
  cache.set(key, { index, users: 1, batches });
  return { index, key, batches };
}

/** One user fewer; the last one's release clears the table entries, so that the module can be collected, and frees the index. */
export function releaseCompiled(key: string): void {
  const entry = cache.get(key);
  if (!entry || --entry.users > 0) return;
  cache.delete(key);
  const table = kernelTable();
  for (let i = 0; i < 3; i++) table.set(entry.index + i, null);
  freeIndices.push(entry.index);
}

/** Compiled tapes alive now (for tests). */
export function compiledCount(): number {
  return cache.size;
}
