// One table row of the studio table (and the header row of a project group). Everything from DSS
// goes in as text (h() never parses HTML); exposed URLs become links only when they are http(s).
// Rows are rows of an ARIA grid (grid.js): every cell is a gridcell and no control inside is in
// the tab order (tabindex=-1); the grid moves one tab stop between them.
import { h, safeHref } from "../shared/dom.js";
import { createProgress } from "../shared/progress.js";
import { sinceAttrs, sinceText, timeAttrs } from "../shared/ticker.js";
import { durationText, exactTime, relativeTime } from "../shared/time.js";
import { fieldValue, listValue } from "./columns.js";
import { exposedPort } from "./store.js";

/** @typedef {import("./columns.js").ColumnSpec} ColumnSpec */

const ACTION_LABEL = { start: "Starting", restart: "Restarting", stop: "Stopping", conflicts: "Opening conflicts", task: "Working on" };

/**
 * "Start" for a stopped studio, "Restart" for a running/starting one (`active`: the states in which a
 * studio runs, the `config` trait's `active_states`).
 * @param {any} row
 * @param {Set<string>} active
 */
export function startLabel(row, active) {
  return active.has(row.state) ? "Restart" : "Start";
}

/**
 * A short label for an exposed URL: its port when the URL ends with /<port>/ ("open" otherwise), prefixed by
 * its host when that is not the DSS host (`origin`, the `dss_origin` trait) or the DSS host is not known.
 */
export function exposedLabel(url, origin = "") {
  const port = exposedPort(url);
  const label = port ? `port ${port}` : "open";
  const host = parse(url);
  if (!host) return label;
  const dss = parse(origin);
  return dss && dss.origin === host.origin ? label : `${host.host} · ${label}`;
}

/** `url` without the user name and password (never kept in a link). */
export function withoutCredentials(url) {
  const parsed = parse(url);
  if (!parsed) return url;
  parsed.username = "";
  parsed.password = "";
  return parsed.href;
}

function parse(url) {
  try {
    return url ? new URL(String(url)) : null;
  } catch {
    return null;
  }
}

export function displayName(row) {
  return row.name || row.id || row.key;
}

/** The stale mark's text (its tooltip and accessible name). */
export const STALE_TEXT = "Stale: last read a while ago, being re-read now";

const cell = (attrs, ...children) => h("td", { role: "gridcell", ...attrs }, ...children);

/**
 * The State cell: DSS's state as a badge and, while a start or stop runs (this table's own `flight`, or a
 * `transition` DSS lists as running, started elsewhere), its stage, percent and time left in the row
 * itself, over a thin progress bar.
 * @param {any} row
 * `stale`: the row came into view older than a visible row is guaranteed; it is being re-read (a mark until then).
 * @param {{flight?: any, transition?: any, stale?: boolean}} [ctx]
 */
function stateCell(row, { flight = null, transition = null, stale = false } = {}, col = null) {
  const state = String((col ? fieldValue(col, row) : row.state) || "UNKNOWN");
  const cls = /^[A-Z_]+$/.test(state) ? `csw-state-${state}` : "csw-state-UNKNOWN";
  const td = cell({ class: "csw-st-state" }, h("span", { class: `csw-badge ${cls}`, text: state }));
  if (row.error) {
    td.append(" ", h("span", { class: "csw-st-rowerr", title: row.error, role: "img", "aria-label": `Error: ${row.error}` }, "⚠"));
  }
  if (stale) {
    td.classList.add("csw-st-stale-cell");
    td.append(" ", h("span", { class: "csw-st-stale", title: STALE_TEXT, role: "img", "aria-label": STALE_TEXT }, "⟳"));
  }
  const task = flight ?? transition;
  if (task) {
    const verb = ACTION_LABEL[task.action] ?? "Working on";
    const by = !flight && task.who ? ` (by ${task.who})` : "";
    const progress = createProgress({ label: `${verb} ${displayName(row)}${by}` });
    progress.update(task.progress ?? {});
    const label = progress.el.querySelector(".csw-progress-label");
    const text = label?.textContent || verb;
    progress.el.title = `${verb}${by}: ${text}`;
    td.append(progress.el);
    td.dataset.task = flight ? "own" : "elsewhere";
  }
  return td;
}

function timeCell(ms, now) {
  if (!Number.isFinite(ms) || ms <= 0) return cell({ class: "csw-st-muted", text: "never" });
  const iso = new Date(ms).toISOString();
  // data-csw-ms: the view's shared ticker keeps the text true ("40 seconds ago"), shared/ticker.js
  return cell({}, h("time", { datetime: iso, title: exactTime(ms), text: relativeTime(ms, now), ...timeAttrs(ms) }));
}

/**
 * A duration: since the row's `col.since` time when it has one (data-csw-since: the view's shared ticker keeps it
 * true, as the filter over it), else the number of seconds as read.
 */
