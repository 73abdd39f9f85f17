// Import, export and delete code studio templates from TemplateBuilds. Messages (answered by
// cswidgets/widgets/template_builds/panel.py): "import" {label} with the archive as a buffer,
// "export" {template_id} (the kernel then sends {kind: "download", name, mime} with the archive as a
// buffer, saved here through a temporary <a download>), "delete" {template_id, confirm_label,
// delete_runtime, delete_images}. Export and Delete act on the one selected template.
import { createCopyControl } from "../shared/copy.js";
import { createDialog, field } from "../shared/dialog.js";
import { h } from "../shared/dom.js";
import { saveDownload } from "../shared/download.js";
import { reportLocal } from "../shared/local_error.js";

export const DELETE_TEMPLATE_LOSES =
  "Code studios created from it can no longer be started or rebuilt from it. This cannot be undone; export it first to keep a copy.";

export { saveDownload }; // its home is shared/download.js (the studio table's CSV uses it too)

/**
 * createTemplateManager({model, rpc, alerts, target: () => row | null}) -> {el (buttons), dialog
 * (element), sync(), dispose()}. `target()` is the one selected template (null when none or several are).
 */
export function createTemplateManager({ model, rpc, alerts, target }) {
  const dialog = createDialog("csw-tb-manage");
  const fail = (err) => {
    reportLocal(alerts, err);
    throw err;
  };
  const importBtn = h("button", { type: "button", onclick: () => openImport() }, "Import…");
  const exportBtn = h("button", { type: "button", onclick: () => exportOne() }, "Export");
  const deleteBtn = h("button", { type: "button", class: "csw-danger", onclick: () => openDelete() }, "Delete…");
  const el = h("span", { class: "csw-tb-manage-buttons", role: "group", "aria-label": "Import, export or delete a template" }, importBtn, exportBtn, deleteBtn);
  let exporting = false;

  const onMsg = (msg, buffers) => {
    if (msg?.kind !== "download") return;
    saveDownload(msg.name, msg.mime, buffers);
  };
  model.on("msg:custom", onMsg);

  function openImport() {
    const file = h("input", { type: "file", accept: ".zip,application/zip" });
    const label = h("input", { type: "text", autocomplete: "off", placeholder: "as in the archive" });
    dialog.open({
      title: "Import a code studio template",
      body: [field("Archive (.zip, exported from DSS)", file), field("Label (optional)", label)],
      confirm: "Import",
      ready: () => Boolean(file.files?.length),
      submit: async () => {
        const data = await file.files[0].arrayBuffer();
        return rpc.call("import", { label: label.value.trim() || null, name: file.files[0].name }, { buffers: [data] }).catch(fail);
      },
      extra: copyControl("import", () => ({ what: "import", name: file.files?.[0]?.name ?? null, label: label.value.trim() || null })),
    });
  }

  function exportOne() {
    const row = target();
    if (!row || exporting) return;
    exporting = true;
    sync();
    rpc
      .call("export", { template_id: row.id })
      .catch(fail)
      .catch(() => null)
      .finally(() => {
        exporting = false;
        sync();
      });
  }

  function openDelete() {
    const row = target();
    if (!row) return;
    const expected = row.label || row.id;
    const typed = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
    const runtime = h("input", { type: "checkbox" });
    const images = h("input", { type: "checkbox" });
    dialog.open({
      title: `Delete template “${expected}” (${row.id})?`,
      body: [
        h("p", { class: "csw-dialog-text", text: DELETE_TEMPLATE_LOSES }),
        h("label", {}, runtime, " Also delete its runtime"),
        h("label", {}, images, " Also delete its built images"),
        field(`Type “${expected}” to confirm`, typed),
      ],
      confirm: "Delete",
      danger: true,
      ready: () => typed.value === expected,
      submit: () =>
        rpc
          .call("delete", { template_id: row.id, confirm_label: typed.value, delete_runtime: runtime.checked, delete_images: images.checked })
          .catch(fail),
      extra: copyControl(`delete ${expected}`, () => ({ what: "delete", template_id: row.id, delete_runtime: runtime.checked, delete_images: images.checked })),
    });
  }

  /** "Copy as Python" beside a dialog's buttons: the code of the action as the form now says it (Python writes it). */
  function copyControl(label, message) {
    return createCopyControl({ code: () => rpc.call("code", message()), label, report: (err) => reportLocal(alerts, err) }).el;
  }

  function sync() {
    const row = target();
    exportBtn.disabled = !row || exporting;
    exportBtn.textContent = exporting ? "Exporting…" : "Export";
    deleteBtn.disabled = !row;
    for (const button of [exportBtn, deleteBtn]) button.title = row ? `${button === exportBtn ? "Export" : "Delete"} “${row.label || row.id}”` : "Select one template first";
  }

  return {
    el,
    dialog: dialog.el,
    sync,
    dispose() {
      model.off("msg:custom", onMsg);
      dialog.close();
    },
  };
}
