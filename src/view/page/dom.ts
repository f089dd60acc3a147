// Small DOM helpers shared by the demo's parts and the `weft view` page. Text goes in with
// textContent only: nothing from a trace, a store or a model becomes markup.

/** The element matching `selector` (the page's own ids: a missing one is a bug). */
export function $<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T {
  const el = root.querySelector<T>(selector);
  if (el === null) throw new Error(`page: no element ${selector}`);
  return el;
}

/** Sets an element's text. */
export function setText(selector: string, text: string): void {
  $(selector).textContent = text;
}

/** An element with text and attributes. */
export function el(tag: string, text = '', attrs: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** Milliseconds for people: 0.42 ms, 12.3 ms, 1,234 ms. */
export function fmtMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

/** Nanoseconds or microseconds per operation. */
export function fmtNs(ns: number): string {
  if (ns < 1000) return `${ns.toFixed(ns < 10 ? 1 : 0)} ns`;
  if (ns < 1e6) return `${(ns / 1000).toFixed(ns < 1e4 ? 2 : 1)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}
