import { NudgeError } from '@nudge/core';
import type { ExpressionInfo } from '@nudge/worker';
import type { NudgeClient } from '@nudge/worker/browser';
import { el, uid } from '../shell/dom.js';

export interface ExpressionInputOptions {
  label: string;
  value: string;
  nudge: NudgeClient;
  /** Checks a parsed expression against what the page needs; a string is the reason it does not fit. */
  accept?: (info: ExpressionInfo) => string | undefined;
  /** Called with each expression that parses and is accepted. */
  onValid: (expression: string, info: ExpressionInfo) => void;
  /** Called when the text does not parse or is refused (the page may gray out its results). */
  onInvalid?: (expression: string) => void;
  /** Milliseconds of quiet typing before checking (default 120). */
  debounce?: number;
}

export interface ExpressionInput {
  element: HTMLElement;
  input: HTMLInputElement;
  /** Show an error found later (by a computation) for the current text, with its column when it has one. */
  showError(message: string, column?: number): void;
  /** A computation's error as text; a NudgeError with a column (f's fault) is also shown under the field. */
  failure(error: unknown): string;
  destroy(): void;
}

/**
 * A text field for an expression, checked as the person types by the core's
 * parser in the worker (`inspect`): an error is shown under the field with
 * its column marked and a caret, and read out through aria-describedby.
 * Errors are caught and shown, never thrown to the console.
 */
export function expressionInput(options: ExpressionInputOptions): ExpressionInput {
  const inputId = uid('expression');
  const errorId = uid('expression-error');
  const input = el('input', {
    class: 'expression',
    attrs: { id: inputId, type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', 'aria-describedby': errorId, 'aria-invalid': 'false' },
  });
  input.value = options.value;
  const source = el('div', { class: 'source', attrs: { 'aria-hidden': 'true' } });
  const message = el('p', { class: 'message', attrs: { id: errorId } });
  const error = el('div', { class: 'error expression-error', attrs: { role: 'alert' } }, source, message);
  error.hidden = true;
  const element = el('div', { class: 'field field-expression' }, el('label', { class: 'label', text: options.label, attrs: { for: inputId } }), input, error);

  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function clear(): void {
    error.hidden = true;
    message.textContent = '';
    source.replaceChildren();
    delete error.dataset.column;
    input.setAttribute('aria-invalid', 'false');
  }

  function showError(text: string, column?: number): void {
    const expression = input.value;
    error.hidden = false;
    message.textContent = text;
    source.replaceChildren();
    delete error.dataset.column;
    input.setAttribute('aria-invalid', 'true');
    if (column === undefined || column < 1) return;
    error.dataset.column = String(column);
    const i = Math.min(column - 1, expression.length);
    const mark = el('mark', { text: expression.slice(i, i + 1) || ' ', attrs: { 'data-column': String(column) } }); // past the end: where something is missing
    const caret = el('div', { class: 'caret', text: `${' '.repeat(i)}^ column ${column}` });
    source.append(el('div', {}, expression.slice(0, i), mark, expression.slice(i + 1)), caret);
  }

  async function check(): Promise<void> {
    const current = ++generation;
    const expression = input.value;
    let info: ExpressionInfo;
    try {
      info = await options.nudge.inspect(expression);
    } catch (e) {
      if (current !== generation) return;
      if (e instanceof NudgeError) showError(e.message, e.column);
      else showError(`the worker could not check this expression: ${e instanceof Error ? e.message : String(e)}`);
      options.onInvalid?.(expression);
      return;
    }
    if (current !== generation) return;
    const refusal = options.accept?.(info);
    if (refusal !== undefined) {
      showError(refusal);
      options.onInvalid?.(expression);
      return;
    }
    clear();
    options.onValid(expression, info);
  }

  const onInput = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), options.debounce ?? 120);
  };
  input.addEventListener('input', onInput);
  void check();

  return {
    element,
    input,
    showError,
    failure(e) {
      const text = e instanceof Error ? e.message : String(e);
      if (e instanceof NudgeError && e.column !== undefined) showError(text, e.column);
      return text;
    },
    destroy() {
      clearTimeout(timer);
      generation += 1;
      input.removeEventListener('input', onInput);
    },
  };
}
