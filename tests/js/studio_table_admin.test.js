// The administrator's columns of the studio table (running time, outdated image, unsynced files), rendered by
// kind from the columns Python declares, and "Download shown rows (CSV)".
import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../../js/studio_table/index.js";
import { sortGetter } from "../../js/studio_table/store.js";
import { makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const CONFIG = records.studio_table_config;
const HOSTILE = `<img src=x onerror="window.__pwned=1">`;
const flush = () => new Promise((r) => setTimeout(r, 0));
const spec = (id) => CONFIG.columns.find((c) => c.id === id);

function row(over = {}) {
  const id = over.id ?? "a";
  return {
    key: `PROJ/${id}`, project_key: "PROJ", id, name: id, owner: "alice", template_id: "tpl_vscode", template_label: "VS Code",
    state: "RUNNING", last_state_change: null, zones: [], exposed: [], error: null,
    running_for_s: null, image_outdated: null, image_note: null, unsynced_files: null, unsynced_read_at: null, ...over,
  };
}

async function mount(rows, over = {}) {
  const model = makeFakeModel({
    alerts: [], config: CONFIG, filter_text: "", filter_states: [], filter_owners: [], filter_projects: [], filter_templates: [],
    sort: { column: "project", descending: false }, selection: [], in_flight: {}, loading: false,
    summary: { total: rows.length, running: rows.length, failed_projects: 0, text: `${rows.length} studios` },
    is_simulator: false, live: false, live_info: {}, transitions: {}, denied: {}, dss_origin: "", columns: {}, group_by: "", ...over,
  });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  model.reply("snapshot", { result: { seq: 1, rows } });
  await flush();
  return { model, el, cleanup };
}

const cellOf = (el, key, columnId) => {
  const ths = [...el.querySelectorAll("thead th")];
  const i = ths.findIndex((th) => th.textContent.replace(/[▲▼]/g, "") === spec(columnId).label);
  return el.querySelector(`tr[data-key="${key}"]`).children[i];
};

afterEach(() => {
  document.body.innerHTML = "";
  vi.restoreAllMocks();
});

describe("StudioTable administrator's columns", () => {
  it("are declared in Python with their kinds", () => {
    expect(spec("running_for")).toMatchObject({ kind: "duration", fields: ["running_for_s"], sort: "running_for" });
    expect(spec("image")).toMatchObject({ kind: "flag", fields: ["image_outdated"], title: "image_note", badge: "outdated image" });
    expect(spec("unsynced")).toMatchObject({ kind: "count", fields: ["unsynced_files"], at: "unsynced_read_at" });
  });

  it("show the running time, an outdated-image badge naming the template's build, and the unsynced count with its read time", async () => {
    const note = `Outdated image: template tpl_vscode last built 2026-12-07 01:00 UTC; ${HOSTILE}`;
    const { el } = await mount([
      row({ id: "old", running_for_s: 2 * 3600 + 300, image_outdated: true, image_note: note, unsynced_files: 3, unsynced_read_at: Date.now() - 120_000 }),
      row({ id: "new", running_for_s: 40, image_outdated: false, image_note: "Current image", unsynced_files: 0, unsynced_read_at: Date.now() }),
      row({ id: "off", state: "STOPPED" }),
    ], { columns: { hidden: [] } }); // the user showed every column
    expect(cellOf(el, "PROJ/old", "running_for").textContent).toBe("2h 05m");
    const badge = cellOf(el, "PROJ/old", "image");
    expect(badge.textContent).toBe("outdated image");
    expect(badge.title).toBe(note);
    expect(el.querySelector("img")).toBeNull();
    expect(cellOf(el, "PROJ/new", "image").textContent).toBe("");
    expect(cellOf(el, "PROJ/off", "image").textContent).toBe("?"); // unknown is not "current"
    const unsynced = cellOf(el, "PROJ/old", "unsynced");
    expect(unsynced.textContent).toMatch(/^3 · 2 minutes ago$/);
    expect(unsynced.querySelector("time").title).toMatch(/^read .* UTC$/);
    expect(cellOf(el, "PROJ/off", "unsynced").textContent).toBe("—"); // not read
    expect(cellOf(el, "PROJ/off", "running_for").textContent).toBe("—");
  });

  it("hide \"Image\" and \"Unsynced files\" until the user shows it, unless Python declares it shown (a table that reads them)", async () => {
    const headers = (el) => [...el.querySelectorAll("thead th")].map((th) => th.dataset.col);
    const first = await mount([row()]);
    expect(headers(first.el)).toContain("running_for");
    expect(headers(first.el)).not.toContain("unsynced");
    expect(headers(first.el)).not.toContain("image");
    document.body.innerHTML = "";
    const reading = { ...CONFIG, columns: CONFIG.columns.map((c) => (c.id === "unsynced" ? { ...c, shown: true } : c)) };
    const second = await mount([row()], { config: reading });
    expect(headers(second.el)).toContain("unsynced");
  });

  it("sort by duration and by count as numbers, empty last", async () => {
    const rows = [row({ id: "a", running_for_s: 9 }), row({ id: "b", running_for_s: 100 }), row({ id: "c" })];
    const get = sortGetter(spec("running_for"));
    expect(rows.map(get)).toEqual([9, 100, null]);
    const { el } = await mount(rows, { sort: { column: "running_for", descending: true } });
    expect([...el.querySelectorAll("tr.csw-st-row")].map((tr) => tr.dataset.key)).toEqual(["PROJ/b", "PROJ/a", "PROJ/c"]);
  });
});

describe("Download shown rows (CSV)", () => {
  it("asks the kernel for the rows shown (filters applied) and saves the text it sends", async () => {
    const blobs = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      blobs.push(blob);
      return "blob:test/csv";
    });
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    const clicks = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function () {
      clicks.push(this.download);
    });
    const { model, el, cleanup } = await mount([row({ id: "a", owner: "alice" }), row({ id: "b", owner: "bob" })], { filter_text: "bob" });
    const csv = [...el.querySelectorAll("button")].find((b) => b.textContent === "Download shown rows (CSV)");
    csv.click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "csv", rows: ["PROJ/b"] });
    expect(csv.disabled).toBe(true);
    model.emit("msg:custom", { kind: "download", name: "code-studios.csv", mime: "text/csv", text: "key,name\nPROJ/b,b\n" });
    model.reply("csv", { result: { name: "code-studios.csv", rows: 1 } });
    await flush();
    expect(clicks).toEqual(["code-studios.csv"]);
    expect(blobs[0].type).toBe("text/csv");
    expect(await blobs[0].text()).toBe("key,name\nPROJ/b,b\n");
    expect(csv.disabled).toBe(false);
    cleanup();
    expect(model.listenerCount()).toBe(0);
  });
});

