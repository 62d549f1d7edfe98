import * as Comlink from 'comlink';
import { nudgeApi, type NudgeApi } from './api.js';
import { installErrorTransfer } from './errors.js';

/**
 * Serve the Nudge API on an endpoint: a worker's global scope, a
 * worker_threads port (through comlink's `nodeEndpoint`), or one end of a
 * MessageChannel. Thrown NudgeErrors keep their code and column.
 */
export function exposeNudge(endpoint: Comlink.Endpoint, api: NudgeApi = nudgeApi): void {
  installErrorTransfer();
  Comlink.expose(api, endpoint);
}
