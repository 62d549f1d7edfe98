// A Nudge worker that can die on purpose (pool tests only). It serves the real API
// from the BUILT dist, except:
// - a descent whose options say { crash: 'exit' } calls process.exit(3), and one with
//   { crash: 'throw' } throws outside any call;
// - a grid whose options say { crash: 'exit' } exits in every worker, and one with
//   { crash: { once: path } } exits in the first worker to create the file at `path`.
import { openSync, closeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { nudgeApi } from '../../dist/api.js';
import { exposeNudge } from '../../dist/expose.js';

function firstToClaim(path) {
  try {
    closeSync(openSync(path, 'wx'));
    return true;
  } catch {
    return false;
  }
}

function maybeCrash(crash) {
  if (crash === 'exit' || (crash?.once && firstToClaim(crash.once))) process.exit(3);
}

exposeNudge(nodeEndpoint(parentPort), {
  ...nudgeApi,
  async minimize(f, from, options = {}, ...job) {
    const { crash, ...rest } = options;
    maybeCrash(crash);
    if (crash === 'throw') {
      setTimeout(() => {
        throw new Error('thrown outside any call');
      });
      return new Promise(() => {});
    }
    return nudgeApi.minimize(f, from, rest, ...job);
  },
  async evaluateGrid(f, grid, options = {}) {
    const { crash, ...rest } = options;
    maybeCrash(crash);
    return nudgeApi.evaluateGrid(f, grid, rest);
  },
});
