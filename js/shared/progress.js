// One progress bar component for every long operation (template builds, studio start/stop).
// update(p) takes the progress view Python syncs:
//   {status: "running"|"reconnecting"|"checking"|"done"|"failed"|"aborted"|"unknown", stage,
//    fraction (0..1 or null = indeterminate), elapsed_s, eta_s, message}
// "reconnecting" (connection lost — retrying) keeps the last stage and fraction and the elapsed time;
// "checking" (a write's answer was lost: outcome unknown — checking) is indeterminate.
// A bar that ended failed, aborted or unknown keeps its last stage and % (red or greyed by the CSS), never
// empties. `showMessage: false`: the final message is shown by the caller elsewhere (a card's own failure
// box), so the bar does not repeat it. The label wraps: a long message never widens the panel.
import { h } from "./dom.js";
import { durationText } from "./time.js";

export function createProgress({ label = "Progress", showMessage = true } = {}) {
  const fill = h("div", { class: "csw-progress-fill" });
  const track = h(
    "div",
    { class: "csw-progress-track", role: "progressbar", "aria-label": label, "aria-valuemin": "0", "aria-valuemax": "100" },
    fill,
  );
  const text = h("span", { class: "csw-progress-label" });
  const el = h("div", { class: "csw-progress" }, track, text);
  const update = (p = {}) => {
    const status = p.status || "running";
    el.dataset.status = status;
    const determinate = typeof p.fraction === "number" && Number.isFinite(p.fraction);
    const pct = determinate ? Math.round(Math.min(1, Math.max(0, p.fraction)) * 100) : null;
    const live = status === "running" || status === "reconnecting" || status === "checking";
    const finished = !live;
    if (determinate || finished) {
      el.removeAttribute("data-indeterminate");
      const shown = finished && status === "done" ? 100 : pct ?? 0;
      fill.style.width = `${shown}%`;
      track.setAttribute("aria-valuenow", String(shown));
    } else {
      el.setAttribute("data-indeterminate", "");
      track.removeAttribute("aria-valuenow");
    }
    const parts = [];
    if (live) {
      if (status !== "running" && p.message) parts.push(p.message);
      if (p.stage) parts.push(p.stage);
      if (pct !== null) parts.push(`${pct}%`);
      if (p.elapsed_s !== undefined && p.elapsed_s !== null) parts.push(durationText(p.elapsed_s));
      if (p.eta_s !== undefined && p.eta_s !== null) parts.push(`~${durationText(p.eta_s)} left`);
    } else {
      parts.push({ done: "Done", failed: "Failed", aborted: "Aborted", unknown: "Outcome unknown" }[status] ?? status);
      if (status !== "done") {
        if (p.stage) parts.push(p.stage);
        if (pct !== null) parts.push(`${pct}%`);
      }
      if (p.message && showMessage) parts.push(p.message);
    }
    text.textContent = parts.join(" · ");
    track.setAttribute("aria-valuetext", text.textContent);
  };
  return { el, update };
}
