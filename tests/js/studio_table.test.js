import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../../js/studio_table/index.js";
import { MIN_VIEWPORT, OVERSCAN, ROW_HEIGHT } from "../../js/studio_table/body.js";
import { exposedLabel, withoutCredentials } from "../../js/studio_table/row.js";
import { RowStore } from "../../js/studio_table/store.js";
import { answerSelects, makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

// the `config` trait Python sends: the declared columns and the batch rules (`make records`)
const CONFIG = records.studio_table_config;

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;

function row(over = {}) {
  const project_key = over.project_key ?? "PROJ";
  const id = over.id ?? "abc";
  return {
    key: `${project_key}/${id}`,
    project_key,
    id,
    name: "studio",
    owner: "alice",
    template_id: "tpl_vscode",
    template_label: "VS Code",
    state: "STOPPED",
    last_state_change: null,
    zones: [],
    exposed: [],
    error: null,
    ...over,
  };
}

const ROWS = [
  row({ id: "a1", name: "Beta", state: "RUNNING", owner: "bob", zones: ["project-lib-versioned"], exposed: ["https://dss.example/dip/code-studios/PROJ/a1/8080/"] }),
  row({ id: "a2", name: "alpha", state: "STOPPED", last_state_change: Date.now() - 3_600_000 }),
  row({ project_key: "OTHER", id: "b1", name: "Gamma", owner: "carol", state: "STARTING" }),
];

function traits(over = {}) {
  return {
    alerts: [],
    config: CONFIG,
    filter_text: "",
    filter_states: [],
    sort: { column: "project", descending: false },
    selection: [],
    in_flight: {},
    loading: false,
    summary: { total: 3, running: 1, failed_projects: 0, text: "3 studios · 1 running" },
    is_simulator: false,
    live: true,
    live_info: {},
    transitions: {},
    dss_origin: "https://dss.example",
    ...over,
  };
}

/** Render, answer the snapshot request with `rows`, and return handles. */
async function mount(rows = ROWS, over = {}) {
  const model = makeFakeModel(traits(over));
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  model.reply("snapshot", { result: { seq: 1, rows } });
  await flush();
  return { model, el, cleanup };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const names = (el) => [...el.querySelectorAll("tbody tr.csw-st-row")].map((tr) => tr.children[2].textContent);
const button = (el, label) => [...el.querySelectorAll("button")].find((b) => b.getAttribute("aria-label") === label) ?? null;

afterEach(() => {
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("StudioTable view", () => {
  it("tells the kernel once that a view rendered (the page then needs no classic-notebook loader)", async () => {
    const { model, cleanup } = await mount();
    expect(model.reports).toEqual([{ kind: "rendered" }]);
    cleanup?.();
  });

  it("asks for a snapshot and renders a real table with header cells", async () => {
    const { model, el } = await mount();
    expect(model.sent[0]).toMatchObject({ kind: "snapshot" });
    const ths = el.querySelectorAll("thead th[scope=col]");
    expect([...ths].map((t) => t.textContent.replace(/[▲▼]/g, ""))).toEqual([
      "Select", "Project", "Name", "Owner", "Template", "State", "Last change", "Running", "Zones", "Exposed", "Actions",
    ]); // "Image" and "Unsynced files" are declared hidden until the user shows them (unsynced=True shows the latter)
    expect(names(el)).toEqual(["Gamma", "alpha", "Beta"]); // project, then name
    const badge = el.querySelector('tr[data-key="PROJ/a1"] .csw-badge');
    expect(badge.textContent).toBe("RUNNING");
    expect(badge.className).toContain("csw-state-RUNNING");
    expect(el.querySelector(".csw-st-summary").textContent).toBe("3 studios · 1 running");
    const time = el.querySelector('tr[data-key="PROJ/a2"] time');
    expect(time.textContent).toMatch(/hour/);
    expect(time.getAttribute("title")).toMatch(/UTC$/);
  });

  it("shows hostile names as text and links only http(s) URLs, in a new tab", async () => {
    const { el } = await mount([
      row({ id: "x", name: HOSTILE, owner: HOSTILE, state: "RUNNING", exposed: ["javascript:alert(1)", "https://dss.example/cs/PROJ/x/8080/"] }),
    ]);
    expect(el.querySelector("img")).toBeNull();
    const tr = el.querySelector("tr.csw-st-row");
    expect(tr.children[2].textContent).toBe(HOSTILE);
    const links = tr.querySelectorAll("a");
    expect(links.length).toBe(1);
    expect(links[0].getAttribute("href")).toBe("https://dss.example/cs/PROJ/x/8080/");
    expect(links[0].getAttribute("target")).toBe("_blank");
    expect(links[0].getAttribute("rel")).toContain("noopener");
    expect(links[0].textContent).toBe("port 8080");
    expect(tr.querySelector(".csw-st-nolink").textContent).toBe("javascript:alert(1)"); // shown, not linked
    expect(button(el, `Stop ${HOSTILE}`)).not.toBeNull();
    expect(exposedLabel("https://h/x/", "https://h")).toBe("open");
  });

  it("names the host of an exposed link that is not on DSS, and drops credentials", async () => {
    const { el } = await mount(
      [
        row({
          id: "x",
          state: "RUNNING",
          exposed: ["https://dss.example/cs/PROJ/x/8080/", "https://evil.com/x/8080/", "https://user:pw@dss.example/cs/PROJ/x/9090/"],
        }),
      ],
      { dss_origin: "https://dss.example" },
    );
    const links = [...el.querySelectorAll("tr.csw-st-row a")];
    expect(links.map((a) => a.textContent)).toEqual(["port 8080", "evil.com · port 8080", "port 9090"]);
    expect(links[2].getAttribute("href")).toBe("https://dss.example/cs/PROJ/x/9090/");
    expect(el.innerHTML).not.toContain("pw@");
  });

  it("labels exposed links by port on DSS, with the host elsewhere or when DSS is not known", () => {
    expect(exposedLabel("https://dss.example:443/cs/P/x/8080/", "https://dss.example")).toBe("port 8080");
    expect(exposedLabel("http://dss.example/cs/P/x/8080/", "https://dss.example")).toBe("dss.example · port 8080");
    expect(exposedLabel("https://dss.example.evil.com/8080/", "https://dss.example")).toBe("dss.example.evil.com · port 8080");
    expect(exposedLabel("https://evil.com:8443/x/", "")).toBe("evil.com:8443 · open");
    expect(withoutCredentials("https://a:b@h/x/")).toBe("https://h/x/");
  });

  it("says the studios were not loaded (not '0 studios') when the first read failed", async () => {
    const { model, el } = await mount([], { summary: { total: 0, running: 0, not_loaded: "not loaded — authentication failed" } });
    expect(el.querySelector(".csw-st-summary").textContent).toBe("not loaded — authentication failed");
    expect(el.textContent).not.toContain("No code studios.");
    expect(el.textContent).toContain("Code studios not loaded — authentication failed.");
    model.set("summary", { total: 0, running: 0, failed_projects: 0, text: "0 studios · 0 running" });
    expect(el.querySelector(".csw-st-summary").textContent).toBe("0 studios · 0 running");
    expect(el.textContent).toContain("No code studios.");
  });

  it("sorts by a column through the sort trait, toggling direction", async () => {
    const { model, el } = await mount();
    button(el, "Sort by Name").click();
    expect(model.get("sort")).toEqual({ column: "name", descending: false });
    expect(names(el)).toEqual(["alpha", "Beta", "Gamma"]);
    expect(button(el, "Sort by Name").closest("th").getAttribute("aria-sort")).toBe("ascending");
    button(el, "Sort by Name").click();
    expect(names(el)).toEqual(["Gamma", "Beta", "alpha"]);
    button(el, "Sort by Last change").click(); // nulls last
    expect(names(el)[0]).toBe("alpha");
  });

  it("filters by text and by state, and says when nothing matches", async () => {
    const { model, el } = await mount();
    model.set("filter_text", "carol");
    expect(names(el)).toEqual(["Gamma"]);
    expect(el.querySelector(".csw-st-summary").textContent).toBe("3 studios · 1 running · 1 shown");
    model.set("filter_text", "");
    const menu = el.querySelector('.csw-st-menu[data-filter="state"]');
    menu.querySelector(".csw-st-menu-button").click();
    expect(menu.querySelector(".csw-st-menu-button").getAttribute("aria-expanded")).toBe("true");
    const options = [...menu.querySelectorAll("label")].map((l) => l.textContent);
    expect(options).toEqual(["RUNNING1", "STARTING1", "STOPPED1"]); // value and count
    menu.querySelectorAll("input")[2].click();
    expect(model.get("filter_states")).toEqual(["STOPPED"]);
    expect(menu.querySelector(".csw-st-menu-button").textContent).toBe("State: STOPPED");
    menu.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(menu.querySelector(".csw-st-menu-panel").hidden).toBe(true);
    expect(names(el)).toEqual(["alpha"]);
    model.set("filter_text", "no such studio");
    expect(names(el)).toEqual([]);
    expect(el.querySelector(".csw-st-empty").textContent).toBe("No code studio matches the filter.");
  });

  it("typing in the filter box sets the trait after a short pause", async () => {
    vi.useFakeTimers();
    const model = makeFakeModel(traits());
    const el = document.createElement("div");
    widget.render({ model, el });
    const input = el.querySelector('input[aria-label="Filter studios by text"]');
    input.value = "gam";
    input.dispatchEvent(new Event("input"));
    expect(model.get("filter_text")).toBe("");
    vi.advanceTimersByTime(200);
    expect(model.get("filter_text")).toBe("gam");
  });

  it("applies a diff, keeping selection and scroll; a gap asks for a snapshot", async () => {
    const { model, el } = await mount(ROWS, { selection: ["PROJ/a2"] });
    const scroller = el.querySelector(".csw-st-scroll");
    scroller.scrollTop = 5;
    model.emit("msg:custom", {
      kind: "rows", op: "patch", seq: 2, base: 1,
      upsert: [row({ id: "a1", name: "Beta", state: "STOPPED" }), row({ id: "new", name: "Delta" })],
      remove: ["OTHER/b1"],
    });
    expect(names(el)).toEqual(["alpha", "Beta", "Delta"]);
    expect(el.querySelector('tr[data-key="PROJ/a1"] .csw-badge').textContent).toBe("STOPPED");
    expect(el.querySelector('tr[data-key="PROJ/a2"] input[type=checkbox]').checked).toBe(true);
    expect(scroller.scrollTop).toBe(5);
    const before = model.sent.length;
    model.emit("msg:custom", { kind: "rows", op: "patch", seq: 2, base: 1, upsert: [row({ id: "zzz" })], remove: [] });
    expect(model.sent.length).toBe(before); // stale: ignored
    model.emit("msg:custom", { kind: "rows", op: "patch", seq: 9, base: 8, upsert: [], remove: [] });
    expect(model.sent.at(-1)).toMatchObject({ kind: "snapshot" }); // gap
    model.reply("snapshot", { result: { seq: 9, rows: [row({ id: "only", name: "Only" })] } });
    await flush();
    expect(names(el)).toEqual(["Only"]);
  });

  it("stops a studio after a confirmation naming it, sends once, and disables while in flight", async () => {
    const { model, el } = await mount();
    button(el, "Stop Beta").click();
    const dialog = el.querySelector("[role=alertdialog]");
    expect(dialog.hidden).toBe(false);
    expect(dialog.textContent).toContain("“Beta”");
    expect(document.activeElement.textContent).toBe("Cancel");
    expect(model.sent.filter((m) => m.kind === "stop")).toEqual([]);
    dialog.querySelector("button.csw-danger").click();
    await flush();
    expect(model.sent.filter((m) => m.kind === "stop")).toMatchObject([{ row: "PROJ/a1" }]);
    expect(button(el, "Stop Beta").disabled).toBe(true);
    button(el, "Stop Beta").click(); // disabled: nothing happens
    button(el, "Restart Beta").click();
    await flush();
    expect(model.sent.filter((m) => ["stop", "start"].includes(m.kind)).length).toBe(1);
    expect(dialog.hidden).toBe(true);
    model.set("in_flight", { "PROJ/a1": { action: "stop", progress: { status: "running", stage: "Stopping", fraction: 0.5 } } });
    model.reply("stop", { result: { accepted: true } });
    await flush();
    const bar = el.querySelector('tr[data-key="PROJ/a1"] [role=progressbar]');
    expect(bar.getAttribute("aria-valuenow")).toBe("50");
    expect(button(el, "Stop Beta").disabled).toBe(true);
    model.set("in_flight", {});
    expect(button(el, "Stop Beta").disabled).toBe(false);
    expect(el.querySelector('tr[data-key="PROJ/a1"] [role=progressbar]')).toBeNull();
  });

  it("shows the stage, percent and time left of a start in the State cell, from here or from elsewhere", async () => {
    const { model, el } = await mount();
    const stateCell = (key) => el.querySelector(`tr[data-key="${key}"] td.csw-st-state`);
    model.set("in_flight", {
      "PROJ/a2": { action: "start", progress: { status: "running", stage: "Starting pod", fraction: 0.45, elapsed_s: 4, eta_s: 5 } },
    });
    const own = stateCell("PROJ/a2");
    expect(own.querySelector(".csw-badge").textContent).toBe("STOPPED"); // what DSS said last: never invented
    expect(own.querySelector(".csw-progress-label").textContent).toBe("Starting pod · 45% · 4.0s · ~5.0s left");
    expect(own.querySelector("[role=progressbar]").getAttribute("aria-valuenow")).toBe("45");
    expect(own.dataset.task).toBe("own");
    model.set("transitions", { "OTHER/b1": { action: "stop", who: "carol", progress: { status: "running", stage: "Stopping pod", fraction: null } } });
    const elsewhere = stateCell("OTHER/b1");
    expect(elsewhere.dataset.task).toBe("elsewhere");
    expect(elsewhere.querySelector(".csw-progress-label").textContent).toBe("Stopping pod");
    expect(elsewhere.querySelector(".csw-progress").title).toBe("Stopping (by carol): Stopping pod");
    expect(elsewhere.querySelector(".csw-progress").hasAttribute("data-indeterminate")).toBe(true);
    model.set("transitions", {});
    expect(stateCell("OTHER/b1").querySelector(".csw-progress")).toBeNull();
  });

  it("has a Live switch, on by default, that says how fresh the rows are", async () => {
    const { model, el } = await mount(ROWS, { live_info: { budget: 20, in_transition: 2, pass_s: 500, rate: 19.6, tasks: true } });
    const live = el.querySelector(".csw-st-live");
    const box = live.querySelector("input[type=checkbox]");
    expect(box.checked).toBe(true);
    expect(live.textContent).toBe("Live · 2 in transition · every row within 8m 20s");
    expect(live.title).toContain("at most 20 requests per second");
    box.checked = false;
    box.dispatchEvent(new Event("change"));
    expect(model.get("live")).toBe(false);
    expect(live.textContent).toBe("Live · off");
    model.set("live_info", { budget: 20, in_transition: 0, pass_s: 12, rate: 3, tasks: false });
    model.set("live", true);
    expect(live.textContent).toBe("Live · every row within 12s");
    expect(live.title).toContain("cannot be read here");
  });

  it("tells the kernel when it opens and closes (the live refresh pauses while no view is open)", async () => {
    const { model, cleanup } = await mount();
    const views = () => model.sent.filter((m) => m.kind === "view");
    expect(views()).toMatchObject([{ state: "open" }]);
    cleanup();
    expect(views()).toMatchObject([{ state: "open" }, { state: "closed", view: views()[0].view }]);
  });

  it("sends nothing when the confirmation is cancelled (button or Escape)", async () => {
    const { model, el } = await mount();
    button(el, "Stop Beta").click();
    el.querySelector("[role=alertdialog] button:not(.csw-danger)").click();
    button(el, "Restart Beta").click();
    el.querySelector("[role=alertdialog]").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await flush();
    expect(model.sent.filter((m) => m.kind === "stop" || m.kind === "start")).toEqual([]);
    button(el, "Start alpha").click(); // a stopped studio starts without a question
    expect(model.sent.at(-1)).toMatchObject({ kind: "start", row: "PROJ/a2" });
  });

  it("selects rows and runs batch actions on the running ones", async () => {
    const { model, el } = await mount();
    const keys = ROWS.map((r) => r.key);
    el.querySelector('input[aria-label="Select all shown studios"]').click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "select", clear: false, remove: [] });
    expect(new Set(model.sent.at(-1).add)).toEqual(new Set(keys));
    expect(model.get("selection")).toEqual([]); // Python writes the trait, not the view
    expect(button(el, "Stop the 2 selected running studios")).not.toBeNull(); // shown at once meanwhile
    answerSelects(model, "selection", keys);
    await flush();
    expect(new Set(model.get("selection"))).toEqual(new Set(keys));
    expect(el.querySelector(".csw-st-selcount").textContent).toBe("3 selected");
    const stopSel = button(el, "Stop the 2 selected running studios");
    stopSel.click();
    const dialog = el.querySelector("[role=alertdialog]");
    expect(dialog.textContent).toContain("“Beta”");
    expect(dialog.textContent).toContain("“Gamma”");
    expect(dialog.textContent).toContain("In 2 projects: OTHER (1), PROJ (1)");
    expect(dialog.textContent).toContain("Owned by 2 users: bob (1), carol (1)");
    dialog.querySelector("button.csw-danger").click();
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "batch", op: "stop" });
    expect(new Set(model.sent.at(-1).rows)).toEqual(new Set(["PROJ/a1", "OTHER/b1"]));
    el.querySelector('tr[data-key="PROJ/a2"] input[type=checkbox]').click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "select", add: [], remove: ["PROJ/a2"], clear: false });
    answerSelects(model, "selection", keys);
    await flush();
    expect(model.get("selection")).not.toContain("PROJ/a2");
    [...el.querySelectorAll(".csw-st-batch button")].find((b) => b.textContent === "Clear selection").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "select", clear: true });
    answerSelects(model, "selection", keys);
    await flush();
    expect(model.get("selection")).toEqual([]);
    expect(model.saved).not.toContain("selection");
  });

  it("keeps two quick clicks made before the kernel answers, and the kernel's own changes", async () => {
    const { model, el } = await mount();
    const box = (key) => el.querySelector(`tr[data-key="${key}"] input[type=checkbox]`);
    box("PROJ/a1").click();
    box("PROJ/a2").click(); // before the answer to the first click
    expect(box("PROJ/a1").checked && box("PROJ/a2").checked).toBe(true);
    model.set("selection", ["OTHER/b1"]); // Python changes the selection meanwhile (table.selected = ...)
    expect(box("OTHER/b1").checked && box("PROJ/a1").checked).toBe(true);
    answerSelects(model, "selection", ROWS.map((r) => r.key));
    await flush();
    expect(new Set(model.get("selection"))).toEqual(new Set(["OTHER/b1", "PROJ/a1", "PROJ/a2"]));
    expect(model.saved).not.toContain("selection");
  });

  it("drops a selection change the kernel never answered", async () => {
    const { model, el } = await mount();
    vi.useFakeTimers(); // after the mount, which waits on a real timer
    const box = () => el.querySelector('tr[data-key="PROJ/a1"] input[type=checkbox]');
    box().click();
    expect(box().checked).toBe(true);
    await vi.advanceTimersByTimeAsync(120_001);
    expect(box().checked).toBe(false);
    expect(el.querySelector("[role=alert]").textContent).toMatch(/No answer from the kernel/);
    expect(model.get("alerts")).toEqual([]); // the view's own alert is not saved in the notebook
  });

  it("shows loading, empty and simulator states, and errors in the alert region", async () => {
    const model = makeFakeModel(traits({ loading: true, is_simulator: true, alerts: [{ id: "1", level: "error", message: "403: PROJ2" }] }));
    const el = document.createElement("div");
    widget.render({ model, el });
    expect(el.querySelector(".csw-st-empty").textContent).toBe("Loading code studios…");
    expect(el.querySelector(".csw-sim-mark").hidden).toBe(false);
    expect(el.querySelector("[role=alert]").textContent).toContain("403: PROJ2");
    model.reply("snapshot", { result: { seq: 0, rows: [] } });
    await flush();
    model.set("loading", false);
    expect(el.querySelector(".csw-st-empty").textContent).toBe("No code studios.");
  });

  it("renders only a window of 10,000 rows and says how many there are", async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => row({ id: `s${String(i).padStart(5, "0")}`, name: `studio ${i}` }));
    // How fast it renders is measured by benchmarks/bench_studio_table.py (first_render_ms, in Chromium), not here.
    const { el } = await mount(many, { summary: { total: 10_000, running: 0 } });
    const trs = el.querySelectorAll("tbody tr.csw-st-row");
    expect(trs.length).toBeLessThanOrEqual(Math.ceil(MIN_VIEWPORT / ROW_HEIGHT) + 2 * OVERSCAN);
    expect(trs.length).toBeGreaterThan(10);
    expect(el.querySelector("table").getAttribute("aria-rowcount")).toBe("10001");
  });

  it("cleans up every listener and the DOM", async () => {
    const { model, el, cleanup } = await mount();
    expect(model.listenerCount()).toBeGreaterThan(0);
    cleanup();
    expect(model.listenerCount()).toBe(0);
    expect(el.children.length).toBe(0);
  });
});

