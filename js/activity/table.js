// The activity table: one <tr> per entry (newest first), text only (names come from DSS).
import { exactTime, relativeTime } from "../shared/time.js";
import { h } from "../shared/dom.js";
import { durationText, whenMs } from "./format.js";

export const HEADERS = ["When", "Who", "Action", "Target", "Outcome", "Duration", "Message", "Python"];

function outcomeClass(outcome) {
  return `csw-badge csw-outcome-${String(outcome || "unknown").replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`;
}

/**
 * One entry's row. `onCopy(code, button)`: the "Copy as Python" button of an entry that has code (Python
 * wrote it: the entry's `code`, cswidgets/widgets/shared/operation.py).
 * @param {any} entry
 * @param {number} [now]
 * @param {((code: string, button: HTMLElement) => void) | null} [onCopy]
 */
export function entryRow(entry, now = Date.now(), onCopy = null) {
  const ms = whenMs(entry.when);
  const code = typeof entry.code === "string" && entry.code ? entry.code : null;
  const copy = code && onCopy
    ? h("button", { type: "button", class: "csw-act-copy", "aria-label": `Copy as Python: ${entry.what ?? ""} ${entry.target ?? ""}`.trim(), title: code }, "Copy as Python")
    : null;
  copy?.addEventListener("click", () => onCopy?.(/** @type {string} */ (code), copy));
  return h(
    "tr",
    { dataset: { id: String(entry.id), outcome: entry.outcome ?? "" } },
    h("td", { class: "csw-act-num", title: exactTime(ms), dataset: ms ? { when: ms, cswMs: ms } : { when: "" }, text: ms ? relativeTime(ms, now) : "" }),
    h("td", { text: entry.who ?? "" }),
    h("td", { text: entry.what ?? "" }),
    h("td", { text: entry.target ?? "", title: [entry.project_key, entry.studio_id ?? entry.template_id].filter(Boolean).join(" / ") }),
    h("td", {}, h("span", { class: outcomeClass(entry.outcome), text: entry.outcome === "running" ? "running…" : entry.outcome ?? "" })),
    h("td", { class: "csw-act-num", text: durationText(entry.duration_s) }),
    h("td", { class: "csw-act-msg", text: entry.message ?? "" }),
    h("td", {}, copy),
  );
}

export function createTable() {
  const body = h("tbody");
  const table = h(
    "table",
    {},
    h("caption", { class: "csw-visually-hidden", text: "Actions taken from the dashboard, newest first" }),
    h("thead", {}, h("tr", {}, HEADERS.map((title) => h("th", { scope: "col", text: title })))),
    body,
  );
  return { table, body };
}
