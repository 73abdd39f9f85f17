// The header row and <colgroup> of the studio table: sort buttons, the select-all box, and a
// resize handle on each text column's right edge (drag it; double-click fits the column to its
// content again; from the keyboard, Shift+←/→ on a column's sort button). Rebuilt when the shown
// columns change; widths are applied in place.
import { clear, h } from "../shared/dom.js";

/** @typedef {import("./columns.js").ColumnSpec} ColumnSpec */

export const RESIZE_STEP = 16; // px per Shift+arrow

/**
 * createHeader({table, onSort(column), onSelectAll(checked), onResize(id, px | null, final)}) ->
 * {row, selectAll, build(ids, specs: Map id -> ColumnSpec), sync({sort, widths, total, all, some, none})}
 */
export function createHeader({ table, onSort, onSelectAll, onResize }) {
  const colgroup = h("colgroup");
  const row = h("tr", { role: "row", "aria-rowindex": "1" });
  const selectAll = h("input", { type: "checkbox", tabindex: "-1", "aria-label": "Select all shown studios" });
  selectAll.addEventListener("click", () => onSelectAll(selectAll.checked));
  const cols = new Map(); // id -> <col>
  const sortCells = new Map(); // sort id -> {th, mark}
  let shown = [];

  const handle = (col, th) => {
    const grip = h("div", { class: "csw-st-resize", "aria-hidden": "true", title: `Drag to resize ${col.label}; double-click to fit` });
    grip.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      e.stopPropagation();
      const startX = e.clientX;
      const startW = th.getBoundingClientRect().width;
      grip.setPointerCapture?.(e.pointerId);
      const width = (ev) => Math.round(Math.max(40, startW + ev.clientX - startX));
      const move = (ev) => onResize(col.id, width(ev), false);
      const up = (ev) => {
        grip.removeEventListener("pointermove", move);
        grip.removeEventListener("pointerup", up);
        grip.removeEventListener("pointercancel", up);
        onResize(col.id, width(ev), true);
      };
      grip.addEventListener("pointermove", move);
      grip.addEventListener("pointerup", up);
      grip.addEventListener("pointercancel", up);
    });
    grip.addEventListener("dblclick", () => onResize(col.id, null, true));
    return grip;
  };

  /**
   * @param {string[]} columns @param {Map<string, ColumnSpec>} specs
   * @param {Set<string>} [compact] columns shown compact (narrow box): their label for screen readers only
   */
  const build = (columns, specs, compact = new Set()) => {
    shown = columns;
    clear(colgroup);
    clear(row);
    cols.clear();
    sortCells.clear();
    for (const id of columns) {
      const col = /** @type {ColumnSpec} */ (specs.get(id));
      const c = h("col", { dataset: { col: id } });
      cols.set(id, c);
      colgroup.append(c);
      let th;
      if (col.sort) {
        const mark = h("span", { class: "csw-st-sort-mark", "aria-hidden": "true" });
        const button = h(
          "button",
          {
            type: "button",
            class: "csw-st-sort",
            tabindex: "-1",
            "aria-label": `Sort by ${col.label}`,
            "aria-keyshortcuts": "Shift+ArrowLeft Shift+ArrowRight",
            dataset: { resize: id },
            onclick: () => onSort(col.sort),
          },
          col.label,
          mark,
        );
        th = h("th", { scope: "col", role: "columnheader", dataset: { col: id } }, button);
        th.append(handle(col, th));
        sortCells.set(col.sort, { th, mark });
      } else if (col.kind === "select") {
        th = h("th", { scope: "col", role: "columnheader", class: "csw-st-check", dataset: { col: id } }, h("span", { class: "csw-visually-hidden", text: "Select" }), selectAll);
      } else if (compact.has(id)) {
        th = h("th", { scope: "col", role: "columnheader", tabindex: "-1", dataset: { col: id } }, h("span", { class: "csw-visually-hidden", text: col.label }));
      } else {
        th = h("th", { scope: "col", role: "columnheader", tabindex: "-1", dataset: { col: id }, text: col.label });
      }
      row.append(th);
    }
    if (colgroup.parentNode !== table) table.prepend(colgroup);
  };

  const sync = ({ sort, widths, total, available, all, some, none }) => {
    for (const id of shown) cols.get(id).style.width = `${widths[id]}px`;
    // never narrower than the columns' sum: below it (a very narrow notebook) the table scrolls
    table.style.minWidth = `${total}px`;
    table.style.width = total > available ? `${total}px` : "100%";
    for (const [id, { th, mark }] of sortCells) {
      const active = sort.column === id;
      th.setAttribute("aria-sort", active ? (sort.descending ? "descending" : "ascending") : "none");
      mark.textContent = active ? (sort.descending ? "▼" : "▲") : "";
    }
    selectAll.checked = all;
    selectAll.indeterminate = some;
    selectAll.disabled = none;
  };

  return { colgroup, row, selectAll, build, sync };
}
