// Test-only: hand-compiled tapes. A compiled tape is a tiny WebAssembly module
// that imports the kernel's memory (env.memory) and op exports (kernel.op_*)
// and exports the three functions of the ABI (eval, jvp, gradient; see
// `CompiledSignatures`). Here the test writes each function's per-row maths as
// an expression (value, tangent, partials) and this file writes the row loop
// and the addressing of the columns, with the core's module builder (imported
// by path: a test-only dependency, no package one).
import { F64, I32, ModuleBuilder, Op, type Body } from '../../../core/src/wasm/module.js';
import type { KernelExports, OpExportName } from '../index.js';

/** Per-row maths: coordinate v of the row, dir[v], a number, an f64 op, a call of an op export. */
export type Expr =
  | { k: 'x'; v: number }
  | { k: 'dir'; v: number }
  | { k: 'num'; c: number }
  | { k: 'add' | 'sub' | 'mul' | 'div'; a: Expr; b: Expr }
  | { k: 'call'; name: OpExportName; args: Expr[] };

export const x = (v: number): Expr => ({ k: 'x', v });
export const dir = (v: number): Expr => ({ k: 'dir', v });
export const num = (c: number): Expr => ({ k: 'num', c });
export const add = (a: Expr, b: Expr): Expr => ({ k: 'add', a, b });
export const sub = (a: Expr, b: Expr): Expr => ({ k: 'sub', a, b });
export const mul = (a: Expr, b: Expr): Expr => ({ k: 'mul', a, b });
export const call = (name: OpExportName, ...args: Expr[]): Expr => ({ k: 'call', name, args });

/** A function of nVars variables: its value, its tangent along dir, and its partials, per row. */
export interface CompiledMaths {
  nVars: number;
  value: Expr;
  tangent: Expr;
  grad: Expr[];
}

/** The parameters (by role) of one of the three functions, and the local holding the row. */
interface Frame {
  points: number;
  stride: number;
  n: number;
  dir?: number;
  row: number;
}

/** Pushes the byte address base + index * 8, index = row (or row * nVars + v). */
function address(f: Body, base: number, frame: Frame, nVars?: number, v?: number): void {
  f.get(base).get(frame.row);
  if (nVars !== undefined) f.i32(nVars).op(Op.i32Mul).i32(v!).op(Op.i32Add);
  f.i32(3).op(Op.i32Shl).op(Op.i32Add);
}

function expr(f: Body, e: Expr, frame: Frame, funcs: Map<OpExportName, number>): void {
  switch (e.k) {
    case 'x': // points + (v * stride + row) * 8
      f.get(frame.points).get(frame.stride).i32(e.v).op(Op.i32Mul).get(frame.row).op(Op.i32Add);
      f.i32(3).op(Op.i32Shl).op(Op.i32Add).load();
      return;
    case 'dir':
      f.get(frame.dir!).load(e.v * 8);
      return;
    case 'num':
      f.f64(e.c);
      return;
    case 'call':
      for (const a of e.args) expr(f, a, frame, funcs);
      f.call(funcs.get(e.name)!);
      return;
    default:
      expr(f, e.a, frame, funcs);
      expr(f, e.b, frame, funcs);
      f.op({ add: Op.f64Add, sub: Op.f64Sub, mul: Op.f64Mul, div: Op.f64Div }[e.k]);
  }
}

/** for (row = 0; row < n; row++) { each store: address, then value, f64.store } */
function rowLoop(f: Body, frame: Frame, stores: [() => void, Expr][], funcs: Map<OpExportName, number>): void {
  f.begin(Op.block).begin(Op.loop);
  f.get(frame.row).get(frame.n).op(Op.i32GeU).brIf(1);
  for (const [at, value] of stores) {
    at();
    expr(f, value, frame, funcs);
    f.store();
  }
  f.get(frame.row).i32(1).op(Op.i32Add).set(frame.row).br(0);
  f.end().end();
}

