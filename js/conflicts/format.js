// Pure text helpers of the conflict viewer (no DOM): counts and the effect of a sync on a file. The
// directions and the irreversible-sync warning come from Python (the `texts` trait).

export const GROUPS = [
  ["modified", "Modified"],
  ["added", "Added"],
  ["deleted", "Deleted"],
];

export function plural(n, word, many = `${word}s`) {
  return `${n} ${n === 1 ? word : many}`;
}

/** Total number of a zone's conflicting files (the counts survive list truncation). */
export function conflictCount(zone) {
  const c = zone?.counts ?? {};
  return GROUPS.reduce((sum, [key]) => sum + (Number.isFinite(c[key]) ? c[key] : (zone?.[key]?.length ?? 0)), 0);
}

/** One-line summary of a zone's check result. */
export function zoneSummary(zone) {
  switch (zone?.status) {
    case "clean":
      return "No conflicts";
    case "conflicts": {
      const c = zone.counts ?? {};
      const parts = GROUPS.filter(([key]) => (c[key] ?? 0) > 0).map(([key, label]) => `${c[key]} ${label.toLowerCase()}`);
      return `${plural(conflictCount(zone), "conflict")}: ${parts.join(", ")}`;
    }
    case "error":
      return `Could not check: ${zone.error || "unknown error"}`;
    default:
      return "Not checked yet";
  }
}

/** Text of a commit range: "1a2b3c4 → 5d6e7f8", or "" when the zone has no commits. */
export function commitRange(zone) {
  if (!zone?.commit_from && !zone?.commit_to) return "";
  if (zone.commit_from === zone.commit_to) return `DSS at ${zone.commit_to}, unchanged since the last sync`;
  return `DSS commits ${zone.commit_from || "?"} → ${zone.commit_to || "?"}`;
}

/** What happens to one conflicting file, from the point of view of the side that is overwritten. */
export function fileEffect(op, change) {
  const source = op === "pull" ? "the code studio" : "DSS";
  if (op === "pull") {
    if (change === "deleted") return `deleted in ${source}: DSS's version will be deleted`;
    return `${change} in ${source}: DSS's version will be replaced`;
  }
  if (change === "deleted") return `deleted in the code studio: DSS's version will be restored there`;
  if (change === "added") return `added in the code studio: DSS's version will replace it`;
  return `modified in the code studio: those edits will be replaced by DSS's version`;
}
