import { el } from '../shell/dom.js';

export interface HandleOptions {
  /** What the handle is, for assistive technology ('point A on f'). */
  label: string;
  className: string;
  /** The value's allowed range and the step of one arrow key. */
  range(): { min: number; max: number; step: number };
  value(): number;
  /** Read out after each move ('x = 1, f(x) = 4'). */
  valueText(): string;
  /** A new value from a key or a drag (already clamped to the range). */
  onChange(x: number): void;
  /** The x of a pointer position (client pixels), from the chart's scale. */
  xAt(clientX: number): number;
}

export interface Handle {
  element: HTMLElement;
  /** Put the handle at these pixel coordinates of its container, or hide it. */
  place(left: number, top: number, visible: boolean): void;
  /** Refresh the aria values after the value or its text changed. */
  refresh(): void;
}

/**
 * A point that moves along x: dragged with a pointer, or focused and moved
 * with the arrow keys (Shift or Page Up/Down for ten steps, Home and End for
 * the ends). It is an ARIA slider, so a screen reader says what it is and
 * where it is.
 */
export function createHandle(options: HandleOptions): Handle {
  const element = el('div', { class: `handle ${options.className}`, attrs: { role: 'slider', tabindex: '0', 'aria-label': options.label, 'aria-orientation': 'horizontal' } });

  function set(x: number): void {
    const { min, max, step } = options.range();
    const decimals = Math.max(0, Math.min(12, 1 - Math.floor(Math.log10(step))));
    options.onChange(Number(Math.min(max, Math.max(min, x)).toFixed(decimals)));
  }

  element.addEventListener('keydown', (event) => {
    const { min, max, step } = options.range();
    const x = options.value();
    const big = step * 10;
    const moves: Record<string, number> = {
      ArrowRight: event.shiftKey ? big : step,
      ArrowUp: event.shiftKey ? big : step,
      ArrowLeft: event.shiftKey ? -big : -step,
      ArrowDown: event.shiftKey ? -big : -step,
      PageUp: big,
      PageDown: -big,
    };
    if (event.key === 'Home') set(min);
    else if (event.key === 'End') set(max);
    else if (event.key in moves) set(x + moves[event.key]!);
    else return;
    event.preventDefault();
  });

  element.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    element.focus();
    element.setPointerCapture(event.pointerId);
    element.classList.add('dragging');
  });
  element.addEventListener('pointermove', (event) => {
    if (element.hasPointerCapture(event.pointerId)) set(options.xAt(event.clientX));
  });
  const release = (event: PointerEvent): void => {
    if (element.hasPointerCapture(event.pointerId)) element.releasePointerCapture(event.pointerId);
    element.classList.remove('dragging');
  };
  element.addEventListener('pointerup', release);
  element.addEventListener('pointercancel', release);

  function refresh(): void {
    const { min, max } = options.range();
    element.setAttribute('aria-valuemin', String(min));
    element.setAttribute('aria-valuemax', String(max));
    element.setAttribute('aria-valuenow', String(options.value()));
    element.setAttribute('aria-valuetext', options.valueText());
  }

  return {
    element,
    refresh,
    place(left, top, visible) {
      element.hidden = !visible;
      element.style.left = `${left}px`;
      element.style.top = `${top}px`;
    },
  };
}
