// ConflictViewer: every synced zone of one code studio, its conflicts, and deliberate syncs.
// Synced traits: studio_view {project_key, id, name, state, running, message, can_start,
// simulator}, zones [zone dicts, see cswidgets/widgets/conflicts/zones.py], checking (bool),
// start_progress (shared progress view or null), texts (Python's wording: directions, warnings), alerts
// (types: model.js).
// Message kinds: "refresh" (Check all), "check" {zone}, "pull" {zone, confirm}, "push" {zone,
// confirm}, "start", "diff" {zone, path} (answered {outcome: "done", diff: text | null}), "download_dss" {zone}
// (the pull confirmation's "Download DSS's versions (zip)": Python sends {kind: "download", name, mime} with the
// zip as a buffer, saved by shared/download.js, and answers {outcome, name, read, not_read}), "code" {what, zone}
// (the Python of a pull or push, for the confirmation's "Copy as Python": answered {code}). Python may send
// {kind: "reveal"} (the studio table's ⇄): the view scrolls into sight and takes the focus. `zone` is the zone's stable key (type + path: ids change at every restart);
// `confirm` is the fingerprint of the conflicts the user confirmed, or null. Python answers a
// pull/push with {outcome: "done", text} or {outcome: "confirm", zone} when the zone changed since
// the view last showed it and needs a (new) confirmation. A zone whose `confirm[op]` holds a
// sentence asks before sending: Python decides the rule (cswidgets/widgets/conflicts/zones.py).
import { mountAlerts } from "../shared/alerts.js";
import { createCopyControl } from "../shared/copy.js";
import { clear, h } from "../shared/dom.js";
import { listenForDownloads } from "../shared/download.js";
import { createProgress } from "../shared/progress.js";
import { createRpc } from "../shared/rpc.js";
import { reportLocal } from "../shared/local_error.js";
import { reportRendered } from "../shared/rendered.js";
import { ensureTheme } from "../shared/styles.js";
import { plural } from "./format.js";
import { renderZone } from "./zone.js";
import "./style.css"; // emitted as cswidgets/static/<panel>.css: the widget's _css

/** @typedef {import("./model.js").Traits} Traits */

