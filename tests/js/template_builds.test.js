import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../../js/template_builds/index.js";
import { builtForText } from "../../js/template_builds/table.js";
import { answerSelects, makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;
const HOUR = 3600_000;
const ROWS = [
  { id: "tpl_vscode", label: "VS Code", type: "block_based", build_for: ["k8s-small", "k8s-large"], last_built_ms: Date.now() - 2 * HOUR, error: null },
  { id: "tpl_jlab", label: HOSTILE, type: "manual", build_for: [], last_built_ms: null, error: null },
];
const runningBuild = (extra = {}) => ({
  key: "tpl_vscode#1", template_id: "tpl_vscode", label: "Build VS Code", no_cache: false,
  view: { status: "running", stage: "Building image", fraction: 0.5, elapsed_s: 20, eta_s: 20, message: null },
  final: "", result_summary: "", abortable: true, abort_requested: false, ...extra,
});

function mount(state = {}) {
  const model = makeFakeModel({ config: records.templates_config.example, rows: ROWS, builds: [], selected: [], no_cache: false, loading: false, is_simulator: true, alerts: [], ...state });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  const visible = () => [...el.querySelectorAll("button")].filter((b) => !b.closest("[hidden]"));
  const byName = (name) => visible().find((b) => (b.getAttribute("aria-label") || b.textContent) === name);
  const row = (id) => el.querySelector(`tr[data-template="${id}"]`);
  return { model, el, cleanup, byName, row, q: (s) => el.querySelector(s) };
}

afterEach(() => {
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("TemplateBuilds table", () => {
  it("tells the kernel once that a view rendered (the page then needs no classic-notebook loader)", () => {
    const { model, cleanup } = mount();
    expect(model.reports).toEqual([{ kind: "rendered" }]);
    cleanup?.();
  });

  it("renders a column declared in Python by its kind, with no JS change", () => {
    const columns = records.templates_config.example.columns;
    const owner = { id: "owner", label: "Owner", kind: "text", fields: ["owner"], note: null, empty: "nobody" };
    const config = { columns: [...columns.slice(0, 2), owner, ...columns.slice(2)] };
    const { el, row } = mount({ config, rows: [{ ...ROWS[0], owner: HOSTILE }, { ...ROWS[1], owner: null }] });
    expect([...el.querySelectorAll("thead th")].map((th) => th.textContent)[2]).toBe("Owner");
    expect(row("tpl_vscode").querySelector(".csw-tb-owner").textContent).toBe(HOSTILE); // as text
    expect(row("tpl_jlab").querySelector(".csw-tb-owner").textContent).toBe("nobody");
    expect(window.__pwned).toBeUndefined();
  });

  it("lists templates with header cells, label, id, type, built-for and last built", () => {
    const { el, row } = mount();
    const heads = [...el.querySelectorAll("thead th")];
    expect(heads.every((th) => th.getAttribute("scope") === "col")).toBe(true);
    expect(heads.map((th) => th.textContent).slice(1)).toEqual(["Template", "ID", "Type", "Built for", "Last built",
      "Studios (running / total)", "Outdated image (running)", "Build"]);
    const cells = [...row("tpl_vscode").querySelectorAll("td")].map((td) => td.textContent);
    expect(cells.slice(1, 5)).toEqual(["VS Code", "tpl_vscode", "block_based", "k8s-small, k8s-large"]);
    expect(cells[5]).toMatch(/2 hours ago/);
    expect(cells.slice(6, 8)).toEqual(["—", "—"]); // counts not read: "—", never 0
    expect(row("tpl_vscode").querySelector(".csw-tb-last").title).toMatch(/UTC$/);
    expect(row("tpl_jlab").querySelector(".csw-tb-last").textContent).toBe("never");
    expect(row("tpl_jlab").textContent).toContain(HOSTILE);
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelector(".csw-sim-mark").hidden).toBe(false);
  });

  it("reads a last-built time ahead of the browser's clock (DSS clock skew) as 'just now'", () => {
    const { row } = mount({ rows: [{ ...ROWS[0], last_built_ms: Date.now() + 40_000 }] });
    expect(row("tpl_vscode").querySelector(".csw-tb-last").textContent).toBe("just now");
  });

  it("says so when there are no templates", () => {
    const { q } = mount({ rows: [] });
    expect(q("table").hidden).toBe(true);
    expect(q(".csw-tb-empty").hidden).toBe(false);
  });

  it("builds one template: the button is acknowledged at once, then reflects the running build", async () => {
    const { model, byName, row } = mount();
    const btn = byName("Build VS Code");
    btn.click();
    expect(model.sent[0]).toMatchObject({ kind: "build", template_ids: ["tpl_vscode"], no_cache: false });
    expect(btn.disabled).toBe(true);
    expect(btn.textContent).toBe("Starting…");
    btn.click(); // a second click while starting sends nothing
    expect(model.sent).toHaveLength(1);
    model.set("builds", [runningBuild()]);
    model.reply("build", { result: { started: ["tpl_vscode"] } });
    await new Promise((r) => setTimeout(r, 0));
    expect(btn.textContent).toBe("Building…");
    expect(btn.disabled).toBe(true);
    expect(row("tpl_vscode").hasAttribute("data-building")).toBe(true);
    const card = row("tpl_vscode").closest(".csw-root").querySelector(".csw-future[data-template='tpl_vscode']");
    expect(card.querySelector("[role=progressbar]").getAttribute("aria-valuenow")).toBe("50");
  });

  it("sends the 'without cache' option and keeps it in the model", () => {
    const { model, el, byName } = mount();
    const box = [...el.querySelectorAll("label")].find((l) => l.textContent === "Without cache").querySelector("input");
    box.click();
    expect(model.get("no_cache")).toBe(true);
    byName("Build VS Code").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "build", no_cache: true });
  });

  it("builds a selection; select-all is tri-state; running templates are left out", async () => {
    const { model, el, q } = mount();
    const ids = ROWS.map((r) => r.id);
    const buildSel = () => [...el.querySelectorAll("button")].find((b) => b.textContent.startsWith("Build selected"));
    expect(buildSel().disabled).toBe(true);
    q("input[aria-label='Select VS Code']").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "select", add: ["tpl_vscode"], remove: [], clear: false });
    expect(buildSel().textContent).toBe("Build selected (1)"); // at once, before the kernel answers
    answerSelects(model, "selected", ids);
    await new Promise((r) => setTimeout(r, 0));
    expect(model.get("selected")).toEqual(["tpl_vscode"]);
    const all = q("input[aria-label='Select all templates']");
    expect(all.indeterminate).toBe(true);
    all.click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "select", add: ["tpl_jlab"], remove: [] });
    answerSelects(model, "selected", ids);
    await new Promise((r) => setTimeout(r, 0));
    expect(model.get("selected")).toEqual(["tpl_vscode", "tpl_jlab"]);
    expect(model.saved).not.toContain("selected");
    expect(buildSel().textContent).toBe("Build selected (2)");
    model.set("builds", [runningBuild()]);
    expect(buildSel().textContent).toBe("Build selected (1)");
    buildSel().click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "build", template_ids: ["tpl_jlab"] });
  });

  it("re-enables Build when the kernel reports an error (shown by the kernel in the alert region)", async () => {
    const { model, byName } = mount();
    byName("Build VS Code").click();
    model.reply("build", { ok: false, error: "DSSError: 403 not an admin" });
    await new Promise((r) => setTimeout(r, 0));
    expect(byName("Build VS Code").disabled).toBe(false);
    expect(model.get("alerts")).toEqual([]);
  });

  it("updates rows in place: focus survives a progress update and the new last-built time shows", () => {
    const { model, byName, row } = mount({ builds: [runningBuild()] });
    const abort = byName("Abort Build VS Code");
    abort.focus();
    model.set("builds", [runningBuild({ view: { ...runningBuild().view, fraction: 0.8 } })]);
    expect(document.activeElement).toBe(abort);
    const tr = row("tpl_vscode");
    model.set("builds", [runningBuild({ final: "done", view: { status: "done", fraction: 1 } })]);
    model.set("rows", [{ ...ROWS[0], last_built_ms: Date.now() - 5_000 }, ROWS[1]]);
    expect(row("tpl_vscode")).toBe(tr);
    expect(tr.querySelector(".csw-tb-last").textContent).toMatch(/seconds? ago|now/);
    expect(byName("Build VS Code").disabled).toBe(false);
  });

  it("shows one card per build, several at once, each with its own abort and dismiss", () => {
    const other = runningBuild({ key: "tpl_jlab#2", template_id: "tpl_jlab", label: "Build JupyterLab" });
    const { model, el, byName } = mount({ builds: [runningBuild(), other] });
    expect(el.querySelectorAll(".csw-future")).toHaveLength(2);
    byName("Abort Build JupyterLab").click();
    byName("Abort now").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "abort", key: "tpl_jlab#2" });
    model.set("builds", [runningBuild(), { ...other, final: "aborted", view: { status: "aborted" } }]);
    byName("Dismiss Build JupyterLab").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "dismiss", key: "tpl_jlab#2" });
    model.set("builds", [runningBuild()]);
    expect(el.querySelectorAll(".csw-future")).toHaveLength(1);
  });

  it("refreshes relative times on a timer and cleans up everything", () => {
    vi.useFakeTimers();
    const { model, cleanup, row } = mount({ rows: [{ ...ROWS[0], last_built_ms: Date.now() - 10_000 }] });
    const cell = row("tpl_vscode").querySelector(".csw-tb-last");
    const before = cell.textContent;
    vi.advanceTimersByTime(120_000);
    expect(cell.textContent).not.toBe(before);
    expect(cell.textContent).toMatch(/minutes ago/);
    cleanup();
    expect(model.listenerCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("builtForText", () => {
  it("joins configurations and shows a dash for none", () => {
    expect(builtForText(["a", "b"])).toBe("a, b");
    expect(builtForText([])).toBe("—");
    expect(builtForText(null)).toBe("—");
  });
});
