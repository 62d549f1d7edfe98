import { formatNumber, type DescentProgress } from '@nudge/core';
import type uPlot from 'uplot';
import { createChart } from '../../components/chart.js';
import { computeMap, createContourPlot } from '../../components/contour-plot.js';
import { numberField } from '../../components/fields.js';
import { movablePoint, planeExpressionInput, roundTo, type PlaneFn } from '../../components/plane-input.js';
import { plotView } from '../../components/plane-state.js';
import { el, uid } from '../../shell/dom.js';
import { PageWork } from '../../shell/latest.js';
import type { MountedPage, PageContext } from '../../shell/page.js';
import { race, type Race } from './compute.js';
import { keyOf, MAX_STEPS, OPTIMIZERS, readState, writeState, type DescentState, type Optimizer } from './state.js';

/** Points a side of the map's grid. */
const MAP_POINTS = 121;
/** How long the race is replayed on the map. */
const ANIMATION_MS = 2000;
const COLORS: Record<Optimizer, string> = { gd: '#e11d48', momentum: '#f97316', nesterov: '#a855f7', adam: '#06b6d4', 'line-search': '#ffffff' };
const TITLES: Record<Optimizer, string> = { gd: 'gradient descent', momentum: 'momentum', nesterov: 'Nesterov', adam: 'Adam', 'line-search': 'line search' };

/**
 * Page 4, gradient descent: the optimisers race from a start the person
 * picks (a click on the map, the arrow keys, or the fields), each a descent
 * in the worker pool with progress and cancel; their trajectories are
 * replayed on the contour map with requestAnimationFrame (time on a log
 * scale of steps, so the fast ones finish first), the loss on log axes,
 * and how each run ended, divergence included.
 */
