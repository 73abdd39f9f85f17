// StudioTable front end: every code studio of the instance in one virtualized <table>.
// Rows arrive as messages (reset/patch diffs, see studio_table/store.js) and are requested in full
// with a "snapshot" call whenever a view renders or detects a gap; small view state (filter,
// sort, selection, in-flight actions, summary) lives in synced traits. The view writes only the
// traits of its own controls (filter_text, filter_states, sort, auto_refresh_s); the selection is
// Python's: a change is a "select" message (see shared/selection.js).
import { mountAlerts } from "../shared/alerts.js";
import { clear, h } from "../shared/dom.js";
import { reportLocal as showLocal } from "../shared/local_error.js";
import { createRpc } from "../shared/rpc.js";
import { createSelection } from "../shared/selection.js";
import { ensureTheme } from "../shared/styles.js";
import { createBody } from "./body.js";
import { createConfirm, createToolbar } from "./controls.js";
import { COLUMNS, displayName } from "./row.js";
import { RowStore } from "./store.js";
import "./style.css"; // emitted as cswidgets/static/<panel>.css: the widget's _css

const ACTIVE = new Set(["RUNNING", "STARTING"]);
const TRAITS = ["filter_text", "filter_states", "sort", "selection", "in_flight", "denied", "loading", "summary", "is_simulator", "auto_refresh_s"];
const MAX_NAMES = 5;

function namesList(rows) {
  const names = rows.slice(0, MAX_NAMES).map((r) => `“${displayName(r)}”`);
  if (rows.length > MAX_NAMES) names.push(`and ${rows.length - MAX_NAMES} more`);
  return names.join(", ");
}

