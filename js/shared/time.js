// Relative times ("3 min ago") with the exact time kept for a hover title.
const UNITS = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

export function relativeTime(ms, now = Date.now()) {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return "never";
  const delta = Math.round((ms - now) / 1000);
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