describe("RowStore", () => {
  it("applies resets and patches in order and reports gaps", () => {
    const s = new RowStore(CONFIG.columns);
    expect(s.apply({ kind: "rows", op: "patch", seq: 1, base: 0, upsert: [], remove: [] })).toBe("gap");
    expect(s.apply({ kind: "rows", op: "reset", seq: 3, upsert: [row({ id: "a" })] })).toBe("applied");
    expect(s.apply({ kind: "rows", op: "patch", seq: 3, base: 2, upsert: [], remove: ["PROJ/a"] })).toBe("stale");
    expect(s.apply({ kind: "rows", op: "patch", seq: 4, base: 3, upsert: [row({ id: "b" })], remove: ["PROJ/a"] })).toBe("applied");
    expect([...s.rows.keys()]).toEqual(["PROJ/b"]);
    expect(s.apply({ kind: "rows", op: "reset", seq: 2, upsert: [] })).toBe("stale");
  });

  it("keeps rows without a last change at the end in both directions", () => {
    const s = new RowStore(CONFIG.columns);
    s.apply({ kind: "rows", op: "reset", seq: 1, upsert: [row({ id: "n", name: "n" }), row({ id: "o", name: "o", last_state_change: 1 }), row({ id: "p", name: "p", last_state_change: 2 })] });
    const ids = (sort) => s.view({ sort }).map((r) => r.id);
    expect(ids({ column: "last_change" })).toEqual(["o", "p", "n"]);
    expect(ids({ column: "last_change", descending: true })).toEqual(["p", "o", "n"]);
  });
});

