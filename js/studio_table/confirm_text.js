// The questions the studio table asks before acting: which studios, broken down by project and
// owner, and what is lost. Above TYPE_ABOVE studios the user types the count to confirm.
import { displayName } from "./row.js";

export const TYPE_ABOVE = 20;
const MAX_NAMES = 5;
const MAX_PARTS = 6;

function namesList(rows) {
  const names = rows.slice(0, MAX_NAMES).map((r) => `“${displayName(r)}”`);
  if (rows.length > MAX_NAMES) names.push(`and ${rows.length - MAX_NAMES} more`);
  return names.join(", ");
}

/** "PROJ_A 12, PROJ_B 5 and 3 more projects" (most first). */
export function breakdown(rows, value, noun) {
  const counts = new Map();
  for (const r of rows) {
    const v = value(r) || "(none)";
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  const parts = sorted.slice(0, MAX_PARTS).map(([v, n]) => `${v} (${n})`);
  const rest = sorted.length - MAX_PARTS;
  if (rest > 0) parts.push(`and ${rest} more ${noun}`);
  return parts.join(", ");
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What a stop (and a restart, which stops first) does to files: DSS pulls every two-way zone (docs/dss-api.md §6). */
export const STOP_SYNC = "Stopping first copies its two-way zones to DSS (DSS's copy of each file changed in the code studio is replaced; DSS's git history keeps the previous version of versioned zones).";
const STOP_SYNC_MANY = "Stopping first copies their two-way zones to DSS (DSS's copy of each file changed in a code studio is replaced; DSS's git history keeps the previous version of versioned zones).";

/** The question before stopping or restarting one studio. */
export function rowQuestion(verb, row) {
  return (
    `${verb} code studio “${displayName(row)}” of project ${row.project_key} (owner ${row.owner ?? "unknown"})? ` +
    `Anyone working in it loses their session. ${STOP_SYNC}`
  );
}

/**
 * The confirmation of a batch op on `targets` ({text, confirm, details, typeToConfirm}), or null
 * when none is needed (starting a few stopped studios loses nothing).
 */
export function batchQuestion(op, targets) {
  const n = targets.length;
  if (op === "start" && n <= TYPE_ABOVE) return null;
  const what = op === "start" ? `stopped code ${n === 1 ? "studio" : "studios"}` : `running code ${n === 1 ? "studio" : "studios"}`;
  const verb = { start: "Start", restart: "Restart", stop: "Stop" }[op];
  const loss = op === "start" ? "Each one takes resources on the cluster." : `Anyone working in them loses their session. ${STOP_SYNC_MANY}`;
  const text = `${verb} ${n} ${what}? ${loss}`;
  const details = [
    `In ${plural(new Set(targets.map((r) => r.project_key)).size, "project")}: ${breakdown(targets, (r) => r.project_key, "projects")}`,
    `Owned by ${plural(new Set(targets.map((r) => r.owner)).size, "user")}: ${breakdown(targets, (r) => r.owner, "owners")}`,
    `Studios: ${namesList(targets)}`,
  ];
  return { text, confirm: `${verb} ${n}`, details, typeToConfirm: n > TYPE_ABOVE ? String(n) : null };
}