/** @type {import("@anywidget/types").Render<Traits>} */
function render({ model, el }) {
  const root = h("div", { class: "csw-root csw-cv", tabindex: "-1", "aria-label": "File sync" });
  ensureTheme(el);
  el.append(root);
  reportRendered(model);
  const rpc = createRpc(model);

  const title = h("h3", { class: "csw-cv-title" });
  const badge = h("span", { class: "csw-badge" });
  const simMark = h("span", { class: "csw-sim-mark", text: "simulator", hidden: true });
  const checkAll = h("button", { type: "button", dataset: { action: "check-all" } }, "Check all");
  const head = h("div", { class: "csw-cv-head" }, title, badge, simMark, checkAll);
  root.append(head);
  const alerts = mountAlerts(model, root);
  const status = h("div", { class: "csw-cv-status", role: "status", "aria-live": "polite" });
  const idleText = h("p", { class: "csw-cv-idle-text" });
  const startBtn = h("button", { type: "button", dataset: { action: "start" } }, "Start");
  const progress = createProgress({ label: "Starting the code studio" });
  const idle = h("div", { class: "csw-cv-idle", hidden: true }, idleText, startBtn, progress.el);
  const zonesEl = h("div", { class: "csw-cv-zones" });
  root.append(status, idle, zonesEl);

  const pending = new Map(); // zone key -> op sent and not answered yet
  const confirming = new Map(); // zone key -> {op, zone, fresh}
  const sections = new Map(); // zone key -> {sig, el}
  const diffs = new Map(); // zone key -> Map(path -> {loading, text, error, all}): the open diffs
  const diffsAt = new Map(); // zone key -> the DSS commit those diffs were read at (a new one closes them)
  const compares = new Map(); // zone key -> {open: Set(path), states: Map(path -> diff state)}: both sides shown
  const backups = new Map(); // zone key -> {pending, result, error}: the pull confirmation's zip of DSS's versions
  const stopDownloads = listenForDownloads(model);
  let checkAllPending = false;
  let startPending = false;
  let disposed = false;

  const zones = () => model.get("zones") ?? [];
  const zoneByKey = (key) => zones().find((z) => z.key === key);
  const blocked = () => checkAllPending || Boolean(model.get("checking"));

  const report = (err) => {
    // Python already put its error in the alert region; only front-end failures are added here.
    if (!disposed) reportLocal(alerts, err);
  };

  async function runOp(key, op, confirm) {
    pending.set(key, op);
    renderZones();
    try {
      const res = await rpc.call(op, op === "check" ? { zone: key } : { zone: key, confirm: confirm ?? null });
      if (res?.outcome === "confirm" && res.zone) confirming.set(key, { op, zone: res.zone, fresh: true });
    } catch (err) {
      report(err);
    } finally {
      pending.delete(key);
      if (!disposed) renderZones({ focusConfirm: confirming.has(key) ? key : null });
    }
  }

  function onOp(key, op) {
    const zone = zoneByKey(key);
    if (!zone || pending.has(key) || zone.busy || blocked()) return;
    if (op === "pull" && zone.one_way) return;
    if (zone.confirm?.[op]) {
      confirming.set(key, { op, zone, fresh: false });
      renderZones({ focusConfirm: key });
      return;
    }
    runOp(key, op, null);
  }

  async function downloadDss(key) {
    if (backups.get(key)?.pending) return;
    backups.set(key, { pending: true });
    renderZones();
    let state;
    try {
      state = { result: await rpc.call("download_dss", { zone: key }) };
    } catch (err) {
      state = { error: err instanceof Error ? err.message : String(err) };
    }
    if (disposed) return;
    backups.set(key, state);
    renderZones();
  }

  function handlersFor(key) {
    return {
      onBackup: () => downloadDss(key),
      onConfirm: () => {
        const c = confirming.get(key);
        if (!c || backups.get(key)?.pending) return;
        confirming.delete(key);
        backups.delete(key);
        runOp(key, c.op, c.zone.fingerprint ?? null);
      },
      // "Copy as Python": Python writes the code of this pull or push of the zone (nothing is sent)
      copy: (op) =>
        createCopyControl({ code: () => rpc.call("code", { what: op, zone: key }), label: `${op} zone ${zoneByKey(key)?.label ?? key}`, report }).el,
      onTyped: (value) => {
        const c = confirming.get(key);
        if (c) c.typed = value;
      },
      onCancel: () => {
        const c = confirming.get(key);
        confirming.delete(key);
        backups.delete(key);
        renderZones();
        const back = () => sections.get(key)?.el.querySelector(`button[data-action="${c?.op}"]`)?.focus();
        back();
        queueMicrotask(back); // after the re-render's own focus restoring
      },
    };
  }

  const openDiffs = (key) => {
    if (!diffs.has(key)) diffs.set(key, new Map());
    return diffs.get(key);
  };

  async function loadDiff(key, path, open = openDiffs(key)) {
    open.set(path, { loading: true });
    renderZones();
    let state;
    try {
      const res = await rpc.call("diff", { zone: key, path });
      state = { text: res?.diff ?? null };
    } catch (err) {
      state = { error: err instanceof Error ? err.message : String(err) };
    }
    if (disposed || !open.has(path)) return;
    open.set(path, state);
    renderZones();
  }

  function compareHandlers(key) {
    if (!compares.has(key)) compares.set(key, { open: new Set(), states: new Map() });
    const c = compares.get(key);
    return {
      open: c.open,
      states: c.states,
      onToggle: (path) => {
        if (c.open.has(path)) {
          c.open.delete(path);
          renderZones();
          return;
        }
        c.open.add(path);
        const zone = zoneByKey(key);
        const known = zone?.dss_known !== false;
        const listed = (zone?.dss_changes ?? []).some((d) => d.path === path);
        const more = (zone?.dss_changes ?? []).length < (zone?.dss_count ?? 0);
        if (known && (listed || more) && !c.states.has(path)) loadDiff(key, path, c.states);
        else renderZones();
      },
      onShowAll: (path) => {
        const cur = c.states.get(path);
        if (cur) c.states.set(path, { ...cur, all: true });
        renderZones();
      },
    };
  }

  function diffHandlers(key) {
    const commit = zoneByKey(key)?.commit_to_full ?? null;
    if (diffsAt.get(key) !== commit) {
      diffs.delete(key);
      compares.delete(key);
    }
    diffsAt.set(key, commit);
    return {
      diffs: diffs.get(key) ?? new Map(),
      onToggle: (path) => {
        const open = openDiffs(key);
        if (open.has(path)) {
          open.delete(path);
          renderZones();
        } else loadDiff(key, path);
      },
      onShowAll: (path) => {
        const cur = openDiffs(key).get(path);
        if (cur) openDiffs(key).set(path, { ...cur, all: true });
        renderZones();
      },
    };
  }

  function renderZones({ focusConfirm = null } = {}) {
    const list = zones();
    const keys = new Set(list.map((z) => z.key));
    for (const key of [...confirming.keys()]) {
      const c = confirming.get(key);
      const zone = zoneByKey(key);
      if (!zone || (!c.fresh && !zone.confirm?.[c.op])) {
        confirming.delete(key);
        if (!backups.get(key)?.pending) backups.delete(key);
      }
      else if (!c.fresh) c.zone = zone; // show the latest check's list
    }
    const active = /** @type {HTMLElement | null} */ (root.contains(document.activeElement) ? document.activeElement : null);
    const order = [];
    for (const zone of list) {
      const c = confirming.get(zone.key) ?? null;
      const ui = {
        pending: pending.get(zone.key) ?? null,
        blocked: blocked(),
        confirming: c ? { ...c, handlers: handlersFor(zone.key), backup: backups.get(zone.key) ?? null } : null,
        onOp: (op) => onOp(zone.key, op),
        onCheck: () => runOp(zone.key, "check"),
        diffs: diffHandlers(zone.key),
        compare: compareHandlers(zone.key),
        texts: model.get("texts"),
      };
      const sig = JSON.stringify([zone, ui.pending, ui.blocked, c && [c.op, c.fresh, c.zone, backups.get(zone.key)], [...ui.diffs.diffs],
        [...ui.compare.open], [...ui.compare.states]]);
      const old = sections.get(zone.key);
      if (old && old.sig === sig && focusConfirm !== zone.key) {
        order.push(old.el);
        continue;
      }
      const built = renderZone(zone, ui);
      const hadFocus = old && active && old.el.contains(active) ? active.dataset?.action ?? "" : null;
      const hadPath = hadFocus && active?.dataset?.path;
      if (old) old.el.replaceWith(built.el);
      sections.set(zone.key, { sig, el: built.el });
      order.push(built.el);
      if (focusConfirm === zone.key && built.cancelBtn) queueMicrotask(() => built.cancelBtn?.focus()); // the safe button
      else if (hadFocus !== null) {
        const withPath = (selector) => [...built.el.querySelectorAll(selector)]
          .find((b) => !hadPath || /** @type {HTMLElement} */ (b).dataset.path === hadPath);
        // a button that is gone ("Show all") hands the focus to its file's diff toggle
        const again = hadFocus && (withPath(`[data-action="${hadFocus}"]:not([disabled])`) || (hadPath && withPath("[data-action=diff]")));
        queueMicrotask(() => (again || built.el).focus());
      }
    }
    for (const [key, entry] of [...sections]) {
      if (!keys.has(key)) {
        entry.el.remove();
        sections.delete(key);
      }
    }
    const current = [...zonesEl.children];
    if (current.length !== order.length || current.some((node, i) => node !== order[i])) {
      for (const node of order) zonesEl.append(node);
    }
    renderHead();
  }

  function renderHead() {
    const sv = model.get("studio_view") ?? {};
    title.textContent = sv.id ? `File sync · ${sv.name || sv.id}` : "File sync";
    title.title = sv.id ? `${sv.project_key} / ${sv.id}` : "";
    badge.hidden = !sv.state && !sv.deleted;
    badge.textContent = sv.deleted ? "DELETED" : sv.state ?? "";
    badge.className = `csw-badge csw-state-${sv.deleted ? "DELETED" : sv.state ?? "UNKNOWN"}`;
    root.dataset.deleted = sv.deleted ? "true" : "false";
    simMark.hidden = !sv.simulator;
    checkAll.disabled = !sv.running || blocked() || pending.size > 0;
    checkAll.hidden = !sv.id;
    const list = zones();
    if (blocked()) status.textContent = "Checking every zone…";
    else if (sv.running) {
      const withConflicts = list.filter((z) => z.status === "conflicts").length;
      const errors = list.filter((z) => z.status === "error").length;
      const parts = [plural(list.length, "synced zone")];
      parts.push(withConflicts ? `${withConflicts} with conflicts` : "no conflicts");
      if (errors) parts.push(`${errors} could not be checked`);
      status.textContent = parts.join(" · ");
    } else status.textContent = "";
  }

  function renderIdle() {
    const sv = model.get("studio_view") ?? {};
    const prog = model.get("start_progress");
    idle.hidden = Boolean(sv.running);
    idleText.textContent = sv.message ?? "";
    const starting = startPending || prog?.status === "running";
    startBtn.hidden = !sv.can_start && !starting;
    startBtn.disabled = starting;
    startBtn.textContent = starting ? "Starting…" : "Start";
    progress.el.hidden = !prog;
    if (prog) progress.update(prog);
  }

  const onZones = () => renderZones();
  const onStudio = () => {
    renderIdle();
    renderZones();
  };
  model.on("change:zones", onZones);
  model.on("change:checking", onZones);
  model.on("change:studio_view", onStudio);
  model.on("change:start_progress", renderIdle);
  const onCustom = (msg) => {
    if (msg?.kind !== "reveal" || disposed) return;
    // after the tab that holds the viewer was selected (same message batch): scroll once it is laid out
    requestAnimationFrame(() => {
      if (disposed || !root.isConnected) return;
      root.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
      root.focus({ preventScroll: true });
    });
  };
  model.on("msg:custom", onCustom);

  checkAll.addEventListener("click", async () => {
    if (checkAll.disabled) return;
    checkAllPending = true;
    renderZones();
    try {
      await rpc.call("refresh");
    } catch (err) {
      report(err);
    } finally {
      checkAllPending = false;
      if (!disposed) renderZones();
    }
  });
  startBtn.addEventListener("click", async () => {
    if (startBtn.disabled) return;
    startPending = true;
    renderIdle();
    try {
      await rpc.call("start");
    } catch (err) {
      report(err);
    } finally {
      startPending = false;
      if (!disposed) renderIdle();
    }
  });

  renderIdle();
  renderZones();

  return () => {
    disposed = true;
    model.off("change:zones", onZones);
    model.off("change:checking", onZones);
    model.off("change:studio_view", onStudio);
    model.off("change:start_progress", renderIdle);
    model.off("msg:custom", onCustom);
    stopDownloads();
    alerts.dispose();
    rpc.dispose();
    clear(el);
  };
}

/** @type {import("@anywidget/types").AnyWidget<Traits>} */
export default { render };
