// Dashboard activity panel: every action taken from the dashboard's panels (who, what, target,
// when, outcome, duration, message), newest first. The log itself lives in Python; this view
// renders the synced traits `entries` (newest first, capped) and `counts` ({total, running,
// failed}), plus the shared `alerts`. No message kinds: the panel only shows.
import { mountAlerts } from "../shared/alerts.js";
import { createCodeCopier } from "../shared/copy.js";
import { clear, h } from "../shared/dom.js";
import { reportRendered } from "../shared/rendered.js";
import { ensureTheme } from "../shared/styles.js";
import { tickTimes } from "../shared/ticker.js";
import { OUTCOME_FILTERS, announcement, countsText, matchesFilter } from "./format.js";
import { createTable, entryRow } from "./table.js";
import "./style.css"; // emitted as cswidgets/static/<panel>.css: the widget's _css

/** @typedef {import("./model.js").Traits} Traits */

/** @type {import("@anywidget/types").Render<Traits>} */
function render({ model, el }) {
  const root = h("div", { class: "csw-root csw-act" });
  ensureTheme(el);
  el.append(root);
  reportRendered(model);

  const title = h("h3", { class: "csw-act-title", text: "Activity" });
  const counts = h("span", { class: "csw-act-counts" });
  const outcomeFilter = h(
    "select",
    { "aria-label": "Show outcomes" },
    ...OUTCOME_FILTERS.map(([value, label]) => h("option", { value, text: label })),
  );
  const filter = h("label", {}, "Show: ", outcomeFilter);
  root.append(h("div", { class: "csw-act-head" }, title, counts, filter));
  const alerts = mountAlerts(model, root);
  const live = h("div", { class: "csw-visually-hidden", role: "status", "aria-live": "polite" });
  const empty = h("p", { class: "csw-act-empty" });
  const { table, body } = createTable();
  const scroll = h("div", { class: "csw-act-scroll", tabindex: "0", "aria-label": "Activity log" }, table);
  const copier = createCodeCopier();
  root.append(live, empty, scroll, copier.el);
  const onCopy = (code, button) => void copier.copy(code, button);

  const finals = new Map(); // entry id -> outcome already seen, to announce only new endings
  let first = true;

  function announce(entries) {
    let latest = null;
    for (const entry of entries) {
      if (entry.outcome === "running") continue;
      if (!first && finals.get(entry.id) !== entry.outcome && latest === null) latest = entry;
      finals.set(entry.id, entry.outcome);
    }
    if (finals.size > 1000) finals.clear();
    if (latest) live.textContent = announcement(latest);
    first = false;
  }

  function renderRows() {
    const entries = model.get("entries") ?? [];
    const shown = entries.filter((e) => matchesFilter(e, outcomeFilter.value));
    counts.textContent = countsText(model.get("counts") ?? {});
    clear(body);
    const now = Date.now();
    for (const entry of shown) body.append(entryRow(entry, now, onCopy));
    empty.textContent = entries.length
      ? "No action with this outcome."
      : "No actions yet: starts, stops, syncs and builds made from the panels appear here.";
    empty.hidden = shown.length > 0;
    scroll.hidden = shown.length === 0;
  }

  const onEntries = () => {
    announce(model.get("entries") ?? []);
    renderRows();
  };
  const onCounts = () => {
    counts.textContent = countsText(model.get("counts") ?? {});
  };
  model.on("change:entries", onEntries);
  model.on("change:counts", onCounts);
  outcomeFilter.addEventListener("change", renderRows);
  const stopTimes = tickTimes(body); // relative times ("2 minutes ago") tick in place, shared/ticker.js
  onEntries();

  return () => {
    stopTimes();
    copier.dispose();
    model.off("change:entries", onEntries);
    model.off("change:counts", onCounts);
    alerts.dispose();
    clear(el);
  };
}

/** @type {import("@anywidget/types").AnyWidget<Traits>} */
export default { render };
