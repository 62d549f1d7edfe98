/**
 * The page state in the URL (`?page=slope&f=x%5E2%2B3&a=1&b=3`), so that a
 * view can be shared. Values are read as text and checked by whoever reads
 * them (numbers through `number`); nothing read here is ever used as markup.
 */
export const PAGE_PARAM = 'page';

/** The page named by a URL's query, or undefined. */
export function pageOf(search: string): string | undefined {
  return new URLSearchParams(search).get(PAGE_PARAM) ?? undefined;
}

/** One page's parameters in the current URL. Writes replace the history entry (a drag is not fifty back-steps). */
export class UrlState {
  private readonly params: URLSearchParams;

  constructor(
    private readonly page: string,
    search: string = location.search,
  ) {
    this.params = new URLSearchParams(search);
  }

  get(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  /** A finite number from the URL, else the fallback (also when `accept` refuses it). */
  number(name: string, fallback: number, accept: (v: number) => boolean = () => true): number {
    const text = this.get(name);
    if (text === undefined || text.trim() === '') return fallback;
    const value = Number(text);
    return Number.isFinite(value) && accept(value) ? value : fallback;
  }

  /** Set parameters (undefined removes one) and write the URL. */
  set(values: Record<string, string | number | undefined>): void {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) this.params.delete(name);
      else this.params.set(name, String(value));
    }
    this.params.set(PAGE_PARAM, this.page);
    history.replaceState(history.state, '', `?${this.params.toString()}`);
  }
}
