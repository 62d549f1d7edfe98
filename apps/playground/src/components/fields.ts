import { el, uid } from '../shell/dom.js';

/** A number shown on a page: `<dd>` with an id (tests and screen readers find it). */
export function output(id: string, extra = ''): HTMLElement {
  return el('dd', { class: `number ${extra}`.trim(), attrs: { id } });
}

/** Show a number as text, with the raw value in data-raw (the exact double, for tests). */
export function setNumber(target: HTMLElement, text: string, raw?: number): void {
  target.textContent = text;
  if (raw === undefined) delete target.dataset.raw;
  else target.dataset.raw = String(raw);
}

/** Labelled numbers as a description list. */
export function readout(rows: [string, HTMLElement][]): HTMLElement {
  return el('dl', { class: 'readout' }, ...rows.map(([label, value]) => el('div', { class: 'row' }, el('dt', { text: label }), value)));
}

/** A number input: applied when it holds a finite number that `accept` takes; marked invalid otherwise. */
export function numberField(label: string, value: number, accept: (v: number) => boolean, apply: (v: number) => void): { element: HTMLElement; input: HTMLInputElement } {
  const id = uid('number');
  const input = el('input', { class: 'number-input', attrs: { id, type: 'text', inputmode: 'decimal', autocomplete: 'off', 'aria-invalid': 'false' } });
  input.value = String(value);
  input.addEventListener('input', () => {
    const text = input.value.trim();
    const v = Number(text);
    const ok = text !== '' && Number.isFinite(v) && accept(v);
    input.setAttribute('aria-invalid', String(!ok));
    if (ok) apply(v);
  });
  return { element: el('div', { class: 'field' }, el('label', { class: 'label', text: label, attrs: { for: id } }), input), input };
}
