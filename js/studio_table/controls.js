// Toolbar (filter, state filter, refresh, auto-refresh, batch actions, summary, simulator mark)
// and the inline confirmation bar of the studio table.
import { clear, h } from "../shared/dom.js";

export const STATES = ["RUNNING", "STARTING", "STOPPING", "STOPPED"];
export const AUTO_REFRESH_CHOICES = [
  [0, "Auto-refresh: off"],
  [10, "every 10 s"],
  [30, "every 30 s"],
  [60, "every minute"],
  [300, "every 5 minutes"],
];

/** "42 studios · 7 running" (+ " · 12 shown" when a filter hides rows, + failing projects); "not loaded — …". */
export function summaryText(summary, shown) {
  if (summary?.not_loaded) return String(summary.not_loaded); // the first read failed: no counts to claim
  const total = summary?.total ?? 0;
  const parts = [`${total} ${total === 1 ? "studio" : "studios"}`, `${summary?.running ?? 0} running`];
  if (Number.isFinite(shown) && shown !== total) parts.push(`${shown} shown`);
  const failed = summary?.failed_projects ?? 0;
  if (failed) parts.push(`${failed} ${failed === 1 ? "project" : "projects"} failed`);
  return parts.join(" · ");
}

export function createToolbar(model, on) {
  const filter = h("input", {
    type: "search",
    class: "csw-st-filter",
    placeholder: "Filter: project, name, owner…",
    "aria-label": "Filter studios by text",
    value: model.get("filter_text") ?? "",
  });
  let debounce = null;
  filter.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => on.filter(filter.value), 120);
  });
  const stateSelect = h(
    "select",
    { "aria-label": "Filter by state" },
    h("option", { value: "", text: "All states" }),
    ...STATES.map((s) => h("option", { value: s, text: s })),
  );
  stateSelect.addEventListener("change", () => on.states(stateSelect.value ? [stateSelect.value] : []));
  const refresh = h("button", { type: "button", "aria-label": "Refresh the table", onclick: () => on.refresh() }, "Refresh");
  const auto = h(
    "select",
    { "aria-label": "Automatic refresh interval" },
    ...AUTO_REFRESH_CHOICES.map(([v, label]) => h("option", { value: String(v), text: label })),
  );
  auto.addEventListener("change", () => on.auto(Number(auto.value)));
  const startSel = h("button", { type: "button", onclick: () => on.batch("start") }, "Start selected");
  const stopSel = h("button", { type: "button", class: "csw-danger", onclick: () => on.batch("stop") }, "Stop selected");
  const clearSel = h("button", { type: "button", onclick: () => on.clearSelection() }, "Clear selection");
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
    stateSelect,
    refresh,
    auto,
    h("span", { class: "csw-st-batch", role: "group", "aria-label": "Actions on the selected studios" }, startSel, stopSel, clearSel),
    h("span", { class: "csw-st-spacer-flex" }),
    summary,
    sim,
  );

  const sync = ({ shown, selectedCount, refreshing }) => {
    if (document.activeElement !== filter && filter.value !== (model.get("filter_text") ?? "")) {
      filter.value = model.get("filter_text") ?? "";
    }
    const states = model.get("filter_states") ?? [];
    stateSelect.value = states.length === 1 ? states[0] : "";
    const interval = Number(model.get("auto_refresh_s") ?? 0);
    if (!AUTO_REFRESH_CHOICES.some(([v]) => v === interval)) {
      auto.append(h("option", { value: String(interval), text: `every ${interval} s` }));
    }
    auto.value = String(interval);
    refresh.disabled = Boolean(refreshing);
    refresh.textContent = refreshing ? "Refreshing…" : "Refresh";
    for (const [button, verb] of [
      [startSel, "Start"],
      [stopSel, "Stop"],
    ]) {
      button.disabled = selectedCount === 0;
      button.textContent = `${verb} selected (${selectedCount})`;
      button.setAttribute("aria-label", `${verb} the ${selectedCount} selected studios`);
    }
    clearSel.disabled = selectedCount === 0;
    summary.textContent = summaryText(model.get("summary"), shown);
    sim.hidden = !model.get("is_simulator");
  };

  return {
    el,
    sync,
    dispose() {
      clearTimeout(debounce);
    },
  };
}

/**
 * The confirmation bar (role=alertdialog): ask(question, confirmLabel) resolves true/false.
 * Focus goes to Cancel (the safe choice); Escape cancels; focus returns where it was.
 */
export function createConfirm() {
  const text = h("span", { class: "csw-st-confirm-text", id: `csw-st-confirm-${Math.random().toString(36).slice(2)}` });
  const el = h("div", { class: "csw-st-confirm", role: "alertdialog", "aria-labelledby": text.id, hidden: true });
  let settle = null;
  let returnTo = null;
  const close = (answer) => {
    if (!settle) return;
    const done = settle;
    settle = null;
    el.hidden = true;
    clear(el);
    done(answer);
    if (returnTo?.isConnected && !returnTo.disabled) returnTo.focus();
    returnTo = null;
  };
  el.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close(false);
  });
  return {
    el,
    ask(question, confirmLabel) {
      close(false);
      returnTo = document.activeElement;
      text.textContent = question;
      const yes = h("button", { type: "button", class: "csw-danger", onclick: () => close(true) }, confirmLabel);
      const no = h("button", { type: "button", onclick: () => close(false) }, "Cancel");
      el.append(text, yes, no);
      el.hidden = false;
      no.focus();
      return new Promise((resolve) => {
        settle = resolve;
      });
    },
    cancel: () => close(false),
  };
}
