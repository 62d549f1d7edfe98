import type { NudgeClient, NudgePool } from '@nudge/worker/browser';
import type { UrlState } from './url-state.js';

/**
 * What a page gets from the shell: the worker (every computation goes
 * there), a pool for big grids (started on first use), and its state in
 * the URL.
 */
export interface PageContext {
  nudge: NudgeClient;
  pool(): NudgePool;
  state: UrlState;
}

/** A page on screen; `unmount` stops its work and listeners (the shell removes its elements). */
export interface MountedPage {
  unmount(): void;
}

/** A page's module: builds the page into `host`. */
export interface PageModule {
  mount(host: HTMLElement, context: PageContext): MountedPage;
}

/**
 * A page of the playground: its id (the URL's `page=`), its title in the
 * navigation, one sentence about it, and its module, loaded when the page
 * is opened (each page is its own chunk). A page without `load` is shown as
 * not built yet.
 */
export interface PageDefinition {
  id: string;
  title: string;
  summary: string;
  load?: () => Promise<PageModule>;
}
