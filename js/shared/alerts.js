// The alert region every panel shows: the `alerts` trait ([{id, level: "error"|"warning"|"info",
// message, key?, detail?}]) as text, with a dismiss button each, followed by the view's own alerts.
// `detail` (the raw error, capped by Python) is shown collapsed under the message.
// One writer: Python owns `alerts`. A dismiss is a message {kind: "dismiss_alert", alert: id} (the
// alert is hidden at once); errors only the browser knows (no answer from the kernel) are kept in
// this view and never written to the model, so they are not saved into the notebook.
// mountAlerts also mounts the "updated hh:mm:ss" line (./updated.js) under the region: every panel gets both.
import { clear, h } from "./dom.js";
import { mountUpdated } from "./updated.js";

export function mountAlerts(model, container) {
  const region = h("div", { class: "csw-alerts", role: "alert", "aria-live": "assertive" });
  container.append(region);
  const updated = mountUpdated(model, container);
  const local = []; // this view's own alerts
  const dismissed = new Set(); // kernel alerts dismissed here, until the kernel drops them
  let localCount = 0;
  const item = (alert, dismiss) =>
    h(
      "div",
      { class: "csw-alert", dataset: { level: alert.level || "error" } },
      h("span", { class: "csw-alert-text", text: alert.message }),
      alert.detail
        ? h("details", { class: "csw-alert-detail" }, h("summary", { text: "Details" }), h("pre", { text: String(alert.detail) }))
        : null,
      h("button", { type: "button", "aria-label": "Dismiss message", title: "Dismiss", onclick: dismiss }, "×"),
    );
  const render = () => {
    clear(region);
    const kernel = model.get("alerts") ?? [];
    const ids = new Set(kernel.map((a) => a.id));
    for (const id of [...dismissed]) if (!ids.has(id)) dismissed.delete(id);
    for (const alert of kernel) {
      if (dismissed.has(alert.id)) continue;
      region.append(
        item(alert, () => {
          dismissed.add(alert.id);
          model.send({ kind: "dismiss_alert", alert: alert.id });
          render();
        }),
      );
    }
    for (const alert of local) {
      region.append(
        item(alert, () => {
          local.splice(local.indexOf(alert), 1);
          render();
        }),
      );
    }
  };
  model.on("change:alerts", render);
  render();
  return {
    el: region,
    /** Show a front-end-only error (e.g. no answer from the kernel) in this view only. */
    local(message, level = "error") {
      localCount += 1;
      local.push({ id: `local-${localCount}`, level, message });
      render();
    },
    dispose() {
      updated.dispose();
      model.off("change:alerts", render);
    },
  };
}