// --- issue 16: grid, selection = what you see, keyboard ---------------------------------------
const MANY = [
  ...Array.from({ length: 4 }, (_, i) => row({ project_key: "PROJ_017", id: `r${i}`, name: `run17-${i}`, state: "RUNNING", owner: i % 2 ? "bob" : "alice" })),
  ...Array.from({ length: 2 }, (_, i) => row({ project_key: "PROJ_017", id: `s${i}`, name: `stop17-${i}`, state: "STOPPED" })),
  ...Array.from({ length: 3 }, (_, i) => row({ project_key: "PROJ_018", id: `r${i}`, name: `run18-${i}`, state: "RUNNING", owner: "carol" })),
];
const batchButton = (el, op) => el.querySelector(`button[data-batch="${op}"]`);
const selBox = (el, key) => el.querySelector(`tr[data-key="${key}"] input[type=checkbox]`);

describe("StudioTable selection = what you see", () => {
  it("select-all takes the shown rows; a filter that hides them says so and batch acts on the shown ones", async () => {
    const { model, el } = await mount(MANY, { summary: { total: 9, running: 7 } });
    const keys = MANY.map((r) => r.key);
    model.set("filter_projects", ["PROJ_017"]);
    expect(names(el)).toHaveLength(6);
    el.querySelector('input[aria-label="Select all shown studios"]').click();
    answerSelects(model, "selection", keys);
    await flush();
    expect(model.get("selection")).toHaveLength(6);
    expect(el.querySelector(".csw-st-selcount").textContent).toBe("6 selected");
    model.set("filter_projects", ["PROJ_018"]);
    expect(el.querySelector(".csw-st-selcount").textContent).toBe("6 selected (6 hidden)");
    expect(batchButton(el, "stop").textContent).toBe("Stop selected (0)"); // nothing shown is selected
    expect(batchButton(el, "stop").disabled).toBe(true);
    const include = el.querySelector(".csw-st-batch label input");
    include.click(); // the user chooses to include the hidden ones
    expect(batchButton(el, "stop").textContent).toBe("Stop selected (4)");
    batchButton(el, "stop").click();
    const dialog = el.querySelector("[role=alertdialog]");
    expect(dialog.textContent).toContain("Stop 4 running code studios?");
    expect(dialog.textContent).toContain("In 1 project: PROJ_017 (4)");
    expect(dialog.textContent).toContain("Owned by 2 users: alice (2), bob (2)");
    dialog.querySelector("button.csw-danger").click();
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "batch", op: "stop" });
    expect(model.sent.at(-1).rows).toHaveLength(4);
  });

  it("Start selected starts only the stopped rows; restarting running ones is its own action", async () => {
    const { model, el } = await mount();
    const keys = ROWS.map((r) => r.key);
    el.querySelector('input[aria-label="Select all shown studios"]').click();
    answerSelects(model, "selection", keys);
    await flush();
    expect(batchButton(el, "start").textContent).toBe("Start selected (1)");
    expect(batchButton(el, "restart").textContent).toBe("Restart selected (2)");
    batchButton(el, "start").click(); // a few stopped studios: no question, nothing is lost
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "batch", op: "start", rows: ["PROJ/a2"] });
    model.reply("batch", { result: { accepted: ["PROJ/a2"] } });
    await flush();
    batchButton(el, "restart").click();
    const dialog = el.querySelector("[role=alertdialog]");
    expect(dialog.textContent).toContain("Restart 2 running code studios? Anyone working in them loses their session.");
    dialog.querySelector("button.csw-danger").click();
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "batch", op: "restart" });
    expect(new Set(model.sent.at(-1).rows)).toEqual(new Set(["PROJ/a1", "OTHER/b1"]));
  });

  it("above 20 studios the count must be typed before the confirm button works", async () => {
    const many = Array.from({ length: 25 }, (_, i) => row({ id: `x${i}`, name: `x${i}`, state: "RUNNING" }));
    const { model, el } = await mount(many);
    model.set("selection", many.map((r) => r.key));
    batchButton(el, "stop").click();
    const dialog = el.querySelector("[role=alertdialog]");
    const yes = dialog.querySelector("button.csw-danger");
    const typed = dialog.querySelector('input[aria-label="Type 25 to confirm"]');
    expect(yes.disabled).toBe(true);
    expect(document.activeElement).toBe(typed); // starts where the count is typed
    typed.value = "24";
    typed.dispatchEvent(new Event("input"));
    expect(yes.disabled).toBe(true);
    typed.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(dialog.hidden).toBe(false); // Enter does nothing while the count is wrong
    typed.value = "25";
    typed.dispatchEvent(new Event("input"));
    expect(yes.disabled).toBe(false);
    // Tab from the last control comes back to the first one: focus stays in the question
    yes.focus();
    yes.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", bubbles: true }));
    expect(dialog.contains(document.activeElement)).toBe(true);
    yes.click();
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "batch", op: "stop" });
    expect(model.sent.at(-1).rows).toHaveLength(25);
  });

  it("shift-click selects the range of shown rows", async () => {
    const { model, el } = await mount(MANY);
    selBox(el, "PROJ_017/r0").click();
    selBox(el, "PROJ_017/s1").dispatchEvent(new MouseEvent("click", { shiftKey: true, bubbles: true }));
    const last = model.sent.at(-1);
    expect(last.kind).toBe("select");
    // rows between them in the shown order (project, then name)
    expect(last.add).toEqual(["PROJ_017/r0", "PROJ_017/r1", "PROJ_017/r2", "PROJ_017/r3", "PROJ_017/s0", "PROJ_017/s1"]);
  });

  it("the text filter matches ids and exposed ports; several states, owners and templates combine", async () => {
    const { model, el } = await mount();
    model.set("filter_text", "b1");
    expect(names(el)).toEqual(["Gamma"]);
    model.set("filter_text", "8080");
    expect(names(el)).toEqual(["Beta"]);
    model.set("filter_text", "");
    model.set("filter_states", ["RUNNING", "STOPPED"]);
    expect(names(el)).toEqual(["alpha", "Beta"]);
    model.set("filter_owners", ["alice"]);
    expect(names(el)).toEqual(["alpha"]);
    model.set("filter_templates", ["tpl_other"]);
    expect(names(el)).toEqual([]);
  });

  it("a row being acted on stays shown under a state filter until its action ends", async () => {
    const { model, el } = await mount(ROWS, { filter_states: ["RUNNING"] });
    expect(names(el)).toEqual(["Beta"]);
    model.set("in_flight", { "PROJ/a1": { action: "stop", progress: {} } });
    model.emit("msg:custom", { kind: "rows", op: "patch", seq: 2, base: 1, upsert: [row({ id: "a1", name: "Beta", state: "STOPPING" })], remove: [] });
    expect(names(el)).toEqual(["Beta"]);
    model.set("in_flight", {});
    expect(names(el)).toEqual([]);
  });

  it("groups rows by project with counts, folds a group, and hides and sizes columns", async () => {
    const { model, el } = await mount(MANY);
    el.querySelector(".csw-st-toggle input").click();
    expect(model.get("group_by")).toBe("project");
    const groups = [...el.querySelectorAll("tr.csw-st-group")].map((g) => g.textContent.replace(/[▸▾]\s/, ""));
    expect(groups).toEqual(["PROJ_017 (6 studios)", "PROJ_018 (3 studios)"]);
    el.querySelector("tr.csw-st-group button").click();
    expect(names(el)).toHaveLength(0 + 3);
    expect(el.querySelector("tr.csw-st-group button").getAttribute("aria-expanded")).toBe("false");
    // the column menu hides a column: header and cells go, the choice is kept in `columns`
    const colmenu = el.querySelector(".csw-st-colmenu");
    const ownerBox = [...colmenu.querySelectorAll("label")].find((l) => l.textContent === "Owner").querySelector("input");
    ownerBox.click();
    expect(model.get("columns").hidden).toEqual(["image", "unsynced", "owner"]); // the declared defaults, then the user's
    expect([...el.querySelectorAll("thead th")].map((t) => t.dataset.col)).not.toContain("owner");
    expect(el.querySelector("tr.csw-st-row").children).toHaveLength(CONFIG.columns.length - 3);
    expect(model.saved).toContain("columns");
    // every column has a width in px
    const cols = [...el.querySelectorAll("col")];
    expect(cols.every((c) => /^\d+px$/.test(c.style.width))).toBe(true);
  });
});

