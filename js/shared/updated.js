// "updated hh:mm:ss": when the panel last read DSS successfully (the `updated_ms` trait, written by Python
// after each successful read; 0 = never). Local wall-clock time, the exact UTC instant in the tooltip.
// Mounted by mountAlerts, so every panel shows it above its content; hidden until the first read.
// A panel with a live refresh (a `live_info` trait, e.g. the studio table) adds what it costs and whether it
// backs off: "updated 13:02:11 · slowed: DSS answers slowly", the requests per second by kind in the tooltip.
import { h } from "./dom.js";
import { exactTime } from "./time.js";

/** "updated 13:02:11" for epoch `ms`, "" when never. */
export function updatedText(ms) {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) return "";
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, "0");
  return `updated ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/**
 * What a live refresh says beside "updated": `{text, title}` from its `live_info` ({slowed, trickle, rate,
 * effective, budget, by_kind}); empty without one.
 * @param {any} info
 */
export function liveCost(info) {
  if (!info || typeof info !== "object") return { text: "", title: "" };
  const parts = [];
  if (info.slowed) parts.push(`slowed: ${info.slowed}`);
  if (info.trickle) parts.push("paused to a trickle: nobody looks");
  const kinds = Object.entries(info.by_kind ?? {}).map(([kind, rate]) => `${kind} ${rate}/s`);
  const title = [];
  if (Number.isFinite(info.rate)) title.push(`Requests to DSS: ${info.rate}/s over the last 10 s${kinds.length ? ` (${kinds.join(", ")})` : ""}.`);
  if (Number.isFinite(info.effective) && Number.isFinite(info.budget)) {
    title.push(`Rate in force ${info.effective}/s of a budget of ${info.budget}/s (request_budget).`);
  }
  if (info.slowed) title.push(`Slowed because ${info.slowed}: it recovers gradually while DSS answers well.`);
  return { text: parts.join(" · "), title: title.join(" ") };
}

export function mountUpdated(model, container) {
  const el = h("div", { class: "csw-updated" });
  container.append(el);
  const render = () => {
    const ms = model.get("updated_ms");
    const cost = liveCost(/** @type {any} */ (model).get("live_info"));
    const updated = updatedText(ms);
    el.textContent = [updated, cost.text].filter(Boolean).join(" · ");
    el.title = [updated ? `Last read from DSS: ${exactTime(ms)}` : "", cost.title].filter(Boolean).join("\n");
    el.hidden = !el.textContent;
  };
  model.on("change:updated_ms", render);
  model.on("change:live_info", render);
  render();
  return {
    el,
    dispose() {
      model.off("change:updated_ms", render);
      model.off("change:live_info", render);
    },
  };
}
