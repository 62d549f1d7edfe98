import type { NudgeClient } from '@nudge/worker/browser';
import type { ContourPlot } from './contour-plot.js';
import { expressionInput, type ExpressionInput } from './expression-input.js';
import { acceptPlane, planeVariables } from './plane-state.js';

/** f(x, y) as the pages of the plane hold it: the expression and the axes' variables. */
export interface PlaneFn {
  expression: string;
  variables: [string, string];
}

/**
 * The field for f(x, y) of pages 3 and 4: refuses more than two variables;
 * writes the text to `state.f` either way; `onValid` gets f and its axes,
 * `onInvalid` is told when nothing should be computed.
 */
export function planeExpressionInput(nudge: NudgeClient, state: { f: string }, onValid: (fn: PlaneFn) => void, onInvalid: () => void): ExpressionInput {
  return expressionInput({
    label: 'f(x, y) =',
    value: state.f,
    nudge,
    accept: acceptPlane,
    onValid: (text, info) => {
      state.f = text;
      onValid({ expression: text, variables: planeVariables(info) });
    },
    onInvalid: (text) => {
      state.f = text;
      onInvalid();
    },
  });
}

/**
 * A point on the map moved by the keyboard: the map is focusable
 * (role application, with `label` saying what the keys do) and each arrow
 * key moves by `step()` (Shift: ten steps); a click or tap moves it there.
 */
export function movablePoint(plot: ContourPlot, label: string, step: () => number, at: () => [number, number], moveTo: (x: number, y: number) => void): void {
  const area = plot.area;
  area.setAttribute('tabindex', '0');
  area.setAttribute('role', 'application');
  area.setAttribute('aria-roledescription', 'map of f');
  area.setAttribute('aria-label', `${label}: arrow keys move it (Shift: ten steps)`);
  area.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || (event.target !== area && !(event.target instanceof HTMLCanvasElement))) return;
    moveTo(...plot.toData(event.clientX, event.clientY));
  });
  area.addEventListener('keydown', (event) => {
    if (event.target !== area) return;
    const d = step() * (event.shiftKey ? 10 : 1);
    const moves: Record<string, [number, number]> = { ArrowRight: [d, 0], ArrowLeft: [-d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [x, y] = at();
    moveTo(x + move[0], y + move[1]);
  });
}

/** A coordinate rounded to the precision of a step (two more digits than the step has). */
export function roundTo(step: number, v: number): number {
  return Number(v.toFixed(Math.max(0, 2 - Math.floor(Math.log10(step)))));
}
