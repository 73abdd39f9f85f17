// StudioTable front end: every code studio of the instance in one virtualized ARIA grid.
// Rows arrive as messages (reset/patch diffs, see studio_table/store.js) and are requested in full
// with a "snapshot" call whenever a view renders or detects a gap; small view state (filters, sort,
// grouping, columns, selection, in-flight actions, summary) lives in synced traits. The view writes
// only the traits of its own controls (filter_text, the columns' filter traits, group_by, columns, sort,
// live); the selection is Python's: a change is a "select" message (see shared/selection.js).
// What to show comes from Python once, in the `config` trait: the declared columns (rendered by kind,
// see columns.js), the states in which a studio runs and the batch actions' rules. No column list,
// no state list here.
//
// Selection = what you see: select-all and shift-click ranges take the rows shown; batch actions
// act on the selected rows shown unless the user ticks "Include the N hidden".
import { mountAlerts } from "../shared/alerts.js";
import { createCopyControl } from "../shared/copy.js";
import { clear, h } from "../shared/dom.js";
import { listenForDownloads } from "../shared/download.js";
import { reportLocal as showLocal } from "../shared/local_error.js";
import { createRpc } from "../shared/rpc.js";
import { createSelection } from "../shared/selection.js";
import { reportRendered } from "../shared/rendered.js";
import { ensureTheme } from "../shared/styles.js";
import { everyTick, tickTimes } from "../shared/ticker.js";
import { createBody } from "./body.js";
import { createMeasurer, fitWidths, hiddenColumns, naturalWidths, shownColumns } from "./columns.js";
import { batchQuestion, rowQuestion } from "./confirm_text.js";
import { createConfirm, createSelectionBar, createToolbar, eligible, filtersOf } from "./controls.js";
import { createGrid } from "./grid.js";
import { RESIZE_STEP, createHeader } from "./header.js";
import { followLayout } from "./fill.js";
import { createLifecycle } from "./lifecycle.js";
import { rowActions } from "./row.js";
import { createRowMenu } from "./row_menu.js";
import { RowStore, isTimeFilter, withGroups } from "./store.js";
import { createViewsControl } from "./views.js";
import { createWebappsBox } from "./webapps.js";
import { createViewportReporter } from "./viewport.js";
import "./style.css"; // emitted as cswidgets/static/<panel>.css: the widget's _css

const VIEW_TRAITS = ["filter_text", "sort", "group_by", "columns", "selection", "in_flight", "denied", "loading", "summary", "is_simulator", "live", "live_info", "transitions", "stale", "create_blocked"];
/** @type {TableConfig} */
const NO_CONFIG = { columns: [], active_states: [], batch: [] };

let viewCount = 0;

/** @typedef {import("./model.js").Traits} Traits */
/** @typedef {import("./model.js").TableConfig} TableConfig */

