import { afterEach, describe, expect, it } from "vitest";
import { DELETE_LOSES } from "../../js/studio_table/lifecycle.js";
import widget from "../../js/studio_table/index.js";
import { makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;
const row = (over) => ({
  key: `${over.project_key ?? "PROJ"}/${over.id}`, project_key: "PROJ", name: "studio", owner: "alice", template_id: "tpl_vscode",
  template_label: "VS Code", state: "STOPPED", last_state_change: null, zones: [], exposed: [], error: null, ...over,
});
const ROWS = [row({ id: "a1", name: "etl", state: "RUNNING" }), row({ id: "a2", name: HOSTILE }), row({ project_key: "OTHER", id: "b1", name: "app" })];
const flush = () => new Promise((r) => setTimeout(r, 0));

async function mount(selection = []) {
  const model = makeFakeModel({
    alerts: [], config: records.studio_table_config, filter_text: "", filter_states: [], sort: { column: "project", descending: false }, selection, in_flight: {},
    loading: false, summary: { total: 3, running: 1, failed_projects: 0, text: "3 studios · 1 running" }, is_simulator: false, live: true, live_info: {}, transitions: {},
  });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  model.reply("snapshot", { result: { seq: 1, rows: ROWS } });
  await flush();
  const btn = (text) => [...el.querySelectorAll("button")].find((b) => b.textContent === text && !b.closest("[hidden]"));
  const dialog = () => el.querySelector(".csw-st-lifecycle-dialog");
  const input = (label) => [...dialog().querySelectorAll("label")].find((l) => l.textContent.startsWith(label)).querySelector("input, select");
  const type = (control, value) => {
    control.value = value;
    control.dispatchEvent(new Event("input", { bubbles: true }));
  };
  return { model, el, cleanup, btn, dialog, input, type };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("StudioTable lifecycle", () => {
  it("creates a studio from the project, name and template chosen, optionally started", async () => {
    const { model, btn, dialog, input, type } = await mount();
    btn("New studio…").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "lifecycle_options" });
    model.reply("lifecycle_options", { result: { projects: ["OTHER", "PROJ"], templates: [{ id: "tpl_r", label: HOSTILE }, { id: "tpl_vscode", label: "VS Code" }] } });
    await flush();
    expect(dialog().hidden).toBe(false);
    expect(document.activeElement).toBe(input("Project")); // the first field (JupyterLab's dialogs)
    expect(dialog().querySelector("img")).toBeNull();
    expect([...input("Template").options].map((o) => o.textContent)).toEqual([`${HOSTILE} (tpl_r)`, "VS Code (tpl_vscode)"]);
    const create = btn("Create");
    expect(create.disabled).toBe(true); // no name yet
    input("Project").value = "PROJ";
    input("Template").value = "tpl_vscode";
    type(input("Name"), "  new-one ");
    expect(create.disabled).toBe(false);
    dialog().querySelector("input[type=checkbox]").checked = true;
    create.click();
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "create", project_key: "PROJ", name: "new-one", template_id: "tpl_vscode", start: true });
    expect(dialog().hidden).toBe(false); // until the kernel answers
    model.reply("create", { result: { key: "PROJ/new", started: true } });
    await flush();
    expect(dialog().hidden).toBe(true);
  });

  it("keeps the form open when the kernel refuses the creation", async () => {
    const { model, btn, dialog, input, type } = await mount();
    btn("New studio…").click();
    model.reply("lifecycle_options", { result: { projects: ["PROJ"], templates: [{ id: "tpl_vscode", label: "VS Code" }] } });
    await flush();
    type(input("Name"), "dup");
    btn("Create").click();
    await flush();
    model.reply("create", { ok: false, error: "name already used" });
    await flush();
    expect(dialog().hidden).toBe(false);
    expect(btn("Create").disabled).toBe(false);
  });

  it("deletes the one selected studio only once its name is typed, saying what is lost", async () => {
    const { model, btn, dialog, input, type } = await mount(["PROJ/a2"]);
    const del = btn("Delete…");
    expect(del.disabled).toBe(false);
    del.click();
    expect(document.activeElement).toBe(input("Type")); // the field where the name is typed
    expect(dialog().textContent).toContain(`Delete code studio “${HOSTILE}” of project PROJ (owner alice)?`);
    expect(dialog().textContent).toContain(DELETE_LOSES);
    expect(dialog().querySelector("img")).toBeNull();
    const confirm = btn("Delete");
    type(input("Type"), "studio");
    expect(confirm.disabled).toBe(true);
    type(input("Type"), HOSTILE);
    expect(confirm.disabled).toBe(false);
    confirm.click();
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "delete", row: "PROJ/a2", confirm_name: HOSTILE });
  });

  it("Escape cancels without sending anything; Delete and Change owner need exactly one selected studio", async () => {
    const none = await mount();
    expect(none.btn("Delete…").disabled).toBe(true);
    expect(none.btn("Change owner…").disabled).toBe(true);
    document.body.innerHTML = "";
    const two = await mount(["PROJ/a1", "OTHER/b1"]);
    expect(two.btn("Delete…").disabled).toBe(true);
    document.body.innerHTML = "";
    const { model, btn, dialog } = await mount(["PROJ/a1"]);
    btn("Delete…").click();
    const sent = model.sent.length;
    dialog().dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(dialog().hidden).toBe(true);
    expect(model.sent.length).toBe(sent);
  });

  it("changes the owner to the login typed", async () => {
    const { model, btn, dialog, input, type } = await mount(["PROJ/a1"]);
    btn("Change owner…").click();
    expect(dialog().textContent).toContain("Change the owner of “etl” (now alice)");
    const ok = btn("Change owner");
    type(input("New owner"), "alice");
    expect(ok.disabled).toBe(true); // same owner
    type(input("New owner"), " bob ");
    ok.click();
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "change_owner", row: "PROJ/a1", new_owner: "bob" });
    model.reply("change_owner", { result: { key: "PROJ/a1", owner: "bob" } });
    await flush();
    expect(dialog().hidden).toBe(true);
  });
});

