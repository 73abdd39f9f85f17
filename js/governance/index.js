// Governance front end: the administrator's summary. Everything shown comes from Python (synced traits, each
// written by Python only, see model.js); the view asks by message: "refresh", "stop_chosen" {rows}, "code" {rows}
// (the Python of that stop, for the confirmation's "Copy as Python"). Bar
// charts are SVG drawn here (charts.js); every text from DSS is set as text, never as HTML.
//
// "Stop the N chosen" opens a confirmation naming every studio it would stop and what a stop does to the
// two-way zones (`texts.stop_zones`, written in Python); only then is the message sent.
import { mountAlerts } from "../shared/alerts.js";
import { createCopyControl } from "../shared/copy.js";
import { createDialog } from "../shared/dialog.js";
import { clear, h } from "../shared/dom.js";
import { reportLocal } from "../shared/local_error.js";
import { reportRendered } from "../shared/rendered.js";
import { createRpc } from "../shared/rpc.js";
import { ensureTheme } from "../shared/styles.js";
import { durationText } from "../shared/time.js";
import { barChart } from "./charts.js";
import "./style.css"; // emitted as cswidgets/static/<panel>.css: the widget's _css

const TRAITS = ["summary", "charts", "outdated", "unsynced", "policy", "policy_info", "loading", "stopping"];
const DECISIONS = { stop: "stop", keep: "keep", skip: "skip" };

/** @typedef {import("./model.js").Traits} Traits */
/** @typedef {import("./model.js").PolicyRow} PolicyRow */

/** A studio as a list names it: "name (owner)". */
function studioLabel(ref) {
  const name = ref.name || ref.key;
  return ref.owner ? `${name} (${ref.owner})` : name;
}

/** The rows the policy would stop (its dry run's decision "stop"). @param {PolicyRow[]} rows */
function chosenRows(rows) {
  return (rows ?? []).filter((r) => r.decision === "stop");
}

/** The confirmation's question for `rows`. */
function stopQuestion(rows) {
  return `Stop ${rows.length === 1 ? "this idle studio" : `these ${rows.length} idle studios`}?`;
}

function policyRow(row) {
  const decision = DECISIONS[row.decision] ?? "keep";
  return h(
    "tr",
    { dataset: { key: row.key, decision } },
    h("td", { text: row.name || row.id, title: row.key }),
    h("td", { text: row.owner ?? "" }),
    h("td", { class: "csw-gov-num", text: durationText(row.running_for_s) || "—" }),
    h("td", { class: "csw-gov-num", text: row.unsynced_files === null || row.unsynced_files === undefined ? "—" : String(row.unsynced_files) }),
    h("td", {}, h("span", { class: `csw-badge csw-gov-decision csw-gov-d-${decision}`, text: row.decision })),
    h("td", { class: "csw-gov-reason", text: row.outcome ? `${row.outcome}: ${row.reason}` : row.reason }),
  );
}

