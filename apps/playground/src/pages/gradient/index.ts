import { formatNumber, type CriticalResult } from '@nudge/core';
import type { GridGradientResult } from '@nudge/worker';
import { arrow, computeMap, createContourPlot } from '../../components/contour-plot.js';
import { numberField, output, readout, setNumber } from '../../components/fields.js';
import { renderTex, texName, texNumber } from '../../components/math.js';
import { movablePoint, planeExpressionInput, roundTo, type PlaneFn } from '../../components/plane-input.js';
import { plotView } from '../../components/plane-state.js';
import { el, uid } from '../../shell/dom.js';
import { PageWork } from '../../shell/latest.js';
import type { MountedPage, PageContext } from '../../shell/page.js';
import { criticalPoints, pointView, type PointView } from './compute.js';
import { keyOf, readState, unitOf, writeState, type GradientState } from './state.js';

/** Points a side of the map's grid (computed in the worker pool). */
export const MAP_POINTS = 161;
/** The on-screen length of the direction and ascent arrows, in CSS pixels. */
const ARROW_PX = 70;
const COLORS = { point: '#ffffff', u: '#2f5bd3', ascent: '#c2410c' };
const KIND_MARK: Record<string, string> = { minimum: 'min', maximum: 'max', saddle: 'saddle', degenerate: 'degenerate' };

/**
 * Page 3, gradients and directional derivatives: f(x, y) as a heatmap with
 * contours and gradient arrows (the pool), a marked point (click, or the
 * arrow keys) with its gradient, partial derivatives and the steepest
 * ascent, a direction u (drag its tip, or the angle) with the directional
 * derivative ∇f·u, and the critical points labelled.
 */