describe("StudioTable keyboard", () => {
  const key = (target, k, extra = {}) => target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, ...extra }));

  it("is a grid with one tab stop; arrows move, Space selects, Enter acts", async () => {
    const { model, el } = await mount();
    const table = el.querySelector("table");
    expect(table.getAttribute("role")).toBe("grid");
    const stops = () => [...table.querySelectorAll("[tabindex='0']")];
    expect(stops()).toHaveLength(1);
    // no control inside the grid is in the tab order otherwise
    const inOrder = [...table.querySelectorAll("button, input, a[href]")].filter((n) => n.getAttribute("tabindex") !== "-1" && n.getAttribute("tabindex") !== "0");
    expect(inOrder).toEqual([]);
    const first = stops()[0];
    first.focus();
    key(document.activeElement, "ArrowDown"); // the first row's checkbox
    expect(document.activeElement.getAttribute("aria-label")).toBe("Select Gamma (OTHER)");
    expect(stops()).toEqual([document.activeElement]);
    key(document.activeElement, "ArrowRight"); // project cell
    expect(document.activeElement.tagName).toBe("TD");
    expect(document.activeElement.textContent).toBe("OTHER");
    key(document.activeElement, " "); // Space on a cell toggles the row's selection
    expect(model.sent.at(-1)).toMatchObject({ kind: "select", add: ["OTHER/b1"] });
    key(document.activeElement, "ArrowDown");
    expect(document.activeElement.textContent).toBe("PROJ");
    key(document.activeElement, "End"); // the last cell: the actions, first button
    expect(document.activeElement.getAttribute("aria-label")).toBe("Start alpha");
    document.activeElement.click(); // Enter on a button clicks it (native)
    expect(model.sent.at(-1)).toMatchObject({ kind: "start", row: "PROJ/a2" });
    key(document.activeElement, "ArrowDown");
    expect(document.activeElement.getAttribute("aria-label")).toBe("Restart Beta");
    key(document.activeElement, "ArrowRight");
    expect(document.activeElement.getAttribute("aria-label")).toBe("Stop Beta");
    document.activeElement.click();
    const dialog = el.querySelector("[role=alertdialog]");
    expect(document.activeElement.textContent).toBe("Cancel");
    key(document.activeElement, "Escape");
    expect(dialog.hidden).toBe(true);
    expect(document.activeElement.getAttribute("aria-label")).toBe("Stop Beta"); // back where it was
    key(document.activeElement, "Home", { ctrlKey: true });
    expect(document.activeElement.closest("tr").dataset.key).toBe("OTHER/b1");
    key(document.activeElement, "ArrowUp");
    expect(document.activeElement.closest("thead")).not.toBeNull();
    expect(stops()).toHaveLength(1);
  });

  it("Shift+arrows on a column's header resize it (kept in the columns trait, written by the view)", async () => {
    const { model, el } = await mount();
    const sortName = button(el, "Sort by Name");
    const before = Number.parseInt(el.querySelector('col[data-col="name"]').style.width, 10);
    sortName.focus();
    key(sortName, "ArrowRight", { shiftKey: true });
    expect(model.get("columns").widths.name).toBeGreaterThan(0);
    expect(model.saved).toContain("columns");
    expect(document.activeElement).toBe(button(el, "Sort by Name")); // Shift+→ resizes, does not move
    const after = Number.parseInt(el.querySelector('col[data-col="name"]').style.width, 10);
    expect(after).toBe(model.get("columns").widths.name);
    expect(after).not.toBe(before);
  });

  it("keeps focus in the same cell when its row is rebuilt", async () => {
    const { model, el } = await mount();
    const table = el.querySelector("table");
    table.querySelector('[tabindex="0"]').focus();
    key(document.activeElement, "ArrowDown");
    key(document.activeElement, "ArrowRight");
    key(document.activeElement, "ArrowRight"); // name cell of Gamma
    model.emit("msg:custom", { kind: "rows", op: "patch", seq: 2, base: 1, upsert: [row({ project_key: "OTHER", id: "b1", name: "Gamma", owner: "carol", state: "RUNNING" })], remove: [] });
    await flush();
    expect(document.activeElement.textContent).toBe("Gamma");
    expect(table.querySelectorAll("[tabindex='0']")).toHaveLength(1);
  });
});

