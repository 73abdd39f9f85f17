// Toolbar (text filter, multi-select filters, grouping, columns, refresh, the Live switch, summary,
// simulator mark), the selection bar (batch actions) and the inline confirmation bar of the table.
import { append, clear, h } from "../shared/dom.js";
import { durationText } from "../shared/time.js";
import { hiddenColumns } from "./columns.js";
import { createColumnMenu, createMultiFilter, createTimeFilter } from "./menus.js";
import { filterActive, filterOff, isTimeFilter } from "./store.js";

/**
 * What the live refresh does, from the `live` switch and the `live_info` trait ({budget, in_transition,
 * pass_s, rate, tasks}): a short text next to the switch and the explanation for its tooltip.
 */
export function liveText(on, info) {
  if (!on) return { text: "off", title: "The rows are re-read only by Refresh and after an action. Tick Live to keep them live." };
  if (!info || !Number.isFinite(info.pass_s)) return { text: "", title: "" };
  const parts = [];
  if (info.in_transition) parts.push(`${info.in_transition} in transition`);
  parts.push(`every row within ${durationText(info.pass_s)}`);
  const tasks = info.tasks
    ? "Starts and stops from anywhere (another notebook, the DSS UI) show within a second or two, through DSS's running tasks."
    : "DSS's running tasks cannot be read here: changes made elsewhere show when their row's turn comes.";
  const title = [
    "Studios starting, stopping or acted on here are re-read about every second.",
    tasks,
    `The other rows are re-read in turn, at most ${info.budget} requests per second (request_budget); last 10 s: ${info.rate}/s.`,
  ].join(" ");
  return { text: parts.join(" · "), title };
}

/**
 * The summary's text, written in Python (`summary.text`: "42 studios · 7 running", failing projects too),
 * + " · 12 shown" when a filter hides rows; "not loaded — …" while the first read has failed.
 * @param {import("./model.js").Summary | undefined} summary
 * @param {number | undefined} shown
 */
export function summaryText(summary, shown) {
  if (summary?.not_loaded) return String(summary.not_loaded); // the first read failed: no counts to claim
  const text = String(summary?.text ?? "");
  return Number.isFinite(shown) && shown !== (summary?.total ?? 0) ? `${text} · ${shown} shown` : text;
}

/**
 * The filters, one per column that declares one: [trait, menu title, column] (a multi-select, or a time filter
 * when the column declares `older_than`).
 * @param {import("./columns.js").ColumnSpec[]} columns
 * @returns {[string, string, import("./columns.js").ColumnSpec][]}
 */
export function filtersOf(columns) {
  return columns.filter((c) => c.filter).map((c) => [/** @type {string} */ (c.filter), c.label, c]);
}

/**
 * Toolbar. `on`: {filter(text), setTrait(name, value), refresh(), live(on), csv()}; `choices(trait)`; `columns`:
 * the declared columns (their filters and the column menu).
 * @param {any} model
 * @param {any} on
 * @param {(trait: string) => {value: string, count: number, label: string}[]} choices
 * @param {import("./columns.js").ColumnSpec[]} columns
 */
