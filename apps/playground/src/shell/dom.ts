/**
 * Elements built with DOM calls only. Strings become text nodes (never
 * markup), so nothing typed by a person or read from the URL can turn into
 * HTML: the playground has no innerHTML anywhere.
 */
export type Child = Node | string;

export interface ElementProps {
  class?: string;
  /** Text content (set as text, never parsed). */
  text?: string;
  /** Attributes, set with setAttribute (values are text). */
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
}

/** A unique id for labels and aria references. */
let counter = 0;
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}
