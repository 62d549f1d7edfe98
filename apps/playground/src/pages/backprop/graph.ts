import { formatNumber, type BackpropEdge, type BackpropResult } from '@nudge/core';
import { layout, NODE_H, NODE_W, type Layout, type Walk } from './layout.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element built with DOM calls; attribute values are text, never markup. */
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const num = (v: number | null): string => (v === null ? '—' : formatNumber(v, 4));

/**
 * The computational graph drawn as SVG: a box per node (its definition, its
 * value once the forward pass has reached it, its adjoint once the backward
 * pass has), an arrow per edge labelled with its local partial derivative,
 * and dots that run along the edges of the step being taken (forward: into
 * the node; backward: from its consumers back into it).
 */
export class GraphView {
  readonly element: SVGSVGElement;
  private r: BackpropResult | undefined;
  private at: Layout | undefined;
  private readonly dots: SVGCircleElement[] = [];
  private readonly boxes = new Map<number, { group: SVGGElement; value: SVGTextElement; adjoint: SVGTextElement }>();
  private readonly labels = new Map<number, { group: SVGGElement; text: SVGTextElement }>();
  private readonly dotLayer = svg('g', { class: 'dots' });

  constructor() {
    this.element = svg('svg', { class: 'graph', role: 'img' });
  }

  /** Draw a new graph (all of it hidden until `show`). */
  draw(r: BackpropResult): void {
    this.r = r;
    const l = (this.at = layout(r));
    this.element.setAttribute('viewBox', `0 0 ${l.width} ${l.height}`);
    this.element.style.minWidth = `${Math.min(l.width, 520)}px`;
    this.element.setAttribute('aria-label', `The computational graph of ${r.expression}: ${r.nodes.length} nodes, inputs on the left, the output ${r.outputName} on the right. The table below lists every value and adjoint.`);
    const defs = svg('defs');
    const marker = svg('marker', { id: 'graph-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
    defs.append(marker);
    const edges = svg('g', { class: 'edges' });
    const nodes = svg('g', { class: 'nodes' });
    this.boxes.clear();
    this.labels.clear();
    for (const e of r.edges) {
      const [x1, y1, x2, y2] = this.ends(e);
      const group = svg('g', { class: 'edge', 'data-edge': e.id });
      group.append(svg('line', { x1, y1, x2, y2, 'marker-end': 'url(#graph-arrow)' }));
      const text = svg('text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 6, 'text-anchor': 'middle', class: 'edge-label' });
      group.append(text);
      this.labels.set(e.id, { group, text });
      edges.append(group);
    }
    for (const n of r.nodes) {
      const cx = l.x[n.id]!;
      const cy = l.y[n.id]!;
      const group = svg('g', { class: `node node-${n.kind}`, 'data-node': n.name });
      group.append(svg('rect', { x: cx - NODE_W / 2, y: cy - NODE_H / 2, width: NODE_W, height: NODE_H, rx: 8 }));
      const title = n.kind === 'operation' ? `${n.name} = ${n.definition}` : n.name;
      group.append(svg('text', { x: cx, y: cy - 14, 'text-anchor': 'middle', class: 'node-title' }, title.length > 22 ? `${title.slice(0, 21)}…` : title));
      const value = svg('text', { x: cx, y: cy + 6, 'text-anchor': 'middle', class: 'node-value' });
      const adjoint = svg('text', { x: cx, y: cy + 24, 'text-anchor': 'middle', class: 'node-adjoint' });
      group.append(value, adjoint);
      this.boxes.set(n.id, { group, value, adjoint });
      nodes.append(group);
    }
    this.element.replaceChildren(defs, edges, nodes, this.dotLayer);
  }

  /** What is known at step k of the walk. */
  show(k: number, w: Walk): void {
    const r = this.r;
    if (!r) return;
    const current = w.at(k);
    for (const n of r.nodes) {
      const box = this.boxes.get(n.id)!;
      const hasValue = w.hasValue(k, n.id);
      const hasAdjoint = n.adjoint !== null && w.hasAdjoint(k, n.id);
      box.value.textContent = hasValue ? `value ${num(n.value)}` : 'value ?';
      box.adjoint.textContent = n.adjoint === null ? '' : hasAdjoint ? `∂${r.outputName}/∂${n.name} = ${num(n.adjoint)}` : `∂${r.outputName}/∂${n.name} = ?`;
      box.group.classList.toggle('known', hasValue);
      box.group.classList.toggle('has-adjoint', hasAdjoint);
      box.group.classList.toggle('current', current?.node === n.id);
    }
    for (const e of r.edges) {
      const label = this.labels.get(e.id)!;
      const to = r.nodes[e.to]!;
      const from = r.nodes[e.from]!;
      const local = e.partial === null ? '' : `∂${to.name}/∂${from.name} = ${num(e.partial)}`;
      label.text.textContent = w.hasValue(k, e.to) ? local : '';
      label.group.classList.toggle('active', this.stepEdges(k, w).includes(e));
    }
  }

  /** The edges the step k runs along: into the node (forward), out of it to its consumers (backward). */
  stepEdges(k: number, w: Walk): BackpropEdge[] {
    const r = this.r;
    const s = w.at(k);
    if (!r || !s) return [];
    return s.pass === 'forward' ? r.edges.filter((e) => e.to === s.node) : r.nodes[s.node]!.adjointTerms.map((id) => r.edges[id]!);
  }

  /** Dots along the step's edges at progress t in [0, 1] (forward: along the arrow; backward: against it); none when t is undefined. */
  dotsAt(edges: readonly BackpropEdge[], backward: boolean, t: number | undefined): void {
    while (this.dots.length < edges.length) {
      const dot = svg('circle', { r: 6, class: 'dot' });
      this.dots.push(dot);
      this.dotLayer.append(dot);
    }
    this.dots.forEach((dot, i) => {
      const e = edges[i];
      if (!e || t === undefined) {
        dot.setAttribute('visibility', 'hidden');
        return;
      }
      const [x1, y1, x2, y2] = this.ends(e);
      const s = backward ? 1 - t : t;
      dot.setAttribute('cx', String(x1 + (x2 - x1) * s));
      dot.setAttribute('cy', String(y1 + (y2 - y1) * s));
      dot.setAttribute('class', backward ? 'dot dot-back' : 'dot');
      dot.setAttribute('visibility', 'visible');
    });
  }

  /** An edge from the right side of its input's box to the left side of its consumer's. */
  private ends(e: BackpropEdge): [number, number, number, number] {
    const l = this.at!;
    return [l.x[e.from]! + NODE_W / 2, l.y[e.from]!, l.x[e.to]! - NODE_W / 2, l.y[e.to]!];
  }
}
