// Issue #24 "what you see is true": words a user reads must be true.
import { afterEach, describe, expect, it } from "vitest";
import { createConfirm } from "../../js/studio_table/controls.js";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("confirmation bar", () => {
  it('shows no "null" beside Cancel when there is nothing to type (restart, stop, batch stop)', () => {
    const confirm = createConfirm();
    document.body.append(confirm.el);
    confirm.ask("Restart code studio “Beta”?", "Restart Beta");
    expect(confirm.el.textContent).not.toContain("null");
    expect(confirm.el.textContent).toBe("Restart code studio “Beta”?CancelRestart Beta");
    confirm.ask("Stop 3 running code studios?", "Stop 3", { details: ["In 1 project: PROJ (3)"] });
    expect(confirm.el.textContent).not.toContain("null");
    expect(confirm.el.querySelector("input")).toBeNull();
    confirm.cancel();
  });

  it("still offers the type-to-confirm field above the threshold", () => {
    const confirm = createConfirm();
    document.body.append(confirm.el);
    confirm.ask("Stop 25 running code studios?", "Stop 25", { typeToConfirm: "25" });
    expect(confirm.el.querySelector('input[aria-label="Type 25 to confirm"]')).not.toBeNull();
    expect(confirm.el.textContent).not.toContain("null");
    confirm.cancel();
  });
});

describe("the builds panel when the templates could not be read", () => {
  const mountBuilds = async (alerts, rows = []) => {
    const { default: widget } = await import("../../js/template_builds/index.js");
    const { makeFakeModel } = await import("./fake-model.js");
    const { default: records } = await import("./fixtures/records.json");
    const model = makeFakeModel({ config: records.templates_config.example, rows, builds: [], selected: [], no_cache: false, loading: false, is_simulator: false, alerts });
    const el = document.createElement("div");
    document.body.append(el);
    widget.render({ model, el });
    return { model, el };
  };
  const LOAD_FAILED = { id: "a1", level: "error", key: "load", message: "Could not list the templates: could not connect to http://127.0.0.1:9" };

  it('says only that the read failed, not "No code studio templates."', async () => {
    const { model, el } = await mountBuilds([LOAD_FAILED]);
    expect(el.querySelector(".csw-tb-empty").hidden).toBe(true);
    expect(el.textContent).toContain("Could not list the templates");
    model.set("alerts", []); // a later read succeeded, and DSS has no template: now that is true
    expect(el.querySelector(".csw-tb-empty").hidden).toBe(false);
  });
});

describe("the SIMULATOR mark", () => {
  it("is not displayed when the connection is not the simulator (the theme keeps [hidden] hidden)", async () => {
    const { ensureTheme } = await import("../../js/shared/styles.js");
    ensureTheme();
    const root = document.createElement("div");
    root.className = "csw-root";
    root.innerHTML = '<span class="csw-sim-mark" hidden>SIMULATOR</span><span class="csw-sim-mark">SIMULATOR</span>';
    document.body.append(root);
    const [hidden, shown] = root.querySelectorAll(".csw-sim-mark");
    expect(getComputedStyle(hidden).display).toBe("none");
    expect(getComputedStyle(shown).display).toBe("inline-block");
  });
});

describe('"New studio…" when nothing can be created', () => {
  const mountTable = async (summary) => {
    const { default: widget } = await import("../../js/studio_table/index.js");
    const { makeFakeModel } = await import("./fake-model.js");
    const { default: records } = await import("./fixtures/records.json");
    const model = makeFakeModel({
      alerts: [], config: records.studio_table_config, filter_text: "", filter_states: [], sort: { column: "project", descending: false }, selection: [],
      in_flight: {}, loading: false, summary, is_simulator: false, live: false, live_info: {}, transitions: {},
    });
    const el = document.createElement("div");
    document.body.append(el);
    widget.render({ model, el });
    model.reply("snapshot", { result: { seq: 1, rows: [] } });
    await new Promise((r) => setTimeout(r, 0));
    const newBtn = [...el.querySelectorAll("button")].find((b) => b.textContent === "New studio…");
    return { model, el, newBtn };
  };

  it("is disabled, saying why, while the studios could not be read", async () => {
    const { model, newBtn } = await mountTable({ total: 0, running: 0, failed_projects: 0, not_loaded: "not loaded — could not connect to http://127.0.0.1:9" });
    expect(newBtn.disabled).toBe(true);
    expect(newBtn.title).toContain("could not connect to http://127.0.0.1:9");
    model.set("summary", { total: 0, running: 0, failed_projects: 0, text: "0 studios" });
    expect(newBtn.disabled).toBe(false);
  });

  it("is disabled, saying why, when Python found nothing to create, and enabled again when it finds something", async () => {
    const { model, newBtn } = await mountTable({ total: 0, running: 0, failed_projects: 0, text: "0 studios" });
    model.set("create_blocked", "No code studio template to create a studio from.");
    expect(newBtn.disabled).toBe(true);
    expect(newBtn.title).toBe("No code studio template to create a studio from.");
    model.set("create_blocked", "");
    expect(newBtn.disabled).toBe(false);
    expect(newBtn.title).toBe("Create a code studio");
  });

  it("opens no empty form when DSS offers no template: it says so", async () => {
    const { model, el, newBtn } = await mountTable({ total: 0, running: 0, failed_projects: 0, text: "0 studios" });
    newBtn.click();
    model.reply("lifecycle_options", { result: { projects: ["PROJ"], templates: [], blocked: "No code studio template to create a studio from." } });
    await new Promise((r) => setTimeout(r, 0));
    expect(el.querySelector(".csw-st-lifecycle-dialog").hidden).toBe(true);
    expect(el.textContent).toContain("No code studio template to create a studio from.");
  });
});
