// One table row of the studio table. Everything from DSS goes in as text (h() never parses HTML);
// exposed URLs become links only when they are http(s).
import { h, safeHref } from "../shared/dom.js";
import { createProgress } from "../shared/progress.js";
import { exactTime, relativeTime } from "../shared/time.js";

/**
 * Columns in display order: id (sort key, null = not sortable), header label, CSS width.
 * Short columns have fixed widths (em: they follow the font) that hold their header and its sort
 * mark; the text columns (project, name, template) share the rest. With the table's min-width
 * (css.js) no header is ever cut off: a narrower notebook scrolls the table sideways instead (the
 * fixed table layout would otherwise squeeze the columns, and "Last change" was cut off).
 */
export const COLUMNS = [
  { id: null, label: "Select", width: "34px", hidden: true },
  { id: "project", label: "Project", width: "8%" },
  { id: "name", label: "Name", width: "10%" },
  { id: "owner", label: "Owner", width: "6em" },
  { id: "template", label: "Template", width: "8%" },
  { id: "state", label: "State", width: "6.5em" },
  { id: "last_change", label: "Last change", width: "8.5em" },
  { id: "zones", label: "Zones", width: "5.5em" },
  { id: "exposed", label: "Exposed", width: "6.5em" },
  { id: null, label: "Actions", width: "230px" },
];

const ACTIVE = new Set(["RUNNING", "STARTING"]);
const ACTION_LABEL = { start: "Starting", restart: "Restarting", stop: "Stopping", conflicts: "Opening conflicts" };

/** "Start" for a stopped studio, "Restart" for a running/starting one. */
export function startLabel(row) {
  return ACTIVE.has(row.state) ? "Restart" : "Start";
}

/**
 * A short label for an exposed URL: its port when the URL ends with /<port>/ ("open" otherwise), prefixed by
 * its host when that is not the DSS host (`origin`, the `dss_origin` trait) or the DSS host is not known.
 */
export function exposedLabel(url, origin = "") {
  const m = /\/(\d{2,5})\/?(?:[?#].*)?$/.exec(String(url));
  const label = m ? `port ${m[1]}` : "open";
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

function stateCell(row) {
  const state = row.state || "UNKNOWN";
  const cls = /^[A-Z_]+$/.test(state) ? `csw-state-${state}` : "csw-state-UNKNOWN";
  const cell = h("td", {}, h("span", { class: `csw-badge ${cls}`, text: state }));
  if (row.error) {
    cell.append(
      " ",
      h("span", { class: "csw-st-rowerr", title: row.error, role: "img", "aria-label": `Error: ${row.error}` }, "⚠"),
    );
  }
  return cell;
}

function timeCell(ms, now) {
  if (!Number.isFinite(ms) || ms <= 0) return h("td", { class: "csw-st-muted", text: "never" });
  const iso = new Date(ms).toISOString();
  return h("td", {}, h("time", { datetime: iso, title: exactTime(ms), text: relativeTime(ms, now) }));
}

function zonesCell(row) {
  const zones = row.zones ?? [];
  if (!zones.length) return h("td", { class: "csw-st-muted", text: "—" });
  const text = zones.join(", ");
  return h("td", { title: text, text });
}

function exposedCell(row, origin) {
  const links = [];
  for (const url of row.exposed ?? []) {
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
        title: href,
        "aria-label": `Open ${displayName(row)} (${label}) in a new tab`,
        text: label,
      }),
    );
  }
  return links.length ? h("td", {}, ...links) : h("td", { class: "csw-st-muted", text: "—" });
}

function actionsCell(row, { flight, pending, denied }, onAction) {
  const name = displayName(row);
  const busy = Boolean(flight) || pending;
  const start = startLabel(row);
  // Actions DSS refused with a 403 stay greyed out, the reason in the tooltip.
  const refused = denied ?? {};
  const startRefused = refused[start === "Restart" ? "restart" : "start"];
  const buttons = h(
    "span",
    { class: "csw-st-buttons" },
    h("button", {
      type: "button",
      dataset: { action: "start" },
      "aria-label": `${start} ${name}`,
      title: startRefused,
      disabled: busy || Boolean(startRefused),
      onclick: () => onAction("start", row),
      text: start,
    }),
    h("button", {
      type: "button",
      class: "csw-danger",
      dataset: { action: "stop" },
      "aria-label": `Stop ${name}`,
      title: refused.stop,
      disabled: busy || !ACTIVE.has(row.state) || Boolean(refused.stop),
      onclick: () => onAction("stop", row),
      text: "Stop",
    }),
    // While an action runs its progress bar takes the place of the Conflicts button.
    flight
      ? null
      : h("button", {
          type: "button",
          dataset: { action: "conflicts" },
          "aria-label": `Conflicts of ${name}`,
          title: (row.zones ?? []).length ? "Check the synchronized zones for conflicts" : "No synchronized zone (start the studio first)",
          disabled: pending || !(row.zones ?? []).length,
          onclick: () => onAction("conflicts", row),
          text: "Conflicts",
        }),
  );
  const cell = h("td", { class: "csw-st-actions" }, buttons);
  if (flight) {
    const progress = createProgress({ label: `${ACTION_LABEL[flight.action] ?? flight.action} ${name}` });
    progress.update(flight.progress ?? {});
    // The row is too narrow for the label: it stays available on hover and to screen readers.
    progress.el.title = progress.el.querySelector(".csw-progress-label")?.textContent ?? "";
    cell.append(progress.el);
  } else if (pending) {
    cell.append(h("span", { class: "csw-st-muted", role: "status", text: "pending…" }));
  }
  return cell;
}

/**
 * Build the <tr> of `row`. `ctx`: {index (1-based aria-rowindex), selected, flight, pending, now, origin (of DSS)};
 * `on`: {select(key, checked), action(kind, row)}.
 */
export function renderRow(row, ctx, on) {
  const name = displayName(row);
  const tr = h(
    "tr",
    {
      class: "csw-st-row",
      dataset: { key: row.key, state: row.state || "UNKNOWN" },
      "aria-rowindex": String(ctx.index + 1),
      "aria-selected": ctx.selected ? "true" : "false",
    },
    h(
      "td",
      { class: "csw-st-check" },
      h("input", {
        type: "checkbox",
        checked: ctx.selected,
        "aria-label": `Select ${name} (${row.project_key})`,
        onchange: (e) => on.select(row.key, e.target.checked),
      }),
    ),
    h("td", { title: row.project_key, text: row.project_key }),
    h("td", { title: name, text: name }),
    h("td", { title: row.owner ?? "", text: row.owner ?? "" }),
    h("td", { title: row.template_id ?? "", text: row.template_label || row.template_id || "" }),
    stateCell(row),
    timeCell(row.last_state_change, ctx.now),
    zonesCell(row),
    exposedCell(row, ctx.origin),
    actionsCell(row, ctx, on.action),
  );
  return tr;
}
