import { NudgeError } from '@nudge/core';
import { LatestWork } from './latest.js';

/**
 * A page's status on its section, for people and for the tests that wait
 * for it: `data-state` (busy, done, or error for an input that does not
 * parse) and `data-key`, the state its results on screen were computed
 * from. `work` runs the page's computations; when none is pending the page
 * is done.
 */
export class PageStatus {
  readonly work: LatestWork;

  constructor(
    private readonly page: HTMLElement,
    private readonly key: () => string,
    failed: (part: string, error: unknown) => void,
  ) {
    this.work = new LatestWork(() => this.mark('done'), failed);
  }

  busy(): void {
    this.page.dataset.state = 'busy';
  }

  /** The input does not parse: forget the work in flight and say so. */
  invalid(): void {
    this.work.drop();
    this.mark('error');
  }

  mark(state: 'done' | 'error'): void {
    this.page.dataset.state = state;
    this.page.dataset.key = this.key();
  }
}

/** The message of an error from the worker; a NudgeError with a column is also marked in the expression field. */
export function errorMessage(error: unknown, expression: { showError(message: string, column?: number): void }): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NudgeError && error.column !== undefined) expression.showError(message, error.column);
  return message;
}
