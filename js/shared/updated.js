// "updated hh:mm:ss": when the panel last read DSS successfully (the `updated_ms` trait, written by Python
// after each successful read; 0 = never). Local wall-clock time, the exact UTC instant in the tooltip.
// Mounted by mountAlerts, so every panel shows it above its content; hidden until the first read.
import { h } from "./dom.js";
import { exactTime } from "./time.js";

/** "updated 13:02:11" for epoch `ms`, "" when never. */
export function updatedText(ms) {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) return "";
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, "0");
  return `updated ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export function mountUpdated(model, container) {
  const el = h("div", { class: "csw-updated" });
  container.append(el);
  const render = () => {
    const ms = model.get("updated_ms");
    el.textContent = updatedText(ms);
    el.title = el.textContent ? `Last read from DSS: ${exactTime(ms)}` : "";
    el.hidden = !el.textContent;
  };
  model.on("change:updated_ms", render);
  render();
  return {
    el,
    dispose() {
      model.off("change:updated_ms", render);
    },
  };
}
