/**
 * The one owner of the kernel's linear memory: a first-fit allocator with
 * coalescing over everything above the kernel's static data. The kernel
 * itself never allocates; it only reads and writes the blocks it is given.
 *
 * Typed-array views over the memory are detached whenever it grows, so they
 * are re-created on demand (`f64`, `i32`) rather than kept.
 */
const ALIGN = 16;
const PAGE = 65536;

interface Block {
  ptr: number;
  size: number;
}

export class Heap {
  private readonly free: Block[] = []; // sorted by address, never adjacent (coalesced)
  private readonly used = new Map<number, number>(); // ptr -> size
  private top: number;
  private f64View: Float64Array;
  private i32View: Int32Array;

  constructor(private readonly memory: WebAssembly.Memory, base: number) {
    this.top = align(base);
    this.f64View = new Float64Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
  }

  /** Bytes currently handed out (for tests and diagnostics). */
  get bytesInUse(): number {
    let total = 0;
    for (const size of this.used.values()) total += size;
    return total;
  }

  /** The size of the linear memory in bytes. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  alloc(bytes: number): number {
    const size = align(Math.max(bytes, ALIGN));
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i]!;
      if (block.size < size) continue;
      const ptr = block.ptr;
      if (block.size === size) this.free.splice(i, 1);
      else {
        block.ptr += size;
        block.size -= size;
      }
      this.used.set(ptr, size);
      return ptr;
    }
    const ptr = this.top;
    this.ensure(ptr + size);
    this.top = ptr + size;
    this.used.set(ptr, size);
    return ptr;
  }

  release(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`internal: release of unknown block ${ptr}`);
    this.used.delete(ptr);
    // Insert sorted, then merge with the neighbours.
    let i = 0;
    while (i < this.free.length && this.free[i]!.ptr < ptr) i++;
    this.free.splice(i, 0, { ptr, size });
    const next = this.free[i + 1];
    if (next && ptr + size === next.ptr) {
      this.free[i]!.size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.ptr + prev.size === ptr) {
      prev.size += this.free[i]!.size;
      this.free.splice(i, 1);
      i--;
    }
    // A free block at the top goes back to the bump region.
    const last = this.free[this.free.length - 1];
    if (last && last.ptr + last.size === this.top) {
      this.top = last.ptr;
      this.free.pop();
    }
  }

  f64(): Float64Array {
    if (this.f64View.buffer !== this.memory.buffer) this.f64View = new Float64Array(this.memory.buffer);
    return this.f64View;
  }

  i32(): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer) this.i32View = new Int32Array(this.memory.buffer);
    return this.i32View;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    // Grow at least by half again, so that a sequence of allocations grows rarely.
    const want = Math.max(end, Math.floor(have * 1.5));
    this.memory.grow(Math.ceil((want - have) / PAGE));
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
