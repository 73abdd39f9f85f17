import { afterEach, describe, expect, it } from "vitest";
import { barChart, chartSummary, shortLabel } from "../../js/governance/charts.js";
import widget from "../../js/governance/index.js";
import { makeFakeModel } from "./fake-model.js";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;
const flush = () => new Promise((r) => setTimeout(r, 0));

const policy = (over = {}) => ({
  key: "PROJ/a1", project_key: "PROJ", id: "a1", name: "Forecast", owner: "alice", running_for_s: 36_000,
  unsynced_files: 2, decision: "stop", reason: "running for 10h 00m (over 8h 00m), no conflicts", outcome: null, ...over,
});

function traits(over = {}) {
  return {
    alerts: [], updated_ms: 0,
    texts: { stop_zones: "A stop pulls every two-way synchronized zone.", stop_confirm: "Stop" },
    summary: { studios: 5, running: 3, running_hours: 31.5, outdated: 1, outdated_running: 1, unsynced_studios: 1, unsynced_read: true, text: "3 running of 5 studios" },
    charts: [
      { id: "owner_running", title: "Running studios by owner", unit: "studios", bars: [{ label: "alice", value: 2 }, { label: HOSTILE, value: 1 }], others: 0 },
      { id: "owner_hours", title: "Running hours by owner", unit: "hours", bars: [], others: 0 },
    ],
    outdated: [{ key: "PROJ/a1", name: "Forecast", owner: "alice", template: "VS Code", unsynced_files: 2 }],
    unsynced: [{ key: "PROJ/a1", name: HOSTILE, owner: "alice", template: "VS Code", unsynced_files: 2 }],
    policy: [policy(), policy({ key: "PROJ/a2", id: "a2", name: "Routes", owner: "bob", decision: "skip", reason: "not stopped: 1 conflicting file" }),
      policy({ key: "Q/b1", project_key: "Q", id: "b1", name: "Short", decision: "keep", running_for_s: 60, reason: "running for 1m, under 8h 00m" })],
    policy_info: { threshold: "8h 00m", dry_run: true },
    loading: false, stopping: false,
    ...over,
  };
}

function mount(over = {}) {
  const model = makeFakeModel(traits(over));
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  const btn = (text) => [...el.querySelectorAll("button")].find((b) => b.textContent === text) ?? null;
  return { model, el, cleanup, btn };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("Governance charts", () => {
  it("draws one SVG bar per group, scaled to the largest, labels as text nodes", () => {
    const fig = barChart({ id: "c", title: "Running studios by owner", unit: "studios", bars: [{ label: "alice", value: 4 }, { label: HOSTILE, value: 2 }], others: 0 });
    const rects = fig.querySelectorAll("rect");
    expect(rects).toHaveLength(2);
    expect(Number(rects[0].getAttribute("width"))).toBe(2 * Number(rects[1].getAttribute("width")));
    expect(fig.querySelector("svg").namespaceURI).toBe("http://www.w3.org/2000/svg");
    expect(fig.querySelector("svg").getAttribute("role")).toBe("img");
    expect(fig.querySelector("img")).toBeNull();
    expect(fig.querySelectorAll("text.csw-gov-label")[1].textContent).toBe(shortLabel(HOSTILE));
    expect(fig.querySelectorAll("g title")[1].textContent).toBe(`${HOSTILE}: 2 studios`);
    expect(chartSummary({ title: "T", unit: "hours", bars: [{ label: "a", value: 1.26 }] })).toBe("T (hours): a 1.3");
  });

  it("says so when a chart has no bar", () => {
    const fig = barChart({ id: "c", title: "Running hours by owner", unit: "hours", bars: [], others: 0 });
    expect(fig.querySelector("svg")).toBeNull();
    expect(fig.textContent).toContain("No running studio.");
  });
});

describe("Governance view", () => {
  it("renders the summary, the charts, the lists and the policy's dry run, every DSS text as text", () => {
    const { el } = mount();
    expect(el.querySelector(".csw-gov-summary").textContent).toBe("3 running of 5 studios");
    expect(el.querySelectorAll("figure.csw-gov-chart")).toHaveLength(2);
    expect(el.querySelector(".csw-gov-outdated").textContent).toContain("Running on an outdated image (1)");
    expect(el.querySelector(".csw-gov-unsynced").textContent).toContain(`${HOSTILE} (alice) · 2 files`);
    expect(el.querySelector("img")).toBeNull();
    const rows = [...el.querySelectorAll(".csw-gov-policy tbody tr")];
    expect(rows.map((r) => r.dataset.decision)).toEqual(["stop", "skip", "keep"]);
    expect(rows[0].textContent).toContain("10h 00m");
    expect(el.querySelector(".csw-gov-policy-box h4").textContent).toBe("Idle policy: running longer than 8h 00m — dry run");
  });

  it("stops the chosen studios only after a confirmation naming them and what a stop does to two-way zones", async () => {
    const { model, el, btn } = mount();
    const stop = btn("Stop the 1 chosen");
    expect(stop.disabled).toBe(false);
    stop.click();
    expect(model.sent.some((m) => m.kind === "stop_chosen")).toBe(false); // nothing without the confirmation
    const dialog = el.querySelector(".csw-gov-confirm");
    expect(dialog.hidden).toBe(false);
    expect(dialog.textContent).toContain("Stop this idle studio?");
    expect(dialog.textContent).toContain("Forecast (alice)");
    expect(dialog.textContent).not.toContain("Routes"); // skipped by the policy: not named, not stopped
    expect(dialog.textContent).toContain("A stop pulls every two-way synchronized zone.");
    expect(document.activeElement.textContent).toBe("Cancel");
    btn("Stop 1").click();
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "stop_chosen", rows: ["PROJ/a1"] });
    model.reply("stop_chosen", { result: { stopped: 1, rows: [] } });
    await flush();
    expect(dialog.hidden).toBe(true);
  });

  it("offers no stop when the policy chose none, nor after the stops were sent", () => {
    const none = mount({ policy: [policy({ decision: "keep" })] });
    expect(none.btn("Stop the 0 chosen").disabled).toBe(true);
    document.body.innerHTML = "";
    const sent = mount({ policy_info: { threshold: "8h 00m", dry_run: false }, policy: [policy({ outcome: "done" })] });
    expect(sent.btn("Stop the 0 chosen").disabled).toBe(true);
    expect(sent.el.querySelector(".csw-gov-policy tbody tr").textContent).toContain("done: running for");
  });

  it("asks the kernel to refresh, and its cleanup removes every listener", async () => {
    const { model, btn, cleanup, el } = mount();
    btn("Refresh").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "refresh" });
    expect(btn("Refreshing…").disabled).toBe(true);
    model.reply("refresh", { result: { studios: 5, chosen: 1, error: null } });
    await flush();
    expect(btn("Refresh").disabled).toBe(false);
    model.set("charts", []);
    expect(el.querySelectorAll("figure")).toHaveLength(0);
    cleanup();
    expect(model.listenerCount()).toBe(0);
  });
});
