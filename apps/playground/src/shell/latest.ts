/**
 * Named pieces of asynchronous work where only the latest run of each name
 * counts: a result that arrives after a newer run of the same name started
 * is dropped. `settled` is called whenever nothing is pending any more
 * (tests and the page's busy state wait for it).
 */
export class LatestWork {
  private readonly generations = new Map<string, number>();
  private readonly pending = new Set<string>();
  private stopped = false;

  constructor(
    private readonly settled: () => void,
    private readonly failed: (name: string, error: unknown) => void,
  ) {}

  get busy(): boolean {
    return this.pending.size > 0;
  }

  run<T>(name: string, compute: () => Promise<T>, apply: (result: T) => void): void {
    const generation = (this.generations.get(name) ?? 0) + 1;
    this.generations.set(name, generation);
    this.pending.add(name);
    const current = (): boolean => !this.stopped && this.generations.get(name) === generation;
    compute()
      .then(
        (result) => {
          if (current()) apply(result);
        },
        (error: unknown) => {
          if (current()) this.failed(name, error);
        },
      )
      .finally(() => {
        if (!current()) return;
        this.pending.delete(name);
        if (this.pending.size === 0) this.settled();
      });
  }

  /** Forget what is in flight (an invalid input): nothing pending, nothing applied later. */
  drop(): void {
    for (const name of this.pending) this.generations.set(name, (this.generations.get(name) ?? 0) + 1);
    this.pending.clear();
  }

  stop(): void {
    this.stopped = true;
  }
}

/**
 * A page's LatestWork: the page's section says what is on screen for tests
 * and styles: data-state 'busy' while work is pending, 'done' with data-key
 * (the state the results came from) when nothing is, 'error' when the input
 * does not parse (nothing computed from it).
 */
export class PageWork extends LatestWork {
  constructor(
    private readonly page: HTMLElement,
    private readonly key: () => string,
    failed: (name: string, error: unknown) => void,
  ) {
    super(() => {
      page.dataset.state = 'done';
      page.dataset.key = key();
    }, failed);
  }

  /** Work is about to start. */
  started(): void {
    this.page.dataset.state = 'busy';
  }

  /** The input is invalid: drop what is in flight and say so. */
  invalid(): void {
    this.drop();
    this.page.dataset.state = 'error';
    this.page.dataset.key = this.key();
  }
}