describe("StudioTable lifecycle keyboard (JupyterLab's dialogs: first field focused, Enter submits, Escape cancels)", () => {
  const enter = (target, over = {}) => {
    const e = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true, ...over });
    target.dispatchEvent(e);
    return e;
  };

  it("Enter in Delete's field deletes once the name matches, never before", async () => {
    const { model, btn, input, type } = await mount(["PROJ/a1"]);
    btn("Delete…").click();
    const field = input("Type");
    expect(document.activeElement).toBe(field);
    type(field, "et");
    const sent = model.sent.length;
    expect(enter(field).defaultPrevented).toBe(true); // not the browser's implicit submission either
    await flush();
    expect(model.sent.length).toBe(sent); // not valid: nothing sent
    type(field, "etl");
    enter(field);
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "delete", row: "PROJ/a1", confirm_name: "etl" });
    enter(field); // a second Enter while the first waits for its answer: not sent twice
    await flush();
    expect(model.sent.filter((m) => m.kind === "delete")).toHaveLength(1);
  });

  it("Change owner opens on the login field and Enter submits it", async () => {
    const { model, btn, dialog, input, type } = await mount(["PROJ/a1"]);
    btn("Change owner…").click();
    const login = input("New owner");
    expect(document.activeElement).toBe(login);
    type(login, "bob");
    enter(login);
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "change_owner", row: "PROJ/a1", new_owner: "bob" });
    model.reply("change_owner", { result: { key: "PROJ/a1", owner: "bob" } });
    await flush();
    expect(dialog().hidden).toBe(true);
  });

  it("Shift+Enter in a field is left to the notebook (runs the cell), Escape cancels", async () => {
    const { model, btn, dialog, input, type } = await mount(["PROJ/a1"]);
    btn("Change owner…").click();
    const login = input("New owner");
    type(login, "bob");
    const sent = model.sent.length;
    expect(enter(login, { shiftKey: true }).defaultPrevented).toBe(false);
    await flush();
    expect(model.sent.length).toBe(sent);
    login.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(dialog().hidden).toBe(true);
  });
});
