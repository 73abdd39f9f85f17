// Text helpers of the activity panel (pure functions, tested without a DOM).
import { durationText } from "../shared/time.js";

export { durationText };

/** Milliseconds since the epoch of an ISO "when", or null. */
export function whenMs(when) {
  if (typeof when !== "string" || !when) return null;
  const ms = Date.parse(when);
  return Number.isFinite(ms) ? ms : null;
}

/** "3 actions · 1 running · 1 failed". */
export function countsText(counts = {}) {
  const total = counts.total ?? 0;
  const parts = [`${total} action${total === 1 ? "" : "s"}`];
  if (counts.running) parts.push(`${counts.running} running`);
  if (counts.failed) parts.push(`${counts.failed} failed`);
  return parts.join(" · ");
}

/** What the live region says when an action ends: "stop of Dashboard app: done in 1.2 s". */
export function announcement(entry) {
  if (!entry || entry.outcome === "running") return "";
  const target = entry.target ? ` of ${entry.target}` : "";
  const took = durationText(entry.duration_s);
  return `${entry.what}${target}: ${entry.outcome}${took ? ` in ${took}` : ""}`;
}

export const FAILED = new Set(["failed", "aborted"]);
