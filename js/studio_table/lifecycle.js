// Lifecycle of code studios from the studio table: New studio (project + name + template, optionally
// started), Delete (typing the studio's name confirms it; says what is lost) and Change owner, on the
// one selected studio. Messages (answered by cswidgets/widgets/studio_table/lifecycle.py):
// "lifecycle_options" -> {projects, templates: [{id, label}], blocked}, "create" {project_key, name,
// template_id, start}, "delete" {row, confirm_name}, "change_owner" {row, new_owner}.
import { createDialog, field } from "../shared/dialog.js";
import { h } from "../shared/dom.js";
import { createCopyControl } from "../shared/copy.js";
import { reportLocal } from "../shared/local_error.js";
import { displayName } from "./row.js";

/** What deleting a studio loses, as the confirmation says it. */
export const DELETE_LOSES =
  "Its runtime, its settings and every file in it not synced to DSS are lost; anyone working in it loses their session. This cannot be undone.";

/**
 * createLifecycle({rpc, alerts, target: () => row | null, cannotCreate: () => string | null}) -> {el (buttons),
 * dialog (element), sync(), dispose()}. `target()` is the one selected, shown studio (null when none or
 * several are); `cannotCreate()` says why nothing can be created now (New studio is then disabled).
 */
/**
 * @param {{rpc: any, alerts: any, target: () => any, cannotCreate?: () => string | null}} options
 */
export function createLifecycle({ rpc, alerts, target, cannotCreate = () => null }) {
  const dialog = createDialog("csw-st-lifecycle-dialog");
  const fail = (err) => {
    reportLocal(alerts, err);
    throw err;
  };
  const newBtn = h("button", { type: "button", onclick: () => openNew() }, "New studio…");
  const deleteBtn = h("button", { type: "button", class: "csw-danger", onclick: () => openDelete() }, "Delete…");
  const ownerBtn = h("button", { type: "button", onclick: () => openOwner() }, "Change owner…");
  const el = h("span", { class: "csw-st-lifecycle", role: "group", "aria-label": "Create, delete or hand over a studio" }, newBtn, deleteBtn, ownerBtn);
  let disposed = false;

  async function openNew() {
    newBtn.disabled = true;
    let options;
    try {
      options = await rpc.call("lifecycle_options").catch(fail);
    } catch {
      return;
    } finally {
      newBtn.disabled = Boolean(cannotCreate());
    }
    if (disposed) return;
    const nothing = options?.blocked; // Python says why nothing can be created (the button is then disabled too)
    if (nothing) {
      alerts.local(nothing, "warning"); // an empty form with a dead Create button would say nothing
      return;
    }
    const project = h("select", { required: true }, ...(options?.projects ?? []).map((p) => h("option", { value: p, text: p })));
    const name = h("input", { type: "text", required: true, autocomplete: "off" });
    const template = h(
      "select",
      { required: true },
      ...(options?.templates ?? []).map((t) => h("option", { value: t.id, text: t.label && t.label !== t.id ? `${t.label} (${t.id})` : t.id })),
    );
    const start = h("input", { type: "checkbox" });
    dialog.open({
      title: "New code studio",
      body: [field("Project", project), field("Name", name), field("Template", template), h("label", {}, start, " Start it once created")],
      confirm: "Create",
      focus: project, // the first field (JupyterLab's dialogs); Enter creates once the form is complete
      ready: () => Boolean(project.value && name.value.trim() && template.value),
      submit: () =>
        rpc
          .call("create", { project_key: project.value, name: name.value.trim(), template_id: template.value, start: start.checked })
          .catch(fail),
      extra: copyControl("create a studio", () => ({
        what: "create",
        create: { project_key: project.value, name: name.value.trim(), template_id: template.value, start: start.checked },
      })),
    });
  }

  function openDelete() {
    const row = target();
    if (!row) return;
    const expected = row.name || row.key;
    const typed = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
    dialog.open({
      title: `Delete code studio “${displayName(row)}” of project ${row.project_key} (owner ${row.owner ?? "unknown"})?`,
      body: [h("p", { class: "csw-dialog-text", text: DELETE_LOSES }), field(`Type “${expected}” to confirm`, typed)],
      confirm: "Delete",
      danger: true,
      focus: typed, // Enter deletes once the name matches
      ready: () => typed.value === expected,
      submit: () => rpc.call("delete", { row: row.key, confirm_name: typed.value }).catch(fail),
      extra: copyControl(`delete ${displayName(row)}`, () => ({ what: "delete", row: row.key })),
    });
  }

  function openOwner() {
    const row = target();
    if (!row) return;
    const login = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
    dialog.open({
      title: `Change the owner of “${displayName(row)}” (now ${row.owner ?? "unknown"})`,
      body: [field("New owner (login)", login)],
      confirm: "Change owner",
      focus: login,
      ready: () => Boolean(login.value.trim()) && login.value.trim() !== row.owner,
      submit: () => rpc.call("change_owner", { row: row.key, new_owner: login.value.trim() }).catch(fail),
      extra: copyControl(`change the owner of ${displayName(row)}`, () => ({ what: "change owner", row: row.key, new_owner: login.value.trim() })),
    });
  }

  /** "Copy as Python" beside a dialog's buttons: the code of the action as the form now says it (Python writes it). */
  function copyControl(label, message) {
    return createCopyControl({ code: () => rpc.call("code", message()), label, report: (err) => reportLocal(alerts, err) }).el;
  }

  return {
    el,
    dialog: dialog.el,
    sync() {
      const why = cannotCreate();
      newBtn.disabled = Boolean(why);
      newBtn.title = why ?? "Create a code studio";
      const row = target();
      for (const [button, verb] of [
        [deleteBtn, "Delete"],
        [ownerBtn, "Change the owner of"],
      ]) {
        button.disabled = !row;
        button.title = row ? `${verb} “${displayName(row)}”` : "Select one studio first";
      }
    },
    dispose() {
      disposed = true;
      dialog.close();
    },
  };
}
