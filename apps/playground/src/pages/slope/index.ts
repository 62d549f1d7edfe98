import { formatEstimate, formatNumber, type SlopeResult } from '@nudge/core';
import { expressionInput } from '../../components/expression-input.js';
import { createHandle, type Handle } from '../../components/handle.js';
import { numberField, output, readout, setNumber } from '../../components/fields.js';
import { renderTex, texName, texNumber, texPlus } from '../../components/math.js';
import { el, uid } from '../../shell/dom.js';
import { PageWork } from '../../shell/latest.js';
import type { MountedPage, PageContext } from '../../shell/page.js';
import { curves, errorSweep, secant, SWEEP_STEPS, tangentView, type Curves, type Fn, type Sweep, type TangentView } from './compute.js';
import { derivativeChart, errorChart, functionChart, gaps, robustRange, SWEEP_SERIES } from './plots.js';
import { keyOf, MAX_LOG_H, MIN_LOG_H, readState, writeState, type SlopeState } from './state.js';

/**
 * Page 1, slope and the derivative: rise over run between two points A and B,
 * the secant from x to x + h turning into the tangent as h shrinks, and the
 * error of each way of computing f'(x) against h. All numbers come from the
 * worker; this file lays them out and draws them.
 */
export function mount(page: HTMLElement, { nudge, state: url }: PageContext): MountedPage {
  const state: SlopeState = readState(url);
  let fn: Fn | undefined;
  let variable = 'x';
  let shown: { curves?: Curves; secant?: SlopeResult; tangent?: TangentView } = {};

  const work = new PageWork(page, () => keyOf(state), (part, error) => showFailure(part, error));

  // ---- controls
  const expression = expressionInput({
    label: 'f(x) =',
    value: state.f,
    nudge,
    accept: (info) =>
      info.variables.length > 1 ? `this page is about functions of one variable, and f has ${info.variables.length}: ${info.variables.join(', ')}` : undefined,
    onValid: (text, info) => {
      state.f = text;
      variable = info.variables[0] ?? 'x';
      fn = { expression: text, ...(info.variables.length === 0 ? { variables: ['x'] } : {}) };
      save();
      refresh('curves', 'secant', 'tangent', 'sweep');
    },
    onInvalid: (text) => {
      state.f = text;
      save();
      fn = undefined;
      work.invalid();
    },
  });

  const fromInput = numberField('x from', state.from, (v) => v < state.to, (v) => ((state.from = v), refresh('curves')));
  const toInput = numberField('to', state.to, (v) => v > state.from, (v) => ((state.to = v), refresh('curves')));
  const controls = el('div', { class: 'controls' }, expression.element, el('div', { class: 'range-fields' }, fromInput.element, toInput.element));

  // ---- charts
  let yRange: [number, number] = [-1, 1];
  const fChart = functionChart(() => yRange);
  const dChart = derivativeChart(() => (shown.tangent ? { x: state.x, y: shown.tangent.tangent.derivative } : undefined));
  const eChart = errorChart();

  const range = (): { min: number; max: number; step: number } => {
    const span = state.to - state.from;
    return { min: state.from, max: state.to, step: Number((span / 50).toPrecision(1)) };
  };
  const xAt = (clientX: number): number => fChart.plot.posToVal(clientX - fChart.plot.over.getBoundingClientRect().left, 'x');
  const pointText = (x: number, y: number | undefined): string => `${variable} = ${formatNumber(x)}${y === undefined ? '' : `, f = ${formatNumber(y, 6)}`}`;
  const handleA = createHandle({
    label: 'Point A of the secant', className: 'handle-secant', range, xAt,
    value: () => state.a,
    valueText: () => pointText(state.a, shown.secant?.from.value),
    onChange: (x) => ((state.a = x), (aInput.input.value = String(x)), refresh('secant')),
  });
  const handleB = createHandle({
    label: 'Point B of the secant', className: 'handle-secant', range, xAt,
    value: () => state.b,
    valueText: () => pointText(state.b, shown.secant?.to.value),
    onChange: (x) => ((state.b = x), (bInput.input.value = String(x)), refresh('secant')),
  });
  const handleX = createHandle({
    label: 'Point x of the tangent', className: 'handle-tangent', range, xAt,
    value: () => state.x,
    valueText: () => pointText(state.x, shown.tangent?.tangent.value),
    onChange: (x) => ((state.x = x), (xInput.input.value = String(x)), refresh('tangent', 'sweep')),
  });
  const handles: [Handle, () => number, () => number | undefined][] = [
    [handleA, () => state.a, () => shown.secant?.from.value],
    [handleB, () => state.b, () => shown.secant?.to.value],
    [handleX, () => state.x, () => shown.tangent?.tangent.value],
  ];
  fChart.plot.over.append(...handles.map(([h]) => h.element));
  fChart.plot.hooks.draw = [...(fChart.plot.hooks.draw ?? []), () => placeHandles()];

  function placeHandles(): void {
    const u = fChart.plot;
    for (const [handle, x, y] of handles) {
      const yv = y();
      const visible = x() >= state.from && x() <= state.to && yv !== undefined && Number.isFinite(yv);
      handle.place(u.valToPos(x(), 'x'), visible ? u.valToPos(yv, 'y') : 0, visible);
      handle.refresh();
    }
  }

  // ---- rise over run
  const aInput = numberField('A at x =', state.a, () => true, (v) => ((state.a = v), refresh('secant')));
  const bInput = numberField('B at x =', state.b, () => true, (v) => ((state.b = v), refresh('secant')));
  const secantOut = {
    a: output('secant-a'), b: output('secant-b'), rise: output('secant-rise'), run: output('secant-run'), slope: output('secant-slope', 'big'),
  };
  const secantTex = el('div', { class: 'formula' });
  const secantError = el('p', { class: 'part-error', attrs: { role: 'status' } });
  const secantSection = el(
    'section', { class: 'part', attrs: { 'aria-labelledby': 'secant-title' } },
    el('h3', { text: 'Rise over run', attrs: { id: 'secant-title' } }),
    el('div', { class: 'fields' }, aInput.element, bInput.element),
    readout([['A', secantOut.a], ['B', secantOut.b], ['rise', secantOut.rise], ['run', secantOut.run], ['slope of the secant', secantOut.slope]]),
    secantTex, secantError,
  );

  // ---- secant to tangent
  const xInput = numberField('x =', state.x, () => true, (v) => ((state.x = v), refresh('tangent', 'sweep')));
  const sliderId = uid('h');
  const slider = el('input', { attrs: { id: sliderId, type: 'range', min: String(MIN_LOG_H), max: String(MAX_LOG_H), step: '0.25' } });
  slider.value = String(Math.log10(state.h));
  const hOut = el('output', { class: 'number', attrs: { id: 'tangent-h', for: sliderId } });
  const hField = el('div', { class: 'field field-h' }, el('label', { class: 'label', text: 'step h (log scale)', attrs: { for: sliderId } }), el('div', { class: 'slider-row' }, slider, hOut));
  slider.addEventListener('input', () => {
    state.h = Number((10 ** Number(slider.value)).toPrecision(3));
    refresh('tangent');
  });
  const tangentOut = { forward: output('forward-value', 'big'), exact: output('exact-value'), equation: output('tangent-equation') };
  const tangentTex = el('div', { class: 'formula' });
  const table = el('table', { class: 'steps' });
  const tangentError = el('p', { class: 'part-error', attrs: { role: 'status' } });
  const warning = el('p', { class: 'warning', attrs: { role: 'status' } });
  const tangentSection = el(
    'section', { class: 'part', attrs: { 'aria-labelledby': 'tangent-title' } },
    el('h3', { text: 'From the secant to the tangent', attrs: { id: 'tangent-title' } }),
    el('div', { class: 'fields' }, xInput.element, hField),
    readout([['forward difference', tangentOut.forward], ['exact derivative', tangentOut.exact], ['tangent line', tangentOut.equation]]),
    tangentTex, warning,
    el('div', { class: 'table-scroll', attrs: { tabindex: '0', role: 'region', 'aria-label': 'forward differences by step h' } }, table),
    tangentError,
  );

  // ---- error against h
  const sweepNote = el('p', { class: 'detail', attrs: { id: 'sweep-note' } });
  const sweepSection = el(
    'section', { class: 'part', attrs: { 'aria-labelledby': 'sweep-title' } },
    el('h3', { text: 'The error against h', attrs: { id: 'sweep-title' } }),
    eChart.figure, sweepNote,
  );

  page.append(controls, fChart.figure, dChart.figure, secantSection, tangentSection, sweepSection);

  // ---- computing and showing
  function refresh(...parts: ('curves' | 'secant' | 'tangent' | 'sweep')[]): void {
    save();
    const f = fn;
    if (!f) return;
    work.started();
    const s = { ...state };
    for (const part of parts) {
      if (part === 'curves') work.run('curves', () => curves(nudge, f, s.from, s.to), (c) => ((shown.curves = c), drawCurves()));
      if (part === 'secant') work.run('secant', () => secant(nudge, f, s.a, s.b), showSecant);
      if (part === 'tangent') work.run('tangent', () => tangentView(nudge, f, s.x, s.h), showTangent);
      if (part === 'sweep') work.run('sweep', () => errorSweep(nudge, f, s.x), showSweep);
    }
  }

  function drawCurves(): void {
    const c = shown.curves;
    if (!c) return;
    const fx = gaps(c.f);
    yRange = robustRange(fx);
    const line = (x0: number | undefined, y0: number | undefined, m: number | undefined): (number | null)[] =>
      x0 === undefined || y0 === undefined || m === undefined || !Number.isFinite(y0) || !Number.isFinite(m) ? c.xs.map(() => null) : c.xs.map((x) => y0 + m * (x - x0));
    const t = shown.tangent;
    fChart.setData([
      c.xs, fx,
      line(shown.secant?.from.at[variable], shown.secant?.from.value, shown.secant?.slope),
      line(state.x, t?.forward.value, t?.forward.derivative),
      line(state.x, t?.tangent.value, t?.tangent.slope),
    ]);
    dChart.setData([c.xs, gaps(c.derivative)]);
  }

  function showSecant(r: SlopeResult): void {
    shown.secant = r;
    secantError.textContent = r.warning ?? '';
    const xa = r.from.at[variable] ?? state.a;
    const xb = r.to.at[variable] ?? state.b;
    setNumber(secantOut.a, `(${formatNumber(xa)}, ${formatNumber(r.from.value)})`);
    setNumber(secantOut.b, `(${formatNumber(xb)}, ${formatNumber(r.to.value)})`);
    setNumber(secantOut.rise, formatNumber(r.rise), r.rise);
    setNumber(secantOut.run, formatNumber(r.run), r.run);
    setNumber(secantOut.slope, formatNumber(r.slope), r.slope);
    const v = texName(variable);
    renderTex(
      secantTex,
      `\\frac{f(${texNumber(xb)}) - f(${texNumber(xa)})}{${texNumber(xb)} - ${texNumber(xa)}} = \\frac{${texNumber(r.to.value)} - ${texNumber(r.from.value)}}{${texNumber(r.run)}} = ${texNumber(r.slope)}` +
        ` \\quad\\text{(the secant's slope; } ${v} \\text{ runs from A to B)}`,
      true,
    );
    drawCurves();
  }

  function showTangent(t: TangentView): void {
    shown.tangent = t;
    tangentError.textContent = '';
    hOut.textContent = `h = ${formatNumber(state.h)}`;
    slider.setAttribute('aria-valuetext', `h = ${formatNumber(state.h)}`);
    const fwd = t.forward;
    setNumber(tangentOut.forward, formatEstimate(fwd.derivative, fwd.errorEstimate), fwd.derivative);
    setNumber(tangentOut.exact, formatNumber(t.tangent.derivative), t.tangent.derivative);
    setNumber(tangentOut.equation, t.tangent.equation);
    warning.textContent = t.tangent.warning ?? fwd.warning ?? '';
    const v = texName(variable);
    const x = texNumber(state.x);
    const h = texNumber(state.h);
    renderTex(
      tangentTex,
      `\\frac{f(${texPlus(x, state.h)}) - f(${x})}{${h}} = ${texNumber(Number(formatEstimate(fwd.derivative, fwd.errorEstimate)))} \\;\\xrightarrow{\\;h \\to 0\\;}\\; f'(${x}) = ${texNumber(t.tangent.derivative)}, \\quad y = ${texNumber(t.tangent.slope)}\\,${v} ${t.tangent.intercept < 0 ? '-' : '+'} ${texNumber(Math.abs(t.tangent.intercept))}`,
      true,
    );
    const head = el('tr', {}, ...['h', 'forward difference (f(x+h) − f(x)) / h', 'error', "exact f′(x)"].map((text) => el('th', { text, attrs: { scope: 'col' } })));
    const rows = t.table.map(({ h: step, forward }) => {
      const current = step === state.h;
      return el(
        'tr', current ? { class: 'current', attrs: { 'aria-current': 'true' } } : {},
        el('th', { text: formatNumber(step), attrs: { scope: 'row' } }),
        el('td', { text: formatNumber(forward.derivative), attrs: { 'data-raw': String(forward.derivative) } }),
        el('td', { text: formatNumber(Math.abs(forward.derivative - t.tangent.derivative), 2) }),
        el('td', { text: formatNumber(t.tangent.derivative) }),
      );
    });
    table.replaceChildren(el('caption', { text: `Forward differences of f at ${variable} = ${formatNumber(state.x)}, the step shrinking` }), el('thead', {}, head), el('tbody', {}, ...rows));
    drawCurves();
    dChart.plot.redraw();
  }

  function showSweep(s: Sweep): void {
    const exact = s.exact.derivative;
    if (!Number.isFinite(exact)) {
      sweepNote.textContent = `f has no finite exact derivative at ${variable} = ${formatNumber(state.x)} (${formatNumber(exact)}): there is nothing to measure the errors against.`;
      eChart.setData([SWEEP_STEPS, ...SWEEP_SERIES.map(() => SWEEP_STEPS.map(() => null))]);
      return;
    }
    const floor = Number.EPSILON * Math.max(1, Math.abs(exact));
    const error = (d: number): number | null => (Number.isFinite(d) ? Math.max(floor, Math.abs(d - exact)) : null);
    const series = SWEEP_SERIES.map(({ key }) => {
      if (key === 'exact') return SWEEP_STEPS.map(() => floor);
      if (key === 'complex') return SWEEP_STEPS.map(() => error(s.complex.derivative));
      return Array.from(s.estimates[key]!, error);
    });
    eChart.setData([SWEEP_STEPS, ...series]);
    const forward = series[0]!;
    let best = 0;
    forward.forEach((e, i) => {
      if (e !== null && (forward[best] === null || e < forward[best]!)) best = i;
    });
    sweepNote.textContent =
      `At ${variable} = ${formatNumber(state.x)}, f′ = ${formatNumber(exact)}. The forward difference is best near h = ${formatNumber(SWEEP_STEPS[best]!, 2)} ` +
      `(error ${formatNumber(forward[best] ?? NaN, 2)}); smaller steps lose to rounding. Complex step: error ${formatNumber(Math.abs(s.complex.derivative - exact), 2)}.`;
  }

  function showFailure(part: string, error: unknown): void {
    const message = expression.failure(error);
    const target = part === 'secant' ? secantError : part === 'tangent' ? tangentError : sweepNote;
    target.textContent = message;
    if (part === 'secant') for (const o of Object.values(secantOut)) setNumber(o, '');
  }

  function save(): void {
    writeState(url, state);
  }

  return {
    unmount() {
      work.stop();
      expression.destroy();
      for (const chart of [fChart, dChart, eChart]) chart.destroy();
    },
  };
}