export function mount(page: HTMLElement, { nudge, pool, state: url }: PageContext): MountedPage {
  const state: DescentState = readState(url);
  const save = (): void => writeState(url, state);
  let fn: PlaneFn | undefined;
  let shown: Race | undefined;
  let live = new Map<Optimizer, DescentProgress>();
  let controller: AbortController | undefined;
  let frame = 0;
  /** The largest step shown on the map (the animation's clock). */
  let shownStep = Infinity;

  const work = new PageWork(page, () => keyOf(state), (part, error) => showFailure(part, error));

  const expression = planeExpressionInput(
    nudge, state,
    (f) => ((fn = f), refresh('map', 'race')),
    () => (save(), (fn = undefined), stopRace(), work.invalid()),
  );

  // ---- controls
  const xInput = numberField('start x =', state.x, () => true, (v) => ((state.x = v), refresh('race')));
  const yInput = numberField('start y =', state.y, () => true, (v) => ((state.y = v), refresh('race')));
  const lrInput = numberField('learning rate', state.lr, (v) => v > 0 && v <= 100, (v) => ((state.lr = v), refresh('race')));
  const stepsInput = numberField('steps at most', state.steps, (v) => Number.isInteger(v) && v >= 1 && v <= MAX_STEPS, (v) => ((state.steps = v), refresh('race')));
  const boxes = OPTIMIZERS.map((o) => {
    const box = el('input', { attrs: { type: 'checkbox', id: uid(`opt-${o}`), value: o } });
    box.checked = state.opt.includes(o);
    box.addEventListener('change', () => {
      state.opt = OPTIMIZERS.filter((p) => boxes.find((b) => b.value === p)!.checked);
      refresh('race');
    });
    return box;
  });
  const optimisers = el(
    'fieldset', { class: 'checks' },
    el('legend', { class: 'label', text: 'optimisers' }),
    ...boxes.map((box) =>
      el('label', { attrs: { for: box.id } }, box, el('span', { class: 'swatch', attrs: { style: `background:${COLORS[box.value as Optimizer]};outline:1px solid #1d2330` } }), TITLES[box.value as Optimizer]),
    ),
  );
  const again = el('button', { text: 'Race again', attrs: { type: 'button' } });
  again.addEventListener('click', () => refresh('race'));
  const controls = el('div', { class: 'controls' }, expression.element, el('div', { class: 'fields' }, xInput.element, yInput.element, lrInput.element, stepsInput.element));

  // ---- the map and the race on it
  const plot = createContourPlot('f(x, y) with the optimisers’ paths (dark: low, yellow: high). Click the map to start there, or focus it and move the start with the arrow keys.');
  plot.setArrows(false);
  plot.paintOverlay(paintRace);

  const status = el('p', { class: 'detail', attrs: { id: 'race-status', role: 'status' } });
  const table = el('table', { class: 'steps', attrs: { id: 'race-results' } });
  const loss = createChart(
    'f along each path against the step, both axes logarithmic (the step axis counts from 1). When f is not positive everywhere on the paths, f minus the lowest value reached (plus a floor) is drawn instead, as the caption below says.',
    260,
    {
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: { x: { time: false, distr: 3, log: 10 }, y: { distr: 3, log: 10 } },
      axes: [
        { label: 'step', stroke: '#5d6678', grid: { stroke: '#e6e9ef' } },
        { label: 'f', stroke: '#5d6678', grid: { stroke: '#e6e9ef' }, size: 64, values: (_u: uPlot, splits: number[]) => splits.map((v) => (v > 0 ? v.toExponential(0) : '')) },
      ],
      series: [{}, ...OPTIMIZERS.map((o) => ({ label: TITLES[o], stroke: o === 'line-search' ? '#1d2330' : COLORS[o], width: 2, spanGaps: true }))],
    },
    [[1], ...OPTIMIZERS.map(() => [null])] as uPlot.AlignedData,
  );
  const lossNote = el('p', { class: 'detail', attrs: { id: 'loss-note' } });
  const raceSection = el(
    'section', { class: 'part', attrs: { 'aria-labelledby': 'race-title' } },
    el('h3', { text: 'How each run ended', attrs: { id: 'race-title' } }),
    status,
    el('div', { class: 'table-scroll', attrs: { tabindex: '0', role: 'region', 'aria-label': 'how each optimiser’s run ended' } }, table),
  );
  page.append(controls, optimisers, el('div', { class: 'fields' }, el('div', { class: 'field' }, again)), plot.figure, raceSection, loss.figure, lossNote);

  // ---- the start: click or keys
  const stepOf = (): number => Number(((2 * state.r) / 50).toPrecision(1));
  movablePoint(plot, 'The start of the race', stepOf, () => [state.x, state.y], (x, y) => {
    state.x = roundTo(stepOf(), x);
    state.y = roundTo(stepOf(), y);
    xInput.input.value = String(state.x);
    yInput.input.value = String(state.y);
    refresh('race');
  });

  // ---- computing
  function stopRace(): void {
    controller?.abort();
    controller = undefined;
    cancelAnimationFrame(frame);
  }

  function refresh(...parts: ('map' | 'race')[]): void {
    save();
    const f = fn;
    if (!f) return;
    work.started();
    if (parts.includes('map')) work.run('map', () => computeMap(pool(), f.expression, f.variables, plotView(state), MAP_POINTS), (g) => plot.setGrid(g, f.variables));
    if (!parts.includes('race')) return;
    stopRace();
    shown = undefined;
    live = new Map();
    shownStep = Infinity;
    page.dataset.animation = 'waiting';
    plot.redrawOverlay();
    if (state.opt.length === 0) {
      status.textContent = 'Choose at least one optimiser.';
      table.replaceChildren();
      return;
    }
    const s = { ...state, opt: [...state.opt] };
    const ctrl = new AbortController();
    controller = ctrl;
    status.textContent = `Running ${s.opt.map((o) => TITLES[o]).join(', ')} from (${formatNumber(s.x)}, ${formatNumber(s.y)})…`;
    work.run(
      'race',
      () => race(pool(), s, f.variables, ctrl.signal, (o, p) => {
        live.set(o, p);
        status.textContent = `Running: ${[...live].map(([name, q]) => `${TITLES[name]} step ${q.step}`).join(', ')}`;
      }),
      (r) => showRace(r, f.variables),
    );
  }

  function showRace(r: Race, variables: [string, string]): void {
    shown = r;
    const [vx, vy] = variables;
    status.textContent = `${r.size} runs from (${formatNumber(state.x)}, ${formatNumber(state.y)}); the paths are replayed on the map with time on a log scale of steps.`;
    const head = el('tr', {}, ...['optimiser', 'status', `end (${vx}, ${vy})`, 'f at the end', 'steps', 'note'].map((text) => el('th', { text, attrs: { scope: 'col' } })));
    const rows = [...r].map(([o, m]) =>
      el(
        'tr', { attrs: { id: `result-${o}`, 'data-status': m.status, 'data-x': String(m.point[vx]), 'data-y': String(m.point[vy]), 'data-value': String(m.value), 'data-steps': String(m.iterations) } },
        el('th', { attrs: { scope: 'row' } }, el('span', { class: 'swatch', attrs: { style: `background:${COLORS[o]};outline:1px solid #1d2330` } }), ` ${TITLES[o]}`),
        el('td', { class: `status-${m.status}`, text: m.status }),
        el('td', { text: `(${formatNumber(m.point[vx]!, 6)}, ${formatNumber(m.point[vy]!, 6)})` }),
        el('td', { text: formatNumber(m.value, 6) }),
        el('td', { text: String(m.iterations) }),
        el('td', { class: 'note', text: m.hint ?? m.warning ?? (m.converged ? `a ${m.kind}` : '') }),
      ),
    );
    table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
    animate(r);
    // the loss chart in a task of its own, so that no one task holds the main thread long
    setTimeout(() => shown === r && drawLoss(r), 0);
  }

  function drawLoss(r: Race): void {
    const steps = [...new Set([...r.values()].flatMap((m) => m.trajectory?.step ?? []))].sort((a, b) => a - b);
    const index = new Map(steps.map((s, i) => [s, i]));
    const all = [...r.values()].flatMap((m) => m.trajectory?.value ?? []).filter(Number.isFinite);
    const lowest = Math.min(...all);
    const shift = lowest > 0 ? 0 : -lowest + Math.max(1e-12, Math.abs(lowest) * 1e-12);
    lossNote.textContent =
      shift === 0
        ? 'f itself is drawn (it stays positive along every path).'
        : `f is not positive along the paths: f − (${formatNumber(lowest, 6)}) + ${formatNumber(shift + lowest, 2)} is drawn, so that the log scale can show it.`;
    const series = OPTIMIZERS.map((o) => {
      const out: (number | null)[] = steps.map(() => null);
      const t = r.get(o)?.trajectory;
      t?.step.forEach((s, k) => {
        const v = t.value[k]! + shift;
        out[index.get(s)!] = Number.isFinite(v) && v > 0 ? v : null;
      });
      return out;
    });
    loss.setData([steps.map((s) => s + 1), ...series] as uPlot.AlignedData);
  }

  /** Replays the race: at time t of ANIMATION_MS, every path up to step (last step)^t. */
  function animate(r: Race): void {
    cancelAnimationFrame(frame);
    const last = Math.max(1, ...[...r.values()].map((m) => m.iterations));
    const started = performance.now();
    page.dataset.animation = 'running';
    const tick = (now: number): void => {
      const t = Math.min(1, (now - started) / ANIMATION_MS);
      shownStep = t >= 1 ? Infinity : (last + 1) ** t - 1;
      plot.redrawOverlay();
      if (t < 1) frame = requestAnimationFrame(tick);
      else page.dataset.animation = 'done';
    };
    frame = requestAnimationFrame(tick);
  }

  function paintRace(ctx: CanvasRenderingContext2D): void {
    const [sx, sy] = plot.toPixel(state.x, state.y);
    for (const [o, m] of shown ?? []) {
      const t = m.trajectory;
      if (!t?.points) continue;
      ctx.strokeStyle = COLORS[o];
      ctx.lineWidth = 2;
      ctx.beginPath();
      let head: [number, number] = [sx, sy];
      for (let k = 0; k < t.points.length && t.step[k]! <= shownStep; k++) {
        const p = t.points[k]!;
        head = plot.toPixel(p[0]!, p[1]!);
        if (!Number.isFinite(head[0]) || !Number.isFinite(head[1])) break;
        if (k === 0) ctx.moveTo(...head);
        else ctx.lineTo(...head);
      }
      ctx.stroke();
      dot(ctx, head, 4, COLORS[o]);
    }
    for (const [o, p] of live) if (!shown) dot(ctx, plot.toPixel(p.point[0]!, p.point[1]!), 4, COLORS[o]);
    // the start
    ctx.fillStyle = '#ffffff';
    ctx.strokeStyle = '#1d2330';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.rect(sx - 6, sy - 6, 12, 12);
    ctx.fill();
    ctx.stroke();
  }

  function showFailure(part: string, error: unknown): void {
    const message = expression.failure(error);
    if (part === 'race') {
      status.textContent = message;
      table.replaceChildren();
    } else plot.description.textContent = `The map could not be computed: ${message}`;
  }

  return {
    unmount() {
      stopRace();
      work.stop();
      expression.destroy();
      plot.destroy();
      loss.destroy();
    },
  };
}

function dot(ctx: CanvasRenderingContext2D, [x, y]: [number, number], radius: number, colour: string): void {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  ctx.fillStyle = colour;
  ctx.strokeStyle = '#1d2330';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
}

