// Relative times ("3 min ago") with the exact time kept for a hover title.
/** @type {Array<[Intl.RelativeTimeFormatUnit, number]>} */
const UNITS = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

// What is shown are past events (last change, last build, an action): a time in the future comes
// from clock skew between DSS and the browser, or from the simulator running faster than real
// time, and says "just now" rather than "in 2 minutes" (the exact time stays in the title).
export function relativeTime(ms, now = Date.now()) {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return "never";
  const delta = Math.round((ms - now) / 1000);
  if (delta >= 0) return "just now";
  const fmt = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, secs] of UNITS) {
    if (Math.abs(delta) >= secs || unit === "second") return fmt.format(Math.round(delta / secs), unit);
  }
  return "";
}

export function exactTime(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return "";
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

// Durations, one format for every panel: "0.4s", "12s", "2m 05s", "1h 02m"; "" when unknown.
// Same text as duration_text in cswidgets/widgets/_format.py (rounding half up on integers, so
// both sides agree to the tenth; tests/js/fixtures/records.json holds the Python side's answers).
export function durationText(seconds) {
  if (seconds === null || seconds === undefined || typeof seconds === "boolean") return "";
  const value = Number(seconds);
  if (!Number.isFinite(value)) return "";
  const s = Math.max(0, value);
  const tenths = Math.floor(s * 10 + 0.5);
  if (tenths < 100) return `${Math.floor(tenths / 10)}.${tenths % 10}s`;
  const total = Math.floor(s + 0.5);
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m ${String(total % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
