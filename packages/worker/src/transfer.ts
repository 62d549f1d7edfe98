import * as Comlink from 'comlink';

/**
 * Results leave a worker with their Float64Arrays' buffers TRANSFERRED (moved,
 * not copied). Only a buffer the array owns whole can move: a view into
 * something larger (the kernel's memory) is copied first with `owned`.
 */

/** The array itself when it owns its whole buffer, else a copy that does. */
export function owned(a: Float64Array): Float64Array {
  return ownsBuffer(a) ? a : a.slice();
}

function ownsBuffer(a: Float64Array): boolean {
  return a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
}

/**
 * Mark `result` so that comlink transfers the buffers of `arrays` (each once)
 * instead of copying them; arrays that do not own their buffer are copied as
 * usual. Views that share a transferred buffer arrive sharing it.
 */
export function transferred<T extends object>(result: T, arrays: Iterable<Float64Array>): T {
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (ownsBuffer(a)) buffers.add(a.buffer as ArrayBuffer);
  return Comlink.transfer(result, [...buffers]);
}
