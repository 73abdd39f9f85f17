// The templates table of TemplateBuilds: one row per template, its cells rendered by the KIND of each
// column Python declares (the `config` trait: cswidgets/widgets/template_builds/columns.py; this file
// holds no column list). Rows are keyed by template id and updated in place, so focus and selection
// survive progress updates. Every value is inserted as text.
import { clear, h } from "../shared/dom.js";
import { exactTime, relativeTime } from "../shared/time.js";

/**
 * @typedef {import("./model.js").TemplateRow} TemplateRow
 * @typedef {import("./model.js").ColumnSpec} ColumnSpec
 */

/** A list field's text ("—" when empty). */
export function builtForText(list, empty = "—") {
  if (!Array.isArray(list) || list.length === 0) return empty;
  return list.join(", ");
}

/** A column's note after the value: a text as " (text)", a build failure as " · last build failed at <stage>". */
export function noteText(value) {
  if (!value) return "";
  if (typeof value === "string") return ` (${value})`;
  return ` · last build failed${value.stage ? ` at ${value.stage}` : ""}`;
}

/** The first non-empty field of `row` among the column's fields. */
const firstField = (row, spec) => spec.fields.map((f) => row[f]).find((v) => v !== null && v !== undefined && v !== "");

/**
 * createTemplatesTable({columns, onBuild(id), onSelect(ids)}) -> {el, update({rows, selected, running, notLoaded,
 * starting}), tick(now), dispose()}. `columns`: the ColumnSpecs of `config`; `running` and `starting`
 * are Sets of template ids.
 * @param {{columns: ColumnSpec[], onBuild: (id: string) => void, onSelect: (ids: string[]) => void}} options
 */
export function createTemplatesTable({ columns, onBuild, onSelect }) {
  const selectAll = h("input", { type: "checkbox", "aria-label": "Select all templates" });
  const headRow = h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c.kind === "select" ? selectAll : c.label)));
  const tbody = h("tbody");
  const empty = h("p", { class: "csw-tb-empty", text: "No code studio templates." });
  const table = h("table", { class: "csw-table" }, h("caption", { class: "csw-visually-hidden", text: "Code studio templates" }),
    h("thead", {}, headRow), tbody);
  const el = h("div", { class: "csw-tb-table" }, table, empty);
  const rows = new Map(); // id -> {tr, check, cells, btn, times}
  /** @type {{rows: TemplateRow[], selected: string[], running: Set<string>, starting: Set<string>, notLoaded?: boolean}} */
  let state = { rows: [], selected: [], running: new Set(), starting: new Set() };

  selectAll.addEventListener("change", () => {
    onSelect(selectAll.checked ? state.rows.map((r) => r.id) : []);
  });

  /** The empty cell of a column (its content is filled by `fill`). */
  function makeCell(spec, parts) {
    const cls = `csw-tb-${spec.id}`;
    switch (spec.kind) {
      case "select":
        return h("td", {}, parts.check);
      case "actions":
        return h("td", {}, parts.btn);
      case "code":
        return h("td", { class: cls }, h("code"));
      case "time":
        return h("td", { class: cls }, h("span"), h("span", { class: `${cls}fail`, hidden: true }));
      default:
        return h("td", { class: cls }, h("span"), h("span", { class: "csw-tb-note", role: "note", hidden: true }));
    }
  }

  function makeRow(row) {
    const check = h("input", { type: "checkbox" });
    check.addEventListener("change", () => {
      const chosen = new Set(state.selected);
      if (check.checked) chosen.add(row.id);
      else chosen.delete(row.id);
      onSelect(state.rows.map((r) => r.id).filter((id) => chosen.has(id)));
    });
    const btn = h("button", { type: "button" }, "Build");
    btn.addEventListener("click", () => onBuild(row.id));
    const cells = columns.map((spec) => makeCell(spec, { check, btn }));
    const tr = h("tr", { dataset: { template: row.id } }, cells);
    return { tr, check, cells, btn, times: new Map() };
  }

  function fillCell(entry, spec, cell, row) {
    const note = spec.note ? row[spec.note] : null;
    switch (spec.kind) {
      case "select":
      case "actions":
        return;
      case "code":
        cell.firstChild.textContent = String(firstField(row, spec) ?? spec.empty);
        return;
      case "list":
        cell.firstChild.textContent = builtForText(row[spec.fields[0]], spec.empty);
        break;
      case "time":
        entry.times.set(spec, row[spec.fields[0]] ?? null);
        paintTime(entry, spec, cell, Date.now());
        break;
      default:
        cell.firstChild.textContent = String(firstField(row, spec) ?? spec.empty);
    }
    const noteEl = cell.lastChild;
    noteEl.hidden = !note;
    noteEl.textContent = noteText(note);
  }

  function fill(entry, row) {
    const { check, btn } = entry;
    columns.forEach((spec, i) => {
      fillCell(entry, spec, entry.cells[i], row);
    });
    check.checked = state.selected.includes(row.id);
    check.setAttribute("aria-label", `Select ${row.label || row.id}`);
    const building = state.running.has(row.id);
    const starting = state.starting.has(row.id);
    entry.tr.toggleAttribute("data-building", building);
    btn.disabled = building || starting;
    btn.textContent = building ? "Building…" : starting ? "Starting…" : "Build";
    btn.setAttribute("aria-label", `Build ${row.label || row.id}`);
  }

  function paintTime(entry, spec, cell, now) {
    const ms = entry.times.get(spec);
    // relativeTime: a time ahead of the browser's clock (DSS clock skew) reads "just now".
    cell.firstChild.textContent = ms ? relativeTime(ms, now) : spec.empty;
    if (ms) cell.title = exactTime(ms);
    else cell.removeAttribute("title");
    cell.dataset.ms = ms ? String(ms) : "";
  }

  return {
    el,
    update(next) {
      state = { ...state, ...next };
      const seen = new Set();
      let cursor = null;
      for (const row of state.rows) {
        seen.add(row.id);
        let entry = rows.get(row.id);
        if (!entry) {
          entry = makeRow(row);
          rows.set(row.id, entry);
        }
        fill(entry, row);
        const want = cursor ? cursor.nextSibling : tbody.firstChild;
        if (want !== entry.tr) tbody.insertBefore(entry.tr, want);
        cursor = entry.tr;
      }
      for (const [id, entry] of rows) {
        if (!seen.has(id)) {
          entry.tr.remove();
          rows.delete(id);
        }
      }
      const n = state.rows.length;
      const picked = state.rows.filter((r) => state.selected.includes(r.id)).length;
      selectAll.checked = n > 0 && picked === n;
      selectAll.indeterminate = picked > 0 && picked < n;
      selectAll.disabled = n === 0;
      empty.hidden = n > 0 || Boolean(state.notLoaded); // a failed read is not "no templates": its alert says it
      table.hidden = n === 0;
    },
    /** Refresh the relative times. */
    tick(now = Date.now()) {
      for (const entry of rows.values()) {
        columns.forEach((spec, i) => {
          if (spec.kind === "time") paintTime(entry, spec, entry.cells[i], now);
        });
      }
    },
    dispose() {
      clear(tbody);
      rows.clear();
    },
  };
}
