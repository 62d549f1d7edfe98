// TensorFlow.js 4.22 as a peer: the union package's Node bundle (it registers
// the gradients) with the CPU backend and the WASM backend. Float32, as
// TensorFlow.js computes. Quiet: its console banner is suppressed.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let tf;

/** The tf namespace, loaded once, with the named backend active. */
export async function tensorflow(backend) {
  if (!tf) {
    const warn = console.warn;
    const log = console.log;
    console.warn = () => {};
    console.log = () => {};
    try {
      tf = require('@tensorflow/tfjs');
      require('@tensorflow/tfjs-backend-wasm');
    } finally {
      console.warn = warn;
      console.log = log;
    }
  }
  await tf.setBackend(backend);
  await tf.ready();
  return tf;
}