describe("column widths", () => {
  it("fit the content, then shrink the text columns (never below their header) to fit the box", async () => {
    const { fitWidths, hiddenColumns, naturalWidths, shownColumns } = await import("../../js/studio_table/columns.js");
    const COLUMNS = CONFIG.columns;
    const measure = (s, { bold = false } = {}) => String(s).length * (bold ? 8 : 7);
    const rows = [row({ project_key: "CHURN_PREDICTION_LONG_KEY", name: "a very long studio name indeed" }), row({ id: "b" })];
    const natural = naturalWidths(COLUMNS, rows, measure, "project");
    expect(natural.project.want).toBe(25 * 7 + 10);
    expect(shownColumns(COLUMNS, [])).toEqual(COLUMNS.map((c) => c.id));
    const ids = shownColumns(COLUMNS, hiddenColumns(COLUMNS, {})); // as first shown: the declared defaults
    expect(ids).toEqual(COLUMNS.filter((c) => c.shown !== false).map((c) => c.id));
    const roomy = fitWidths(natural, ids, 5000);
    expect(roomy.widths.project).toBe(natural.project.want);
    const tight = fitWidths(natural, ids, 846);
    expect(tight.total).toBeLessThanOrEqual(846);
    for (const id of ids) expect(tight.widths[id]).toBeGreaterThanOrEqual(natural[id].min);
    // a width the user set is kept
    const user = fitWidths(natural, ids, 846, { name: 300 });
    expect(user.widths.name).toBe(300);
    expect(shownColumns(COLUMNS, ["owner", "select"])).not.toContain("owner");
    expect(shownColumns(COLUMNS, ["owner", "select"])).toContain("select"); // cannot be hidden
  });
});

