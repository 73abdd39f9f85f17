// Drop-down menus of the studio table's toolbar, built on <details>/<summary> (keyboard and screen
// reader support for free): the multi-select filters (state, owner, project, template) and the
// column menu (show/hide, reset widths). Values from DSS are text only.
import { clear, h } from "../shared/dom.js";

let menuCount = 0;

/** Close a menu when Escape is pressed inside it or focus / a click leaves it. */
function closable(details, summary) {
  details.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && details.open) {
      e.stopPropagation();
      details.open = false;
      summary.focus();
    }
  });
  details.addEventListener("focusout", (e) => {
    if (details.open && e.relatedTarget && !details.contains(/** @type {Node} */ (e.relatedTarget))) details.open = false;
  });
  const onDocClick = (e) => {
    if (details.open && !details.contains(e.target)) details.open = false;
  };
  document.addEventListener("click", onDocClick);
  return () => document.removeEventListener("click", onDocClick);
}

/**
 * A multi-select filter: createMultiFilter({title, choices() -> [{value, label, count}], get() ->
 * [value...], set([value...])}) -> {el, sync(), dispose()}. Nothing chosen = no filter.
 */
export function createMultiFilter({ title, choices, get, set }) {
  menuCount += 1;
  const id = `csw-st-menu-${menuCount}`;
  const summary = h("summary", { class: "csw-st-menu-button", "aria-label": `Filter by ${title.toLowerCase()}` });
  const list = h("div", { class: "csw-st-menu-list", role: "group", id, "aria-label": `Filter by ${title.toLowerCase()}` });
  const clearButton = h("button", { type: "button", onclick: () => set([]) }, "All");
  const panel = h("div", { class: "csw-st-menu-panel" }, clearButton, list);
  const details = h("details", { class: "csw-st-menu", dataset: { filter: title.toLowerCase() } }, summary, panel);
  const dispose = closable(details, summary);

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
  details.addEventListener("toggle", () => {
    if (details.open) renderOptions();
  });

  const sync = () => {
    const chosen = get();
    const labels = new Map(choices().map((c) => [c.value, c.label]));
    let text = "all";
    if (chosen.length === 1) text = labels.get(chosen[0]) ?? (chosen[0] || "(none)");
    else if (chosen.length > 1) text = `${chosen.length} chosen`;
    summary.textContent = `${title}: ${text}`;
    summary.setAttribute("aria-label", `Filter by ${title.toLowerCase()}: ${text}`);
    details.dataset.active = chosen.length ? "true" : "false";
    clearButton.disabled = chosen.length === 0;
    if (details.open) renderOptions();
  };
  return { el: details, sync, dispose };
}

/**
 * The column menu: createColumnMenu({columns: [{id, label, hideable}], hidden() -> [id...],
 * setHidden([id...]), resetWidths(), hasWidths() -> bool}) -> {el, sync(), dispose()}.
 */
export function createColumnMenu({ columns, hidden, setHidden, resetWidths, hasWidths }) {
  const summary = h("summary", { class: "csw-st-menu-button", text: "Columns" });
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
  const details = h("details", { class: "csw-st-menu csw-st-colmenu" }, summary, h("div", { class: "csw-st-menu-panel" }, list, reset));
  const dispose = closable(details, summary);
  const sync = () => {
    const gone = new Set(hidden());
    for (const [id, box] of boxes) box.checked = !gone.has(id);
    reset.disabled = !hasWidths();
  };
  return { el: details, sync, dispose };
}
