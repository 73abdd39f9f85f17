// Drop-down menus of the studio table's toolbar (the disclosure pattern: a button with
// aria-expanded that shows a panel): the multi-select filters (state, owner, project, template) and
// the column menu (show/hide, fit widths). Escape, a click outside or focus leaving closes a menu.
// Values from DSS are text only.
import { clear, h } from "../shared/dom.js";

let menuCount = 0;

/**
 * createMenu({className, dataset, onOpen()}) -> {el, button, panel, open(bool), isOpen(), dispose()}
 * @param {{className?: string, dataset?: Record<string, string>, onOpen?: () => void}} options
 */
function createMenu({ className = "", dataset = {}, onOpen = () => {} }) {
  menuCount += 1;
  const panel = h("div", { class: "csw-st-menu-panel", id: `csw-st-menu-${menuCount}`, hidden: true });
  const button = h("button", { type: "button", class: "csw-st-menu-button", "aria-expanded": "false", "aria-controls": panel.id });
  const el = h("div", { class: `csw-st-menu ${className}`.trim(), dataset }, button, panel);
  const open = (value) => {
    if (value === !panel.hidden) return;
    panel.hidden = !value;
    button.setAttribute("aria-expanded", value ? "true" : "false");
    if (value) onOpen();
  };
  button.addEventListener("click", () => open(panel.hidden));
  el.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden) {
      e.stopPropagation();
      open(false);
      button.focus();
    }
  });
  el.addEventListener("focusout", (e) => {
    const to = /** @type {Node | null} */ (e.relatedTarget);
    if (!panel.hidden && to && !el.contains(to)) open(false);
  });
  const onDocClick = (e) => {
    if (!panel.hidden && !el.contains(e.target)) open(false);
  };
  document.addEventListener("click", onDocClick);
  return { el, button, panel, open, isOpen: () => !panel.hidden, dispose: () => document.removeEventListener("click", onDocClick) };
}

/**
 * A multi-select filter: createMultiFilter({title, choices() -> [{value, label, count}], get() ->
 * [value...], set([value...])}) -> {el, sync(), dispose()}. Nothing chosen = no filter.
 */
export function createMultiFilter({ title, choices, get, set }) {
  const list = h("div", { class: "csw-st-menu-list", role: "group", "aria-label": `Filter by ${title.toLowerCase()}` });
  const clearButton = h("button", { type: "button", onclick: () => set([]) }, "All");
  const menu = createMenu({ dataset: { filter: title.toLowerCase() }, onOpen: () => renderOptions() });
  menu.panel.append(clearButton, list);

  const renderOptions = () => {
    const chosen = new Set(get());
    clear(list);
    const known = choices();
    const values = new Set(known.map((c) => c.value));
    // a chosen value no row has any more stays listed (with 0) so it can be unticked
    const all = [...known, ...[...chosen].filter((v) => !values.has(v)).map((v) => ({ value: v, label: v || "(none)", count: 0 }))];
    for (const choice of all) {
      const box = h("input", {
        type: "checkbox",
        checked: chosen.has(choice.value),
        onchange: (e) => {
          const now = new Set(get());
          if (e.target.checked) now.add(choice.value);
          else now.delete(choice.value);
          set([...now]);
        },
      });
      list.append(h("label", { class: "csw-st-menu-item" }, box, h("span", { text: choice.label }), h("span", { class: "csw-st-menu-count", text: String(choice.count) })));
    }
  };
  const sync = () => {
    const chosen = get();
    const labels = new Map(choices().map((c) => [c.value, c.label]));
    let text = "all";
    if (chosen.length === 1) text = labels.get(chosen[0]) ?? (chosen[0] || "(none)");
    else if (chosen.length > 1) text = `${chosen.length} chosen`;
    menu.button.textContent = `${title}: ${text}`;
    menu.button.setAttribute("aria-label", `Filter by ${title.toLowerCase()}: ${text}`);
    menu.el.dataset.active = chosen.length ? "true" : "false";
    clearButton.disabled = chosen.length === 0;
    if (menu.isOpen()) renderOptions();
  };
  return { el: menu.el, sync, dispose: menu.dispose };
}

/**
 * The column menu: createColumnMenu({columns: [{id, label, hideable}], hidden() -> [id...],
 * setHidden([id...]), resetWidths(), hasWidths() -> bool}) -> {el, sync(), dispose()}.
 */
export function createColumnMenu({ columns, hidden, setHidden, resetWidths, hasWidths }) {
  const menu = createMenu({ className: "csw-st-colmenu" });
  menu.button.textContent = "Columns";
  const boxes = new Map();
  const list = h("div", { class: "csw-st-menu-list", role: "group", "aria-label": "Columns shown" });
  for (const col of columns.filter((c) => c.hideable)) {
    const box = h("input", {
      type: "checkbox",
      onchange: (e) => {
        const now = new Set(hidden());
        if (e.target.checked) now.delete(col.id);
        else now.add(col.id);
        setHidden([...now]);
      },
    });
    boxes.set(col.id, box);
    list.append(h("label", { class: "csw-st-menu-item" }, box, h("span", { text: col.label })));
  }
  const reset = h("button", { type: "button", onclick: () => resetWidths() }, "Fit widths to content");
  menu.panel.append(list, reset);
  const sync = () => {
    const gone = new Set(hidden());
    for (const [id, box] of boxes) box.checked = !gone.has(id);
    reset.disabled = !hasWidths();
  };
  return { el: menu.el, sync, dispose: menu.dispose };
}
