// Text helpers of the activity panel (pure functions, tested without a DOM).
import { durationText } from "../shared/time.js";

export { durationText };

/** Milliseconds since the epoch of an ISO "when", or null. */
export function whenMs(when) {
  if (typeof when !== "string" || !when) return null;
  const ms = Date.parse(when);
  return Number.isFinite(ms) ? ms : null;
}

/** "3 actions · 1 running · 1 failed · 1 aborted · 2 refused" (each outcome its own count). */
export function countsText(counts = {}) {
  const total = counts.total ?? 0;
  const parts = [`${total} action${total === 1 ? "" : "s"}`];
  for (const key of ["running", ...PROBLEMS]) if (counts[key]) parts.push(`${counts[key]} ${key}`);
  return parts.join(" · ");
}

/** What the live region says when an action ends: "stop of Dashboard app: done in 1.2 s". */
export function announcement(entry) {
  if (!entry || entry.outcome === "running") return "";
  const target = entry.target ? ` of ${entry.target}` : "";
  const took = durationText(entry.duration_s);
  return `${entry.what}${target}: ${entry.outcome}${took ? ` in ${took}` : ""}`;
}

/** The outcomes that are not "done" (an abort or a refusal is not a failure, but is worth a look). */
export const PROBLEMS = ["failed", "aborted", "refused"];

/** The outcome filter's choices: [value, label]. */
export const OUTCOME_FILTERS = [
  ["", "all outcomes"],
  ["problems", "not done (failed, aborted, refused)"],
  ["failed", "failed"],
  ["aborted", "aborted"],
  ["refused", "refused"],
  ["running", "running"],
  ["done", "done"],
];

/** Whether `entry` passes the outcome filter `value` (see OUTCOME_FILTERS). */
export function matchesFilter(entry, value) {
  if (!value) return true;
  if (value === "problems") return PROBLEMS.includes(entry.outcome);
  return entry.outcome === value;
}
