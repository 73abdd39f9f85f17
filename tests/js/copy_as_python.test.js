// "Copy as Python" beside every confirmation (#24): one control (js/shared/copy.js createCopyControl) in the studio
// table's batch bar and its delete / change-owner dialogs, the templates' delete dialog and restart offer, the
// conflict viewer's pull/push step and Governance's stop. Each asks Python for the code ("code" message), copies what
// Python answered, never acts, and falls back to a selected text box without a clipboard.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import conflicts from "../../js/conflicts/index.js";
import governance from "../../js/governance/index.js";
import studioTable from "../../js/studio_table/index.js";
import templateBuilds from "../../js/template_builds/index.js";
import { answerSelects, makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const flush = () => new Promise((r) => setTimeout(r, 0));
const CODE = "import cswidgets\n\nclient = cswidgets.connect()\n# <img src=x onerror=alert(1)>\n";
let writeText;

beforeEach(() => {
  writeText = vi.fn(() => Promise.resolve());
  vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

function render(widget, state) {
  const model = makeFakeModel(state);
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  return { model, el, cleanup };
}

const copyIn = (root) => root.querySelector("button.csw-copy-python");
const button = (root, text) => [...root.querySelectorAll("button")].find((b) => b.textContent === text && !b.closest("[hidden]"));

/** Click the control's button: the "code" message it sends; answer it with CODE and check the clipboard got it. */
async function copyAndCheck(model, copy, actions) {
  const before = model.sent.length;
  copy.click();
  const asked = model.sent.at(-1);
  expect(model.sent.length).toBe(before + 1);
  expect(asked.kind).toBe("code");
  model.reply("code", { result: { code: CODE } });
  await flush();
  await flush();
  expect(writeText).toHaveBeenCalledWith(CODE);
  expect(copy.textContent).toBe("Copied");
  expect(model.sent.some((m) => actions.includes(m.kind))).toBe(false); // copying never acts
  return asked;
}

function row(over = {}) {
  const id = over.id ?? "abc";
  return { key: `${over.project_key ?? "PROJ"}/${id}`, project_key: "PROJ", id, name: id, owner: "alice", template_id: "tpl",
    template_label: "VS Code", state: "RUNNING", last_state_change: null, zones: [], exposed: [], error: null, ...over };
}

async function mountTable(rows) {
  const { model, el, cleanup } = render(studioTable, { alerts: [], config: records.studio_table_config, filter_text: "", filter_states: [],
    sort: { column: "project", descending: false }, selection: [], in_flight: {}, loading: false,
    summary: { total: rows.length, running: 2, text: "studios" }, is_simulator: false, live: true, live_info: {}, transitions: {},
    denied: {}, dss_origin: "" });
  model.reply("snapshot", { result: { seq: 1, rows } });
  await flush();
  return { model, el, cleanup };
}

describe("Copy as Python in the studio table's confirmations", () => {
  const ROWS = [row({ id: "a1", name: "Beta" }), row({ project_key: "OTHER", id: "b1", name: "Gamma", owner: "bob" }),
    row({ id: "a2", name: "alpha", state: "STOPPED" })];

  it("the batch bar copies the code of the batch on the studios it names", async () => {
    const { model, el } = await mountTable(ROWS);
    el.querySelector('input[aria-label="Select all shown studios"]').click();
    answerSelects(model, "selection", ROWS.map((r) => r.key));
    await flush();
    el.querySelector('button[aria-label="Stop the 2 selected running studios"]').click();
    const bar = el.querySelector("[role=alertdialog]");
    const copy = copyIn(bar);
    expect(copy.getAttribute("aria-label")).toBe("Copy as Python: stop 2 studios");
    const asked = await copyAndCheck(model, copy, ["batch", "stop"]);
    expect(asked.what).toBe("stop");
    expect(new Set(asked.rows)).toEqual(new Set(["PROJ/a1", "OTHER/b1"])); // the running ones, as the bar says
    expect(bar.hidden).toBe(false); // still asking
  });

  it("the New studio dialog copies the creation the form describes", async () => {
    const { model, el } = await mountTable(ROWS);
    button(el, "New studio…").click();
    model.reply("lifecycle_options", { result: { projects: ["PROJ"], templates: [{ id: "tpl_vscode", label: "VS Code" }] } });
    await flush();
    const dialog = el.querySelector(".csw-st-lifecycle-dialog");
    const name = dialog.querySelector("input[type=text]");
    name.value = " mine ";
    const asked = await copyAndCheck(model, copyIn(dialog), ["create"]);
    expect(asked).toMatchObject({ what: "create", create: { project_key: "PROJ", name: "mine", template_id: "tpl_vscode", start: false } });
  });

  it("the delete and change-owner dialogs copy the code of what the form says", async () => {
    const { model, el } = await mountTable(ROWS);
    el.querySelector('tr[data-key="PROJ/a2"] input[type=checkbox]').click();
    answerSelects(model, "selection", ROWS.map((r) => r.key));
    await flush();
    button(el, "Delete…").click();
    let dialog = el.querySelector(".csw-st-lifecycle-dialog");
    expect(await copyAndCheck(model, copyIn(dialog), ["delete"])).toMatchObject({ what: "delete", row: "PROJ/a2" });
    button(dialog, "Cancel").click();
    button(el, "Change owner…").click();
    dialog = el.querySelector(".csw-st-lifecycle-dialog");
    dialog.querySelector("input").value = " carol ";
    writeText.mockClear();
    expect(await copyAndCheck(model, copyIn(dialog), ["change_owner"])).toMatchObject({ what: "change owner", row: "PROJ/a2", new_owner: "carol" });
  });
});

describe("Copy as Python in the templates' confirmations", () => {
  const ROW = { id: "tpl_vscode", label: "VS Code", type: "block_based", build_for: [], last_built_ms: null, error: null };
  const mountBuilds = (over = {}) =>
    render(templateBuilds, { config: records.templates_config.example, rows: [ROW], builds: [], selected: [], no_cache: false, loading: false,
      is_simulator: false, alerts: [], ...over });

  it("the delete dialog copies the delete with the options ticked", async () => {
    const { model, el } = mountBuilds({ selected: ["tpl_vscode"] });
    button(el, "Delete…").click();
    const dialog = el.querySelector(".csw-tb-manage.csw-dialog");
    dialog.querySelector("label input[type=checkbox]").click(); // "Also delete its runtime"
    const asked = await copyAndCheck(model, copyIn(dialog), ["delete"]);
    expect(asked).toMatchObject({ what: "delete", template_id: "tpl_vscode", delete_runtime: true, delete_images: false });
  });

  it("the abort confirmation copies the abort of that build", async () => {
    const running = { key: "tpl_vscode#1", template_id: "tpl_vscode", label: "Build VS Code", no_cache: false,
      view: { status: "running", stage: "Building image", fraction: 0.4, message: null }, final: "", result_summary: "", abortable: true,
      abort_requested: false, restart: [], restart_names: [] };
    const { model, el } = mountBuilds({ builds: [running] });
    el.querySelector('button[aria-label="Abort Build VS Code"]').click();
    const confirm = el.querySelector(".csw-future-confirm");
    expect(confirm.hidden).toBe(false);
    expect(copyIn(confirm).getAttribute("aria-label")).toBe("Copy as Python: abort this build");
    expect(await copyAndCheck(model, copyIn(confirm), ["abort"])).toMatchObject({ what: "abort", build: "tpl_vscode#1" });
  });

  it("the restart offer copies the restart of the studios it names", async () => {
    const done = { key: "tpl_vscode#1", template_id: "tpl_vscode", label: "Build VS Code", no_cache: false,
      view: { status: "done", stage: null, fraction: 1, message: null }, final: "done", result_summary: "", abortable: false,
      abort_requested: false, restart: ["P/a"], restart_names: ["a (alice)"] };
    const { model, el } = mountBuilds({ builds: [done] });
    const offer = el.querySelector(".csw-tb-restart");
    expect(await copyAndCheck(model, copyIn(offer), ["restart_studios"])).toMatchObject({ what: "restart outdated", build: "tpl_vscode#1" });
  });
});

describe("Copy as Python in the conflict viewer's confirmation", () => {
  it("the pull step copies the pull of that zone", async () => {
    const zone = { key: "project_libVersioned|/w/lib", id: "z1", label: "Project libraries", type: "project_libVersioned", path: "/w/lib",
      one_way: false, status: "conflicts", error: null, added: [], modified: ["lib/util.py"], deleted: [], counts: { added: 0, modified: 1, deleted: 0 },
      authors: ["alice"], commit_from: "1a2b3c4", commit_to: "5d6e7f8", fingerprint: "fp1", confirm: { pull: "Pull replaces DSS's copy.", push: "Push replaces." },
      busy: null, result: null };
    const { model, el } = render(conflicts, { alerts: [], studio_view: { project_key: "PROJ", id: "cs1", name: "My studio", state: "RUNNING",
      running: true, message: "", can_start: false }, zones: [zone], checking: false, start_progress: null, texts: records.viewer_texts.example });
    button(el, "Pull").click();
    const step = el.querySelector(".csw-cv-confirm");
    expect(copyIn(step).getAttribute("aria-label")).toBe("Copy as Python: pull zone Project libraries");
    expect(await copyAndCheck(model, copyIn(step), ["pull"])).toMatchObject({ what: "pull", zone: zone.key });
  });
});

describe("Copy as Python in Governance's stop confirmation", () => {
  it("copies the policy's run on exactly the studios named; without a clipboard it shows the code selected", async () => {
    const policy = { key: "PROJ/a1", project_key: "PROJ", id: "a1", name: "Forecast", owner: "alice", running_for_s: 36_000,
      unsynced_files: 0, decision: "stop", reason: "idle", outcome: null };
    const { model, el } = render(governance, { alerts: [], updated_ms: 0, texts: { stop_zones: "A stop pulls.", stop_confirm: "Stop" },
      summary: { text: "1 running" }, charts: [], outdated: [], unsynced: [], policy: [policy],
      policy_info: { threshold: "8h 00m", dry_run: true }, loading: false, stopping: false });
    button(el, "Stop the 1 chosen").click();
    const dialog = el.querySelector(".csw-gov-confirm");
    expect(await copyAndCheck(model, copyIn(dialog), ["stop_chosen"])).toMatchObject({ kind: "code", rows: ["PROJ/a1"] });
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText: () => Promise.reject(new Error("denied")) } });
    copyIn(dialog).click();
    model.reply("code", { result: { code: CODE } });
    await flush();
    await flush();
    const area = dialog.querySelector("textarea.csw-code-text");
    expect(area.closest(".csw-code-box").hidden).toBe(false);
    expect(area.value).toBe(CODE);
    expect(dialog.querySelector("img")).toBeNull(); // the code is text
    expect(model.sent.some((m) => m.kind === "stop_chosen")).toBe(false);
  });
});
