// The "⋯" menu of a row when the box is too narrow for its action buttons (columns.js `compact`): the same
// actions (row.js `rowActions`), as a menu of named buttons floating under the "⋯" button, over the rows
// (nothing moves). The menu button pattern: the first enabled item takes focus, ↑/↓ move, Escape or Tab
// closes it (Escape back to "⋯"), a click outside closes it. Names from DSS are text only.
import { clear, h } from "../shared/dom.js";

/**
 * createRowMenu({onAction(kind, row), onClose()}) -> {el, open(row, opener, actions), close(), isOpen(), dispose()}
 * @param {{onAction: (kind: string, row: any) => void, onClose?: () => void}} options
 */
export function createRowMenu({ onAction, onClose = () => {} }) {
  const el = h("div", { class: "csw-st-row-menu", role: "menu", hidden: true });
  /** @type {HTMLElement | null} */
  let opener = null;
  const items = () => /** @type {HTMLButtonElement[]} */ ([...el.querySelectorAll("button:not(:disabled)")]);

  const close = (refocus = false) => {
    if (el.hidden) return;
    el.hidden = true;
    clear(el);
    el.removeAttribute("aria-label");
    const back = opener;
    opener = null;
    back?.setAttribute("aria-expanded", "false");
    if (refocus && back?.isConnected) back.focus({ preventScroll: true });
    onClose();
  };

  /** @param {any} row @param {HTMLElement} button @param {{action: string, text: string, label: string, title: string, danger: boolean, disabled: boolean}[]} actions */
  const open = (row, button, actions) => {
    if (opener === button) return close(true); // a second click on "⋯" closes it
    close();
    opener = button;
    button.setAttribute("aria-expanded", "true");
    el.setAttribute("aria-label", button.getAttribute("aria-label") ?? "Actions");
    for (const a of actions) {
      el.append(
        h(
          "button",
          {
            type: "button",
            role: "menuitem",
            class: a.danger ? "csw-danger" : null,
            dataset: { action: a.action },
            "aria-label": a.label,
            title: a.title,
            disabled: a.disabled,
            onclick: () => {
              close(true);
              onAction(a.action, row);
            },
          },
          a.text,
        ),
      );
    }
    el.hidden = false;
    const parent = el.offsetParent;
    if (parent) {
      const box = parent.getBoundingClientRect();
      const at = button.getBoundingClientRect();
      el.style.top = `${Math.round(at.bottom - box.top)}px`;
      el.style.right = `${Math.max(0, Math.round(box.right - at.right))}px`;
    }
    (items()[0] ?? el).focus({ preventScroll: true });
  };

  el.addEventListener("keydown", (e) => {
    const list = items();
    const i = list.indexOf(/** @type {any} */ (document.activeElement));
    if (e.key === "Escape") {
      e.stopPropagation();
      close(true);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = list[(i + (e.key === "ArrowDown" ? 1 : -1) + list.length) % list.length];
      next?.focus();
    } else if (e.key === "Tab") {
      close();
    }
  });
  // a press on the menu's padding keeps focus in it (see menus.js)
  el.addEventListener("mousedown", (e) => {
    if (!(/** @type {Element} */ (e.target).closest?.("button"))) e.preventDefault();
  });
  el.addEventListener("focusout", (e) => {
    const to = /** @type {Node | null} */ (e.relatedTarget);
    if (to && !el.contains(to) && to !== opener) close();
  });
  const onDocClick = (e) => {
    const path = e.composedPath();
    if (!el.hidden && !path.includes(el) && !(opener && path.includes(opener))) close();
  };
  document.addEventListener("click", onDocClick);

  return {
    el,
    open,
    close,
    isOpen: () => !el.hidden,
    dispose() {
      document.removeEventListener("click", onDocClick);
      close();
    },
  };
}