export function createToolbar(model, on, choices, columns) {
  const filter = h("input", {
    type: "search",
    class: "csw-st-filter",
    placeholder: "Filter: name, id, port, owner…",
    "aria-label": "Filter studios by text",
    value: model.get("filter_text") ?? "",
  });
  let debounce = null;
  filter.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => on.filter(filter.value), 120);
  });
  const menus = filtersOf(columns).map(([trait, title, col]) =>
    isTimeFilter(col)
      ? createTimeFilter({ title, choices: col.older_than ?? [], get: () => Number(model.get(trait) ?? 0), set: (seconds) => on.setTrait(trait, seconds) })
      : createMultiFilter({ title, choices: () => choices(trait), get: () => model.get(trait) ?? [], set: (values) => on.setTrait(trait, values) }),
  );
  const filterCols = filtersOf(columns);
  const filtering = () => Boolean(model.get("filter_text")) || filterCols.some(([trait, , col]) => filterActive(col, model.get(trait)));
  // shown only while a filter is on, but its room is always kept: the toolbar never re-wraps for it
  const clearFilters = h(
    "button",
    {
      type: "button",
      class: "csw-st-clear-filters",
      onclick: () => {
        clearTimeout(debounce);
        filter.value = "";
        for (const [trait, , col] of filterCols) if (filterActive(col, model.get(trait))) on.setTrait(trait, filterOff(col));
        if (model.get("filter_text")) on.filter("");
      },
    },
    "Clear all filters",
  );
  const columnMenu = createColumnMenu({
    columns,
    hidden: () => hiddenColumns(columns, model.get("columns")),
    setHidden: (hidden) => on.setTrait("columns", { ...(model.get("columns") ?? {}), hidden }),
    resetWidths: () => on.setTrait("columns", { ...(model.get("columns") ?? {}), widths: {} }),
    hasWidths: () => Object.keys(model.get("columns")?.widths ?? {}).length > 0,
  });
  const group = h("input", { type: "checkbox", onchange: (e) => on.setTrait("group_by", e.target.checked ? "project" : "") });
  const refresh = h("button", { type: "button", class: "csw-st-refresh", "aria-label": "Refresh the table", onclick: () => on.refresh() }, "Refresh");
  const csv = h(
    "button",
    { type: "button", class: "csw-st-csv", title: "The rows shown (filters applied), as CSV made in the kernel (DataFrame.to_csv)", onclick: () => on.csv() },
    "Download shown rows (CSV)",
  );
  const liveBox = h("input", { type: "checkbox", onchange: (e) => on.live(e.target.checked) });
  const liveState = h("span", { class: "csw-st-live-text" });
  const live = h("label", { class: "csw-st-toggle csw-st-live" }, liveBox, "Live", liveState);
  const summary = h("span", { class: "csw-st-summary", role: "status", "aria-live": "polite" });
  const sim = h("span", {
    class: "csw-sim-mark",
    title: "Connected to the offline DSS simulator, not to a real DSS instance",
    text: "SIMULATOR",
  });
  const el = h(
    "div",
    { class: "csw-st-toolbar" },
    filter,
    ...menus.map((m) => m.el),
    clearFilters,
    h("label", { class: "csw-st-toggle" }, group, "Group by project"),
    columnMenu.el,
    refresh,
    csv,
    live,
    h("span", { class: "csw-st-spacer-flex" }),
    summary,
    sim,
  );

  const sync = ({ shown, refreshing, exporting = false }) => {
    if (document.activeElement !== filter && filter.value !== (model.get("filter_text") ?? "")) {
      filter.value = model.get("filter_text") ?? "";
    }
    for (const menu of menus) menu.sync();
    const filtered = filtering();
    clearFilters.dataset.off = filtered ? "false" : "true";
    clearFilters.disabled = !filtered;
    columnMenu.sync();
    group.checked = model.get("group_by") === "project";
    const liveOn = Boolean(model.get("live"));
    liveBox.checked = liveOn;
    const described = liveText(liveOn, model.get("live_info"));
    liveState.textContent = described.text ? ` · ${described.text}` : "";
    live.title = described.title;
    refresh.disabled = Boolean(refreshing);
    refresh.textContent = refreshing ? "Refreshing…" : "Refresh";
    csv.disabled = Boolean(exporting) || !shown;
    csv.textContent = exporting ? "Preparing CSV…" : "Download shown rows (CSV)";
    summary.textContent = summaryText(model.get("summary"), shown);
    summary.title = summary.textContent;
    sim.hidden = !model.get("is_simulator");
  };

  return {
    el,
    sync,
    dispose() {
      clearTimeout(debounce);
      for (const menu of menus) menu.dispose();
      columnMenu.dispose();
    },
  };
}

