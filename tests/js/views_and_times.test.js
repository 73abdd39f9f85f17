// #24 findings 6 and 8 and "Copy as Python", in the views: relative times tick without a server read (one
// shared timer, stopped with the last view) and sort by the timestamp; named views from the toolbar; the
// activity row's "Copy as Python" copies the code Python wrote (or shows it, selected, without a clipboard).
import { afterEach, describe, expect, it, vi } from "vitest";
import activity from "../../js/activity/index.js";
import { tickTimes, ticking } from "../../js/shared/ticker.js";
import widget from "../../js/studio_table/index.js";
import { viewTraits } from "../../js/studio_table/views.js";
import { makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const CONFIG = records.studio_table_config;
const NOW = new Date("2026-01-01T12:00:00Z").getTime();

function row(over = {}) {
  const id = over.id ?? "abc";
  return { key: `PROJ/${id}`, project_key: "PROJ", id, name: id, owner: "alice", template_id: "tpl", template_label: "VS Code",
    state: "STOPPED", last_state_change: null, zones: [], exposed: [], error: null, ...over };
}

function traits(over = {}) {
  return { alerts: [], config: CONFIG, filter_text: "", filter_states: [], filter_owners: [], filter_projects: [], filter_templates: [],
    group_by: "", columns: {}, sort: { column: "project", descending: false }, selection: [], in_flight: {}, loading: false,
    summary: { total: 3, running: 0, text: "3 studios" }, is_simulator: false, live: true, live_info: {}, transitions: {},
    denied: {}, dss_origin: "", ...over };
}

const cleanups = [];

const FAKE = { toFake: ["setInterval", "clearInterval", "Date"] }; // setTimeout stays real: replies resolve
const flush = () => new Promise((r) => setTimeout(r, 0));

async function mount(rows, over = {}) {
  const model = makeFakeModel(traits(over));
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = once(widget.render({ model, el }));
  model.reply("snapshot", { result: { seq: 1, rows } });
  await flush();
  return { model, el, cleanup };
}

const timeOf = (el, key) => el.querySelector(`tr[data-key="${key}"] time`)?.textContent;
const order = (el) => [...el.querySelectorAll("tbody tr.csw-st-row")].map((tr) => tr.dataset.key);

/** The cleanup of a view, run by the test or else after it (a view left rendered keeps the shared timer). */
function once(fn) {
  let done = false;
  const run = () => {
    if (!done) fn?.();
    done = true;
  };
  cleanups.push(run);
  return run;
}

afterEach(() => {
  for (const run of cleanups.splice(0)) run();
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("relative times tick (#24 finding 8)", () => {
  it("'1 second ago' becomes '41 seconds ago' without a message to the kernel", async () => {
    vi.useFakeTimers(FAKE);
    vi.setSystemTime(NOW);
    const { model, el, cleanup } = await mount([row({ id: "s1", last_state_change: NOW - 1000 })]);
    expect(timeOf(el, "PROJ/s1")).toBe("1 second ago");
    const sent = model.sent.length;
    vi.advanceTimersByTime(40_000);
    expect(timeOf(el, "PROJ/s1")).toBe("41 seconds ago");
    vi.advanceTimersByTime(60_000);
    expect(timeOf(el, "PROJ/s1")).toBe("2 minutes ago");
    expect(model.sent.slice(sent).filter((m) => m.kind !== "view")).toEqual([]); // no read of DSS for it
    cleanup();
    expect(ticking()).toBe(false); // the shared timer stops with the last view
    expect(vi.getTimerCount()).toBe(0);
  });

  it("sorts by the timestamp, not the text, and the texts agree with the order", async () => {
    vi.useFakeTimers(FAKE);
    vi.setSystemTime(NOW);
    const rows = [
      row({ id: "six", last_state_change: NOW - 6 * 60_000 }),
      row({ id: "seven", last_state_change: NOW - 7 * 60_000 }),
      row({ id: "ten", last_state_change: NOW - 10 * 60_000 }),
      row({ id: "secs", last_state_change: NOW - 59_000 }),
      row({ id: "never", last_state_change: null }),
    ];
    const { el, model } = await mount(rows, { sort: { column: "last_change", descending: false } });
    // ascending = oldest change first (by the epoch ms; the text "10 minutes" sorts before "59 seconds" and "7 minutes")
    expect(order(el)).toEqual(["PROJ/ten", "PROJ/seven", "PROJ/six", "PROJ/secs", "PROJ/never"]);
    vi.advanceTimersByTime(5_000);
    expect(timeOf(el, "PROJ/secs")).toBe("1 minute ago");
    model.set("sort", { column: "last_change", descending: true });
    expect(order(el)).toEqual(["PROJ/secs", "PROJ/six", "PROJ/seven", "PROJ/ten", "PROJ/never"]); // empty last
  });

  it("one timer serves every view of the page", () => {
    vi.useFakeTimers();
    const a = document.createElement("div");
    const b = document.createElement("div");
    const stopA = tickTimes(a);
    const stopB = tickTimes(b);
    expect(vi.getTimerCount()).toBe(1);
    stopA();
    expect(ticking()).toBe(true);
    stopB();
    expect(ticking()).toBe(false);
  });

  it("ticks the activity log's times too", () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    const when = new Date(NOW - 2000).toISOString().replace(".000Z", "+00:00");
    const model = makeFakeModel({ entries: [{ id: 1, what: "stop", when, outcome: "done" }], counts: { total: 1 }, alerts: [] });
    const el = document.createElement("div");
    const cleanup = once(activity.render({ model, el }));
    const cell = () => el.querySelector("tbody td").textContent;
    expect(cell()).toBe("2 seconds ago");
    vi.advanceTimersByTime(3_000);
    expect(cell()).toBe("5 seconds ago");
    cleanup();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("named views in the toolbar (#24 finding 6)", () => {
  const SAVED = { "my running studios": { sort: { column: "name", descending: true }, filter_text: "nb",
    filters: { filter_states: ["RUNNING"] }, group_by: "project", hidden: ["zones"] } };

  it("lists the saved views, applies one by writing the view's traits, saves and deletes through Python", async () => {
    const { model, el } = await mount([row({ id: "a" })], { columns: { widths: { name: 210 } } });
    expect(model.sent.map((m) => m.kind)).toContain("views");
    model.reply("views", { result: { views: SAVED } });
    await flush();
    const select = el.querySelector("select[aria-label='Named views']");
    expect([...select.options].map((o) => o.textContent)).toEqual(["Views…", "my running studios"]);
    select.value = "my running studios";
    select.dispatchEvent(new Event("change"));
    expect(model.get("sort")).toEqual({ column: "name", descending: true });
    expect(model.get("filter_states")).toEqual(["RUNNING"]);
    expect(model.get("filter_owners")).toEqual([]); // a filter the view does not name shows everything
    expect(model.get("filter_text")).toBe("nb");
    expect(model.get("group_by")).toBe("project");
    expect(model.get("columns")).toEqual({ widths: { name: 210 }, hidden: ["zones"] }); // widths stay
    expect(model.get("filter_running_min")).toBe(0); // a view saved before the Running filter: off
    expect(new Set(model.saved)).toEqual(new Set(["sort", "filter_text", "filter_states", "filter_owners", "filter_projects", "filter_templates", "filter_running_min", "group_by", "columns"]));

    const save = [...el.querySelectorAll("button")].find((b) => b.textContent === "Save view…");
    save.click();
    const name = el.querySelector("input[aria-label='Name of the view']");
    expect(name.hidden).toBe(false);
    name.value = "grouped";
    name.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(model.sent.at(-1)).toMatchObject({ kind: "save_view", name: "grouped" });
    model.reply("save_view", { result: { views: { ...SAVED, grouped: SAVED["my running studios"] } } });
    await flush();
    expect(select.value).toBe("grouped");
    const del = el.querySelector("button[aria-label='Delete the named view']");
    expect(del.disabled).toBe(false);
    del.click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "delete_view", name: "grouped" });
  });

  it("maps a view to traits", () => {
    expect(viewTraits({ hidden: ["zones"] }, ["filter_states"], { widths: { a: 1 } })).toEqual({ columns: { widths: { a: 1 }, hidden: ["zones"] } });
  });
});

describe("Copy as Python (#24)", () => {
  const CODE = "import cswidgets\nclient = cswidgets.connect()\nclient.get_project('P').get_code_studio('abc').stop()\n";

  function mountActivity(entries) {
    const model = makeFakeModel({ entries, counts: { total: entries.length }, alerts: [] });
    const el = document.createElement("div");
    document.body.append(el);
    const cleanup = once(activity.render({ model, el }));
    return { model, el, cleanup };
  }

  it("copies the entry's code with the clipboard", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const { el } = mountActivity([{ id: 1, what: "stop", target: "nb (P)", when: "2026-01-01T12:00:00+00:00", outcome: "done", code: CODE },
      { id: 2, what: "refused thing", when: "2026-01-01T12:00:00+00:00", outcome: "done", code: null }]);
    const buttons = el.querySelectorAll("button.csw-act-copy");
    expect(buttons).toHaveLength(1); // only an entry with code offers it
    expect(buttons[0].getAttribute("aria-label")).toBe("Copy as Python: stop nb (P)");
    buttons[0].click();
    await flush();
    expect(writeText).toHaveBeenCalledWith(CODE);
    expect(buttons[0].textContent).toBe("Copied");
    vi.unstubAllGlobals();
  });

  it("shows the code selected in a text box when the clipboard cannot be written", async () => {
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText: () => Promise.reject(new Error("denied")) } });
    const { el } = mountActivity([{ id: 1, what: "stop", when: "2026-01-01T12:00:00+00:00", outcome: "done", code: `${CODE}# <img src=x onerror=alert(1)>` }]);
    el.querySelector("button.csw-act-copy").click();
    await flush();
    const area = el.querySelector("textarea.csw-code-text");
    expect(area.closest(".csw-code-box").hidden).toBe(false);
    expect(area.value).toBe(`${CODE}# <img src=x onerror=alert(1)>`);
    expect(el.querySelector("img")).toBeNull();
    vi.unstubAllGlobals();
  });
});