function durationCell(col, row, now) {
  const since = col.since ? row?.[col.since] : null;
  if (typeof since === "number" && Number.isFinite(since) && since > 0) {
    return cell({ class: "csw-st-num", title: `since ${exactTime(since)}`, text: sinceText(since, now), ...sinceAttrs(since) });
  }
  const seconds = fieldValue(col, row);
  const text = Number.isFinite(seconds) ? durationText(seconds) : "";
  return text ? cell({ class: "csw-st-num", text }) : cell({ class: "csw-st-muted", text: "—" });
}

/** A flag: the column's badge when true (tooltip: the row's `title` field), nothing when false, "?" unknown. */
function flagCell(col, row) {
  const v = fieldValue(col, row);
  const note = col.title ? row[col.title] : null;
  const title = note === null || note === undefined ? "" : String(note);
  if (v === true) return cell({ title }, h("span", { class: "csw-badge csw-st-flag", text: col.badge ?? "yes" }));
  if (v === false) return cell({ title });
  return cell({ class: "csw-st-muted", title: title || "not known", text: "?" });
}

/** A count and, under it, how long ago it was read (the column's `at` field); "—" when not read. */
function countCell(col, row, now) {
  const v = fieldValue(col, row);
  if (!Number.isFinite(v)) return cell({ class: "csw-st-muted", title: "not read", text: "—" });
  const at = col.at ? row[col.at] : null;
  const td = cell({ class: "csw-st-num" }, h("span", { class: v > 0 ? "csw-st-count csw-st-nonzero" : "csw-st-count", text: String(v) }));
  if (Number.isFinite(at) && at > 0) {
    td.append(" ", h("time", { class: "csw-st-muted", datetime: new Date(at).toISOString(), title: `read ${exactTime(at)}`, text: `· ${relativeTime(at, now)}` }));
  }
  return td;
}

function listCell(items) {
  if (!items.length) return cell({ class: "csw-st-muted", text: "—" });
  const text = items.join(", ");
  return cell({ title: text, text });
}

function linksCell(row, urls, origin) {
  const links = [];
  for (const url of urls) {
    const safe = safeHref(url);
    const href = safe && withoutCredentials(safe);
    if (links.length) links.push(" ");
    if (!href) {
      // Not http(s) (javascript:, data:…): never a link, but shown as text.
      links.push(h("span", { class: "csw-st-nolink", text: String(url) }));
      continue;
    }
    const label = exposedLabel(href, origin);
    links.push(
      h("a", {
        href,
        target: "_blank",
        rel: "noopener noreferrer",
        tabindex: "-1",
        title: href,
        "aria-label": `Open ${displayName(row)} (${label}) in a new tab`,
        text: label,
      }),
    );
  }
  return links.length ? cell({}, ...links) : cell({ class: "csw-st-muted", text: "—" });
}

/** A compact action button: a glyph shown, the full label for screen readers and as a tooltip. */
function actionButton(action, glyph, label, { danger = false, disabled = false, title = label, onclick }) {
  return h(
    "button",
    { type: "button", class: danger ? "csw-st-act csw-danger" : "csw-st-act", tabindex: "-1", dataset: { action }, "aria-label": label, title, disabled, onclick },
    h("span", { "aria-hidden": "true", text: glyph }),
  );
}

/**
 * The actions of a row, one list for its buttons and its "⋯" menu: [{action, glyph, text, label, title,
 * danger, disabled}]. Actions DSS refused with a 403 stay greyed out, the reason in the tooltip.
 * @param {any} row
 * @param {{flight?: any, pending?: boolean, denied?: any, active: Set<string>}} ctx
 */
export function rowActions(row, { flight = null, pending = false, denied = null, active }) {
  const name = displayName(row);
  const busy = Boolean(flight) || pending;
  const start = startLabel(row, active);
  const refused = denied ?? {};
  const startRefused = refused[start === "Restart" ? "restart" : "start"];
  const hasZones = (row.zones ?? []).length > 0;
  return [
    { action: "start", glyph: start === "Start" ? "▶" : "↻", text: start, label: `${start} ${name}`, title: startRefused || `${start} ${name}`, danger: false, disabled: busy || Boolean(startRefused) },
    { action: "stop", glyph: "■", text: "Stop", label: `Stop ${name}`, title: refused.stop || `Stop ${name}`, danger: true, disabled: busy || !active.has(row.state) || Boolean(refused.stop) },
    {
      action: "webapps",
      glyph: "◫",
      text: "Webapps",
      label: `Webapps of ${name}`,
      title: `The webapps published from ${name}: their state, a link, start and stop`,
      danger: false,
      disabled: false,
    },
    {
      action: "conflicts",
      glyph: "⇄",
      text: "Conflicts",
      label: `Conflicts of ${name}`,
      title: hasZones ? `Check the synchronized zones of ${name} for conflicts` : "No synchronized zone (start the studio first)",
      danger: false,
      disabled: busy || !hasZones,
    },
  ];
}

