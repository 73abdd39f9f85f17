// The templates table of TemplateBuilds: one row per template with a selection checkbox, the
// template's label, id, type, the container configurations it is built for, when it was last
// built, and a Build button. Rows are keyed by template id and updated in place, so focus and
// selection survive progress updates.
import { clear, h } from "../shared/dom.js";
import { exactTime, relativeTime } from "../shared/time.js";

/**
 * @typedef {{id: string, label?: string, type?: string, build_for?: string[], last_built_ms?: number | null,
 *   error?: string | null, last_failure?: {at_ms?: number, stage?: string | null, message?: string | null} | null}} TemplateRow  one template, as TemplateBuilds syncs it (trait `rows`)
 */

const COLUMNS = ["Template", "ID", "Type", "Built for", "Last built", "Build"];

export function builtForText(list) {
  if (!Array.isArray(list) || list.length === 0) return "—";
  return list.join(", ");
}

/**
 * createTemplatesTable({onBuild(id), onSelect(ids)}) -> {el, update({rows, selected, running,
 * starting}), tick(now), dispose()}. `running` and `starting` are Sets of template ids.
 */
export function createTemplatesTable({ onBuild, onSelect }) {
  const selectAll = h("input", { type: "checkbox", "aria-label": "Select all templates" });
  const headRow = h("tr", {}, h("th", { scope: "col" }, selectAll), COLUMNS.map((c) => h("th", { scope: "col", text: c })));
  const tbody = h("tbody");
  const empty = h("p", { class: "csw-tb-empty", text: "No code studio templates." });
  const table = h("table", { class: "csw-table" }, h("caption", { class: "csw-visually-hidden", text: "Code studio templates" }),
    h("thead", {}, headRow), tbody);
  const el = h("div", { class: "csw-tb-table" }, table, empty);
  const rows = new Map(); // id -> {tr, check, cells, btn, lastBuilt}
  /** @type {{rows: TemplateRow[], selected: string[], running: Set<string>, starting: Set<string>}} */
  let state = { rows: [], selected: [], running: new Set(), starting: new Set() };

  selectAll.addEventListener("change", () => {
    onSelect(selectAll.checked ? state.rows.map((r) => r.id) : []);
  });

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
    const cells = {
      label: h("td", { class: "csw-tb-label" }),
      id: h("td", { class: "csw-tb-id" }, h("code")),
      type: h("td"),
      buildFor: h("td"),
      lastBuilt: h("td", { class: "csw-tb-last" }, h("span"), h("span", { class: "csw-tb-lastfail", hidden: true })),
      action: h("td", {}, btn),
    };
    const tr = h("tr", { dataset: { template: row.id } }, h("td", {}, check), Object.values(cells));
    return { tr, check, cells, btn, lastBuilt: null };
  }

  function fill(entry, row) {
    const { cells, check, btn } = entry;
    cells.label.textContent = row.label || row.id;
    if (row.error) cells.label.append(h("span", { class: "csw-tb-error", role: "note", text: ` (${row.error})` }));
    cells.id.firstChild.textContent = row.id;
    cells.type.textContent = row.type || "—";
    cells.buildFor.textContent = builtForText(row.build_for);
    entry.lastBuilt = row.last_built_ms ?? null;
    const failure = cells.lastBuilt.lastChild;
    failure.hidden = !row.last_failure;
    failure.textContent = row.last_failure ? ` · last build failed${row.last_failure.stage ? ` at ${row.last_failure.stage}` : ""}` : "";
    paintLastBuilt(entry, Date.now());
    check.checked = state.selected.includes(row.id);
    check.setAttribute("aria-label", `Select ${row.label || row.id}`);
    const building = state.running.has(row.id);
    const starting = state.starting.has(row.id);
    entry.tr.toggleAttribute("data-building", building);
    btn.disabled = building || starting;
    btn.textContent = building ? "Building…" : starting ? "Starting…" : "Build";
    btn.setAttribute("aria-label", `Build ${row.label || row.id}`);
  }

  function paintLastBuilt(entry, now) {
    const cell = entry.cells.lastBuilt;
    const ms = entry.lastBuilt;
    // relativeTime: a last-built time ahead of the browser's clock (DSS clock skew) reads "just now".
    cell.firstChild.textContent = relativeTime(ms, now);
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
      empty.hidden = n > 0;
      table.hidden = n === 0;
    },
    /** Refresh the relative "last built" times. */
    tick(now = Date.now()) {
      for (const entry of rows.values()) paintLastBuilt(entry, now);
    },
    dispose() {
      clear(tbody);
      rows.clear();
    },
  };
}
