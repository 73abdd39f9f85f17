// The view tells Python what it shows (issue 22): the row keys on screen (debounced), the page hidden or
// visible; it marks the rows Python says are stale; the "updated" line says when the live reads are slowed.
import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../../js/studio_table/index.js";
import { onScreen, ROW_HEIGHT } from "../../js/studio_table/body.js";
import { STALE_TEXT } from "../../js/studio_table/row.js";
import { createViewportReporter, VIEWPORT_DEBOUNCE_MS } from "../../js/studio_table/viewport.js";
import { liveCost } from "../../js/shared/updated.js";
import { makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const CONFIG = records.studio_table_config;

function rows(n) {
  return Array.from({ length: n }, (_, i) => {
    const id = `s${String(i).padStart(4, "0")}`;
    return { key: `PROJ/${id}`, project_key: "PROJ", id, name: id, owner: "alice", template_id: "t", template_label: "T",
      state: "STOPPED", last_state_change: null, zones: [], exposed: [], error: null };
  });
}

function traits(over = {}) {
  return { alerts: [], config: CONFIG, filter_text: "", filter_states: [], sort: { column: "name", descending: false },
    selection: [], in_flight: {}, loading: false, summary: { total: 0, running: 0, failed_projects: 0, text: "" },
    is_simulator: false, live: true, live_info: {}, transitions: {}, stale: [], dss_origin: "", updated_ms: 0, ...over };
}

/** A page whose visibility the test sets (happy-dom's document is always visible). */
function fakePage(state = "visible") {
  const target = new EventTarget();
  return Object.assign(target, { visibilityState: state, set(next) {
    this.visibilityState = next;
    this.dispatchEvent(new Event("visibilitychange"));
  } });
}

let hidden = "visible";
Object.defineProperty(document, "visibilityState", { configurable: true, get: () => hidden });

async function mount(n = 100, over = {}) {
  const model = makeFakeModel(traits(over));
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  model.reply("snapshot", { result: { seq: 1, rows: rows(n) } });
  await vi.advanceTimersByTimeAsync(0);
  return { model, el, cleanup };
}

const viewports = (model) => model.viewports;
const views = (model) => model.sent.filter((m) => m.kind === "view").map((m) => m.state);

afterEach(() => {
  document.body.innerHTML = "";
  hidden = "visible";
  vi.useRealTimers();
});

describe("viewport reporter", () => {
  it("debounces, never repeats the same rows, and says when the page is hidden or visible", () => {
    vi.useFakeTimers();
    const sent = [];
    const page = fakePage();
    const reporter = createViewportReporter({ send: (m) => sent.push(m), doc: /** @type {any} */ (page) });
    reporter.report(["a", "b"]);
    reporter.report(["b", "c"]); // still scrolling
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(VIEWPORT_DEBOUNCE_MS);
    expect(sent).toEqual([{ kind: "viewport", keys: ["b", "c"] }]);
    reporter.report(["b", "c"]);
    vi.advanceTimersByTime(VIEWPORT_DEBOUNCE_MS);
    expect(sent).toHaveLength(1); // the same rows: nothing new to tell
    page.set("hidden");
    page.set("hidden");
    page.set("visible");
    expect(sent.slice(1)).toEqual([{ kind: "view", state: "hidden" }, { kind: "view", state: "visible" }]);
    reporter.dispose();
    page.set("hidden");
    reporter.report(["z"]);
    vi.advanceTimersByTime(VIEWPORT_DEBOUNCE_MS);
    expect(sent).toHaveLength(3); // disposed: silent
  });

  it("counts the rows under the sticky header, not the overscan", () => {
    expect(onScreen(0, 480, 1000)).toEqual([0, 14]); // 13 whole rows and part of the 14th
    expect(onScreen(100 * ROW_HEIGHT, 480, 1000)).toEqual([100, 114]);
    expect(onScreen(0, 480, 5)).toEqual([0, 5]);
  });
});

describe("StudioTable view and the live reads", () => {
  it("tells Python the rows on screen, again after a scroll, with its view id", async () => {
    vi.useFakeTimers();
    const { model, el, cleanup } = await mount(1000);
    await vi.advanceTimersByTimeAsync(VIEWPORT_DEBOUNCE_MS);
    const [first] = viewports(model);
    expect(first.keys[0]).toBe("PROJ/s0000");
    expect(first.keys.length).toBeGreaterThan(5);
    expect(first.keys.length).toBeLessThan(40); // what is seen, not the 1,000 rows nor the overscan
    const open = model.sent.find((m) => m.kind === "view" && m.state === "open");
    expect(first.view).toBe(open.view);
    const scroller = /** @type {HTMLElement} */ (el.querySelector(".csw-st-scroll"));
    scroller.scrollTop = 500 * ROW_HEIGHT;
    scroller.dispatchEvent(new Event("scroll"));
    await vi.advanceTimersByTimeAsync(50); // the animation frame
    await vi.advanceTimersByTimeAsync(VIEWPORT_DEBOUNCE_MS);
    const last = viewports(model).at(-1);
    expect(last.keys[0]).toBe("PROJ/s0500");
    expect(viewports(model)).toHaveLength(2);
    cleanup();
  });

  it("says hidden and visible as the page's visibility changes, hidden at once when opened in the background", async () => {
    vi.useFakeTimers();
    hidden = "hidden";
    const { model, cleanup } = await mount(10);
    expect(views(model)).toEqual(["open", "hidden"]);
    hidden = "visible";
    document.dispatchEvent(new Event("visibilitychange"));
    expect(views(model)).toEqual(["open", "hidden", "visible"]);
    cleanup();
    expect(views(model).at(-1)).toBe("closed");
    document.dispatchEvent(new Event("visibilitychange")); // gone: no listener left
    expect(views(model).at(-1)).toBe("closed");
  });

  it("marks the rows Python says are stale, as text with an accessible name, until they are fresh", async () => {
    vi.useFakeTimers();
    const { model, el, cleanup } = await mount(20);
    expect(el.querySelector(".csw-st-stale")).toBeNull();
    model.set("stale", ["PROJ/s0001"]);
    const mark = el.querySelector('tr[data-key="PROJ/s0001"] .csw-st-stale');
    expect(mark?.getAttribute("aria-label")).toBe(STALE_TEXT);
    expect(mark?.getAttribute("role")).toBe("img");
    expect(el.querySelectorAll(".csw-st-stale")).toHaveLength(1);
    model.set("stale", []);
    expect(el.querySelector(".csw-st-stale")).toBeNull();
    cleanup();
  });

  it("the updated line says when the live reads are slowed, and what they cost in its tooltip", async () => {
    vi.useFakeTimers();
    const { model, el, cleanup } = await mount(5, { updated_ms: Date.now() });
    const line = /** @type {HTMLElement} */ (el.querySelector(".csw-updated"));
    expect(line.textContent).toMatch(/^updated \d\d:\d\d:\d\d$/);
    model.set("live_info", { budget: 2, effective: 1, rate: 1.1, slowed: "DSS answers slowly", by_kind: { status: 0.9, "tasks list": 0.5 } });
    expect(line.textContent).toMatch(/^updated \d\d:\d\d:\d\d · slowed: DSS answers slowly$/);
    expect(line.title).toContain("status 0.9/s, tasks list 0.5/s");
    expect(line.title).toContain("1/s of a budget of 2/s");
    model.set("live_info", { budget: 2, effective: 2, rate: 1.9, slowed: "" });
    expect(line.textContent).not.toContain("slowed");
    cleanup();
  });

  it("liveCost is empty without a live refresh", () => {
    expect(liveCost(undefined)).toEqual({ text: "", title: "" });
  });
});