/** @type {import("@anywidget/types").Render<Traits>} */
function render({ model, el }) {
  const root = h("div", { class: "csw-root csw-gov" });
  ensureTheme(el);
  el.append(root);
  reportRendered(model);
  const rpc = createRpc(model, { timeoutMs: 600_000 });
  let refreshing = false;
  let disposed = false;

  const summary = h("p", { class: "csw-gov-summary", role: "status", "aria-live": "polite" });
  const refreshBtn = h("button", { type: "button", onclick: () => refresh() }, "Refresh");
  root.append(h("div", { class: "csw-gov-head" }, h("h3", { class: "csw-gov-title", text: "Governance" }), summary, refreshBtn));
  const alerts = mountAlerts(model, root);
  const chartsBox = h("div", { class: "csw-gov-charts" });
  const outdatedList = h("ul", { class: "csw-gov-list", "aria-label": "Running studios on an outdated image" });
  const unsyncedList = h("ul", { class: "csw-gov-list", "aria-label": "Studios with unsynced files" });
  const outdatedHead = h("h4", {});
  const unsyncedHead = h("h4", {});
  const lists = h(
    "div",
    { class: "csw-gov-lists" },
    h("section", { class: "csw-gov-outdated" }, outdatedHead, outdatedList),
    h("section", { class: "csw-gov-unsynced" }, unsyncedHead, unsyncedList),
  );
  const policyHead = h("h4", {});
  const stopBtn = h("button", { type: "button", class: "csw-danger csw-gov-stop-chosen", onclick: () => askStop() });
  const tbody = h("tbody");
  const policyTable = h(
    "table",
    { class: "csw-gov-policy", "aria-label": "The idle policy's dry run" },
    h(
      "thead",
      {},
      h("tr", {}, ...["Studio", "Owner", "Running for", "Unsynced", "Decision", "Reason"].map((t) => h("th", { scope: "col", text: t }))),
    ),
    tbody,
  );
  const policyEmpty = h("p", { class: "csw-gov-empty", text: "No running studio." });
  const dialog = createDialog("csw-gov-confirm");
  root.append(chartsBox, lists, h("section", { class: "csw-gov-policy-box" }, h("div", { class: "csw-gov-head" }, policyHead, stopBtn), dialog.el, policyEmpty, policyTable));

  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    update();
    try {
      await rpc.call("refresh");
    } catch (err) {
      reportLocal(alerts, err);
    } finally {
      refreshing = false;
      if (!disposed) update();
    }
  }

  function askStop() {
    const rows = chosenRows(model.get("policy"));
    if (!rows.length) return;
    const texts = model.get("texts") ?? { stop_zones: "", stop_confirm: "Stop" };
    dialog.open({
      title: stopQuestion(rows),
      body: [
        h("ul", { class: "csw-gov-confirm-list" }, ...rows.map((r) => h("li", { text: `${studioLabel(r)} — ${r.reason}` }))),
        h("p", { class: "csw-gov-confirm-zones", text: texts.stop_zones }),
      ],
      confirm: `${texts.stop_confirm} ${rows.length}`,
      danger: true,
      ready: () => !model.get("stopping"),
      // "Copy as Python": the policy's real run on exactly these studios, as Python writes it (nothing is sent)
      extra: createCopyControl({
        code: () => rpc.call("code", { rows: rows.map((r) => r.key) }),
        label: `stop ${rows.length} idle studios`,
        report: (err) => reportLocal(alerts, err),
      }).el,
      submit: () =>
        rpc.call("stop_chosen", { rows: rows.map((r) => r.key) }).catch((err) => {
          reportLocal(alerts, err);
          throw err;
        }),
    });
  }

  function renderList(list, head, refs, title, empty, detail) {
    head.textContent = `${title} (${refs.length})`;
    clear(list);
    if (!refs.length) list.append(h("li", { class: "csw-gov-empty", text: empty }));
    for (const ref of refs) list.append(h("li", { dataset: { key: ref.key }, title: ref.key, text: detail(ref) }));
  }

  function update() {
    const s = model.get("summary") ?? {};
    const loading = Boolean(model.get("loading"));
    summary.textContent = loading && !s.text ? "Reading DSS…" : (s.text ?? "not read yet");
    refreshBtn.disabled = refreshing || loading;
    refreshBtn.textContent = refreshing || loading ? "Refreshing…" : "Refresh";
    clear(chartsBox);
    for (const chart of model.get("charts") ?? []) chartsBox.append(barChart(chart));
    renderList(outdatedList, outdatedHead, model.get("outdated") ?? [], "Running on an outdated image", "None.", (r) => `${studioLabel(r)} · ${r.template ?? "?"}`);
    const unsyncedRefs = model.get("unsynced") ?? [];
    renderList(unsyncedList, unsyncedHead, unsyncedRefs, "With unsynced files", s.unsynced_read === false ? "Not read." : "None.", (r) => `${studioLabel(r)} · ${r.unsynced_files} file${r.unsynced_files === 1 ? "" : "s"}`);
    const info = model.get("policy_info") ?? {};
    const rows = model.get("policy") ?? [];
    policyHead.textContent = `Idle policy: running longer than ${info.threshold ?? "?"}${info.dry_run === false ? " — stops sent" : " — dry run"}`;
    clear(tbody);
    for (const row of rows) tbody.append(policyRow(row));
    policyTable.hidden = rows.length === 0;
    policyEmpty.hidden = rows.length > 0;
    const n = info.dry_run === false ? 0 : chosenRows(rows).length;
    const stopping = Boolean(model.get("stopping"));
    stopBtn.textContent = stopping ? "Stopping…" : `Stop the ${n} chosen`;
    stopBtn.disabled = stopping || n === 0;
    dialog.refresh();
  }

  for (const name of TRAITS) model.on(`change:${name}`, update);
  update();

  return () => {
    disposed = true;
    for (const name of TRAITS) model.off(`change:${name}`, update);
    dialog.close();
    rpc.dispose();
    alerts.dispose();
    clear(el);
  };
}

/** @type {import("@anywidget/types").AnyWidget<Traits>} */
export default { render };
