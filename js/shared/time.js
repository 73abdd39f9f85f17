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
