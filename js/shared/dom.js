// Safe DOM construction. Text from DSS (names, logins, paths, messages) is only ever
// inserted as text nodes or attribute values — never parsed as HTML.

/**
 * Create an element. `attrs` keys: `class`, `text` (textContent), `on<event>` (listener),
 * `dataset` (object), `style` (object), boolean/undefined values toggle attributes; anything
 * else goes through setAttribute. Children may be nodes, strings (as text) or null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = String(value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style") Object.assign(el.style, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "href") {
      const safe = safeHref(value);
      if (safe) el.setAttribute("href", safe);
    } else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Append children (nodes or strings as text), flattening arrays, skipping null/false. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Only http(s) URLs become links; anything else (javascript:, data:, vbscript:…) gives null. */
export function safeHref(url) {
  if (typeof url !== "string") return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Remove every child of `el`. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}
