// The entry of a worker_threads worker serving the Nudge API (createNodeWorker starts it).
import { parentPort } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { exposeNudge } from './expose.js';

if (!parentPort) throw new Error('@nudge/worker: node-worker.js runs inside a worker_threads Worker (use createNodeWorker())');
exposeNudge(nodeEndpoint(parentPort));
