// The alert region every panel shows: renders the `alerts` trait
// ([{id, level: "error"|"warning"|"info", message, key?, detail?}]) as text, with a dismiss button each;
// `detail` (the raw error, capped by Python) is shown collapsed under the message.
import { clear, h } from "./dom.js";

export function mountAlerts(model, container) {
  const region = h("div", { class: "csw-alerts", role: "alert", "aria-live": "assertive" });
  container.append(region);
  const render = () => {
    clear(region);
    for (const alert of model.get("alerts") ?? []) {
      const dismiss = () => {
        model.set("alerts", (model.get("alerts") ?? []).filter((a) => a.id !== alert.id));
        model.save_changes();
      };
      region.append(
        h(
          "div",
          { class: "csw-alert", dataset: { level: alert.level || "error" } },
          h("span", { class: "csw-alert-text", text: alert.message }),
          alert.detail
            ? h("details", { class: "csw-alert-detail" }, h("summary", { text: "Details" }), h("pre", { text: String(alert.detail) }))
            : null,
          h("button", { type: "button", "aria-label": "Dismiss message", title: "Dismiss", onclick: dismiss }, "×"),
        ),
      );
    }
  };
  model.on("change:alerts", render);
  render();
  return {
    el: region,
    /** Show a front-end-only error (e.g. no answer from the kernel) without a round trip. */
    local(message, level = "error") {
      const alerts = model.get("alerts") ?? [];
      model.set("alerts", [...alerts, { id: `local-${Date.now()}-${alerts.length}`, level, message }]);
      model.save_changes();
    },
    dispose() {
      model.off("change:alerts", render);
    },
  };
}
