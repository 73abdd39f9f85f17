// Inline dialogs for actions that change or destroy something on DSS: a form (fields + a primary
// button) shown in place of a modal. JupyterLab's keyboard conventions: focus starts on the field the
// form names (`focus`: its first field, where the user types) or else on the safe button (Cancel); Enter
// in a field submits when the form is valid (a typed confirmation matches, a login is given), on a button
// it presses that button; Escape cancels and focus returns where it was. Every text (names, labels, DSS
// messages) is set as text, never as HTML.
import { clear, h } from "./dom.js";

let ids = 0;

/**
 * createDialog(className) -> {el, open({title, body: Node[], confirm, danger, ready(), submit(), focus?, extra?}),
 * close(), busy(on), refresh(), isOpen()}. `ready()` says whether the primary button is enabled (called on every
 * input); `submit()` returns a promise: the dialog closes when it resolves, stays open (buttons back)
 * when it rejects; `focus`: the control that takes focus on opening (default: Cancel); `extra`: shown beside
 * the buttons (a "Copy as Python" control, shared/copy.js), never submitting.
 */
export function createDialog(className) {
  ids += 1;
  const title = h("strong", { class: "csw-dialog-title", id: `csw-dialog-${ids}` });
  const el = h("div", { class: `csw-dialog ${className}`, role: "dialog", "aria-labelledby": title.id, hidden: true });
  let current = null;
  let returnTo = null;

  const close = () => {
    if (!current) return;
    current = null;
    el.hidden = true;
    clear(el);
    if (returnTo?.isConnected && !returnTo.disabled) returnTo.focus();
    returnTo = null;
  };
  const refresh = () => {
    if (current) current.yes.disabled = current.working || !current.spec.ready();
  };
  el.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      close();
    } else if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && isField(e.target)) {
      e.preventDefault(); // one path: never the browser's implicit submission besides this one
      e.stopPropagation();
      submit();
    }
  });
  el.addEventListener("input", refresh);
  el.addEventListener("change", refresh);

  /** @param {Event} [e] */
  async function submit(e) {
    e?.preventDefault();
    if (!current || current.working || !current.spec.ready()) return;
    const mine = current;
    mine.working = true;
    mine.no.disabled = true;
    refresh();
    try {
      await mine.spec.submit();
      if (current === mine) close();
    } catch {
      // the kernel reported the error in the panel's alerts; keep the form to correct it
    } finally {
      mine.working = false;
      mine.no.disabled = false;
      refresh();
    }
  }

  return {
    el,
    open(spec) {
      close();
      returnTo = document.activeElement;
      title.textContent = spec.title;
      const yes = h("button", { type: "submit", class: spec.danger ? "csw-danger" : "csw-primary" }, spec.confirm);
      const no = h("button", { type: "button", onclick: close }, "Cancel");
      const form = h("form", { class: "csw-dialog-form" }, title, ...spec.body, h("div", { class: "csw-dialog-buttons" }, yes, no, spec.extra ?? null));
      form.addEventListener("submit", submit);
      el.append(form);
      current = { spec, yes, no, working: false };
      el.hidden = false;
      refresh();
      (spec.focus ?? no).focus();
    },
    close,
    refresh,
    isOpen: () => current !== null,
  };
}

/** Whether Enter on `target` submits its form: a text field or a drop-down, not a button or a checkbox. */
function isField(target) {
  if (target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit", "reset", "file"].includes(target.type);
}

/** A labelled field: label text + control. */
export function field(label, control) {
  return h("label", { class: "csw-dialog-field" }, h("span", { text: label }), control);
}