describe("a studio's webapps", () => {
  it("opens from the row: state, a link to DSS (http(s) only), start and stop through the kernel, text only", async () => {
    const { model, el } = await mount([row({ id: "dash", name: "Dashboard app" })]);
    const open = [...el.querySelectorAll("button")].find((b) => b.getAttribute("aria-label") === "Webapps of Dashboard app");
    open.click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "webapps", row: "PROJ/dash" });
    const box = el.querySelector(".csw-st-webapps");
    expect(box.hidden).toBe(false);
    expect(box.textContent).toContain("Webapps of Dashboard app");
    model.reply("webapps", {
      result: {
        webapps: [
          { id: "wSalesD", name: HOSTILE, running: true, error: null, url: "https://dss.example/projects/PROJ/webapps/wSalesD/view" },
          { id: "wEvil", name: "evil", running: null, error: "403", url: "javascript:alert(1)" },
        ],
      },
    });
    await flush();
    const items = [...box.querySelectorAll("li")];
    expect(items.map((li) => li.dataset.state)).toEqual(["running", "state unknown"]);
    expect(box.querySelector("img")).toBeNull();
    expect(items[0].querySelector("a").getAttribute("href")).toBe("https://dss.example/projects/PROJ/webapps/wSalesD/view");
    expect(items[0].querySelector("a").target).toBe("_blank");
    expect(items[1].querySelector("a")).toBeNull(); // not http(s): no link
    const stop = [...items[0].querySelectorAll("button")].find((b) => b.textContent === `Stop ${HOSTILE}`);
    stop.click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "webapp", row: "PROJ/dash", webapp: "wSalesD", op: "stop" });
    expect([...box.querySelectorAll("button")].filter((b) => b.disabled).length).toBeGreaterThan(0);
    model.reply("webapp", { result: { outcome: "done", webapps: [{ id: "wSalesD", name: "Sales", running: false, error: null, url: null }] } });
    await flush();
    const after = box.querySelector("li");
    expect(after.dataset.state).toBe("stopped");
    expect([...after.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Start Sales", "Stop Sales"]);
    [...box.querySelectorAll("button")].find((b) => b.textContent === "Close").click();
    expect(box.hidden).toBe(true);
  });
});
