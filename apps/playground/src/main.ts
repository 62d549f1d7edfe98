import { createBrowserWorker } from '@nudge/worker/browser';
import { startShell } from './shell/shell.js';

/**
 * The playground. One worker (packages/worker, comlink) does every
 * computation, so this thread only reads inputs, lays out numbers and draws.
 *
 * Libraries, all bundled by Vite (no network at run time), versions pinned:
 * - uPlot 1.6.32: line, loss and log-log charts on canvas; small (about
 *   50 KB) and fast enough to redraw on every drag or animation frame.
 * - KaTeX 0.19.1: mathematics typeset with `trust: false`, fonts bundled,
 *   MathML included for screen readers.
 * - d3-contour 4.0.3: marching squares over the worker pool's grids, the
 *   contour lines of pages 3 and 4 drawn on a canvas (about 10 KB).
 */
const nav = document.getElementById('nav');
const host = document.getElementById('page-host');
if (!nav || !host) throw new Error('index.html lacks #nav or #page-host');
startShell(nav, host, createBrowserWorker());