function actionsCell(row, ctx, on, compact) {
  const { flight, pending } = ctx;
  const actions = rowActions(row, ctx);
  // a narrow box: one "⋯" button opens the same actions as a menu (index.js, row_menu.js)
  const buttons = compact
    ? h(
        "button",
        {
          type: "button",
          class: "csw-st-act csw-st-more",
          tabindex: "-1",
          "aria-haspopup": "menu",
          "aria-expanded": "false",
          "aria-label": `Actions of ${displayName(row)}`,
          title: `Actions of ${displayName(row)}`,
          dataset: { action: "menu" },
          onclick: (e) => on.menu(row, e.currentTarget),
        },
        h("span", { "aria-hidden": "true", text: "⋯" }),
      )
    : h(
        "span",
        { class: "csw-st-buttons" },
        ...actions.map((a) => actionButton(a.action, a.glyph, a.label, { danger: a.danger, title: a.title, disabled: a.disabled, onclick: () => on.action(a.action, row) })),
      );
  const td = cell({ class: "csw-st-actions" }, buttons);
  // the action's progress shows in the State cell
  if (pending && !flight) {
    td.append(h("span", { class: "csw-st-muted csw-st-pending", role: "status", "aria-label": "pending", text: "…" }));
  }
  return td;
}

function textCell(col, row) {
  const v = fieldValue(col, row);
  const text = v === null ? "" : String(v);
  const title = col.title ? row[col.title] : text;
  return cell({ title: title === null || title === undefined ? "" : String(title), text });
}

/** The cell of each column kind: (col, row, ctx, on) -> <td>. */
const CELLS = {
  select: (_col, row, ctx, on) =>
    cell(
      { class: "csw-st-check" },
      h("input", {
        type: "checkbox",
        tabindex: "-1",
        checked: ctx.selected,
        "aria-label": `Select ${displayName(row)} (${row.project_key})`,
        onclick: (e) => on.select(row.key, e.target.checked, e.shiftKey),
      }),
    ),
  text: (col, row) => textCell(col, row),
  state: (col, row, ctx) => stateCell(row, ctx, col),
  time: (col, row, ctx) => timeCell(fieldValue(col, row), ctx.now),
  list: (col, row) => listCell(listValue(col, row).map(String)),
  links: (col, row, ctx) => linksCell(row, listValue(col, row), ctx.origin),
  duration: (col, row, ctx) => durationCell(col, row, ctx.now),
  flag: (col, row) => flagCell(col, row),
  count: (col, row, ctx) => countCell(col, row, ctx.now),
  actions: (col, row, ctx, on) => actionsCell(row, ctx, on, Boolean(ctx.compact?.has(col.id))),
};

/** The <td> of `row` in column `col`, by the column's kind (an unknown kind: an empty cell). */
export function renderCell(col, row, ctx, on) {
  const make = CELLS[col?.kind];
  return make ? make(col, row, ctx, on) : cell({});
}

/**
 * Build the <tr> of `row`. `ctx`: {index (0-based position in the list), columns (ids shown), specs
 * (Map id -> ColumnSpec), active (the states in which a studio runs), selected, flight (this table's action on it), transition (a start or stop DSS lists as running, from
 * elsewhere), pending, now, origin (of DSS: exposed links elsewhere name their host)}; `on`: {select(key,
 * checked, shift), action(kind, row)}.
 */
export function renderRow(row, ctx, on) {
  return h(
    "tr",
    {
      class: "csw-st-row",
      role: "row",
      dataset: { key: row.key, state: row.state || "UNKNOWN" },
      "aria-rowindex": String(ctx.index + 2), // the header is row 1
      "aria-selected": ctx.selected ? "true" : "false",
    },
    ...ctx.columns.map((id) => renderCell(ctx.specs.get(id), row, ctx, on)),
  );
}

/** The header row of a project's group: its key, its number of studios, a collapse button. */
export function renderGroup(item, ctx, on) {
  const label = `${item.project} (${item.count} ${item.count === 1 ? "studio" : "studios"})`;
  return h(
    "tr",
    { class: "csw-st-group", role: "row", dataset: { key: item.key }, "aria-rowindex": String(ctx.index + 2) },
    cell(
      { colspan: String(ctx.columns.length) },
      h(
        "button",
        {
          type: "button",
          class: "csw-st-group-toggle",
          tabindex: "-1",
          "aria-expanded": item.collapsed ? "false" : "true",
          onclick: () => on.toggleGroup(item.project),
        },
        h("span", { "aria-hidden": "true", text: item.collapsed ? "▸ " : "▾ " }),
        label,
      ),
    ),
  );
}
