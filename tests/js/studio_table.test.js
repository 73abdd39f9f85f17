import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../../js/studio_table/index.js";
import { MIN_VIEWPORT, OVERSCAN, ROW_HEIGHT } from "../../js/studio_table/body.js";
import { exposedLabel, withoutCredentials } from "../../js/studio_table/row.js";
import { RowStore } from "../../js/studio_table/store.js";
import { answerSelects, makeFakeModel } from "./fake-model.js";

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
    filter_text: "",
    filter_states: [],
    sort: { column: "project", descending: false },
    selection: [],
    in_flight: {},
    loading: false,
    summary: { total: 3, running: 1, failed_projects: 0 },
    is_simulator: false,
    auto_refresh_s: 0,
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
  it("asks for a snapshot and renders a real table with header cells", async () => {
    const { model, el } = await mount();
    expect(model.sent[0]).toMatchObject({ kind: "snapshot" });
    const ths = el.querySelectorAll("thead th[scope=col]");
    expect([...ths].map((t) => t.textContent.replace(/[▲▼]/g, ""))).toEqual([
      "Select", "Project", "Name", "Owner", "Template", "State", "Last change", "Zones", "Exposed", "Actions",
    ]);
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
    model.set("summary", { total: 0, running: 0, failed_projects: 0 });
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
    const select = el.querySelector('select[aria-label="Filter by state"]');
    select.value = "STOPPED";
    select.dispatchEvent(new Event("change"));
    expect(model.get("filter_states")).toEqual(["STOPPED"]);
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
    expect(button(el, "Stop the 3 selected studios")).not.toBeNull(); // shown at once meanwhile
    answerSelects(model, "selection", keys);
    await flush();
    expect(new Set(model.get("selection"))).toEqual(new Set(keys));
    const stopSel = button(el, "Stop the 3 selected studios");
    stopSel.click();
    const dialog = el.querySelector("[role=alertdialog]");
    expect(dialog.textContent).toContain("“Beta”");
    expect(dialog.textContent).toContain("“Gamma”");
    dialog.querySelector("button.csw-danger").click();
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "batch", op: "stop" });
    expect(new Set(model.sent.at(-1).rows)).toEqual(new Set(["PROJ/a1", "OTHER/b1"]));
    el.querySelector('tr[data-key="PROJ/a2"] input[type=checkbox]').click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "select", add: [], remove: ["PROJ/a2"], clear: false });
    answerSelects(model, "selection", keys);
    await flush();
    expect(model.get("selection")).not.toContain("PROJ/a2");
    el.querySelector(".csw-st-batch button:last-child").click();
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
    const t0 = performance.now();
    const { el } = await mount(many, { summary: { total: 10_000, running: 0 } });
    const elapsed = performance.now() - t0;
    const trs = el.querySelectorAll("tbody tr.csw-st-row");
    expect(trs.length).toBeLessThanOrEqual(Math.ceil(MIN_VIEWPORT / ROW_HEIGHT) + 2 * OVERSCAN);
    expect(trs.length).toBeGreaterThan(10);
    expect(el.querySelector("table").getAttribute("aria-rowcount")).toBe("10001");
    expect(elapsed).toBeLessThan(2000);
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
    const s = new RowStore();
    expect(s.apply({ kind: "rows", op: "patch", seq: 1, base: 0, upsert: [], remove: [] })).toBe("gap");
    expect(s.apply({ kind: "rows", op: "reset", seq: 3, upsert: [row({ id: "a" })] })).toBe("applied");
    expect(s.apply({ kind: "rows", op: "patch", seq: 3, base: 2, upsert: [], remove: ["PROJ/a"] })).toBe("stale");
    expect(s.apply({ kind: "rows", op: "patch", seq: 4, base: 3, upsert: [row({ id: "b" })], remove: ["PROJ/a"] })).toBe("applied");
    expect([...s.rows.keys()]).toEqual(["PROJ/b"]);
    expect(s.apply({ kind: "rows", op: "reset", seq: 2, upsert: [] })).toBe("stale");
  });

  it("keeps rows without a last change at the end in both directions", () => {
    const s = new RowStore();
    s.apply({ kind: "rows", op: "reset", seq: 1, upsert: [row({ id: "n", name: "n" }), row({ id: "o", name: "o", last_state_change: 1 }), row({ id: "p", name: "p", last_state_change: 2 })] });
    const ids = (sort) => s.view({ sort }).map((r) => r.id);
    expect(ids({ column: "last_change" })).toEqual(["o", "p", "n"]);
    expect(ids({ column: "last_change", descending: true })).toEqual(["p", "o", "n"]);
  });
});
