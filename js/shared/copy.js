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
