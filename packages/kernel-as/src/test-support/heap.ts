// Test-only memory management over a kernel instance: a bump allocator from
// heapBase() that grows the memory as needed. Views are created fresh on every
// access, because growing the memory detaches the old ones.
import { readFileSync } from 'node:fs';
import { Descriptor, DescriptorMode, instantiateKernel, type KernelExports } from '../index.js';
import type { Tape } from './tape.js';

const PAGE = 65536;

export type Build = 'release' | 'debug' | 'scalar';

const files: Record<Build, string> = {
  release: '../../build/kernel.wasm',
  debug: '../../build/kernel.debug.wasm',
  scalar: '../../build/kernel.scalar.wasm',
};

/** A fresh instance of one of the built kernels (read from build/, not the embedded copy); `fields`: setDescriptorFields. */
export function loadKernel(build: Build = 'release', fields: 8 | 12 = 8): KernelExports {
  const kernel = instantiateKernel(readFileSync(new URL(files[build], import.meta.url)));
  if (fields !== 8) kernel.setDescriptorFields(fields);
  return kernel;
}

export class Heap {
  top: number;

  constructor(readonly kernel: KernelExports) {
    this.top = kernel.heapBase();
  }

  /** `bytes` bytes aligned to `align`, growing the memory if needed. */
  alloc(bytes: number, align = 16): number {
    const ptr = Math.ceil(this.top / align) * align;
    const end = ptr + bytes;
    const have = this.kernel.memory.buffer.byteLength;
    if (end > have) this.kernel.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return ptr;
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.kernel.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.kernel.memory.buffer, ptr, length);
  }

  /** Allocates and fills an f64 array. */
  putF64(values: ArrayLike<number>): number {
    const ptr = this.alloc(values.length * 8);
    this.f64(ptr, values.length).set(values);
    return ptr;
  }

  putI32(values: ArrayLike<number>): number {
    const ptr = this.alloc(values.length * 4);
    this.i32(ptr, values.length).set(values);
    return ptr;
  }

  /** A copy of n f64 at ptr. */
  getF64(ptr: number, length: number): number[] {
    return Array.from(this.f64(ptr, length));
  }

  /** Points as structure of arrays: coords[v][p]. */
  putPoints(coords: ArrayLike<number>[]): number {
    const n = coords[0]?.length ?? 0;
    const ptr = this.alloc(Math.max(1, coords.length * n) * 8);
    coords.forEach((column, v) => this.f64(ptr + v * n * 8, n).set(column));
    return ptr;
  }

  /**
   * Writes a tape, its constants, its scratch and its descriptor; returns the
   * descriptor's address. The descriptor has the fields the instance reads
   * (8, or 12 after setDescriptorFields(12)); a vector tape (slotLens) needs 12.
   * Scratch is sized by scratchBytesFor(fn) with 12 fields, by
   * scratchBytes(nSlots, nVars) with 8 (what the core does in batch mode).
   */
  compile(tape: Tape): number {
    const fields = this.kernel.descriptorFields();
    if (tape.slotLens && fields !== 12) throw new Error('a vector tape needs setDescriptorFields(12)');
    const code = this.putI32(tape.instructions.flatMap((ins) => [ins[0], ins[1], ins[2], ins[3] ?? 0]));
    const consts = this.putF64(tape.consts.length > 0 ? tape.consts : [0]);
    const lens = tape.slotLens ? this.putI32(tape.slotLens) : 0;
    const desc = new Array<number>(fields).fill(0);
    desc[Descriptor.tape] = code;
    desc[Descriptor.nInstr] = tape.instructions.length;
    desc[Descriptor.consts] = consts;
    desc[Descriptor.nConsts] = tape.consts.length;
    desc[Descriptor.nVars] = tape.nVars;
    desc[Descriptor.nSlots] = tape.nSlots;
    desc[Descriptor.result] = tape.result;
    if (fields === 12) {
      desc[Descriptor.slotLens] = lens;
      desc[Descriptor.nIn] = tape.slotLens ? tape.slotLens.slice(0, tape.nVars).reduce((s, l) => s + l, 0) : tape.nVars;
      desc[Descriptor.mode] = tape.slotLens ? DescriptorMode.vector : DescriptorMode.batch;
    }
    const fn = this.putI32(desc);
    const bytes = fields === 12 ? this.kernel.scratchBytesFor(fn) : this.kernel.scratchBytes(tape.nSlots, tape.nVars);
    const scratch = this.alloc(bytes, 16);
    this.i32(fn, fields)[Descriptor.scratch] = scratch;
    return fn;
  }
}
