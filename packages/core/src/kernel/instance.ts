import { instantiateKernel, instantiateKernelAsync, type KernelExports } from '@nudge/kernel-as';
import { Heap } from './heap.js';

/**
 * The kernel instance that the core shares, with the heap that owns its memory.
 * Instantiated on first use, synchronously (Node, workers); on a browser's
 * main thread call `init()` first, which compiles asynchronously.
 */
export interface Kernel {
  readonly exports: KernelExports;
  readonly heap: Heap;
}

let kernel: Kernel | undefined;

function adopt(exports: KernelExports): Kernel {
  if (!kernel) {
    // The core always writes 12-field descriptors (batch or vector mode).
    if (exports.setDescriptorFields(12) !== 12) throw new Error('internal: the kernel does not read 12-field descriptors');
    // A plain copy of the (frozen) exports object, so that tests can count calls into the kernel.
    kernel = { exports: { ...exports }, heap: new Heap(exports.memory, exports.heapBase()) };
  }
  return kernel;
}

export function getKernel(): Kernel {
  return kernel ?? adopt(instantiateKernel());
}

/** Compile and instantiate the kernel asynchronously; call once before the first computation on a browser's main thread. */
export async function init(): Promise<void> {
  if (!kernel) adopt(await instantiateKernelAsync());
}