/** @type {import("@anywidget/types").Render<Traits>} */
function render({ model, el }) {
  const config = model.get("config") ?? NO_CONFIG;
  const specs = new Map(config.columns.map((c) => [c.id, c]));
  const active = new Set(config.active_states);
  const filters = filtersOf(config.columns).map(([trait]) => trait);
  const timeFilters = filtersOf(config.columns).filter(([, , col]) => isTimeFilter(col)).map(([trait]) => trait);
  const TRAITS = [...filters, ...VIEW_TRAITS];
  const firstSort = config.columns.find((c) => c.sort)?.sort ?? null;
  /** The sort in force: the `sort` trait's when it names a sortable column, else the first one's. */
  const sortOf = () => {
    const sort = model.get("sort") ?? {};
    const known = config.columns.some((c) => c.sort && c.sort === sort.column);
    return { column: (known ? sort.column : firstSort) ?? undefined, descending: Boolean(sort.descending) };
  };
  // keys pressed in the panel are the panel's (arrows, Enter, Space, Escape): not notebook shortcuts
  const root = h("div", { class: "csw-root csw-st", "data-lm-suppress-shortcuts": "true" });
  // ... except the notebook's own Shift/Ctrl/Alt+Enter (run the cell): JupyterLab's convention wherever focus
  // is. Lumino reads the attribute while the key event bubbles to the document; it is back once it has.
  root.addEventListener(
    "keydown",
    (e) => {
      if (e.key !== "Enter" || !(e.shiftKey || e.ctrlKey || e.altKey || e.metaKey)) return;
      root.removeAttribute("data-lm-suppress-shortcuts");
      setTimeout(() => root.setAttribute("data-lm-suppress-shortcuts", "true"), 0);
    },
    true,
  );
  ensureTheme(el);
  el.append(root);
  reportRendered(model);
  const alerts = mountAlerts(model, root);
  const rpc = createRpc(model);
  const store = new RowStore(config.columns);
  const pending = new Set(); // row keys whose click is not answered yet
  const collapsed = new Set(); // projects whose group is folded (this view only)
  let includeHidden = false; // batch actions also act on selected rows the filters hide
  /** @type {string | null} */
  let anchor = null; // last row ticked: the start of a shift-click range
  let refreshPending = false;
  let csvPending = false;
  let snapshotPending = false;
  let disposed = false;
  /** @type {Record<string, number> | null} */
  let dragWidths = null; // widths while a resize handle is dragged (saved on release)

  const setTrait = (name, value) => {
    model.set(name, value);
    model.save_changes();
  };
  const selected = createSelection(model, rpc, "selection", { onChange: () => update(), onError: (err) => reportLocal(err) });
  const selection = () => selected.current();
  const inFlight = () => model.get("in_flight") ?? {};
  const columnsState = () => model.get("columns") ?? {};
  /** A column's filter trait (named by the declaration: `filter_states`...): the values chosen (seconds: a time filter). */
  const filterValues = (trait) => /** @type {string[] | number | undefined} */ (model.get(/** @type {keyof Traits} */ (trait)));
  const acting = () => [...Object.keys(inFlight()), ...pending];
  const filterParams = () => Object.fromEntries(filters.map((trait) => [trait, filterValues(trait)]));
  let timeKey = ""; // what the time filters kept when the rows were last filtered (store.timeKey)
  const currentRows = () => {
    const now = Date.now();
    const params = filterParams();
    timeKey = store.timeKey(params, now);
    return store.view({ text: model.get("filter_text"), filters: params, keep: acting(), sort: sortOf(), now });
  };
  /** @type {{rows: any[] | null, key: string, items: any[]}} */
  let itemsCache = { rows: null, key: "", items: [] };
  /** The list the body shows: rows, or group headers and the rows of unfolded groups. */
  const currentItems = () => {
    const rows = currentRows();
    if (model.get("group_by") !== "project") return rows;
    const key = [...collapsed].sort().join("\u0000");
    if (itemsCache.rows !== rows || itemsCache.key !== key) itemsCache = { rows, key, items: withGroups(rows, collapsed) };
    return itemsCache.items;
  };
  // Rows hold still while the pointer is over the table or a confirmation is open: values update in place,
  // but the order (a re-sort after ▶ changed a row's last change, a new row) waits until the pointer leaves
  // or the confirmation closes, so a second click lands on the studio it was aimed at. A change the user
  // makes (sort, filters, grouping, a folded group) applies at once. Rows that leave the view (deleted,
  // filtered out) go; new ones wait at the end.
  let pointerOver = false;
  /** @type {{params: string, keys: string[]} | null} */
  let held = null; // the order on screen when the rows began to hold still
  /** @type {any[]} */
  let lastShown = [];
  /** @type {{fresh: any[] | null, held: any, out: any[], moved: boolean}} */
  let shownCache = { fresh: null, held: null, out: [], moved: false };
  const viewParams = () =>
    JSON.stringify([model.get("filter_text") ?? "", filters.map((t) => filterValues(t) ?? []), sortOf(), model.get("group_by") ?? "", [...collapsed].sort()]);
  const holding = () => pointerOver || confirm.open || rowMenu.isOpen();
  /** What the body shows: currentItems(), in the held order while the rows hold still. */
  const shownItems = () => {
    const fresh = currentItems();
    if (!holding()) held = null;
    else if (!held) held = { params: viewParams(), keys: lastShown.map((it) => it.key) };
    else if (held.params !== viewParams()) held = { params: viewParams(), keys: fresh.map((it) => it.key) };
    if (shownCache.fresh === fresh && shownCache.held === held && (!held || shownCache.out.length === fresh.length)) return shownCache.out;
    let out = fresh;
    let moved = false;
    if (held) {
      const byKey = new Map(fresh.map((it) => [it.key, it]));
      out = [];
      for (const key of held.keys) {
        const it = byKey.get(key);
        if (!it) continue;
        out.push(it);
        byKey.delete(key);
      }
      out.push(...byKey.values());
      moved = out.some((it, i) => it.key !== fresh[i].key);
      held.keys = out.map((it) => it.key);
    }
    shownCache = { fresh, held, out, moved };
    lastShown = out;
    return out;
  };
  /** The studio rows a user sees (rows of folded groups are hidden), in the order shown. */
  const visibleRows = () => shownItems().filter((it) => !it.group);

  const reportLocal = (err) => {
    if (!disposed) showLocal(alerts, err);
  };

  async function act(kind, row) {
    if (kind === "webapps") return webappsBox.open(row); // a read: no confirmation, the row stays free
    if (pending.has(row.key) || inFlight()[row.key]) return; // double-click protection
    if (kind === "stop" || (kind === "start" && active.has(row.state))) {
      const verb = kind === "stop" ? "Stop" : "Restart";
      const ok = await confirm.ask(rowQuestion(verb, row), `${verb} ${row.name || row.id || row.key}`, {
        extra: copyAsPython(verb.toLowerCase(), { row: row.key }, `${verb.toLowerCase()} ${row.name || row.id || row.key}`),
        anchor: body.rowElement(row.key),
      });
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

  /**
   * "Copy as Python" in a confirmation (shared/copy.js): Python writes the code of `what` on `target` ({row} or, for
   * a batch, {rows}) -- the same as the activity entry's, cswidgets/widgets/shared/operation.py; without a clipboard
   * it is shown selected in the bar. `label` names the action for the button's accessible name.
   * @param {string} what @param {{row?: string, rows?: string[], new_owner?: string}} target @param {string} label
   */
  function copyAsPython(what, target, label) {
    return createCopyControl({ code: () => rpc.call("code", { what, ...target }), label, report: reportLocal }).el;
  }

  /** The selected rows batch actions take: the ones shown, plus the hidden ones if asked. */
  const batchBase = () => {
    const sel = selection();
    const shown = visibleRows().filter((r) => sel.has(r.key));
    if (!includeHidden) return shown;
    return [...sel].map((k) => store.rows.get(k)).filter(Boolean);
  };
  const targetsOf = (rule) => {
    const denied = model.get("denied") ?? {};
    const op = rule.op;
    return batchBase().filter((r) => eligible(rule, r, active) && !inFlight()[r.key] && !pending.has(r.key) && !denied[r.key]?.[op]);
  };

  async function batch(op) {
    const rule = config.batch.find((b) => b.op === op);
    const targets = rule ? targetsOf(rule) : [];
    if (!targets.length) return;
    const question = batchQuestion(op, targets);
    if (question) {
      const ok = await confirm.ask(question.text, question.confirm, {
        details: question.details,
        typeToConfirm: question.typeToConfirm,
        extra: copyAsPython(op, { rows: targets.map((r) => r.key) }, `${op} ${targets.length} studios`),
      });
      if (!ok || disposed) return;
    }
    const keys = targets.filter((r) => !inFlight()[r.key] && !pending.has(r.key)).map((r) => r.key);
    for (const k of keys) pending.add(k);
    update();
    try {
      await rpc.call("batch", { op, rows: keys });
    } catch (err) {
      reportLocal(err);
    } finally {
      for (const k of keys) pending.delete(k);
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

  /** The rows shown (filters and sort applied) as CSV: made in the kernel, saved from its "download" message. */
  async function downloadCsv() {
    if (csvPending) return;
    csvPending = true;
    update();
    try {
      await rpc.call("csv", { rows: currentRows().map((r) => r.key) });
    } catch (err) {
      reportLocal(err);
    } finally {
      csvPending = false;
      if (!disposed) update();
    }
  }
  const stopDownloads = listenForDownloads(model);
  const webappsBox = createWebappsBox({ rpc, report: (err) => reportLocal(err) });

  const toolbar = createToolbar(
    model,
    { filter: (text) => setTrait("filter_text", text), setTrait, refresh, live: (on) => setTrait("live", on), csv: downloadCsv },
    (trait) => store.choices(trait),
    config.columns,
  );
  const selBar = createSelectionBar(
    {
      batch,
      clear: () => selected.change({ clear: true }),
      includeHidden: (value) => {
        includeHidden = value;
        update();
      },
    },
    config.batch,
  );

  // --- the grid ------------------------------------------------------------------------------
  const tbody = h("tbody");
  const table = h("table", { class: "csw-st-table", role: "grid", "aria-label": "Code studios", "aria-multiselectable": "true" });
  const header = createHeader({
    table,
    onSort: (column) => {
      const sort = model.get("sort") ?? {};
      setTrait("sort", { column, descending: sort.column === column ? !sort.descending : false });
    },
    onSelectAll: (checked) => {
      const shown = visibleRows().map((r) => r.key);
      selected.change(checked ? { add: shown } : { remove: shown });
    },
    onResize: (id, px, final) => {
      const widths = { ...(columnsState().widths ?? {}) };
      if (px === null) delete widths[id];
      else widths[id] = px;
      dragWidths = final ? null : widths;
      if (final) setTrait("columns", { ...columnsState(), widths });
      else update();
    },
  });
  table.append(h("thead", {}, header.row), tbody);
  const scroller = h("div", { class: "csw-st-scroll" }, table);
  const empty = h("p", { class: "csw-st-empty", role: "status" });
  const confirm = createConfirm({
    restoreFocus: (back) => {
      if (back?.isConnected && !(/** @type {HTMLButtonElement} */ (back).disabled)) back.focus();
      else grid.focusActive(); // the opener went away (its row was rebuilt) or is disabled now
    },
    onClose: () => update(), // the order held while it was open catches up
  });
  // Nothing that opens pushes the rows: the confirmation floats under the row it is about (over the rows
  // below it), the lifecycle form over the top of the table, the alerts in a dock over the bottom of the
  // table whose height the scroller adds below its rows (every row stays reachable, none moves).
  const orderHint = h("div", { class: "csw-st-order-hint", role: "status", hidden: true });
  const dock = h("div", { class: "csw-st-dock" }, alerts.el);
  const rowMenu = createRowMenu({
    onAction: (kind, row) => act(kind, store.rows.get(row.key) ?? row),
    onClose: () => update(),
  });
  const area = h("div", { class: "csw-st-area" }, scroller, orderHint, rowMenu.el, confirm.el, dock);
  area.addEventListener("pointerenter", () => {
    pointerOver = true;
    update();
  });
  area.addEventListener("pointerleave", () => {
    pointerOver = false;
    update();
  });
  const docked = typeof ResizeObserver === "function" ? new ResizeObserver(() => fitDock()) : null;
  docked?.observe(dock);
  const fitDock = () => {
    const height = dock.offsetHeight;
    scroller.style.paddingBottom = height ? `${height}px` : "";
  };
  const lifecycle = createLifecycle({ rpc, alerts, target: () => {
    const picked = visibleRows().filter((r) => sel.has(r.key));
    return picked.length === 1 ? picked[0] : null;
  }, cannotCreate: () => {
    const notLoaded = model.get("summary")?.not_loaded;
    if (notLoaded) return `Nothing can be created: code studios ${notLoaded}`;
    return model.get("create_blocked") || null; // Python's finding after each full read
  } });
  toolbar.el.append(lifecycle.el);
  const views = createViewsControl({ model, rpc, filterTraits: filters, timeTraits: timeFilters, onError: (err) => reportLocal(err) });
  toolbar.el.insertBefore(views.el, lifecycle.el);
  area.append(lifecycle.dialog, webappsBox.el);
  root.append(toolbar.el, selBar.el, area, empty);

  const measure = createMeasurer(root);
  /** @type {string[]} */
  let shownIds = [];
  /** Columns shown in their compact form (the row actions as a "⋯" menu) because the box is narrow. */
  let compactIds = new Set();
  let shownKey = null;
  /** @type {{version: number, sorted: string | null, widths: any}} */
  let natural = { version: -1, sorted: null, widths: null };
  // the columns the user keeps, minus those the box is too narrow for (declared `drop` ranks: zones, then
  // exposed), at widths that fit (identity columns never below `keep` characters)
  const layout = () => {
    const ids = shownColumns(config.columns, hiddenColumns(config.columns, columnsState()));
    const sortColumn = sortOf().column ?? null;
    if (natural.version !== store.version || natural.sorted !== sortColumn) {
      natural = { version: store.version, sorted: sortColumn, widths: naturalWidths(config.columns, [...store.rows.values()], measure, sortColumn) };
    }
    const available = scroller.clientWidth || 0;
    const fitted = fitWidths(natural.widths, ids, available, dragWidths ?? columnsState().widths ?? {});
    const key = `${fitted.shown.join()}|${fitted.compact.join()}`;
    if (key !== shownKey) {
      shownKey = key;
      shownIds = fitted.shown;
      compactIds = new Set(fitted.compact);
      header.build(shownIds, specs, compactIds);
    }
    return { available, ...fitted };
  };

  let sel = selection();
  let flights = inFlight();
  let transitions = model.get("transitions") ?? {};
  let stale = new Set(model.get("stale") ?? []);
  /** @type {ReturnType<typeof createViewportReporter> | null} */
  let viewport = null; // made with the view's id, below
  const toggleRow = (key) => {
    const on = !sel.has(key);
    anchor = key;
    selected.change(on ? { add: [key] } : { remove: [key] });
  };
  /** What a row's cells show besides the row: its selection, the actions on it, the table's settings. */
  const ctxOf = (row) => ({
    selected: sel.has(row.key),
    flight: flights[row.key] ?? null,
    transition: transitions[row.key] ?? null,
    pending: pending.has(row.key),
    denied: model.get("denied")?.[row.key] ?? null,
    now: Date.now(),
    origin: model.get("dss_origin") ?? "",
    specs,
    active,
    compact: compactIds,
    stale: stale.has(row.key),
  });
  const body = createBody({
    scroller,
    tbody,
    getRows: shownItems,
    getColumns: () => shownIds,
    getCtx: (row) => ctxOf(row),
    on: {
      select(key, checked, shift) {
        const rows = visibleRows();
        const to = rows.findIndex((r) => r.key === key);
        const from = shift && anchor !== null ? rows.findIndex((r) => r.key === anchor) : -1;
        const keys = from >= 0 && to >= 0 ? rows.slice(Math.min(from, to), Math.max(from, to) + 1).map((r) => r.key) : [key];
        anchor = key;
        selected.change(checked ? { add: keys } : { remove: keys });
      },
      action: act,
      menu: (row, button) => {
        rowMenu.open(row, button, rowActions(row, ctxOf(row)));
        update();
      },
      toggleGroup(project) {
        if (collapsed.has(project)) collapsed.delete(project);
        else collapsed.add(project);
        update();
      },
    },
    onRendered: (lost) => grid?.restore(lost),
    onVisible: (keys) => viewport?.report(keys),
  });
  const grid = createGrid({ table, headRow: header.row, body, items: shownItems, columns: () => shownIds, onToggle: toggleRow });

  // Shift+←/→ on a column's sort button resizes it
  table.addEventListener("keydown", (e) => {
    const id = /** @type {HTMLElement} */ (e.target).dataset?.resize;
    if (!id || !e.shiftKey || (e.key !== "ArrowLeft" && e.key !== "ArrowRight")) return;
    e.preventDefault();
    const th = /** @type {HTMLElement} */ (e.target).closest("th");
    const now = Math.round(th?.getBoundingClientRect().width ?? 0) || layout().widths[id];
    const widths = { ...(columnsState().widths ?? {}), [id]: Math.max(40, now + (e.key === "ArrowRight" ? RESIZE_STEP : -RESIZE_STEP)) };
    setTrait("columns", { ...columnsState(), widths });
  });

  function update() {
    if (disposed) return;
    sel = selection();
    flights = inFlight();
    transitions = model.get("transitions") ?? {};
    stale = new Set(model.get("stale") ?? []);
    const fitted = layout();
    const items = shownItems();
    orderHint.hidden = !shownCache.moved;
    orderHint.textContent = pointerOver ? "Order will update when the pointer leaves the table" : "Order will update once this is answered";
    const rows = visibleRows();
    const shownSelected = rows.reduce((n, r) => n + (sel.has(r.key) ? 1 : 0), 0);
    header.sync({
      sort: sortOf(),
      widths: fitted.widths,
      total: fitted.total,
      available: fitted.available,
      all: rows.length > 0 && shownSelected === rows.length,
      some: shownSelected > 0 && shownSelected < rows.length,
      none: rows.length === 0,
    });
    const loading = Boolean(model.get("loading")) || snapshotPending;
    table.setAttribute("aria-rowcount", String(items.length + 1));
    table.setAttribute("aria-colcount", String(shownIds.length));
    table.setAttribute("aria-busy", loading ? "true" : "false");
    let message = "";
    if (!items.length) {
      if (!store.ready || (loading && !store.size)) message = "Loading code studios…";
      else if (store.size) message = "No code studio matches the filter.";
      else if (model.get("summary")?.not_loaded) message = `Code studios ${model.get("summary").not_loaded}.`;
      else message = "No code studios.";
    }
    empty.textContent = message;
    empty.hidden = !message;
    const known = [...sel].filter((k) => store.rows.has(k)).length;
    toolbar.sync({ shown: store.ready ? rows.length : undefined, refreshing: refreshPending || Boolean(model.get("loading")), exporting: csvPending });
    selBar.sync({
      selected: known,
      hidden: known - shownSelected,
      includeHidden,
      targets: Object.fromEntries(config.batch.map((rule) => [rule.op, targetsOf(rule).length])),
    });
    body.render();
    lifecycle.sync();
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
  // the live refresh runs while a view is open: this one says so when it opens, every minute, and when it
  // closes (a cleared output, a re-run cell); a view that says nothing for a while counts as closed
  viewCount += 1;
  const viewId = `v${viewCount}-${Date.now().toString(36)}`;
  let said = 0;
  const say = (content) => {
    said += 1;
    try {
      model.send({ ...content, id: `${viewId}-${said}`, view: viewId });
    } catch {
      // no kernel connection: nothing to tell
    }
  };
  const stopTimes = tickTimes(tbody); // relative times tick in place (one timer for the page's views)
  // a time filter ("running > 4 h") follows the clock: a studio crossing the threshold shows without a read
  // (the rows are filtered again only when what the filter keeps changed)
  const stopFilterTicks = timeFilters.length
    ? everyTick((now) => {
        if (!disposed && store.timeKey(filterParams(), now) !== timeKey) update();
      })
    : () => {};
  const sayView = (state) => say({ kind: "view", state });
  // the rows on screen and whether the page is hidden: the live refresh reads what is seen (viewport.js)
  viewport = createViewportReporter({ send: say });
  const ticker = setInterval(() => sayView("alive"), 60_000);
  // the box's width decides the columns' (e.g. the file browser opened or closed); its height, how many
  // rows are drawn (a taller layout shows more)
  let lastWidth = 0;
  let lastHeight = 0;
  const resizer =
    typeof ResizeObserver === "function"
      ? new ResizeObserver(() => {
          if (scroller.clientWidth !== lastWidth || scroller.clientHeight !== lastHeight) {
            lastWidth = scroller.clientWidth;
            lastHeight = scroller.clientHeight;
            update();
          }
        })
      : null;
  resizer?.observe(scroller);
  const unfollow = followLayout(el, root);

  update();
  requestSnapshot();
  views.load();
  sayView("open");
  if (viewport?.hidden) sayView("hidden"); // opened in a background tab

  return () => {
    disposed = true;
    clearInterval(ticker);
    stopTimes();
    stopFilterTicks();
    viewport?.dispose();
    sayView("closed");
    resizer?.disconnect();
    docked?.disconnect();
    unfollow();
    model.off("msg:custom", onMsg);
    stopDownloads();
    webappsBox.dispose();
    for (const name of TRAITS) model.off(`change:${name}`, onTrait);
    confirm.cancel();
    rowMenu.dispose();
    toolbar.dispose();
    lifecycle.dispose();
    views.dispose();
    grid.dispose();
    body.dispose();
    rpc.dispose();
    alerts.dispose();
    clear(el);
  };
}

/** @type {import("@anywidget/types").AnyWidget<Traits>} */
export default { render };
