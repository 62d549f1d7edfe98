import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Heap } from './heap.js';

const fresh = (): Heap => new Heap(new WebAssembly.Memory({ initial: 1 }), 1024);

describe('Heap', () => {
  it('hands out 16-byte aligned, non-overlapping blocks above the base', () => {
    const heap = fresh();
    const a = heap.alloc(10);
    const b = heap.alloc(100);
    expect(a).toBeGreaterThanOrEqual(1024);
    expect(a % 16).toBe(0);
    expect(b % 16).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 16);
  });

  it('reuses freed space, so alloc/free cycles leave memory flat', () => {
    const heap = fresh();
    const keep = heap.alloc(64);
    for (let i = 0; i < 10_000; i++) heap.release(heap.alloc(1000 + (i % 7) * 100));
    expect(heap.memoryBytes).toBe(65536);
    expect(heap.bytesInUse).toBe(64);
    heap.release(keep);
    expect(heap.bytesInUse).toBe(0);
  });

  it('coalesces neighbours: three freed blocks make room for one of their total size', () => {
    const heap = fresh();
    const a = heap.alloc(1600);
    const b = heap.alloc(1600);
    const c = heap.alloc(1600);
    heap.alloc(16); // keeps the three from returning to the top
    heap.release(b);
    heap.release(a);
    heap.release(c);
    expect(heap.alloc(4800)).toBe(a);
  });

  it('grows the memory and re-creates detached views', () => {
    const heap = fresh();
    const before = heap.f64();
    const big = heap.alloc(1 << 20);
    expect(heap.memoryBytes).toBeGreaterThanOrEqual((1 << 20) + 1024);
    expect(before.length).toBe(0); // the old view was detached by the growth
    heap.f64()[big >> 3] = 42;
    expect(heap.f64()[big >> 3]).toBe(42);
  });

  it('never hands out overlapping live blocks (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 5000 })), { maxLength: 200 }), (ops) => {
        const heap = fresh();
        const live: { ptr: number; size: number }[] = [];
        for (const [free, size] of ops) {
          if (free && live.length > 0) heap.release(live.splice(size % live.length, 1)[0]!.ptr);
          else live.push({ ptr: heap.alloc(size), size });
        }
        const sorted = [...live].sort((x, y) => x.ptr - y.ptr);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.ptr).toBeGreaterThanOrEqual(sorted[i - 1]!.ptr + sorted[i - 1]!.size);
      }),
    );
  });

  it('refuses to free a block it did not hand out', () => {
    expect(() => fresh().release(4096)).toThrow(/unknown block/);
  });
});