describe("columns declared in Python (the `config` trait)", () => {
  const spec = (over) => ({ title: null, sort: over.id, hideable: true, search: false, filter: null, filter_by: null, width: { max: 200, give: 9 }, ...over });
  const declared = (...extra) => ({ ...CONFIG, columns: [...CONFIG.columns.slice(0, -1), ...extra, CONFIG.columns.at(-1)] });
  const cellOf = (el, key, id) => {
    const ids = [...el.querySelectorAll("thead th")].map((th) => th.dataset.col);
    return el.querySelector(`tr[data-key="${key}"]`).children[ids.indexOf(id)];
  };

  it("renders a column it has never seen by its kind, with no JS change", async () => {
    const config = declared(
      spec({ id: "sid", label: "Studio id", kind: "text", fields: ["id"], title: "key", search: true }),
      spec({ id: "zones2", label: "Zones again", kind: "list", fields: ["zones"] }),
      spec({ id: "urls", label: "Links", kind: "links", fields: ["exposed"] }),
      spec({ id: "changed", label: "Changed", kind: "time", fields: ["last_state_change"] }),
      spec({ id: "state2", label: "Status", kind: "state", fields: ["state"] }),
    );
    const { el } = await mount(ROWS, { config });
    const heads = [...el.querySelectorAll("thead th")].map((t) => t.textContent.replace(/[▲▼]/g, ""));
    expect(heads.slice(-6)).toEqual(["Studio id", "Zones again", "Links", "Changed", "Status", "Actions"]);
    const text = cellOf(el, "PROJ/a1", "sid");
    expect(text.textContent).toBe("a1");
    expect(text.getAttribute("title")).toBe("PROJ/a1"); // its declared tooltip field
    expect(cellOf(el, "PROJ/a1", "zones2").textContent).toBe("project-lib-versioned");
    expect(cellOf(el, "PROJ/a2", "zones2").textContent).toBe("—");
    const link = cellOf(el, "PROJ/a1", "urls").querySelector("a");
    expect(link.getAttribute("href")).toBe("https://dss.example/dip/code-studios/PROJ/a1/8080/");
    expect(link.textContent).toBe("port 8080");
    expect(cellOf(el, "PROJ/a2", "changed").querySelector("time").textContent).toMatch(/hour ago|60 minutes ago/);
    expect(cellOf(el, "PROJ/a1", "changed").textContent).toBe("never");
    expect(cellOf(el, "OTHER/b1", "state2").querySelector(".csw-badge").textContent).toBe("STARTING");
  });

  it("sorts a declared column by its kind and offers it in the column menu", async () => {
    const config = declared(spec({ id: "changed", label: "Changed", kind: "time", fields: ["last_state_change"] }));
    const rows = [row({ id: "x", name: "x", last_state_change: 5 }), row({ id: "y", name: "y", last_state_change: 9 }), row({ id: "z", name: "z" })];
    const { el, model } = await mount(rows, { config, sort: { column: "changed", descending: true } });
    expect(names(el)).toEqual(["y", "x", "z"]); // numbers, empty last
    const sortButton = button(el, "Sort by Changed");
    expect(sortButton.closest("th").getAttribute("aria-sort")).toBe("descending");
    const menuItems = [...el.querySelectorAll(".csw-st-colmenu label")].map((l) => l.textContent);
    expect(menuItems).toContain("Changed");
    model.set("columns", { hidden: ["changed"] });
    await flush();
    expect(button(el, "Sort by Changed")).toBeNull();
  });

  it("filters by a declared filter trait, labelled as its column shows the values", async () => {
    const config = {
      ...CONFIG,
      columns: CONFIG.columns.map((c) => (c.id === "owner" ? { ...c, filter: "filter_owners", label: "Holder" } : c)),
    };
    const { el, model } = await mount(ROWS, { config, filter_owners: ["carol"] });
    expect(names(el)).toEqual(["Gamma"]);
    expect(el.querySelector('.csw-st-menu[data-filter="holder"] .csw-st-menu-button').textContent).toBe("Holder: carol");
    model.set("filter_owners", []);
    await flush();
    expect(names(el)).toHaveLength(3);
  });

  it("counts the batch targets by the rules Python sends", async () => {
    // a rule set where a batch stop also takes STARTING studios out: what Python says, the buttons count
    const config = { ...CONFIG, active_states: ["RUNNING"] };
    const { el } = await mount(ROWS, { config, selection: ROWS.map((r) => r.key) });
    await flush();
    const count = (op) => el.querySelector(`button[data-batch="${op}"]`).textContent;
    expect(count("stop")).toBe("Stop selected (1)"); // Beta only: STARTING is not "active" in this config
    expect(count("start")).toBe("Start selected (2)");
  });
});

describe("ipywidgets layout (StudioTable(client, layout=Layout(height=...)))", () => {
  it("a height or max_height set on the panel's element makes the grid fill it, instead of its 480 px cap", async () => {
    const { el, cleanup } = await mount();
    const root = /** @type {HTMLElement} */ (el.querySelector(".csw-st"));
    expect(root.classList.contains("csw-st-fill")).toBe(false); // nothing set: the default look
    el.style.height = "800px"; // what ipywidgets' LayoutView does with layout.height
    await flush();
    expect(root.classList.contains("csw-st-fill")).toBe(true);
    expect(root.style.height).toBe("100%");
    el.style.height = "";
    el.style.maxHeight = "70vh";
    await flush();
    expect([root.classList.contains("csw-st-fill"), root.style.height, root.style.maxHeight]).toEqual([true, "", "70vh"]);
    el.style.maxHeight = "";
    await flush();
    expect([root.classList.contains("csw-st-fill"), root.style.maxHeight]).toEqual([false, ""]);
    cleanup();
    el.style.height = "500px"; // no longer followed
    await flush();
    expect(root.classList.contains("csw-st-fill")).toBe(false);
  });
});
