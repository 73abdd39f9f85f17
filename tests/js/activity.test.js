import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../../js/activity/index.js";
import { announcement, countsText, durationText } from "../../js/activity/format.js";
import { makeFakeModel } from "./fake-model.js";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;

function entry(over = {}) {
  return {
    id: 1, panel: "studios", who: "alice", what: "stop", target: "Dashboard app", project_key: "SALES",
    studio_id: "abc", studio: "Dashboard app", zone: null, template_id: null,
    when: "2024-05-01T12:00:00+00:00", outcome: "running", duration_s: null, message: null, ...over,
  };
}

const mounted = []; // every view is removed after its test (a view left rendered keeps the shared ticker)

function mount(state = {}) {
  const model = makeFakeModel({ entries: [], counts: { total: 0, running: 0, failed: 0 }, alerts: [], ...state });
  const el = document.createElement("div");
  document.body.append(el);
  let removed = false;
  const render = widget.render({ model, el });
  const cleanup = () => {
    if (!removed) render?.();
    removed = true;
  };
  mounted.push(cleanup);
  return { model, el, cleanup };
}

afterEach(() => {
  for (const cleanup of mounted.splice(0)) cleanup();
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("format helpers", () => {
  it("writes durations, counts and announcements like the Python side", () => {
    expect(durationText(null)).toBe("");
    expect(durationText(0.42)).toBe("0.4s");
    expect(durationText(12.4)).toBe("12s");
    expect(durationText(125)).toBe("2m 05s");
    expect(countsText({ total: 1 })).toBe("1 action");
    expect(countsText({ total: 3, running: 1, failed: 2 })).toBe("3 actions · 1 running · 2 failed");
    expect(announcement(entry())).toBe("");
    expect(announcement(entry({ outcome: "done", duration_s: 1.2 }))).toBe("stop of Dashboard app: done in 1.2s");
  });
});

describe("activity panel", () => {
  it("tells the kernel once that a view rendered (the page then needs no classic-notebook loader)", () => {
    const { model, cleanup } = mount();
    expect(model.reports).toEqual([{ kind: "rendered" }]);
    cleanup?.();
  });

  it("shows an empty state, then a table with header cells", () => {
    const { model, el } = mount();
    expect(el.querySelector(".csw-act-empty").textContent).toMatch(/No actions yet/);
    expect(el.querySelector(".csw-act-scroll").hidden).toBe(true);
    model.set("entries", [entry()]);
    model.set("counts", { total: 1, running: 1, failed: 0 });
    const headers = [...el.querySelectorAll("th")].map((th) => [th.textContent, th.getAttribute("scope")]);
    expect(headers.map((x) => x[0])).toEqual(["When", "Who", "Action", "Target", "Outcome", "Duration", "Message", "Python"]);
    expect(headers.every((x) => x[1] === "col")).toBe(true);
    const row = el.querySelector("tbody tr");
    expect(row.dataset.outcome).toBe("running");
    expect(row.textContent).toContain("running…");
    expect(row.querySelector("td").getAttribute("title")).toBe("2024-05-01 12:00:00 UTC");
    expect(el.querySelector(".csw-act-counts").textContent).toBe("1 action · 1 running");
    expect(el.querySelector(".csw-act-empty").hidden).toBe(true);
  });

  it("inserts text from DSS as text", () => {
    const { el } = mount({ entries: [entry({ target: HOSTILE, who: HOSTILE, message: HOSTILE, outcome: "failed" })] });
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelector("tbody").textContent).toContain(HOSTILE);
    expect(window.__pwned).toBeUndefined();
  });

  it("announces an action that ends, not the ones already ended when the view opened", () => {
    const { model, el } = mount({ entries: [entry({ id: 7, outcome: "done", duration_s: 3 })] });
    const live = el.querySelector("[role=status]");
    expect(live.textContent).toBe("");
    model.set("entries", [entry({ id: 8 }), entry({ id: 7, outcome: "done", duration_s: 3 })]);
    expect(live.textContent).toBe("");
    model.set("entries", [entry({ id: 8, outcome: "failed", duration_s: 0.5 }), entry({ id: 7, outcome: "done", duration_s: 3 })]);
    expect(live.textContent).toBe("stop of Dashboard app: failed in 0.5s");
  });

  it("filters by outcome: refused and aborted are not hidden by the problems filter, nor counted as failed", () => {
    const { el, model } = mount({
      entries: [
        entry({ id: 4, outcome: "refused", what: "build" }),
        entry({ id: 3, outcome: "failed" }),
        entry({ id: 2, outcome: "aborted", what: "build" }),
        entry({ id: 1, outcome: "done" }),
      ],
    });
    model.set("counts", { total: 4, running: 0, failed: 1, aborted: 1, refused: 1 });
    expect(el.querySelector(".csw-act-counts").textContent).toBe("4 actions · 1 failed · 1 aborted · 1 refused");
    expect(el.querySelectorAll("tbody tr")).toHaveLength(4);
    const select = el.querySelector("select[aria-label='Show outcomes']");
    const shown = (value) => {
      select.value = value;
      select.dispatchEvent(new Event("change"));
      return [...el.querySelectorAll("tbody tr")].map((r) => r.dataset.id);
    };
    expect(shown("problems")).toEqual(["4", "3", "2"]);
    expect(shown("failed")).toEqual(["3"]);
    expect(shown("aborted")).toEqual(["2"]);
    expect(shown("refused")).toEqual(["4"]);
    expect(shown("")).toHaveLength(4);
  });

  it("shows the panel's alerts", () => {
    const { el } = mount({ alerts: [{ id: "a1", level: "error", message: "Could not record" }] });
    expect(el.querySelector("[role=alert]").textContent).toContain("Could not record");
  });

  it("refreshes relative times and removes every listener on cleanup", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2024-05-01T12:00:30Z"));
    const { model, el, cleanup } = mount({ entries: [entry()] });
    const cell = () => el.querySelector("tbody td").textContent;
    const before = cell();
    vi.setSystemTime(new Date("2024-05-01T14:00:30Z"));
    vi.advanceTimersByTime(30_000);
    expect(cell()).not.toBe(before);
    expect(cell()).toMatch(/2 hours ago/);
    cleanup();
    expect(model.listenerCount()).toBe(0);
    expect(el.childNodes).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
