import type { Step } from '@nudge/core';
import { renderTex } from '../../components/math.js';
import { el } from '../../shell/dom.js';

/**
 * A derivation as nested lists: each step's title, its sentence for people
 * and its equation typeset by KaTeX, the details under it. All text from
 * the core goes in as text, the LaTeX through KaTeX with trust off.
 */
export function stepList(steps: readonly Step[], label: string): HTMLOListElement {
  const list = el('ol', { class: 'derivation', attrs: { 'aria-label': label } });
  for (const step of steps) {
    const tex = el('div', { class: 'formula', attrs: { 'data-equation': step.equation } });
    renderTex(tex, step.latex, true);
    const item = el(
      'li',
      { class: `step step-${step.kind}`, attrs: { 'data-rule': step.rule } },
      el('p', { class: 'step-title' }, el('strong', { text: step.title })),
      el('p', { class: 'step-text', text: step.text }),
      tex,
    );
    if (step.steps.length > 0) item.append(stepList(step.steps, `details of: ${step.title}`));
    list.append(item);
  }
  return list;
}

/** The chain-rule steps of a derivation, wherever they sit in it (outermost first). */
export function chainSteps(steps: readonly Step[]): Step[] {
  return steps.flatMap((s) => (s.rule === 'chain' ? [s] : chainSteps(s.steps)));
}
