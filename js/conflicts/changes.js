// The DSS-side changes of a zone since the last sync (the zone entry's `dss_changes`, `dss_count`,
// `dss_known`, `dss_why`): one line per file with its authors and commit messages, each expandable
// to its unified diff (asked from Python on first opening, collapsed by default, long diffs cut at
// DIFF_LINES with a "Show all" button). Every text from DSS goes in as text.
import { h } from "../shared/dom.js";

/** Lines of a diff shown before "Show all". */
export const DIFF_LINES = 200;

/** The class of one line of a unified diff ("" for context). */
export function lineKind(line) {
  if (line.startsWith("+++") || line.startsWith("---")) return "csw-cv-diff-file";
  if (line.startsWith("@@")) return "csw-cv-diff-hunk";
  if (line.startsWith("+")) return "csw-cv-diff-add";
  if (line.startsWith("-")) return "csw-cv-diff-del";
  return "";
}

/** The diff block of the file at `path`. `state` = {loading, text, error, all}. */
export function diffBlock(path, state, onShowAll) {
  if (state.loading) return h("div", { class: "csw-cv-diff-note", text: "Loading the diff…" });
  if (state.error) return h("div", { class: "csw-cv-diff-note", dataset: { ok: "false" }, text: `Could not read the diff: ${state.error}` });
  if (state.text === null || state.text === undefined) {
    return h("div", { class: "csw-cv-diff-note", text: "DSS has no diff to show for this file." });
  }
  if (state.text === "") return h("div", { class: "csw-cv-diff-note", text: "No DSS-side change to this file since the last sync." });
  const lines = state.text.replace(/\n$/, "").split("\n");
  const shown = state.all ? lines : lines.slice(0, DIFF_LINES);
  const pre = h("pre", { class: "csw-cv-diff" }, shown.map((line) => h("span", { class: lineKind(line) || undefined, text: `${line}\n` })));
  const more = lines.length > shown.length
    ? h("button", { type: "button", dataset: { action: "diff-all", path }, onclick: onShowAll }, `Show all ${lines.length} lines`)
    : null;
  return h("div", { class: "csw-cv-diff-box" }, pre, more);
}

/** What was done to a file in DSS, in words. */
function changeLine(c) {
  const who = c.authors?.length ? ` by ${c.authors.join(", ")}` : "";
  return `${c.change} in DSS${who}${c.conflict ? " — also changed in the code studio" : ""}`;
}

/**
 * The DSS-side section of a zone, or null when there is nothing to say.
 * `diffs` maps a path to its diff state (absent: collapsed); `onToggle(path)`, `onShowAll(path)`.
 */
export function dssChanges(zone, { diffs, onToggle, onShowAll }) {
  if (zone.status !== "clean" && zone.status !== "conflicts") return null;
  if (zone.dss_known === false) {
    return h("div", { class: "csw-cv-dss", dataset: { known: "false" } },
      h("p", { class: "csw-cv-meta", text: `Changes made in DSS since the last sync cannot be listed: ${zone.dss_why || "DSS did not say"}.` }));
  }
  const list = zone.dss_changes ?? [];
  const total = zone.dss_count ?? list.length;
  if (!total) return null;
  const items = list.map((c) => {
    const state = diffs.get(c.path) ?? null;
    const toggle = h("button", { type: "button", class: "csw-cv-diff-toggle", "aria-expanded": state ? "true" : "false",
      dataset: { action: "diff", path: c.path }, onclick: () => onToggle(c.path) },
      h("span", { class: "csw-cv-file", text: c.path }));
    const messages = (c.messages ?? []).map((m) => h("li", { class: "csw-cv-commit", text: m }));
    return h("li", { dataset: { change: c.change, path: c.path } },
      toggle, h("span", { class: "csw-cv-change", text: ` ${changeLine(c)}` }),
      messages.length ? h("ul", { class: "csw-cv-commits", "aria-label": "Commit messages" }, messages) : null,
      state ? diffBlock(c.path, state, () => onShowAll(c.path)) : null);
  });
  if (total > list.length) items.push(h("li", { class: "csw-cv-more", text: `… and ${total - list.length} more` }));
  return h("div", { class: "csw-cv-dss", dataset: { known: "true" } },
    h("h5", { text: `Changed in DSS since the last sync (${total})` }),
    h("ul", { class: "csw-cv-dss-list" }, items));
}
