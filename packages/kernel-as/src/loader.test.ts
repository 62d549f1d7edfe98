import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DESCRIPTOR_FIELDS, Descriptor, DescriptorMode, KernelAbortError, Method, instantiateKernel, instantiateKernelAsync, kernelBytes,
  opExports, opcodeByName, opcodes, vectorOpcodeByName, vectorOpcodes,
} from './index.js';
import {
  assemblyScriptSource, dispatchSource, opExportList, opExportsAssemblyScript, opExportsTypeScript, readOpcodeGroups, readOpcodes,
  rowName, rowsWithJvp, typeScriptSource,
} from '../scripts/gen-opcodes.mjs';
import { Heap, loadKernel } from './test-support/heap.js';
import type { Tape } from './test-support/tape.js';

const json = JSON.parse(readFileSync(new URL('../opcodes.json', import.meta.url), 'utf8')) as {
  ops: { name: string; code: number; arity: number }[];
  vector: { name: string; code: number; arity: number; immediate?: true }[];
};
const allOps = [...json.ops, ...json.vector];

describe('the opcode list', () => {
  it('the generated TypeScript table is opcodes.json', () => {
    expect(opcodes).toEqual(json.ops);
    for (const op of json.ops) expect(opcodeByName[op.name as keyof typeof opcodeByName]).toBe(op.code);
    expect(Object.keys(opcodeByName)).toHaveLength(json.ops.length);
    expect(vectorOpcodes).toEqual(json.vector.map((o) => ({ ...o, immediate: o.immediate === true })));
    expect(vectorOpcodeByName).toEqual({ sum: 33, slice: 34 });
    expect(vectorOpcodes.find((o) => o.name === 'slice')).toMatchObject({ arity: 1, immediate: true });
  });

  it.each(['release', 'debug', 'scalar'] as const)('the %s kernel knows every opcode with its arity, and no other', (build) => {
    const k = loadKernel(build);
    for (const op of allOps) expect(k.opArity(op.code), op.name).toBe(op.arity);
    const codes = new Set(allOps.map((o) => o.code));
    for (let code = -2; code < 300; code++) if (!codes.has(code)) expect(k.opArity(code)).toBe(-1);
  });

  it('the generator rejects duplicate codes and bad arities, naming the entry', () => {
    const bad = (ops: unknown) => () => readOpcodesFrom(ops);
    expect(bad([{ name: 'a', code: 1, arity: 1 }, { name: 'b', code: 1, arity: 2 }])).toThrow(/ops\[1\] \(b\): duplicate code 1/);
    expect(bad([{ name: 'a', code: 1, arity: 3 }])).toThrow(/ops\[0\] \(a\): arity must be 1 or 2/);
    expect(bad([{ name: 'A-b', code: 1, arity: 1 }])).toThrow(/ops\[0\]: name must be/);
    expect(assemblyScriptSource(readOpcodes())).toContain('export const OP_SOFTPLUS: i32 = 31;');
    expect(typeScriptSource(readOpcodes())).toContain("{ name: 'recip', code: 32, arity: 1 },");
    const { ops, vector } = readOpcodeGroups();
    expect(assemblyScriptSource(ops, vector)).toContain('export const OP_SLICE: i32 = 34;');
    // The sweeps' one switch: every element-wise opcode goes to its row class in assembly/ops.ts.
    const dispatch = dispatchSource(ops, vector);
    expect(rowName('log10')).toBe('Log10');
    expect(dispatch).toContain('case OP_SIN: s.unary<ops.Sin>(dst, a); break;');
    expect(dispatch).toContain('case OP_POW: s.binary<ops.Pow>(dst, a, b); break;');
    expect(dispatch).toContain('case OP_SUM: s.sum(dst, a); break;');
    expect(dispatch).toContain('case OP_SLICE: s.slice(dst, a, b); break;');
    const rows = readFileSync(new URL('../assembly/ops.ts', import.meta.url), 'utf8');
    for (const op of ops) expect(rows, op.name).toContain(`@final export class ${rowName(op.name)} {`);
    expect(() => readOpcodesFrom([{ name: 'a', code: 1, arity: 2, immediate: true }])).toThrow(/ops\[0\] \(a\): "immediate" must be true, and only on an op of arity 1/);
    expect(() => readGroupsFrom([{ name: 'a', code: 1, arity: 1 }], [{ name: 'a', code: 2, arity: 1 }])).toThrow(/vector\[0\]: duplicate name a/);
  });

  it('the op exports: every rule of every row, calling the row and nothing else', () => {
    expect([...rowsWithJvp()]).toEqual(['Pow']);
    expect([...rowsWithJvp('@final export class A {\n  ev(a: f64): f64 { return a; }\n}\n@final export class B {\n  jvp(a: f64): f64 { return a; }\n}')]).toEqual(['B']);
    const list = opExportList(readOpcodes());
    expect(list.map((e) => ({ name: e.name, op: e.op, rule: e.rule, params: e.params.length }))).toEqual(opExports);
    const as = opExportsAssemblyScript(list);
    expect(as).toContain('export function op_sin_ev(a: f64): f64 { return changetype<ops.Sin>(0).ev(a); }');
    expect(as).toContain('export function op_sin_d(a: f64, y: f64): f64 { return changetype<ops.Sin>(0).d(a, y); }');
    expect(as).toContain('export function op_div_db(a: f64, b: f64, y: f64): f64 { return changetype<ops.Div>(0).db(a, b, y); }');
    expect(as).toContain('export function op_pow_jvp(a: f64, b: f64, y: f64, ta: f64, tb: f64): f64 { return changetype<ops.Pow>(0).jvp(a, b, y, ta, tb); }');
    expect(as.match(/^export function /gm)).toHaveLength(list.length);
    const ts = opExportsTypeScript(list);
    expect(ts).toContain('  op_log10_d(a: number, y: number): number;');
    expect(ts).toContain("  { name: 'op_max_da', op: 'max', rule: 'da', params: 3 },");
  });
});