/** The op exports an expression calls. */
function imported(e: Expr, into: Set<OpExportName>): void {
  if (e.k === 'call') {
    into.add(e.name);
    e.args.forEach((a) => imported(a, into));
  } else if (e.k === 'add' || e.k === 'sub' || e.k === 'mul' || e.k === 'div') {
    imported(e.a, into);
    imported(e.b, into);
  }
}

const i32s = (n: number) => new Array<typeof I32>(n).fill(I32);

/**
 * The module's bytes (written by the core's module builder): imports env.memory
 * and the op exports it calls (kernel.op_*, `params(name)` f64 each); exports
 * eval, jvp, gradient.
 */
export function compiledModuleBytes(m: CompiledMaths, params: (name: OpExportName) => number): Uint8Array<ArrayBuffer> {
  const names = new Set<OpExportName>();
  [m.value, m.tangent, ...m.grad].forEach((e) => imported(e, names));
  const mb = new ModuleBuilder();
  mb.importMemory('env', 'memory');
  const funcs = new Map([...names].map((n) => [n, mb.importFunction('kernel', n, new Array<typeof F64>(params(n)).fill(F64), [F64])]));

  const ev = mb.function(i32s(4), [], 'eval');
  const evF: Frame = { points: 0, stride: 1, n: 2, row: ev.local(I32) };
  rowLoop(ev, evF, [[() => address(ev, 3, evF), m.value]], funcs);

  const jv = mb.function(i32s(6), [], 'jvp');
  const jvF: Frame = { points: 0, stride: 1, n: 2, dir: 3, row: jv.local(I32) };
  rowLoop(jv, jvF, [[() => address(jv, 4, jvF), m.value], [() => address(jv, 5, jvF), m.tangent]], funcs);

  const gr = mb.function(i32s(5), [], 'gradient');
  const grF: Frame = { points: 0, stride: 1, n: 2, row: gr.local(I32) };
  rowLoop(gr, grF, [
    [() => address(gr, 3, grF), m.value],
    ...m.grad.map((g, v): [() => void, Expr] => [() => address(gr, 4, grF, m.nVars, v), g]),
  ], funcs);
  return mb.bytes();
}

/** The three functions of a compiled tape, instantiated against a kernel instance. */
export interface CompiledFunctions {
  eval: (...args: number[]) => void;
  jvp: (...args: number[]) => void;
  gradient: (...args: number[]) => void;
}

export function instantiateCompiled(kernel: KernelExports, bytes: Uint8Array<ArrayBuffer>): CompiledFunctions {
  const ops = kernel as unknown as Record<string, WebAssembly.ExportValue>;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: kernel.memory }, kernel: ops });
  return instance.exports as unknown as CompiledFunctions;
}

/** Grows the kernel's table by three and sets eval, jvp, gradient at k, k + 1, k + 2; returns k. */
export function install(kernel: KernelExports, fns: CompiledFunctions): number {
  const k = kernel.table.grow(3);
  kernel.table.set(k, fns.eval);
  kernel.table.set(k + 1, fns.jvp);
  kernel.table.set(k + 2, fns.gradient);
  return k;
}

/**
 * Vector-mode functions (one point per call) that write markers instead of
 * computing f: eval out = 7 + point[0]; jvp value 7, tangent dir[1];
 * gradient value 7, outGrad[1] += 3 (so a caller's zeroing shows).
 */
export function vectorMarkerModuleBytes(): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder();
  mb.importMemory('env', 'memory');
  const ev = mb.function(i32s(2), [], 'eval');
  ev.get(1).f64(7).get(0).load().op(Op.f64Add).store();
  const jv = mb.function(i32s(4), [], 'jvp');
  jv.get(2).f64(7).store();
  jv.get(3).get(1).load(8).store();
  const gr = mb.function(i32s(3), [], 'gradient');
  gr.get(1).f64(7).store();
  gr.get(2).get(2).load(8).f64(3).op(Op.f64Add).store(8);
  return mb.bytes();
}
