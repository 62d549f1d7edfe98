import { METHODS, NudgeError, formatEstimate, formatNumber, type DerivativeMethod, type DerivativeResult, type GradientResult } from '@nudge/core';
import { createBrowserWorker } from '@nudge/worker/browser';

// Every computation runs in the worker; this thread only reads inputs and writes text.
const nudge = createBrowserWorker();

const DEBOUNCE_MS = 120;
const METHOD_NAMES: Record<DerivativeMethod, string> = {
  exact: 'exact (automatic differentiation)',
  complex: 'complex step',
  forward: 'forward difference',
  backward: 'backward difference',
  central: 'central difference',
  richardson: 'Richardson extrapolation',
};

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const ui = {
  form: byId<HTMLFormElement>('controls'),
  expression: byId<HTMLInputElement>('expression'),
  point: byId<HTMLInputElement>('point'),
  method: byId<HTMLSelectElement>('method'),
  result: byId<HTMLElement>('result'),
  values: byId<HTMLElement>('values'),
  valueLabel: byId<HTMLElement>('value-label'),
  value: byId<HTMLElement>('value'),
  derivativeLabel: byId<HTMLElement>('derivative-label'),
  derivative: byId<HTMLElement>('derivative'),
  detail: byId<HTMLElement>('detail'),
  warning: byId<HTMLElement>('warning'),
  error: byId<HTMLElement>('error'),
  errorSource: byId<HTMLElement>('error-source'),
  errorMessage: byId<HTMLElement>('error-message'),
};

for (const method of METHODS) {
  const option = document.createElement('option');
  option.value = method;
  option.textContent = method;
  ui.method.append(option);
}
ui.method.value = 'forward';

/** The point as typed: one number, or numbers separated by commas (a point of several variables). */
function readPoint(text: string): number | number[] | string {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) return 'the point must be a number, or numbers separated by commas';
  const numbers = parts.map(Number);
  const bad = parts.findIndex((p, i) => !Number.isFinite(numbers[i]));
  if (bad >= 0) return `'${parts[bad]}' is not a number: the point must be a number, or numbers separated by commas`;
  return numbers.length === 1 ? numbers[0]! : numbers;
}

function describePoint(at: Record<string, number>): { names: string; values: string } {
  const names = Object.keys(at);
  const values = names.map((n) => formatNumber(at[n]!));
  if (names.length === 1) return { names: names[0]!, values: values[0]! };
  return { names: `(${names.join(', ')})`, values: `(${values.join(', ')})` };
}

function showDerivative(d: DerivativeResult): void {
  const p = describePoint(d.at);
  const where = Object.keys(d.at).length === 0 ? '' : ` at ${p.names} = ${p.values}`;
  ui.valueLabel.textContent = `f${where}`;
  ui.value.textContent = formatNumber(d.value);
  ui.value.dataset.raw = String(d.value);
  ui.derivativeLabel.textContent = `df/d${d.wrt} ≈`;
  ui.derivative.textContent = formatEstimate(d.derivative, d.errorEstimate);
  ui.derivative.dataset.raw = String(d.derivative);
  const parts = [METHOD_NAMES[d.method], ...(d.h === null ? [] : [`h = ${formatNumber(d.h, 6)}`]), `${d.evaluations} evaluations of f`];
  if (d.errorEstimate != null) parts.push(`error ≈ ${formatNumber(d.errorEstimate, 2)}`);
  ui.detail.textContent = parts.join(' · ');
  showWarning(d.warning);
}

function showGradient(g: GradientResult): void {
  const p = describePoint(g.at);
  ui.valueLabel.textContent = `f at ${p.names} = ${p.values}`;
  ui.value.textContent = formatNumber(g.value);
  ui.value.dataset.raw = String(g.value);
  ui.derivativeLabel.textContent = '∇f ≈';
  ui.derivative.textContent = `(${g.variables.map((v) => formatEstimate(g.gradient[v]!, g.errorEstimate[v])).join(', ')})`;
  ui.derivative.dataset.raw = JSON.stringify(g.variables.map((v) => g.gradient[v]));
  ui.detail.textContent = [METHOD_NAMES[g.method], `|∇f| ≈ ${formatNumber(g.norm, 6)}`, `${g.evaluations} evaluations of f`].join(' · ');
  showWarning(g.warning);
}

function showWarning(text: string | undefined): void {
  ui.warning.hidden = !text;
  ui.warning.textContent = text ?? '';
}

/** An error inline: the expression with the offending column marked, a caret under it, and the message. */
function showError(message: string, expression?: string, column?: number): void {
  ui.result.dataset.state = 'error';
  ui.values.hidden = true;
  for (const el of [ui.value, ui.derivative]) {
    el.textContent = '';
    delete el.dataset.raw;
  }
  ui.detail.textContent = '';
  showWarning(undefined);
  ui.error.hidden = false;
  ui.errorMessage.textContent = message;
  ui.errorSource.replaceChildren();
  delete ui.error.dataset.column;
  const marksExpression = expression !== undefined && column !== undefined && column >= 1;
  ui.expression.setAttribute('aria-invalid', String(marksExpression));
  if (!marksExpression) return;
  ui.error.dataset.column = String(column);
  const i = Math.min(column - 1, expression.length);
  const line = document.createElement('div');
  const mark = document.createElement('mark');
  mark.textContent = expression.slice(i, i + 1) || ' '; // past the end: mark the place where something is missing
  mark.dataset.column = String(column);
  line.append(expression.slice(0, i), mark, expression.slice(i + 1));
  const caret = document.createElement('div');
  caret.className = 'caret';
  caret.textContent = `${' '.repeat(i)}^ column ${column}`;
  ui.errorSource.append(line, caret);
}

function clearError(): void {
  ui.error.hidden = true;
  ui.values.hidden = false;
  ui.expression.setAttribute('aria-invalid', 'false');
  ui.point.setAttribute('aria-invalid', 'false');
}

let generation = 0;

async function recompute(): Promise<void> {
  const current = ++generation;
  const expression = ui.expression.value;
  const method = ui.method.value as DerivativeMethod;
  // What the result on the page was computed from (tests wait for it).
  const input = [expression, ui.point.value, method].join('|');
  const point = readPoint(ui.point.value);
  if (typeof point === 'string') {
    showError(point);
    ui.point.setAttribute('aria-invalid', 'true');
    ui.result.dataset.input = input;
    return;
  }
  ui.point.setAttribute('aria-invalid', 'false');
  ui.result.dataset.state = 'busy';
  try {
    const result = Array.isArray(point)
      ? await nudge.gradient(expression, point, { method })
      : await nudge.derivative(expression, point, { method });
    if (current !== generation) return; // the person typed on: a newer computation owns the page
    clearError();
    if ('gradient' in result) showGradient(result);
    else showDerivative(result);
    ui.result.dataset.state = 'done';
    ui.result.dataset.input = input;
  } catch (error) {
    if (current !== generation) return;
    if (error instanceof NudgeError) showError(error.message, expression, error.column);
    else showError(`Something went wrong in the worker: ${error instanceof Error ? error.message : String(error)}`);
    ui.result.dataset.input = input;
  }
}

let timer: ReturnType<typeof setTimeout> | undefined;
function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(() => void recompute(), DEBOUNCE_MS);
}

ui.form.addEventListener('input', schedule);
ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(timer);
  void recompute();
});
void recompute();