/**
 * A batch action as Python declares it (cswidgets/widgets/studio_table/config.py, `BatchRule`): its op,
 * its button's label, the rows it takes (running ones when `active`, stopped ones otherwise, never those
 * in `skip_states`) and what its count counts.
 * @typedef {{op: string, label: string, active: boolean, counts: string, skip_states: string[]}} BatchRule
 */

/**
 * Whether the batch action `rule` acts on `row` (the Python side decides with the same rule:
 * cswidgets/widgets/studio_table/config.py `batch_skip`). `active`: the states in which a studio runs.
 * @param {BatchRule} rule
 * @param {Set<string>} active
 */
export function eligible(rule, row, active) {
  return !rule.skip_states.includes(row.state) && active.has(row.state) === rule.active;
}

/**
 * The selection bar: "N selected (M hidden)", whether batch actions include the hidden rows, and
 * one button per batch action (`rules`, from the `config` trait) with the number of studios it would
 * act on. `on`: {batch(op), clear(), includeHidden(bool)}.
 * @param {any} on
 * @param {BatchRule[]} rules
 */
export function createSelectionBar(on, rules) {
  const count = h("span", { class: "csw-st-selcount", role: "status", "aria-live": "polite" });
  const include = h("input", { type: "checkbox", onchange: (e) => on.includeHidden(e.target.checked) });
  const includeLabel = h("label", { class: "csw-st-toggle" }, include, h("span"));
  const buttons = rules.map(({ op, label, active }) =>
    h("button", { type: "button", class: active ? "csw-danger" : null, dataset: { batch: op }, onclick: () => on.batch(op) }, label),
  );
  const clearSel = h("button", { type: "button", onclick: () => on.clear() }, "Clear selection");
  const el = h(
    "div",
    { class: "csw-st-batch", role: "group", "aria-label": "Actions on the selected studios" },
    count,
    includeLabel,
    ...buttons,
    clearSel,
  );
  /** `selected`, `hidden`: counts; `includeHidden`; `targets`: {op: n}. */
  const sync = ({ selected, hidden, includeHidden, targets }) => {
    count.textContent = hidden ? `${selected} selected (${hidden} hidden)` : `${selected} selected`;
    includeLabel.hidden = !hidden;
    include.checked = includeHidden;
    includeLabel.lastChild.textContent = `Include the ${hidden} hidden`;
    rules.forEach(({ op, label: verb, counts: what }, i) => {
      const n = targets[op] ?? 0;
      buttons[i].disabled = n === 0;
      buttons[i].textContent = `${verb} selected (${n})`;
      buttons[i].setAttribute("aria-label", `${verb} the ${n} selected ${what} studios`);
    });
    clearSel.disabled = selected === 0;
    el.dataset.empty = selected ? "false" : "true";
  };
  return { el, sync };
}

/**
 * The confirmation bar (role=alertdialog): ask(question, confirmLabel, {details: [line...],
 * typeToConfirm: "42", anchor: <tr>}) resolves true/false. It floats over the table (its parent is
 * positioned): under `anchor` (the row it is about; above it when there is no room below on screen), at
 * the top without one; it never pushes a row. Focus starts on Cancel (the safe choice), or on the field
 * where the count must be typed (Enter there confirms once it matches), and stays in the bar until it is
 * answered (Tab cycles; focus moved elsewhere comes back); Escape cancels. `restoreFocus(returnTo)` puts
 * focus back afterwards; `onClose()` runs after each answer.
 */
