// TemplateBuilds: the code studio templates as a table, Build per template and for a selection,
// a "without cache" option, and one progress card per build (several at once).
// Synced traits: config {columns} (the table's columns, rendered by kind: table.js), rows [{id, label,
// type, build_for, last_built_ms, error, last_failure}], builds [{key,
// template_id, label, no_cache, view, final, result_summary, abortable, abort_requested}],
// selected [ids], no_cache, loading, is_simulator, alerts. The view writes only `no_cache` (its
// checkbox); `selected` is Python's: a change is a "select" message (see shared/selection.js).
// Message kinds: "build" {template_ids, no_cache}, "abort" {key}, "dismiss" {key}, "refresh",
// "select" {add, remove, clear}, "code" {what, template_id | build, ...} (the Python of an action, for "Copy as
// Python": answered {code}); import / export / delete: see manage.js.
import { mountAlerts } from "../shared/alerts.js";
import { createCopyControl } from "../shared/copy.js";
import { h } from "../shared/dom.js";
import { localError, reportLocal } from "../shared/local_error.js";
import { createRpc } from "../shared/rpc.js";
import { createSelection } from "../shared/selection.js";
import { reportRendered } from "../shared/rendered.js";
import { ensureTheme } from "../shared/styles.js";
import { createBuildList } from "./builds.js";
import { createTemplateManager } from "./manage.js";
import { createTemplatesTable } from "./table.js";
import "./style.css"; // emitted as cswidgets/static/<panel>.css: the widget's _css


/** @typedef {import("./model.js").Traits} Traits */

/** @type {import("@anywidget/types").Render<Traits>} */
function render({ model, el }) {
  const root = h("div", { class: "csw-root csw-template-builds" });
  ensureTheme(el);
  el.append(root);
  reportRendered(model);
  const rpc = createRpc(model);
  const starting = new Set(); // template ids whose Build click awaits the kernel's answer
  let alerts = null;

  const noCache = h("input", { type: "checkbox" });
  const buildSelected = h("button", { type: "button" }, "Build selected");
  const refresh = h("button", { type: "button", "aria-label": "Refresh templates" }, "Refresh");
  const simMark = h("span", { class: "csw-sim-mark", title: "Connected to the cswidgets DSS simulator", text: "simulator" });
  const toolbar = h("div", { class: "csw-tb-toolbar", role: "toolbar", "aria-label": "Template builds" },
    buildSelected, h("label", {}, noCache, "Without cache"), h("span", { class: "csw-tb-spacer" }), simMark, refresh);
  root.append(toolbar);
  alerts = mountAlerts(model, root);
  const fail = localError(alerts);
  const selection = createSelection(model, rpc, "selected", { onChange: () => paint(), onError: (err) => reportLocal(alerts, err) });

  const startBuilds = (ids) => {
    const fresh = ids.filter((id) => !starting.has(id));
    if (fresh.length === 0) return Promise.resolve(null);
    for (const id of fresh) starting.add(id);
    paint();
    return rpc
      .call("build", { template_ids: fresh, no_cache: noCache.checked })
      .catch(fail)
      .catch(() => null)
      .finally(() => {
        for (const id of fresh) starting.delete(id);
        paint();
      });
  };

  const table = createTemplatesTable({
    columns: model.get("config")?.columns ?? [],
    onBuild: (id) => startBuilds([id]),
    onSelect: (ids) => {
      const chosen = new Set(ids);
      const now = selection.current();
      selection.change({ add: ids.filter((id) => !now.has(id)), remove: [...now].filter((id) => !chosen.has(id)) });
    },
  });
  const builds = createBuildList({
    onAbort: (key) => rpc.call("abort", { key }).catch(fail),
    onDismiss: (key) => rpc.call("dismiss", { key }).catch(fail).catch(() => null),
    onRestart: (key) => rpc.call("restart_studios", { key }).catch(fail),
    copyCode: (what, key) =>
      createCopyControl({ code: () => rpc.call("code", { what, build: key }), label: what === "abort" ? "abort this build" : "restart the outdated studios", report: (err) => reportLocal(alerts, err) }).el,
  });
  const manage = createTemplateManager({ model, rpc, alerts, target: () => {
    const picked = [...selection.current()];
    return picked.length === 1 ? ((model.get("rows") ?? []).find((r) => r.id === picked[0]) ?? null) : null;
  } });
  toolbar.insertBefore(manage.el, simMark.previousSibling);
  root.append(manage.dialog, table.el, builds.el);

  noCache.addEventListener("change", () => {
    model.set("no_cache", noCache.checked);
    model.save_changes();
  });
  buildSelected.addEventListener("click", () => startBuilds(readySelection()));
  refresh.addEventListener("click", () => {
    refresh.disabled = true;
    rpc.call("refresh").catch(fail).catch(() => null).finally(() => {
      refresh.disabled = false;
    });
  });

  const runningIds = () => new Set((model.get("builds") ?? []).filter((b) => !b.final).map((b) => b.template_id));
  /** Selected templates that are neither building nor waiting for the kernel to start them. */
  function readySelection() {
    const running = runningIds();
    return [...selection.current()].filter((id) => !running.has(id) && !starting.has(id));
  }

  function paint() {
    const selected = [...selection.current()];
    // the templates' read failed (its alert, key "load", is shown): the table claims nothing about DSS
    const notLoaded = (model.get("alerts") ?? []).some((a) => a.key === "load");
    table.update({ rows: model.get("rows") ?? [], selected, running: runningIds(), starting, notLoaded });
    builds.update(model.get("builds") ?? []);
    const ready = readySelection();
    buildSelected.disabled = ready.length === 0;
    buildSelected.textContent = selected.length ? `Build selected (${ready.length})` : "Build selected";
    noCache.checked = Boolean(model.get("no_cache"));
    simMark.hidden = !model.get("is_simulator");
    root.toggleAttribute("aria-busy", Boolean(model.get("loading")));
    manage.sync();
  }

  const traits = ["rows", "builds", "selected", "no_cache", "loading", "is_simulator", "alerts"];
  for (const k of traits) model.on(`change:${k}`, paint);
  paint();
  const timer = setInterval(() => table.tick(), 30_000);
  return () => {
    clearInterval(timer);
    for (const k of traits) model.off(`change:${k}`, paint);
    table.dispose();
    manage.dispose();
    builds.dispose();
    alerts.dispose();
    rpc.dispose();
  };
}

/** @type {import("@anywidget/types").AnyWidget<Traits>} */
export default { render };
