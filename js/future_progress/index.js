// FutureProgress: one long DSS task (template build, studio start/stop) shown as a progress bar.
// Synced traits: label, view (shared progress view: {status, stage, fraction, elapsed_s, eta_s,
// message}), final ("" | "done" | "failed" | "aborted"), result_summary, abortable,
// abort_requested, alerts. Message kinds: "abort" (sent only after the user confirmed), "code" (the Python of the
// abort, for its confirmation's "Copy as Python": answered {code}).
// The card itself is js/shared/future_card.js (TemplateBuilds shows one per build).
import { mountAlerts } from "../shared/alerts.js";
import { createCopyControl } from "../shared/copy.js";
import { h } from "../shared/dom.js";
import { createFutureCard } from "../shared/future_card.js";
import { localError, reportLocal } from "../shared/local_error.js";
import { createRpc } from "../shared/rpc.js";
import { reportRendered } from "../shared/rendered.js";
import { ensureTheme } from "../shared/styles.js";

/** @type {(keyof import("./model.js").Traits)[]} */
const TRAITS = ["label", "view", "final", "result_summary", "abortable", "abort_requested"];

/** @typedef {import("./model.js").Traits} Traits */

/** @type {import("@anywidget/types").Render<Traits>} */
function render({ model, el }) {
  const root = h("div", { class: "csw-root csw-future-progress" });
  ensureTheme(el);
  el.append(root);
  reportRendered(model);
  const rpc = createRpc(model);
  const alerts = mountAlerts(model, root);
  const card = createFutureCard({
    label: model.get("label") || "Task",
    onAbort: () => rpc.call("abort").catch(localError(alerts)),
    copy: createCopyControl({ code: () => rpc.call("code"), label: "abort", report: (err) => reportLocal(alerts, err) }).el,
  });
  root.append(card.el);
  const update = () => card.update(Object.fromEntries(TRAITS.map((k) => [k, model.get(k)])));
  for (const k of TRAITS) model.on(`change:${k}`, update);
  update();
  return () => {
    for (const k of TRAITS) model.off(`change:${k}`, update);
    card.dispose();
    alerts.dispose();
    rpc.dispose();
  };
}

/** @type {import("@anywidget/types").AnyWidget<Traits>} */
export default { render };