describe("Copy as Python in a confirmation (#24)", () => {
  it("asks Python for the code of the action and copies it", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const { model, el } = await mount([row({ id: "r1", name: "Run me", state: "RUNNING" })]);
    el.querySelector('button[aria-label="Stop Run me"]').click();
    const copy = el.querySelector('.csw-st-confirm button[aria-label="Copy as Python: stop Run me"]');
    expect(copy).not.toBeNull();
    copy.click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "code", what: "stop", row: "PROJ/r1" });
    model.reply("code", { result: { code: "studio.stop()\n" } });
    await flush();
    await flush();
    expect(writeText).toHaveBeenCalledWith("studio.stop()\n");
    expect(model.sent.some((m) => m.kind === "stop")).toBe(false); // copying does not act
    vi.unstubAllGlobals();
  });

  it("Tab cycles through the confirmation's shown controls only (the hidden code box's Close is skipped)", async () => {
    const { el } = await mount([row({ id: "r1", name: "Run me", state: "RUNNING" })]);
    el.querySelector('button[aria-label="Stop Run me"]').click();
    const bar = el.querySelector(".csw-st-confirm");
    const tab = () => bar.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", bubbles: true }));
    const seen = [];
    for (let i = 0; i < 4; i += 1) {
      tab();
      seen.push(document.activeElement.textContent);
    }
    expect(seen).toEqual(["Stop Run me", "Copy as Python", "Cancel", "Stop Run me"]);
  });
});
