// The entry of a module Web Worker serving the Nudge API (createBrowserWorker starts it).
import type { Endpoint } from 'comlink';
import { exposeNudge } from './expose.js';

exposeNudge(self as unknown as Endpoint);
