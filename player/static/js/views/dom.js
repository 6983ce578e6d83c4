// Building the DOM: one element helper for every view.

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * `h(doc, "p", {class: "x", onclick: f}, child, ...)`: an element with attributes
 * (`on*` functions become listeners, `false`/`null` leave the attribute out) and
 * children (strings become text, arrays are flattened, null and false are skipped).
 */
export function h(doc, tag, attrs = {}, ...children) {
  return build(doc.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function s(doc, tag, attrs = {}, ...children) {
  return build(doc.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "html") {
      el.innerHTML = value; // bundle HTML: sanitised when the bundle was built
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (typeof child === "string" || typeof child === "number") {
      el.append(el.ownerDocument.createTextNode(String(child)));
    } else el.append(child);
  }
}

let counter = 0;

/** A document-unique id with `prefix`. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}
