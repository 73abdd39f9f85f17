// "Copy as Python": put the code Python wrote for an action (an activity entry's `code`) on the clipboard;
// where the clipboard cannot be written (an insecure origin, a denied permission), show it in a selectable,
// read-only text box instead. The code is text: never parsed as HTML.
import { h } from "./dom.js";

/**
 * createCodeCopier() -> {el, copy(code, button) -> Promise<"copied" | "shown">, dispose()}. `el`: the fallback
 * box (hidden until needed) and a polite status region saying what happened.
 */
export function createCodeCopier() {
  const area = h("textarea", { class: "csw-code-text", readonly: true, rows: "8", spellcheck: "false", "aria-label": "Python code of the action" });
  const close = h("button", { type: "button" }, "Close");
  const note = h("p", { class: "csw-code-note", text: "The clipboard cannot be written here: select the code and copy it (Ctrl+C / ⌘C)." });
  const box = h("div", { class: "csw-code-box", hidden: true }, note, area, close);
  const status = h("span", { class: "csw-visually-hidden", role: "status", "aria-live": "polite" });
  const el = h("div", { class: "csw-code-copier" }, status, box);
  let timer = null;
  close.addEventListener("click", () => {
    box.hidden = true;
  });

  const show = (code) => {
    area.value = code;
    box.hidden = false;
    area.focus();
    area.select();
    status.textContent = "The code is shown below, selected.";
    return "shown";
  };

  return {
    el,
    /** @param {string} code @param {HTMLElement | null} [button] */
    async copy(code, button = null) {
      const clipboard = globalThis.navigator?.clipboard;
      if (!clipboard?.writeText) return show(code);
      try {
        await clipboard.writeText(code);
      } catch {
        return show(code);
      }
      status.textContent = "Copied the Python code to the clipboard.";
      if (button) {
        const label = button.dataset.label ?? button.textContent ?? "";
        button.dataset.label = label;
        button.textContent = "Copied";
        clearTimeout(timer);
        timer = setTimeout(() => {
          button.textContent = label;
        }, 1500);
      }
      return "copied";
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

/**
 * The "Copy as Python" control of a confirmation (every panel's: the studio table's bars, the dialogs, the
 * conflict viewer's pull/push step, the builds' restart offer): a button that asks Python for the code of the
 * action about to be taken (`code()`, a promise of the text; Python writes it: cswidgets/widgets/shared/
 * operation.py's python_code, the same as the activity entry's) and copies it, or shows it selected below when
 * the clipboard cannot be written. Copying never acts.
 * createCopyControl({code, label, report(err)}) -> {el, button, dispose()}. `label` names the action in the
 * button's accessible name; `report(err)` shows a failure to get the code.
 * @param {{code: () => Promise<unknown>, label?: string, report?: (err: unknown) => void}} options
 */
export function createCopyControl({ code, label = "", report = () => {} }) {
  const copier = createCodeCopier();
  const button = h("button", { type: "button", class: "csw-copy-python", "aria-label": label ? `Copy as Python: ${label}` : "Copy as Python" }, "Copy as Python");
  let disposed = false;
  button.addEventListener("click", () => {
    let asked;
    try {
      asked = Promise.resolve(code()); // asked at once: the click is the request
    } catch (err) {
      asked = Promise.reject(err);
    }
    asked
      .then((result) => (disposed ? null : copier.copy(String(/** @type {any} */ (result)?.code ?? result ?? ""), button)))
      .catch((err) => {
        if (!disposed) report(err);
      });
  });
  return {
    el: h("span", { class: "csw-code-control" }, button, copier.el),
    button,
    dispose() {
      disposed = true;
      copier.dispose();
    },
  };
}