/** @param {{restoreFocus?: (returnTo: HTMLElement | null) => void, onClose?: () => void}} [options] */
export function createConfirm({ restoreFocus, onClose } = {}) {
  const text = h("span", { class: "csw-st-confirm-text", id: `csw-st-confirm-${Math.random().toString(36).slice(2)}` });
  const el = h("div", { class: "csw-st-confirm", role: "alertdialog", "aria-modal": "false", "aria-labelledby": text.id, hidden: true });
  let settle = null;
  let returnTo = null;
  let safe = null;
  const close = (answer) => {
    if (!settle) return;
    const done = settle;
    settle = null;
    safe = null;
    el.hidden = true;
    clear(el);
    done(answer);
    const back = returnTo;
    returnTo = null;
    if (restoreFocus) restoreFocus(back);
    else if (back?.isConnected && !back.disabled) back.focus();
    onClose?.();
  };
  /** Float under `anchor` (above it when it would go below the window and fits above), else at the top. */
  const place = (anchor) => {
    el.style.top = "";
    const parent = el.offsetParent;
    if (!anchor?.isConnected || !parent) return;
    const box = parent.getBoundingClientRect();
    const row = anchor.getBoundingClientRect();
    const height = el.offsetHeight;
    const above = row.bottom + height > window.innerHeight && row.top - height >= 0;
    el.style.top = `${Math.round((above ? row.top - height : row.bottom) - box.top)}px`;
  };
  // what Tab cycles through: the enabled controls shown (a hidden one cannot take focus: Tab would stop on it)
  const focusables = () => [...el.querySelectorAll("button:not(:disabled), input:not(:disabled)")].filter((x) => !x.closest("[hidden]"));
  el.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      close(false);
    } else if (e.key === "Tab") {
      const items = focusables();
      const i = items.indexOf(/** @type {any} */ (document.activeElement));
      const next = items[(i + (e.shiftKey ? -1 : 1) + items.length) % items.length];
      if (next) {
        e.preventDefault();
        next.focus();
      }
    }
  });
  el.addEventListener("focusout", (e) => {
    const to = /** @type {Node | null} */ (e.relatedTarget);
    if (settle && to && !el.contains(to)) queueMicrotask(() => settle && safe?.focus());
  });
  return {
    el,
    get open() {
      return settle !== null;
    },
    /**
     * @param {string} question @param {string} confirmLabel
     * @param {{details?: string[], typeToConfirm?: string | null, extra?: HTMLElement | null, anchor?: Element | null}} [options]
     *   `extra`: shown before Cancel (e.g. "Copy as Python"); `anchor`: the row the bar floats under
     */
    ask(question, confirmLabel, { details = [], typeToConfirm = null, extra = null, anchor = null } = {}) {
      close(false);
      returnTo = /** @type {HTMLElement | null} */ (document.activeElement);
      text.textContent = question;
      const yes = h("button", { type: "button", class: "csw-danger", onclick: () => close(true) }, confirmLabel);
      const no = h("button", { type: "button", onclick: () => close(false) }, "Cancel");
      const lines = details.length ? h("ul", { class: "csw-st-confirm-details" }, ...details.map((d) => h("li", { text: d }))) : null;
      let typed = null;
      if (typeToConfirm !== null) {
        yes.disabled = true;
        typed = h("input", {
          type: "text",
          inputmode: "numeric",
          autocomplete: "off",
          class: "csw-st-confirm-typed",
          "aria-label": `Type ${typeToConfirm} to confirm`,
          placeholder: `type ${typeToConfirm}`,
        });
        typed.addEventListener("input", () => {
          yes.disabled = typed.value.trim() !== String(typeToConfirm);
        });
        typed.addEventListener("keydown", (e) => {
          if (e.key !== "Enter" || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return;
          e.preventDefault();
          e.stopPropagation();
          if (!yes.disabled) close(true);
        });
      }
      append(el, [h("div", { class: "csw-st-confirm-body" }, text, lines), typed, extra, no, yes]);
      el.hidden = false;
      place(anchor);
      safe = no;
      (typed ?? no).focus({ preventScroll: true });
      return new Promise((resolve) => {
        settle = resolve;
      });
    },
    cancel: () => close(false),
  };
}
