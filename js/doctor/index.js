// The doctor's probe (cswidgets.doctor() in a notebook): a tiny widget that says it rendered and tells the
// kernel so, with the front end it runs in. The kernel answers by setting `status` (Python writes it, never
// this view); until then the view says it is waiting. Texts are set with textContent only.

/** @returns {string} the front end this view runs in (its name, never a user's data) */
function frontEnd() {
  const w = /** @type {any} */ (window);
  const app = w.jupyterapp;
  if (app?.name) return `${app.name}${app.version ? ` ${app.version}` : ""}`;
  if (w.Jupyter?.notebook) return `classic Notebook${w.Jupyter.version ? ` ${w.Jupyter.version}` : ""}`;
  if (document.querySelector(".jp-LabShell")) return "JupyterLab";
  if (document.body?.dataset?.notebook) return "Jupyter Notebook 7";
  return "a Jupyter front end";
}

/** @typedef {import("./model.js").Traits} Traits */

/** @type {import("@anywidget/types").Render<Traits>} */
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "csw-doctor-probe";
  box.setAttribute("role", "status");
  box.style.cssText = "padding:4px 8px;border-left:3px solid #2e7d32;";
  const show = () => {
    box.textContent =
      model.get("status") || "cswidgets doctor: the probe widget rendered; waiting for the kernel to hear it…";
  };
  show();
  model.on("change:status", show);
  el.append(box);
  model.send({ kind: "rendered", front_end: frontEnd() });
  return () => model.off("change:status", show);
}

/** @type {import("@anywidget/types").AnyWidget<Traits>} */
export default { render };