function render({ model, el }) {
  const root = h("div", { class: "csw-root csw-st" });
  ensureTheme();
  el.append(root);
  const alerts = mountAlerts(model, root);
  const rpc = createRpc(model);
  const store = new RowStore();
  const pending = new Set(); // row keys whose click is not answered yet
  let refreshPending = false;
  let snapshotPending = false;
  let disposed = false;

  const setTrait = (name, value) => {
    model.set(name, value);
    model.save_changes();
  };
  const selected = createSelection(model, rpc, "selection", { onChange: () => update(), onError: (err) => reportLocal(err) });
  const selection = () => selected.current();
  const inFlight = () => model.get("in_flight") ?? {};
  const currentRows = () =>
    store.view({ text: model.get("filter_text"), states: model.get("filter_states"), sort: model.get("sort") });

  // Show a failure the kernel did not already report (timeouts, closed view).
  const reportLocal = (err) => {
    if (!disposed) showLocal(alerts, err);
  };

  const confirm = createConfirm();

  async function act(kind, row) {
    if (pending.has(row.key) || inFlight()[row.key]) return; // double-click protection
    if (kind === "stop" || (kind === "start" && ACTIVE.has(row.state))) {
      const verb = kind === "stop" ? "Stop" : "Restart";
      const ok = await confirm.ask(
        `${verb} code studio “${displayName(row)}” of project ${row.project_key} (owner ${row.owner ?? "unknown"})? ` +
          "Anyone working in it loses their session.",
        `${verb} ${displayName(row)}`,
      );
      if (!ok || disposed || pending.has(row.key) || inFlight()[row.key]) return;
    }
    pending.add(row.key);
    update();
    try {
      await rpc.call(kind, { row: row.key });
    } catch (err) {
      reportLocal(err);
    } finally {
      pending.delete(row.key);
      if (!disposed) update();
    }
  }

  async function batch(op) {
    const rows = [...selection()].map((k) => store.rows.get(k)).filter(Boolean);
    const targets = rows.filter((r) => (op === "stop" ? ACTIVE.has(r.state) : true) && !inFlight()[r.key] && !pending.has(r.key));
    if (!targets.length) {
      alerts.local(`None of the selected studios can be ${op === "stop" ? "stopped (none is running)" : "started now"}.`, "info");
      return;
    }
    const running = targets.filter((r) => ACTIVE.has(r.state));
    if (running.length) {
      const verb = op === "stop" ? "Stop" : "Restart";
      const ok = await confirm.ask(`${verb} ${running.length} running code studio(s): ${namesList(running)}?`, `${verb} ${running.length}`);
      if (!ok || disposed) return;
    }
    for (const r of targets) pending.add(r.key);
    update();
    try {
      await rpc.call("batch", { op, rows: targets.map((r) => r.key) });
    } catch (err) {
      reportLocal(err);
    } finally {
      for (const r of targets) pending.delete(r.key);
      if (!disposed) update();
    }
  }

  async function refresh() {
    if (refreshPending) return;
    refreshPending = true;
    update();
    try {
      await rpc.call("refresh");
    } catch (err) {
      reportLocal(err);
    } finally {
      refreshPending = false;
      if (!disposed) update();
    }
  }

  const toolbar = createToolbar(model, {
    filter: (text) => setTrait("filter_text", text),
    states: (states) => setTrait("filter_states", states),
    refresh,
    auto: (seconds) => setTrait("auto_refresh_s", seconds),
    batch,
    clearSelection: () => selected.change({ clear: true }),
  });

  // --- the table -----------------------------------------------------------------------------
  const selectAll = h("input", { type: "checkbox", "aria-label": "Select all shown studios" });
  selectAll.addEventListener("change", () => {
    const shown = currentRows().map((r) => r.key);
    selected.change(selectAll.checked ? { add: shown } : { remove: shown });
  });
  const sortCells = new Map();
  const headRow = h("tr", { "aria-rowindex": "1" });
  for (const col of COLUMNS) {
    let th;
    if (col.id) {
      const mark = h("span", { class: "csw-st-sort-mark", "aria-hidden": "true" });
      const button = h("button", { type: "button", class: "csw-st-sort", "aria-label": `Sort by ${col.label}` }, col.label, mark);
      button.addEventListener("click", () => {
        const sort = model.get("sort") ?? {};
        setTrait("sort", { column: col.id, descending: sort.column === col.id ? !sort.descending : false });
      });
      th = h("th", { scope: "col" }, button);
      sortCells.set(col.id, { th, mark });
    } else if (col.label === "Select") {
      th = h("th", { scope: "col" }, h("span", { class: "csw-visually-hidden", text: "Select" }), selectAll);
    } else {
      th = h("th", { scope: "col", text: col.label });
    }
    headRow.append(th);
  }
  const tbody = h("tbody");
  const table = h(
    "table",
    { class: "csw-st-table", "aria-label": "Code studios" },
    h("colgroup", {}, ...COLUMNS.map((c) => h("col", { style: { width: c.width } }))),
    h("thead", {}, headRow),
    tbody,
  );
  const scroller = h("div", { class: "csw-st-scroll", tabindex: "0", role: "region", "aria-label": "Code studios (scrollable)" }, table);
  const empty = h("p", { class: "csw-st-empty", role: "status" });
  root.append(toolbar.el, confirm.el, scroller, empty);

  let sel = selection();
  let flights = inFlight();
  const body = createBody({
    scroller,
    tbody,
    getRows: currentRows,
    getCtx: (row) => ({
      selected: sel.has(row.key),
      flight: flights[row.key] ?? null,
      pending: pending.has(row.key),
      denied: model.get("denied")?.[row.key] ?? null,
      now: Date.now(),
      origin: model.get("dss_origin") ?? "",
    }),
    on: {
      select(key, checked) {
        selected.change(checked ? { add: [key] } : { remove: [key] });
      },
      action: act,
    },
  });

  function update() {
    if (disposed) return;
    sel = selection();
    flights = inFlight();
    const rows = currentRows();
    const sort = model.get("sort") ?? {};
    for (const [id, { th, mark }] of sortCells) {
      const active = (sort.column ?? "project") === id;
      th.setAttribute("aria-sort", active ? (sort.descending ? "descending" : "ascending") : "none");
      mark.textContent = active ? (sort.descending ? "▼" : "▲") : "";
    }
    const shownSelected = rows.reduce((n, r) => n + (sel.has(r.key) ? 1 : 0), 0);
    selectAll.checked = rows.length > 0 && shownSelected === rows.length;
    selectAll.indeterminate = shownSelected > 0 && shownSelected < rows.length;
    selectAll.disabled = rows.length === 0;
    const loading = Boolean(model.get("loading")) || snapshotPending;
    table.setAttribute("aria-rowcount", String(rows.length + 1));
    table.setAttribute("aria-busy", loading ? "true" : "false");
    let message = "";
    if (!rows.length) {
      if (!store.ready || (loading && !store.size)) message = "Loading code studios…";
      else if (store.size) message = "No code studio matches the filter.";
      else if (model.get("summary")?.not_loaded) message = `Code studios ${model.get("summary").not_loaded}.`;
      else message = "No code studios.";
    }
    empty.textContent = message;
    empty.hidden = !message;
    toolbar.sync({
      shown: store.ready ? rows.length : undefined,
      selectedCount: [...sel].filter((k) => store.rows.has(k)).length,
      refreshing: refreshPending || Boolean(model.get("loading")),
    });
    body.render();
  }

  function requestSnapshot() {
    if (snapshotPending || disposed) return;
    snapshotPending = true;
    store.invalidate();
    rpc
      .call("snapshot")
      .then((res) => {
        snapshotPending = false;
        store.apply({ kind: "rows", op: "reset", seq: res?.seq ?? 0, upsert: res?.rows ?? [] });
      })
      .catch((err) => {
        snapshotPending = false;
        reportLocal(err);
      })
      .finally(() => update());
  }

  const onMsg = (msg) => {
    if (msg?.kind !== "rows") return;
    if (snapshotPending && msg.op === "patch") return; // the snapshot (or a later gap check) covers it
    const outcome = store.apply(msg);
    if (outcome === "gap") requestSnapshot();
    else if (outcome === "applied") update();
  };
  model.on("msg:custom", onMsg);
  const onTrait = () => update();
  for (const name of TRAITS) model.on(`change:${name}`, onTrait);
  const ticker = setInterval(() => body.tick(), 30_000);

  update();
  requestSnapshot();

  return () => {
    disposed = true;
    clearInterval(ticker);
    model.off("msg:custom", onMsg);
    for (const name of TRAITS) model.off(`change:${name}`, onTrait);
    confirm.cancel();
    toolbar.dispose();
    body.dispose();
    rpc.dispose();
    alerts.dispose();
    clear(el);
  };
}

export default { render };
