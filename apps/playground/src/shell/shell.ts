import { createBrowserPool, type NudgeClient, type NudgePool } from '@nudge/worker/browser';
import { el } from './dom.js';
import type { MountedPage, PageDefinition } from './page.js';
import { DEFAULT_PAGE, PAGES, findPage } from './pages.js';
import { PAGE_PARAM, UrlState, pageOf } from './url-state.js';

/**
 * The shell: one navigation, one page at a time. The page comes from the
 * URL (`?page=...`, else the first); following a link in the navigation
 * pushes a history entry and mounts that page without reloading, and the
 * back button mounts the page of the entry it returns to.
 */
export function startShell(nav: HTMLElement, host: HTMLElement, nudge: NudgeClient): void {
  let pool: NudgePool | undefined;
  const getPool = (): NudgePool => (pool ??= createBrowserPool());
  let mounted: MountedPage | undefined;
  let opening = 0;

  const links = new Map<string, HTMLAnchorElement>();
  const list = el('ul');
  for (const page of PAGES) {
    const link = el('a', { text: page.title, attrs: { href: `?${PAGE_PARAM}=${page.id}` } });
    link.addEventListener('click', (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      if (pageOf(location.search) === page.id) return;
      history.pushState(null, '', link.href);
      void open();
    });
    links.set(page.id, link);
    list.append(el('li', {}, link));
  }
  nav.replaceChildren(list);
  window.addEventListener('popstate', () => void open());

  async function open(): Promise<void> {
    const current = ++opening;
    const requested = pageOf(location.search);
    const page = findPage(requested) ?? DEFAULT_PAGE;
    mounted?.unmount();
    mounted = undefined;
    for (const [id, link] of links) {
      if (id === page.id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${page.title} · Nudge playground`;
    const section = el('section', { class: 'page', attrs: { 'aria-labelledby': `page-title-${page.id}`, 'data-page': page.id } });
    section.append(el('h2', { text: page.title, attrs: { id: `page-title-${page.id}` } }), el('p', { class: 'summary', text: page.summary }));
    host.replaceChildren(section);
    if (requested !== undefined && requested !== page.id) {
      section.append(el('p', { class: 'notice', attrs: { role: 'status' }, text: `There is no page named '${requested}': showing "${page.title}".` }));
    }
    if (!page.load) {
      section.append(notBuilt(page));
      section.dataset.state = 'done';
      return;
    }
    try {
      const module = await page.load();
      if (current !== opening) return;
      mounted = module.mount(section, { nudge, pool: getPool, state: new UrlState(page.id) });
    } catch (error) {
      if (current !== opening) return;
      section.append(el('p', { class: 'error', attrs: { role: 'alert' }, text: `This page could not be loaded: ${error instanceof Error ? error.message : String(error)}` }));
    }
  }

  void open();
}

/** An honest placeholder: what the page will show, and that it is not there yet. */
function notBuilt(page: PageDefinition): HTMLElement {
  return el(
    'div',
    { class: 'not-built', attrs: { role: 'note' } },
    el('p', { class: 'not-built-title', text: 'Not built yet.' }),
    el('p', { text: 'This page is planned (issue 7) but has not been written. Nothing on it is computed yet.' }),
  );
}
