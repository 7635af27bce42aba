/**
 * A tiny JSX runtime that renders to strings on the server. Text and attribute values are
 * escaped by default; only `raw()` (for trusted, already-escaped markup) bypasses it.
 * tsconfig: "jsx": "react", "jsxFactory": "h", "jsxFragmentFactory": "Fragment".
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Child = Html | string | number | boolean | null | undefined | Child[];
type Props = Record<string, unknown> & { children?: Child };
export type Component<P = Record<string, unknown>> = (props: P & { children?: Child }) => Html;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const NEEDS_ESCAPE = /[&<>"']/;
export function escapeHtml(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!) : value;
}

/** Markup that is already safe (escaped or constant). Never pass user input. */
export function raw(markup: string): Html {
  return new Html(markup);
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const ATTRIBUTE_NAME = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/;

function renderChild(child: Child, out: string[]): void {
  if (child === null || child === undefined || child === false || child === true) return;
  if (child instanceof Html) out.push(child.value);
  else if (Array.isArray(child)) for (const c of child) renderChild(c, out);
  else out.push(escapeHtml(String(child)));
}

function renderAttributes(props: Props): string {
  let out = '';
  for (const [key, value] of Object.entries(props)) {
    if (key === 'children' || value === null || value === undefined || value === false) continue;
    const name = key === 'className' ? 'class' : key === 'htmlFor' ? 'for' : key;
    if (!ATTRIBUTE_NAME.test(name)) throw new Error(`Invalid attribute name: ${name}`);
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

export function h(tag: string | ((props: never) => Html), props: Props | null, ...children: Child[]): Html {
  const allProps: Props = { ...(props ?? {}) };
  if (children.length > 0) allProps.children = children.length === 1 ? children[0] : children;
  if (typeof tag === 'function') return (tag as (props: Props) => Html)(allProps);
  const out: string[] = [`<${tag}${renderAttributes(allProps)}>`];
  if (VOID.has(tag)) return new Html(out[0]!);
  renderChild(allProps.children, out);
  out.push(`</${tag}>`);
  return new Html(out.join(''));
}

export function Fragment(props: { children?: Child }): Html {
  const out: string[] = [];
  renderChild(props.children, out);
  return new Html(out.join(''));
}

/** Nothing: what a component renders when it has nothing to show. */
export const EMPTY = new Html('');

export function renderDocument(root: Html): string {
  return `<!doctype html>${root.value}`;
}

declare global {
  namespace JSX {
    type Element = Html;
    interface IntrinsicElements {
      [element: string]: Record<string, unknown>;
    }
    interface ElementChildrenAttribute {
      children: unknown;
    }
  }
}
