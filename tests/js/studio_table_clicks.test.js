// Issue 24, findings 3, 4, 5 and 9: the first click on a filter option filters, rows hold still under the
// pointer and while a confirmation is open, the dialogs' keyboard, the columns at narrow widths.
import { afterEach, describe, expect, it } from "vitest";
import { fitWidths, naturalWidths, shownColumns } from "../../js/studio_table/columns.js";
import widget from "../../js/studio_table/index.js";
import { chosenText } from "../../js/studio_table/menus.js";
import { makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const CONFIG = records.studio_table_config;
const flush = () => new Promise((r) => setTimeout(r, 0));

function row(over = {}) {
  const project_key = over.project_key ?? "PROJ";
  const id = over.id ?? "abc";
  return {
    key: `${project_key}/${id}`, project_key, id, name: "studio", owner: "alice", template_id: "tpl_vscode", template_label: "VS Code",
    state: "STOPPED", last_state_change: null, zones: [], exposed: [], error: null, ...over,
  };
}

const NOW = Date.now();
const ROWS = [
  row({ id: "a1", name: "Beta", state: "RUNNING", owner: "bob", last_state_change: NOW - 60_000, zones: ["Project libraries"] }),
  row({ id: "a2", name: "alpha", state: "STOPPED", last_state_change: NOW - 3_600_000 }),
  row({ project_key: "OTHER", id: "b1", name: "Gamma", owner: "carol", state: "STOPPED", last_state_change: NOW - 7_200_000 }),
];

async function mount(rows = ROWS, over = {}) {
  const model = makeFakeModel({
    alerts: [], config: CONFIG, filter_text: "", filter_states: [], filter_owners: [], filter_projects: [], filter_templates: [],
    sort: { column: "project", descending: false }, selection: [], in_flight: {}, loading: false,
    summary: { total: rows.length, running: 1, failed_projects: 0, text: `${rows.length} studios · 1 running` },
    is_simulator: false, live: true, live_info: {}, transitions: {}, dss_origin: "https://dss.example", ...over,
  });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  model.reply("snapshot", { result: { seq: 1, rows } });
  await flush();
  return { model, el, cleanup };
}

const names = (el) => [...el.querySelectorAll("tbody tr.csw-st-row")].map((tr) => tr.querySelector("td:nth-child(3)").textContent);
const button = (el, label) => [...el.querySelectorAll("button")].find((b) => b.getAttribute("aria-label") === label) ?? null;
const patch = (model, seq, upsert) => model.emit("msg:custom", { kind: "rows", op: "patch", seq, base: seq - 1, upsert, remove: [] });

afterEach(() => {
  document.body.innerHTML = "";
});

describe("filter menus (finding 3)", () => {
  it("a press on an option's text keeps focus in the menu, and its first click filters", async () => {
    const { model, el } = await mount();
    const menu = el.querySelector('.csw-st-menu[data-filter="state"]');
    menu.querySelector(".csw-st-menu-button").click();
    const label = [...menu.querySelectorAll("label")].find((l) => l.textContent.startsWith("RUNNING"));
    const text = label.querySelector("span");
    const press = new MouseEvent("mousedown", { bubbles: true, cancelable: true });
    text.dispatchEvent(press);
    expect(press.defaultPrevented).toBe(true); // the browser does not move focus to the notebook's cell
    text.click(); // the click on the label ticks its checkbox
    expect(model.get("filter_states")).toEqual(["RUNNING"]);
    expect(menu.querySelector(".csw-st-menu-panel").hidden).toBe(false); // still open for a second value
    expect(document.activeElement).toBe(menu.querySelector("label input")); // focus in the menu: Tab, Escape work
    expect(names(el)).toEqual(["Beta"]);
    // a press on the checkbox itself is left alone (it takes the focus)
    const onBox = new MouseEvent("mousedown", { bubbles: true, cancelable: true });
    menu.querySelector("input").dispatchEvent(onBox);
    expect(onBox.defaultPrevented).toBe(false);
  });

  it("names the values chosen, cut sanely, with the whole list in the tooltip", async () => {
    const { model, el } = await mount();
    const state = () => el.querySelector('.csw-st-menu[data-filter="state"] .csw-st-menu-button');
    expect(state().textContent).toBe("State: all");
    model.set("filter_states", ["RUNNING", "STOPPED"]);
    expect(state().textContent).toBe("State: RUNNING, STOPPED"); // not "2 chosen"
    expect(state().getAttribute("aria-label")).toBe("Filter by state: RUNNING, STOPPED");
    expect(chosenText(["RUNNING", "STOPPED", "STARTING", "STOPPING"])).toBe("RUNNING, STOPPED +2");
    expect(chosenText(["a-very-long-owner-login-name@example.com", "bob"])).toBe("a-very-long-owner-login-name@example.com +1");
    model.set("filter_owners", ["alice", "bob", "carol"]);
    const owner = el.querySelector('.csw-st-menu[data-filter="owner"] .csw-st-menu-button');
    expect(owner.textContent).toBe("Owner: alice, bob, carol");
    expect(owner.title).toBe("Owner: alice, bob, carol");
  });

  it("offers Clear all filters while a filter is on; it clears them all (its room is always kept)", async () => {
    const { model, el } = await mount();
    const clearAll = el.querySelector(".csw-st-clear-filters");
    expect(clearAll.textContent).toBe("Clear all filters");
    expect([clearAll.disabled, clearAll.dataset.off]).toEqual([true, "true"]);
    model.set("filter_states", ["RUNNING"]);
    model.set("filter_owners", ["bob"]);
    model.set("filter_text", "be");
    expect([clearAll.disabled, clearAll.dataset.off]).toEqual([false, "false"]);
    expect(names(el)).toEqual(["Beta"]);
    clearAll.click();
    expect([model.get("filter_states"), model.get("filter_owners"), model.get("filter_text")]).toEqual([[], [], ""]);
    expect(model.saved).toEqual(expect.arrayContaining(["filter_states", "filter_owners", "filter_text"]));
    expect(names(el)).toHaveLength(3);
    expect(clearAll.disabled).toBe(true);
  });
});

describe("rows hold still (finding 4)", () => {
  const byLastChange = { sort: { column: "last_change", descending: true } };

  it("while the pointer is over the table, a re-sort waits (values update in place), with a hint", async () => {
    const { model, el } = await mount(ROWS, byLastChange);
    const area = el.querySelector(".csw-st-area");
    const hint = el.querySelector(".csw-st-order-hint");
    expect(names(el)).toEqual(["Beta", "alpha", "Gamma"]);
    area.dispatchEvent(new Event("pointerenter"));
    // ▶ on Gamma: DSS now says it is starting, changed just now -> it would jump to the top
    patch(model, 2, [{ ...ROWS[2], state: "STARTING", last_state_change: Date.now() }]);
    expect(names(el)).toEqual(["Beta", "alpha", "Gamma"]); // the rows hold still
    expect(el.querySelector('tr[data-key="OTHER/b1"] .csw-badge').textContent).toBe("STARTING"); // in place
    expect(hint.hidden).toBe(false);
    expect(hint.textContent).toBe("Order will update when the pointer leaves the table");
    // a row that appears waits at the end
    patch(model, 3, [row({ id: "new", name: "Delta", last_state_change: Date.now() })]);
    expect(names(el)).toEqual(["Beta", "alpha", "Gamma", "Delta"]);
    area.dispatchEvent(new Event("pointerleave"));
    expect(names(el)).toEqual(["Delta", "Gamma", "Beta", "alpha"]);
    expect(hint.hidden).toBe(true);
  });

  it("a sort the user asks for applies at once, pointer over the table or not", async () => {
    const { model, el } = await mount(ROWS, byLastChange);
    el.querySelector(".csw-st-area").dispatchEvent(new Event("pointerenter"));
    patch(model, 2, [{ ...ROWS[2], last_state_change: Date.now() }]);
    expect(names(el)).toEqual(["Beta", "alpha", "Gamma"]);
    button(el, "Sort by Name").click();
    expect(names(el)).toEqual(["alpha", "Beta", "Gamma"]);
    expect(el.querySelector(".csw-st-order-hint").hidden).toBe(true);
  });

  it("while a confirmation is open the rows hold still; it floats in the table's area, alerts in a dock", async () => {
    const { model, el } = await mount(ROWS, byLastChange);
    button(el, "Stop Beta").click();
    const dialog = el.querySelector("[role=alertdialog]");
    expect(dialog.hidden).toBe(false);
    patch(model, 2, [{ ...ROWS[2], last_state_change: Date.now() }]);
    expect(names(el)).toEqual(["Beta", "alpha", "Gamma"]);
    expect(el.querySelector(".csw-st-order-hint").textContent).toBe("Order will update once this is answered");
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(names(el)).toEqual(["Gamma", "Beta", "alpha"]);
    // nothing that opens sits in the flow above the rows: the confirmation and the alerts are in the area
    const area = el.querySelector(".csw-st-area");
    expect(area.contains(dialog)).toBe(true);
    expect(el.querySelector(".csw-st-dock").contains(el.querySelector(".csw-alerts"))).toBe(true);
    const root = el.querySelector(".csw-st");
    expect([...root.children].indexOf(area)).toBeGreaterThan([...root.children].indexOf(el.querySelector(".csw-st-toolbar")));
    model.set("alerts", [{ id: "1", level: "error", message: "DSS said no" }]);
    expect(el.querySelector(".csw-st-dock").textContent).toContain("DSS said no");
  });
});

describe("keyboard in the grid (finding 5)", () => {
  it("Shift+Enter on a grid cell is left to the notebook: no toggle, the shortcut is not suppressed", async () => {
    const { model, el } = await mount();
    const root = el.querySelector(".csw-st");
    const cellEl = el.querySelector('tr[data-key="PROJ/a1"] td:nth-child(2)');
    cellEl.focus();
    let suppressed = null;
    const atDocument = () => {
      suppressed = root.hasAttribute("data-lm-suppress-shortcuts");
    };
    document.addEventListener("keydown", atDocument); // where Lumino reads it (bubbling)
    const e = new KeyboardEvent("keydown", { key: "Enter", shiftKey: true, bubbles: true, cancelable: true });
    cellEl.dispatchEvent(e);
    document.removeEventListener("keydown", atDocument);
    expect(suppressed).toBe(false);
    expect(e.defaultPrevented).toBe(false);
    expect(model.sent.filter((m) => m.kind === "select")).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    expect(root.getAttribute("data-lm-suppress-shortcuts")).toBe("true"); // the panel's keys are its own again
    cellEl.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    expect(model.sent.filter((m) => m.kind === "select")).toHaveLength(1); // plain Enter still selects
  });
});

describe("narrow widths (finding 9)", () => {
  const measure = (s, { bold = false } = {}) => String(s).length * (bold ? 8 : 7);
  const LONG = [row({ project_key: "CHURN_PREDICTION", name: "Churn model — nightly retraining", zones: ["Project libraries", "Code recipes"] }), row({ id: "b" })];

  it("identity columns keep 12 characters; zones, then exposed hide; then the actions collapse", () => {
    const natural = naturalWidths(CONFIG.columns, LONG, measure, "project");
    const twelve = (s) => (s.length > 12 ? `${s.slice(0, 12)}…` : s).length * 7 + 10;
    expect(natural.name.min).toBe(twelve("Churn model — nightly retraining"));
    expect(natural.project.min).toBe(twelve("CHURN_PREDICTION"));
    const ids = shownColumns(CONFIG.columns, []);
    const total = (fit) => fit.total;
    const roomy = fitWidths(natural, ids, 5000);
    expect([roomy.dropped, roomy.compact]).toEqual([[], []]);
    const mins = ids.reduce((n, id) => n + natural[id].min, 0);
    const noZones = fitWidths(natural, ids, mins - 1);
    expect(noZones.dropped).toEqual(["zones"]);
    expect(noZones.shown).not.toContain("zones");
    expect(total(noZones)).toBeLessThanOrEqual(mins - 1);
    const narrow = fitWidths(natural, ids, mins - natural.zones.min - 1);
    expect(narrow.dropped).toEqual(["zones", "exposed"]);
    const tiny = fitWidths(natural, ids, 300);
    expect(tiny.compact).toEqual(["actions"]);
    expect(tiny.widths.actions).toBe(CONFIG.columns.find((c) => c.id === "actions").width.compact);
    for (const fit of [noZones, narrow, tiny]) {
      expect(fit.widths.name).toBeGreaterThanOrEqual(natural.name.min);
      expect(fit.widths.project).toBeGreaterThanOrEqual(natural.project.min);
    }
  });

  it("the row actions collapse into a ⋯ menu with the same actions, which acts through the same path", async () => {
    const { model, el } = await mount(ROWS, byWidth(300));
    expect([...el.querySelectorAll("thead th")].map((t) => t.dataset.col)).not.toContain("zones");
    const more = button(el, "Actions of Beta");
    expect(more.getAttribute("aria-haspopup")).toBe("menu");
    expect(button(el, "Stop Beta")).toBeNull();
    more.click();
    const menu = el.querySelector(".csw-st-row-menu");
    expect(menu.hidden).toBe(false);
    expect([...menu.querySelectorAll("button")].map((b) => [b.textContent, b.disabled])).toEqual([
      ["Restart", false],
      ["Stop", false],
      ["Webapps", false],
      ["Conflicts", false],
    ]);
    expect(document.activeElement).toBe(menu.querySelector("button"));
    menu.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    expect(document.activeElement.textContent).toBe("Stop");
    document.activeElement.click();
    expect(menu.hidden).toBe(true);
    const dialog = el.querySelector("[role=alertdialog]");
    expect(dialog.hidden).toBe(false);
    expect(dialog.textContent).toContain("“Beta”");
    dialog.querySelector("button.csw-danger").click();
    await flush();
    expect(model.sent.filter((m) => m.kind === "stop")).toMatchObject([{ row: "PROJ/a1" }]);
    // Escape closes the menu and gives focus back to ⋯
    button(el, "Actions of alpha").click();
    menu.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(menu.hidden).toBe(true);
    expect(document.activeElement).toBe(button(el, "Actions of alpha"));
  });
});

/** The scroller's width in happy-dom (no layout): `px`. */
let ownWidth = null;
function byWidth(px) {
  ownWidth = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientWidth") ?? "none";
  const inherited = Object.getOwnPropertyDescriptor(Element.prototype, "clientWidth");
  Object.defineProperty(HTMLElement.prototype, "clientWidth", {
    configurable: true,
    get() {
      return this.classList?.contains("csw-st-scroll") ? px : (inherited?.get?.call(this) ?? 0);
    },
  });
  return {};
}

afterEach(() => {
  if (ownWidth === "none") delete HTMLElement.prototype.clientWidth;
  else if (ownWidth) Object.defineProperty(HTMLElement.prototype, "clientWidth", ownWidth);
  ownWidth = null;
});