function readGroupsFrom(ops: unknown, vector: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-opcodes-'));
  const path = join(dir, 'opcodes.json');
  writeFileSync(path, JSON.stringify({ ops, vector }));
  try {
    return readOpcodeGroups(path);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

function readOpcodesFrom(ops: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-opcodes-'));
  const path = join(dir, 'opcodes.json');
  writeFileSync(path, JSON.stringify({ ops }));
  try {
    return readOpcodes(path);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

describe('the loader', () => {
  it('instantiates the embedded release kernel synchronously and asynchronously', async () => {
    const sync = instantiateKernel();
    const async_ = await instantiateKernelAsync();
    for (const k of [sync, async_]) {
      expect(k.batchSize()).toBe(256);
      expect(k.heapBase() % 16).toBe(0);
      expect(k.heapBase()).toBeGreaterThan(0);
      expect(k.memory).toBeInstanceOf(WebAssembly.Memory);
    }
    expect(sync.memory).not.toBe(async_.memory); // independent instances
  });

  it('embeds exactly build/kernel.wasm', () => {
    const bytes = kernelBytes();
    expect(Buffer.from(bytes).equals(readFileSync(new URL('../build/kernel.wasm', import.meta.url)))).toBe(true);
    expect(kernelBytes()).not.toBe(bytes); // a fresh copy each call
  });

  it('exports exactly the documented ABI', () => {
    const names = WebAssembly.Module.exports(new WebAssembly.Module(kernelBytes())).map((e) => `${e.name}:${e.kind}`);
    expect(names.sort()).toEqual(
      [
        'memory:memory', 'heapBase:function', 'batchSize:function', 'scratchBytes:function', 'evaluate:function',
        'stencilSize:function', 'stencilOffsets:function', 'stencilStep:function', 'stencilCombine:function',
        'derivative:function', 'gradient:function', 'opArity:function',
        'descriptorFields:function', 'setDescriptorFields:function', 'scratchBytesFor:function',
        'jvp:function', 'gradientAD:function', 'complexStep:function', 'descend:function', 'table:table',
        'optimizerStep:function', 'denseForward:function', 'denseBackward:function', 'activationForward:function',
        'activationBackward:function', 'lossForward:function', 'softmaxLoss:function', 'gatherRows:function', 'addL2:function',
        ...opExports.map((e) => `${e.name}:function`),
      ].sort(),
    );
  });

  it('scratchBytes covers two columns per slot, the slot tables and a fixed working space, 16-byte multiples', () => {
    const k = instantiateKernel();
    for (const [slots, vars] of [[1, 0], [3, 1], [17, 5], [200, 100]] as const) {
      const bytes = k.scratchBytes(slots, vars);
      expect(bytes % 16).toBe(0);
      expect(bytes).toBeGreaterThanOrEqual(2 * slots * 256 * 8 + 5 * slots * 4);
      expect(bytes).toBeLessThan(2 * slots * 256 * 8 + 5 * slots * 4 + 8192);
    }
  });

  it('reads 8 descriptor fields until told 12, and refuses other counts', () => {
    const k = instantiateKernel();
    expect(k.descriptorFields()).toBe(DESCRIPTOR_FIELDS.v1);
    expect(k.setDescriptorFields(12)).toBe(12);
    expect(k.descriptorFields()).toBe(12);
    expect(k.setDescriptorFields(9)).toBe(12); // unchanged
    expect(k.setDescriptorFields(8)).toBe(8);
    expect(() => loadKernel('debug').setDescriptorFields(10)).toThrow(KernelAbortError);
  });

  it('scratchBytesFor agrees with scratchBytes in batch mode, with 8 and 12 fields', () => {
    for (const fields of [8, 12] as const) {
      const heap = new Heap(loadKernel('release', fields));
      const tape: Tape = { instructions: [[opcodeByName.sin, 2, 0], [opcodeByName.add, 3, 2, 1]], consts: [], nVars: 2, nSlots: 4, result: 3 };
      const fn = heap.compile(tape);
      expect(heap.kernel.scratchBytesFor(fn)).toBe(heap.kernel.scratchBytes(4, 2));
    }
  });

  it('a debug kernel reports an unknown opcode through env.abort as a KernelAbortError', () => {
    const heap = new Heap(loadKernel('debug'));
    const tape: Tape = { instructions: [[99, 1, 0, 0]], consts: [], nVars: 1, nSlots: 2, result: 1 };
    const fn = heap.compile(tape);
    const points = heap.putF64([1, 2]);
    let error: unknown;
    try {
      heap.kernel.evaluate(fn, points, 2, heap.alloc(16));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KernelAbortError);
    const abort = error as KernelAbortError;
    expect(abort.message).toMatch(/unknown opcode \(assembly\/sweeps\.ts:\d+:\d+\)/);
    expect(abort.file).toBe('assembly/sweeps.ts');
    expect(abort.line).toBeGreaterThan(0);
    expect(abort.code).toBe('KERNEL_ABORT');
  });

  it.each([
    ['an op writing into a variable slot', { instructions: [[opcodeByName.sin, 0, 0, 0]], consts: [], nVars: 1, nSlots: 2, result: 1 }, /writes outside the op slots/],
    ['an operand beyond nSlots', { instructions: [[opcodeByName.add, 1, 0, 5]], consts: [], nVars: 1, nSlots: 2, result: 1 }, /operand slot out of range/],
    ['a result beyond nSlots', { instructions: [], consts: [], nVars: 1, nSlots: 1, result: 3 }, /result slot out of range/],
    ['nSlots < nVars + nConsts', { instructions: [], consts: [1, 2], nVars: 1, nSlots: 2, result: 0 }, /nSlots < nVars \+ nConsts/],
  ] as [string, Tape, RegExp][])('a debug kernel rejects a bad descriptor: %s', (_, tape, message) => {
    const heap = new Heap(loadKernel('debug'));
    const fn = heap.compile(tape);
    const points = heap.putF64([1, 2]);
    expect(() => heap.kernel.evaluate(fn, points, 2, heap.alloc(16))).toThrow(message);
    const out = heap.alloc(64);
    expect(() => heap.kernel.gradient(fn, points, 2, Method.central, NaN, out, out + 16, out + 32)).toThrow(message);
  });

  it('a release kernel turns an unknown opcode into NaN instead', () => {
    const heap = new Heap(loadKernel('release'));
    const tape: Tape = { instructions: [[99, 1, 0, 0]], consts: [], nVars: 1, nSlots: 2, result: 1 };
    const out = heap.alloc(16);
    heap.kernel.evaluate(heap.compile(tape), heap.putF64([1, 2]), 2, out);
    expect(heap.getF64(out, 2).every(Number.isNaN)).toBe(true);
  });

  it('documents the descriptor layout and the method codes', () => {
    expect(Descriptor).toMatchObject({
      tape: 0, nInstr: 1, consts: 2, nConsts: 3, nVars: 4, nSlots: 5, result: 6, scratch: 7, slotLens: 8, nIn: 9, mode: 10, compiled: 11, length: 12,
    });
    expect(DescriptorMode).toEqual({ batch: 0, vector: 1 });
    expect(Method).toEqual({ forward: 0, backward: 1, central: 2, richardson: 3 });
  });
});
