// The Running filter ("running > 4 h", issue #24 "Views that survive"): its menu on the toolbar (first click
// works, the choice named in the button, "Clear all filters" clears it), its choices as Python declares them,
// the rows it keeps as the clock ticks (a studio crossing 4 h appears without a message to the kernel; a stopped
// studio never matches), and the named views that hold it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ticking } from "../../js/shared/ticker.js";
import widget from "../../js/studio_table/index.js";
import { thresholdText } from "../../js/studio_table/menus.js";
import { RowStore } from "../../js/studio_table/store.js";
import { viewTraits } from "../../js/studio_table/views.js";
import { makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const CONFIG = records.studio_table_config;
const RUNNING = CONFIG.columns.find((c) => c.id === "running_for");
const NOW = new Date("2026-01-01T12:00:00Z").getTime();
const HOUR = 3_600_000;
const FAKE = { toFake: ["setInterval", "clearInterval", "Date"] }; // setTimeout stays real: replies resolve
const flush = () => new Promise((r) => setTimeout(r, 0));

function row(id, over = {}) {
  return { key: `PROJ/${id}`, project_key: "PROJ", id, name: id, owner: "alice", template_id: "tpl", template_label: "VS Code",
    state: "STOPPED", last_state_change: null, zones: [], exposed: [], error: null, running_for_s: null, running_since: null, ...over };
}

/** A studio RUNNING since `ms` (its last change), as Python sends it (rows.py: running_since). */
function running(id, ms) {
  return row(id, { state: "RUNNING", last_state_change: ms, running_since: ms, running_for_s: Math.round((NOW - ms) / 1000) });
}

/** Five studios: running 1 h, 3 h 59 m 55 s, 5 h and 2 days; one stopped 9 h ago. */
const ROWS = [
  running("one_hour", NOW - HOUR),
  running("almost", NOW - 4 * HOUR + 5000),
  running("five_hours", NOW - 5 * HOUR),
  running("two_days", NOW - 48 * HOUR),
  row("stopped", { last_state_change: NOW - 9 * HOUR }),
];

function traits(over = {}) {
  return { alerts: [], config: CONFIG, filter_text: "", filter_states: [], filter_owners: [], filter_projects: [], filter_templates: [],
    filter_running_min: 0, group_by: "", columns: {}, sort: { column: "name", descending: false }, selection: [], in_flight: {},
    loading: false, summary: { total: 5, running: 4, text: "5 studios · 4 running" }, is_simulator: false, live: false, live_info: {},
    transitions: {}, denied: {}, dss_origin: "", ...over };
}

const cleanups = [];

async function mount(rows, over = {}) {
  const model = makeFakeModel(traits(over));
  const el = document.createElement("div");
  document.body.append(el);
  const stop = widget.render({ model, el });
  let done = false;
  const cleanup = () => {
    if (!done) stop?.();
    done = true;
  };
  cleanups.push(cleanup);
  model.reply("snapshot", { result: { seq: 1, rows } });
  await flush();
  return { model, el, cleanup };
}

/** The Running cell of studio `id`. */
const runningCell = (el, id) => {
  const i = [...el.querySelectorAll("thead th")].findIndex((th) => th.textContent.replace(/[▲▼]/g, "") === "Running");
  return el.querySelector(`tr[data-key="PROJ/${id}"]`).children[i];
};
const shown = (el) => [...el.querySelectorAll("tbody tr.csw-st-row")].map((tr) => tr.dataset.key.split("/")[1]);
const menuOf = (el) => /** @type {HTMLElement} */ (el.querySelector('.csw-st-menu[data-filter="running"]'));
const buttonOf = (el) => /** @type {HTMLButtonElement} */ (menuOf(el).querySelector(".csw-st-menu-button"));
/** The option of the open menu whose label reads `label`. */
const option = (el, label) =>
  /** @type {HTMLLabelElement} */ ([...menuOf(el).querySelectorAll("label")].find((l) => l.textContent === label));

afterEach(() => {
  for (const run of cleanups.splice(0)) run();
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("the Running column's filter, declared in Python", () => {
  it("ships its choices in the column config: any, > 1 h, > 4 h, > 1 day, > 1 week (seconds)", () => {
    expect(RUNNING.filter).toBe("filter_running_min");
    expect(RUNNING.filter_by).toBe("running_since");
    expect(RUNNING.older_than).toEqual([
      { value: 0, label: "any" },
      { value: 3600, label: "> 1 h" },
      { value: 14400, label: "> 4 h" },
      { value: 86400, label: "> 1 day" },
      { value: 604800, label: "> 1 week" },
    ]);
    // the studio row Python sends carries the time it runs since (the record fixture: a RUNNING row)
    expect(records.studio_row.fields).toContain("running_since");
    expect(records.studio_row.example.running_since).toBe(records.studio_row.example.last_state_change);
  });

  it("names a value set from Python that is not a choice", () => {
    expect(thresholdText(0, RUNNING.older_than)).toBe("any");
    expect(thresholdText(14400, RUNNING.older_than)).toBe("> 4 h");
    expect(thresholdText(9000, RUNNING.older_than)).toBe("> 2h 30m");
  });
});

describe("the rows it keeps", () => {
  it("keeps the studios running for longer, never a stopped one, and follows `now`", () => {
    const store = new RowStore(CONFIG.columns);
    store.apply({ kind: "rows", op: "reset", seq: 1, upsert: ROWS });
    const names = (seconds, now) => store.view({ filters: { filter_running_min: seconds }, sort: { column: "name" }, now }).map((r) => r.id);
    expect(names(0, NOW)).toEqual(["almost", "five_hours", "one_hour", "stopped", "two_days"]);
    expect(names(4 * 3600, NOW)).toEqual(["five_hours", "two_days"]);
    expect(names(3600, NOW)).toEqual(["almost", "five_hours", "two_days"]); // 1 h exactly is not "> 1 h"
    expect(names(4 * 3600, NOW + 6000)).toEqual(["almost", "five_hours", "two_days"]); // crossed 4 h
    expect(names(86400, NOW)).toEqual(["two_days"]);
    expect(names(7 * 86400, NOW)).toEqual([]);
    // what it keeps changes only when a row crosses: the key the ticking view compares
    expect(store.timeKey({ filter_running_min: 14400 }, NOW)).toBe(store.timeKey({ filter_running_min: 14400 }, NOW + 4000));
    expect(store.timeKey({ filter_running_min: 14400 }, NOW)).not.toBe(store.timeKey({ filter_running_min: 14400 }, NOW + 6000));
    expect(store.timeKey({ filter_running_min: 0 }, NOW)).toBe("");
  });

  it("spares a row an action is on (its running since empties while it stops), as the state filter does", () => {
    const store = new RowStore(CONFIG.columns);
    const stopping = row("five_hours", { state: "STOPPING", last_state_change: NOW });
    store.apply({ kind: "rows", op: "reset", seq: 1, upsert: [...ROWS.filter((r) => r.id !== "five_hours"), stopping] });
    const filters = { filter_running_min: 14400 };
    expect(store.view({ filters, now: NOW }).map((r) => r.id)).toEqual(["two_days"]);
    expect(store.view({ filters, now: NOW, keep: ["PROJ/five_hours"] }).map((r) => r.id).sort()).toEqual(["five_hours", "two_days"]);
  });
});

describe("the Running cell", () => {
  it("ticks from the time the studio runs since (the number as read without one), and sorts by it", async () => {
    vi.useFakeTimers(FAKE);
    vi.setSystemTime(NOW);
    const stale = { ...running("read_earlier", NOW - 2 * HOUR), running_for_s: 60 }; // read long ago: 1 min then
    const asRead = row("as_read", { state: "RUNNING", running_for_s: 90 }); // no time known: the number
    const { model, el } = await mount([...ROWS, stale, asRead], { sort: { column: "running_for", descending: true } });
    expect(runningCell(el, "almost").textContent).toBe("3h 59m");
    expect(runningCell(el, "read_earlier").textContent).toBe("2h 00m");
    expect(runningCell(el, "almost").title).toBe("since 2026-01-01 08:00:05 UTC");
    expect(runningCell(el, "as_read").textContent).toBe("1m 30s");
    expect(runningCell(el, "stopped").textContent).toBe("—");
    expect(shown(el)).toEqual(["two_days", "five_hours", "almost", "read_earlier", "one_hour", "as_read", "stopped"]);
    const sent = model.sent.length;
    vi.advanceTimersByTime(60_000);
    expect(runningCell(el, "almost").textContent).toBe("4h 00m");
    expect(runningCell(el, "one_hour").textContent).toBe("1h 01m");
    expect(model.sent.slice(sent).filter((m) => m.kind !== "view")).toEqual([]);
  });
});

describe("its menu on the toolbar", () => {
  it("the first click on a choice filters; the button names it; the rows follow", async () => {
    vi.useFakeTimers(FAKE);
    vi.setSystemTime(NOW);
    const { model, el } = await mount(ROWS);
    expect(buttonOf(el).textContent).toBe("Running: any");
    expect(shown(el)).toHaveLength(5);
    buttonOf(el).click();
    expect(buttonOf(el).getAttribute("aria-expanded")).toBe("true");
    expect([...menuOf(el).querySelectorAll("label")].map((l) => l.textContent)).toEqual(["any", "> 1 h", "> 4 h", "> 1 day", "> 1 week"]);
    // a press on the option's text keeps focus in the menu (the menu stays open), then the click lands
    const target = option(el, "> 4 h");
    const press = new MouseEvent("mousedown", { bubbles: true, cancelable: true });
    target.querySelector("span").dispatchEvent(press);
    expect(press.defaultPrevented).toBe(true);
    target.click();
    expect(model.get("filter_running_min")).toBe(14400);
    expect(model.saved).toContain("filter_running_min"); // the browser writes its own control's trait
    expect(buttonOf(el).textContent).toBe("Running: > 4 h");
    expect(buttonOf(el).getAttribute("aria-label")).toBe("Filter by running: > 4 h");
    expect(menuOf(el).dataset.active).toBe("true");
    expect(shown(el)).toEqual(["five_hours", "two_days"]);
    expect(/** @type {HTMLInputElement} */ (target.querySelector("input")).checked).toBe(true);
    expect(el.querySelector(".csw-st-summary").textContent).toBe("5 studios · 4 running · 2 shown");
  });

  it("a studio crossing 4 h appears as the clock ticks, without a message to the kernel", async () => {
    vi.useFakeTimers(FAKE);
    vi.setSystemTime(NOW);
    const { model, el, cleanup } = await mount(ROWS, { filter_running_min: 14400 });
    expect(buttonOf(el).textContent).toBe("Running: > 4 h");
    expect(shown(el)).toEqual(["five_hours", "two_days"]);
    const sent = model.sent.length;
    vi.advanceTimersByTime(4000);
    expect(shown(el)).toEqual(["five_hours", "two_days"]); // 3 h 59 m 59 s: not yet
    vi.advanceTimersByTime(2000);
    expect(shown(el)).toEqual(["almost", "five_hours", "two_days"]);
    // its Running cell says so too: it runs from the same time, on the same clock
    expect(runningCell(el, "almost").textContent).toBe("4h 00m");
    expect(runningCell(el, "five_hours").textContent).toBe("5h 00m");
    expect(model.sent.slice(sent).filter((m) => m.kind !== "view")).toEqual([]); // no read of DSS for it
    cleanup();
    expect(ticking()).toBe(false); // the shared timer stops with the last view
  });

  it("a value set from Python shows (and is listed) in the menu", async () => {
    const { model, el } = await mount(ROWS);
    model.set("filter_running_min", 9000);
    expect(buttonOf(el).textContent).toBe("Running: > 2h 30m");
    buttonOf(el).click();
    const chosen = option(el, "> 2h 30m");
    expect(/** @type {HTMLInputElement} */ (chosen.querySelector("input")).checked).toBe(true);
  });

  it("'Clear all filters' clears it with the others", async () => {
    vi.useFakeTimers(FAKE);
    vi.setSystemTime(NOW);
    const { model, el } = await mount(ROWS, { filter_running_min: 86400, filter_owners: ["alice"] });
    const clearAll = /** @type {HTMLButtonElement} */ (el.querySelector(".csw-st-clear-filters"));
    expect(clearAll.disabled).toBe(false);
    expect(shown(el)).toEqual(["two_days"]);
    clearAll.click();
    expect(model.get("filter_running_min")).toBe(0);
    expect(model.get("filter_owners")).toEqual([]);
    expect(buttonOf(el).textContent).toBe("Running: any");
    expect(shown(el)).toHaveLength(5);
    expect(clearAll.disabled).toBe(true);
    // the running filter alone turns "Clear all filters" on
    model.set("filter_running_min", 3600);
    expect(clearAll.disabled).toBe(false);
  });
});

describe("named views that hold it", () => {
  const filterTraits = ["filter_projects", "filter_owners", "filter_templates", "filter_states", "filter_running_min"];

  it("a saved view sets it; one saved before it existed turns it off", () => {
    const saved = { filters: { filter_states: ["RUNNING"], filter_running_min: 14400 } };
    expect(viewTraits(saved, filterTraits, {}, ["filter_running_min"])).toEqual({
      filter_projects: [], filter_owners: [], filter_templates: [], filter_states: ["RUNNING"], filter_running_min: 14400,
    });
    const old = { filters: { filter_states: ["RUNNING"], filter_owners: ["alice"] } };
    expect(viewTraits(old, filterTraits, {}, ["filter_running_min"]).filter_running_min).toBe(0);
  });

  it("picking 'running > 4 h' from the Views menu shows only the long-running studios", async () => {
    vi.useFakeTimers(FAKE);
    vi.setSystemTime(NOW);
    const { model, el } = await mount(ROWS);
    model.reply("views", { result: { views: { "running > 4 h": { filters: { filter_running_min: 14400 } } } } });
    await flush();
    const select = /** @type {HTMLSelectElement} */ (el.querySelector(".csw-st-views"));
    select.value = "running > 4 h";
    select.dispatchEvent(new Event("change"));
    expect(model.get("filter_running_min")).toBe(14400);
    expect(buttonOf(el).textContent).toBe("Running: > 4 h");
    expect(shown(el)).toEqual(["five_hours", "two_days"]);
  });
});
