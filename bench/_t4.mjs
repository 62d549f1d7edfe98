import { compile, minimize } from '@nudge/core';
import { tensorflow } from './lib/tf.mjs';
const fn = compile('(1-x)^2 + 100*(y-x^2)^2');
const o = { optimizer: 'gd', lr: 1e-3, maxSteps: 1e6, tol: 0, trace: false, chunkSteps: 1e6 };
const sample = (label) => { const ts = []; for (let i = 0; i < 12; i++) { globalThis.gc(); const t0 = process.hrtime.bigint(); minimize(fn, { x: -1.2, y: 1 }, o); ts.push(Number(process.hrtime.bigint() - t0) / 1e6); } ts.sort((a,b)=>a-b); console.log(label, ts.map((t) => t.toFixed(0)).join(' ')); };
sample('before tf');
if (process.argv[2]) {
const tf = await tensorflow(process.argv[2]);
const x = tf.variable(tf.scalar(-1.2)); const y = tf.variable(tf.scalar(1)); const opt = tf.train.sgd(1e-3);
for (let i = 0; i < 2000; i++) opt.minimize(() => tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x))))));
console.log('threads', (await import('node:os')).loadavg());
}
sample('after tf');
sample('after tf 2');