export function mount(page: HTMLElement, { nudge, pool, state: url }: PageContext): MountedPage {
  const state: GradientState = readState(url);
  let fn: PlaneFn | undefined;
  let shown: { point?: PointView; critical?: CriticalResult[] } = {};
  const save = (): void => writeState(url, state);

  const work = new PageWork(page, () => keyOf(state), (part, error) => showFailure(part, error));

  const expression = planeExpressionInput(
    nudge, state,
    (f) => ((fn = f), refresh('map', 'point', 'critical')),
    () => (save(), (fn = undefined), work.invalid()),
  );

  // ---- the map
  const plot = createContourPlot('f(x, y) as a heatmap with contour lines (dark: low, yellow: high), arrows along the gradient (uphill). Click to mark a point, or focus the map and use the arrow keys; drag the blue tip to turn the direction u.');
  const area = plot.area;
  const tipId = uid('direction');
  const tip = el('div', { class: 'handle direction-handle', attrs: { id: tipId, role: 'slider', tabindex: '0', 'aria-label': 'Direction u, in degrees', 'aria-valuemin': '0', 'aria-valuemax': '359' } });
  area.append(tip);

  const arrowsBox = el('input', { attrs: { type: 'checkbox', id: uid('arrows') } });
  arrowsBox.checked = state.arrows === 1;
  arrowsBox.addEventListener('change', () => {
    state.arrows = arrowsBox.checked ? 1 : 0;
    plot.setArrows(arrowsBox.checked);
    save();
    page.dataset.key = keyOf(state);
  });
  plot.setArrows(state.arrows === 1);
  const xInput = numberField('point x =', state.x, () => true, (v) => movePoint(v, state.y, false));
  const yInput = numberField('point y =', state.y, () => true, (v) => movePoint(state.x, v, false));
  const angleInput = numberField('direction u, degrees', state.angle, (v) => v >= 0 && v < 360, (v) => turn(v, false));
  const controls = el(
    'div', { class: 'controls' },
    expression.element,
    el('div', { class: 'fields' }, xInput.element, yInput.element, angleInput.element,
      el('label', { class: 'field checkbox', attrs: { for: arrowsBox.id } }, arrowsBox, ' gradient arrows')),
  );

  // ---- the numbers at the point
  const out = {
    value: output('f-value'), gx: output('grad-x'), gy: output('grad-y'), norm: output('grad-norm', 'big'), ascent: output('ascent'),
    u: output('direction-u'), directional: output('directional-value', 'big'),
  };
  const labels = { gx: el('span', { text: '∂f/∂x' }), gy: el('span', { text: '∂f/∂y' }) };
  const gradTex = el('div', { class: 'formula', attrs: { tabindex: '0', role: 'region', 'aria-label': 'the gradient and the dot product, written out' } });
  const pointError = el('p', { class: 'part-error', attrs: { role: 'status' } });
  const pointSection = el(
    'section', { class: 'part', attrs: { 'aria-labelledby': 'point-title' } },
    el('h3', { text: 'The gradient at the point, and the slope along u', attrs: { id: 'point-title' } }),
    readout([['f at the point', out.value], ['', out.gx], ['', out.gy], ['steepest slope |∇f|', out.norm], ['steepest ascent ∇f/|∇f|', out.ascent], ['direction u', out.u], ['directional derivative ∇f·u', out.directional]]),
    gradTex, pointError,
  );
  // the partial derivatives' labels name f's variables
  const rows = pointSection.querySelectorAll('dt');
  rows[1]!.replaceChildren(labels.gx);
  rows[2]!.replaceChildren(labels.gy);

  const criticalList = el('ul', { class: 'critical-list', attrs: { id: 'critical-list' } });
  const criticalNote = el('p', { class: 'detail', attrs: { id: 'critical-note', role: 'status' } });
  const criticalSection = el(
    'section', { class: 'part', attrs: { 'aria-labelledby': 'critical-title' } },
    el('h3', { text: 'Critical points in view', attrs: { id: 'critical-title' } }),
    criticalNote, criticalList,
  );

  page.append(controls, plot.figure, pointSection, criticalSection);

  // ---- drawing the point, u, the ascent and the critical points
  plot.paintOverlay((ctx) => {
    for (const c of shown.critical ?? []) {
      const v = fn?.variables ?? ['x', 'y'];
      const [px, py] = plot.toPixel(c.point[v[0]]!, c.point[v[1]]!);
      ctx.fillStyle = c.kind === 'minimum' ? '#ffffff' : c.kind === 'maximum' ? '#1d2330' : '#c2410c';
      ctx.strokeStyle = '#1d2330';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      if (c.kind === 'saddle') {
        ctx.rect(px - 5, py - 5, 10, 10);
      } else {
        ctx.arc(px, py, 5, 0, 2 * Math.PI);
      }
      ctx.fill();
      ctx.stroke();
      ctx.font = '600 12px system-ui, sans-serif';
      ctx.lineWidth = 3;
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.strokeText(KIND_MARK[c.kind] ?? c.kind, px + 8, py - 8);
      ctx.fillStyle = '#1d2330';
      ctx.fillText(KIND_MARK[c.kind] ?? c.kind, px + 8, py - 8);
    }
    const [px, py] = plot.toPixel(state.x, state.y);
    const g = shown.point?.gradient;
    if (g?.ascent && fn) {
      const a = g.ascent;
      ctx.strokeStyle = COLORS.ascent;
      ctx.fillStyle = COLORS.ascent;
      ctx.lineWidth = 3;
      arrow(ctx, px, py, px + a[fn.variables[0]]! * ARROW_PX, py - a[fn.variables[1]]! * ARROW_PX, 9);
    }
    const [ux, uy] = unitOf(state.angle);
    ctx.strokeStyle = COLORS.u;
    ctx.fillStyle = COLORS.u;
    ctx.lineWidth = 2.5;
    arrow(ctx, px, py, px + ux * ARROW_PX, py - uy * ARROW_PX, 8);
    ctx.fillStyle = COLORS.point;
    ctx.strokeStyle = '#1d2330';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(px, py, 6, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    placeTip();
  });

  function placeTip(): void {
    const [px, py] = plot.toPixel(state.x, state.y);
    const [ux, uy] = unitOf(state.angle);
    tip.style.left = `${px + ux * ARROW_PX}px`;
    tip.style.top = `${py - uy * ARROW_PX}px`;
    tip.setAttribute('aria-valuenow', String(state.angle));
    tip.setAttribute('aria-valuetext', `${formatNumber(state.angle)} degrees: u = (${formatNumber(ux, 4)}, ${formatNumber(uy, 4)})`);
  }

  // ---- moving the point and turning u
  const stepOf = (): number => Number(((2 * state.r) / 50).toPrecision(1));
  const round = (v: number): number => roundTo(stepOf(), v);

  function movePoint(x: number, y: number, syncInputs = true): void {
    state.x = round(x);
    state.y = round(y);
    if (syncInputs) {
      xInput.input.value = String(state.x);
      yInput.input.value = String(state.y);
    }
    plot.redrawOverlay();
    refresh('point');
  }

  function turn(angle: number, syncInput = true): void {
    state.angle = Math.round((((angle % 360) + 360) % 360) * 10) / 10 % 360;
    if (syncInput) angleInput.input.value = String(state.angle);
    plot.redrawOverlay();
    refresh('point');
  }

  movablePoint(plot, 'The marked point', stepOf, () => [state.x, state.y], (x, y) => movePoint(x, y));
  tip.addEventListener('keydown', (event) => {
    const step = event.shiftKey ? 45 : 5;
    const turns: Record<string, number> = { ArrowRight: -step, ArrowDown: -step, ArrowLeft: step, ArrowUp: step, PageUp: 45, PageDown: -45 };
    if (event.key === 'Home') turn(0);
    else if (event.key in turns) turn(state.angle + turns[event.key]!);
    else return;
    event.preventDefault();
    event.stopPropagation();
  });
  tip.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    tip.focus();
    tip.setPointerCapture(event.pointerId);
    tip.classList.add('dragging');
  });
  tip.addEventListener('pointermove', (event) => {
    if (!tip.hasPointerCapture(event.pointerId)) return;
    const [px, py] = plot.toPixel(state.x, state.y);
    const box = area.getBoundingClientRect();
    const dx = event.clientX - box.left - px;
    const dy = py - (event.clientY - box.top);
    if (Math.hypot(dx, dy) > 4) turn(Math.round((Math.atan2(dy, dx) * 180) / Math.PI));
  });
  const release = (event: PointerEvent): void => {
    if (tip.hasPointerCapture(event.pointerId)) tip.releasePointerCapture(event.pointerId);
    tip.classList.remove('dragging');
  };
  tip.addEventListener('pointerup', release);
  tip.addEventListener('pointercancel', release);

  // ---- computing and showing
  function refresh(...parts: ('map' | 'point' | 'critical')[]): void {
    save();
    const f = fn;
    if (!f) return;
    work.started();
    const view = plotView(state);
    const at: [number, number] = [state.x, state.y];
    const u = unitOf(state.angle);
    for (const part of parts) {
      if (part === 'map') work.run('map', () => computeMap(pool(), f.expression, f.variables, view, MAP_POINTS), (g) => showMap(g, f.variables));
      if (part === 'point') work.run('point', () => pointView(nudge, f.expression, f.variables, at, u), showPoint);
      if (part === 'critical') work.run('critical', () => criticalPoints(nudge, f.expression, f.variables, view), showCritical);
    }
  }

  function showMap(g: GridGradientResult, names: [string, string]): void {
    plot.setGrid(g, names);
  }

  function showPoint(p: PointView): void {
    shown.point = p;
    pointError.textContent = p.gradient.warning ?? p.directional.warning ?? '';
    const [vx, vy] = fn!.variables;
    const g = p.gradient;
    const gx = g.gradient[vx]!;
    const gy = g.gradient[vy]!;
    labels.gx.textContent = `∂f/∂${vx}`;
    labels.gy.textContent = `∂f/∂${vy}`;
    setNumber(out.value, formatNumber(g.value), g.value);
    setNumber(out.gx, formatNumber(gx), gx);
    setNumber(out.gy, formatNumber(gy), gy);
    setNumber(out.norm, formatNumber(g.norm), g.norm);
    setNumber(out.ascent, g.ascent ? `(${formatNumber(g.ascent[vx]!, 6)}, ${formatNumber(g.ascent[vy]!, 6)})` : 'none: the gradient is zero here (a critical point)');
    const d = p.directional;
    const ux = d.direction[vx]!;
    const uy = d.direction[vy]!;
    setNumber(out.u, `(${formatNumber(ux, 6)}, ${formatNumber(uy, 6)}) at ${formatNumber(state.angle)}°`);
    setNumber(out.directional, formatNumber(d.directional), d.directional);
    const [tx, ty] = [texName(vx), texName(vy)];
    renderTex(
      gradTex,
      `\\nabla f = \\left(\\frac{\\partial f}{\\partial ${tx}}, \\frac{\\partial f}{\\partial ${ty}}\\right) = (${texNumber(gx)}, ${texNumber(gy)}), \\quad ` +
        `\\nabla f \\cdot u = ${texNumber(gx)} \\cdot ${texNumber(ux, 6)} + ${texNumber(gy)} \\cdot ${texNumber(uy, 6)} = ${texNumber(d.directional)}, \\quad |\\nabla f| = ${texNumber(g.norm)}`,
      true,
    );
    plot.redrawOverlay();
  }

  function showCritical(found: CriticalResult[]): void {
    shown.critical = found;
    const [vx, vy] = fn!.variables;
    criticalNote.textContent =
      found.length === 0
        ? 'No critical point found in view (Newton’s method from 16 starts across the map).'
        : `${found.length} found by Newton’s method from 16 starts across the map; the Hessian’s eigenvalues say what each is.`;
    criticalList.replaceChildren(
      ...found.map((c) =>
        el(
          'li', { attrs: { 'data-kind': c.kind, 'data-x': String(c.point[vx]), 'data-y': String(c.point[vy]) } },
          el('strong', { text: c.kind }),
          ` at (${formatNumber(c.point[vx]!, 8)}, ${formatNumber(c.point[vy]!, 8)}), f = ${formatNumber(c.value, 8)}; eigenvalues ${c.eigenvalues.map((e) => formatNumber(e, 4)).join(', ')}`,
        ),
      ),
    );
    plot.redrawOverlay();
  }

  function showFailure(part: string, error: unknown): void {
    const message = expression.failure(error);
    if (part === 'point') {
      pointError.textContent = message;
      for (const o of Object.values(out)) setNumber(o, '');
    } else if (part === 'critical') criticalNote.textContent = message;
    else plot.description.textContent = `The map could not be computed: ${message}`;
  }

  return {
    unmount() {
      work.stop();
      expression.destroy();
      plot.destroy();
    },
  };
}
