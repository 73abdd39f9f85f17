import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../../js/conflicts/index.js";
import { conflictCount, fileEffect, zoneSummary } from "../../js/conflicts/format.js";
import { makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const HOSTILE = `<img src=x onerror="window.__pwned=1">.py`;
const PUSH_WARNING = "Push (DSS → code studio) replaces the code studio's copy of zone Project libraries with DSS's: edits made in the code studio and not pulled yet are lost (DSS cannot list them).";
const PULL_WARNING = "Pull (code studio → DSS) replaces DSS's copy of zone Project libraries with the code studio's. DSS changed since the last sync.";
const RUNNING = { project_key: "PROJ", id: "cs1", name: "My studio", state: "RUNNING", running: true, message: "", can_start: false };

function zone(over = {}) {
  return {
    key: "project_libVersioned|/home/dataiku/workspace/project-lib-versioned",
    id: "z1",
    label: "Project libraries",
    type: "project_libVersioned",
    path: "/home/dataiku/workspace/project-lib-versioned",
    one_way: false,
    status: "clean",
    error: null,
    added: [],
    modified: [],
    deleted: [],
    counts: { added: 0, modified: 0, deleted: 0 },
    authors: [],
    commit_from: "1a2b3c4",
    commit_to: "1a2b3c4",
    fingerprint: "fp0",
    confirm: { pull: null, push: PUSH_WARNING },
    busy: null,
    result: null,
    ...over,
  };
}

const conflicted = (over = {}) =>
  zone({
    status: "conflicts",
    modified: ["lib/util.py"],
    added: ["new.py"],
    counts: { added: 1, modified: 1, deleted: 0 },
    authors: ["alice"],
    commit_to: "5d6e7f8",
    fingerprint: "fp1",
    confirm: { pull: PULL_WARNING, push: PUSH_WARNING },
    ...over,
  });

function mount(state = {}) {
  const model = makeFakeModel({ alerts: [], studio_view: RUNNING, zones: [zone()], checking: false, start_progress: null,
    texts: records.viewer_texts.example, ...state });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  return { model, el, cleanup };
}

const section = (el, i = 0) => el.querySelectorAll("section.csw-cv-zone")[i];
const btn = (root, name) => [...root.querySelectorAll("button")].find((b) => b.textContent === name);
const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("zone states", () => {
  it("tells the kernel once that a view rendered (the page then needs no classic-notebook loader)", () => {
    const { model, cleanup } = mount();
    expect(model.reports).toEqual([{ kind: "rendered" }]);
    cleanup?.();
  });

  it("renders a clean two-way zone with directions spelled out beside Pull and Push", () => {
    const { el } = mount();
    const s = section(el);
    expect(s.dataset.status).toBe("clean");
    expect(s.querySelector("h4").textContent).toBe("Project libraries");
    expect(s.textContent).toContain("/home/dataiku/workspace/project-lib-versioned");
    expect(s.textContent).toContain("two-way");
    expect(s.querySelector(".csw-cv-summary").textContent).toBe("No conflicts");
    const pull = btn(s, "Pull");
    const push = btn(s, "Push");
    expect(pull.disabled).toBe(false);
    const dirOf = (b) => b.getAttribute("aria-describedby").split(" ").map((id) => document.getElementById(id).textContent);
    expect(dirOf(pull)).toEqual(["code studio → DSS", "Project libraries"]);
    expect(dirOf(push)).toEqual(["DSS → code studio", "Project libraries"]);
    expect(btn(s, "Check again")).toBeTruthy();
    expect(el.querySelector(".csw-cv-status").textContent).toBe("1 synced zone · no conflicts");
  });

  it("lists conflicts grouped with counts, DSS authors and the shortened commit range", () => {
    const { el } = mount({ zones: [conflicted({ deleted: ["gone.txt"], counts: { added: 1, modified: 1, deleted: 1 } })] });
    const s = section(el);
    expect(s.dataset.status).toBe("conflicts");
    expect(s.querySelector(".csw-cv-summary").textContent).toBe("3 conflicts: 1 modified, 1 added, 1 deleted");
    const groups = [...s.querySelectorAll(".csw-cv-group")].map((g) => [g.querySelector("h5").textContent, [...g.querySelectorAll("li")].map((li) => li.querySelector(".csw-cv-file").textContent)]);
    expect(groups).toEqual([
      ["Modified in the code studio (1)", ["lib/util.py"]],
      ["Added in the code studio (1)", ["new.py"]],
      ["Deleted in the code studio (1)", ["gone.txt"]],
    ]);
    expect(s.querySelector(".csw-cv-meta").textContent).toBe("DSS commits 1a2b3c4 → 5d6e7f8 · changed in DSS by alice");
    expect(el.querySelector(".csw-cv-status").textContent).toBe("1 synced zone · 1 with conflicts");
  });

  it("says how many files are not listed when the list was truncated", () => {
    const { el } = mount({ zones: [conflicted({ modified: ["a.py", "b.py"], counts: { added: 1, modified: 250, deleted: 0 } })] });
    expect(section(el).querySelector(".csw-cv-summary").textContent).toBe("251 conflicts: 250 modified, 1 added");
    expect(section(el).textContent).toContain("… and 248 more");
  });

  it("shows a zone's error instead of its files", () => {
    const { el } = mount({ zones: [zone({ status: "error", error: "Zone not found", commit_from: null, commit_to: null })] });
    const s = section(el);
    expect(s.dataset.status).toBe("error");
    expect(s.querySelector(".csw-cv-summary").textContent).toBe("Could not check: Zone not found");
    expect(s.querySelector(".csw-cv-group")).toBeNull();
    expect(el.querySelector(".csw-cv-status").textContent).toContain("1 could not be checked");
  });

  it("offers no Pull on a one-way zone and says why", () => {
    const { el } = mount({ zones: [zone({ one_way: true })] });
    const s = section(el);
    expect(btn(s, "Pull")).toBeUndefined();
    expect(btn(s, "Push")).toBeTruthy();
    expect(s.textContent).toContain("one-way");
    expect(s.textContent).toContain("One-way zone (DSS → code studio): nothing to pull.");
  });

  it("shows the directions and warnings Python sends (the view holds no copy of the wording)", () => {
    const texts = { direction: { pull: "studio ⇒ DSS (test)", push: "DSS ⇒ studio (test)" }, one_way: "Only one way (test).",
      studio_side: "Cannot read the studio's copy (test).", keep: "Whole zones only (test)." };
    const { el } = mount({ texts, zones: [conflicted({ versioned: false }), zone({ key: "k2", one_way: true })] });
    const [twoWay, oneWay] = el.querySelectorAll("section.csw-cv-zone");
    expect(twoWay.textContent).toContain("studio ⇒ DSS (test)");
    expect(twoWay.textContent).toContain("DSS ⇒ studio (test)");
    expect(oneWay.textContent).toContain("Only one way (test).");
    twoWay.querySelector("button[data-action=compare]").click();
    const studioSide = section(el).querySelector(".csw-cv-side[data-side=studio]").textContent;
    expect(studioSide).toContain("Cannot read the studio's copy (test).");
    expect(studioSide).toContain("Whole zones only (test).");
  });

  it("shows an unchecked zone and the result of the last operation", () => {
    const { el } = mount({ zones: [zone({ status: "unchecked", result: { op: "push", ok: true, text: "Pushed 3 files (1.2 KB) DSS → code studio" } })] });
    const s = section(el);
    expect(s.querySelector(".csw-cv-summary").textContent).toBe("Not checked yet");
    const result = s.querySelector(".csw-cv-result[role=status]");
    expect(result.textContent).toBe("Pushed 3 files (1.2 KB) DSS → code studio");
    expect(result.dataset.ok).toBe("true");
  });

  it("explains a stopped studio and offers Start with progress", async () => {
    const stopped = { ...RUNNING, state: "STOPPED", running: false, can_start: true,
      message: "The code studio is stopped: nothing to sync." };
    const { el, model } = mount({ studio_view: stopped, zones: [] });
    expect(el.querySelector(".csw-cv-idle").hidden).toBe(false);
    expect(el.querySelector(".csw-cv-idle").textContent).toContain("The code studio is stopped: nothing to sync.");
    expect(el.querySelectorAll("section").length).toBe(0);
    expect(btn(el, "Check all").disabled).toBe(true);
    btn(el, "Start").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "start" });
    expect(el.querySelector("button[data-action=start]").disabled).toBe(true);
    model.set("start_progress", { status: "running", stage: "Pulling image", fraction: 0.5, elapsed_s: 3, eta_s: null, message: null });
    const bar = el.querySelector("[role=progressbar]");
    expect(bar.getAttribute("aria-valuenow")).toBe("50");
    expect(el.textContent).toContain("Pulling image");
    model.reply("start", { result: { outcome: "started" } });
    await flush();
    expect(el.querySelector("button[data-action=start]").disabled).toBe(true); // progress still running
    model.set("start_progress", { status: "done", stage: null, fraction: 1, elapsed_s: 6, eta_s: null, message: null });
    model.set("studio_view", RUNNING);
    model.set("zones", [zone()]);
    expect(el.querySelector(".csw-cv-idle").hidden).toBe(true);
    expect(section(el)).toBeTruthy();
  });
});

describe("studio states", () => {
  it("a running studio shows no idle box and no progress track (hidden beats the display rules)", () => {
    const { el, model } = mount({ studio_view: RUNNING, zones: [zone()] });
    const idle = el.querySelector(".csw-cv-idle");
    expect(idle.hidden).toBe(true);
    expect(getComputedStyle(idle).display).toBe("none");
    const stopped = { ...RUNNING, state: "STOPPED", running: false, can_start: true, message: "Stopped." };
    model.set("studio_view", stopped);
    expect(getComputedStyle(idle).display).toBe("flex");
    const track = el.querySelector("[role=progressbar]").closest(".csw-progress");
    expect(track.hidden).toBe(true); // no start under way: no empty track
    expect(getComputedStyle(track).display).toBe("none");
    model.set("start_progress", { status: "running", stage: "Pulling image", fraction: 0.2, elapsed_s: 1, eta_s: null, message: null });
    expect(getComputedStyle(track).display).toBe("flex");
  });

  it("a starting studio says so, without a Start button or zones", () => {
    const starting = { ...RUNNING, state: "STARTING", running: false, can_start: false, message: "The code studio is starting." };
    const { el } = mount({ studio_view: starting, zones: [] });
    expect(el.querySelector(".csw-badge").textContent).toBe("STARTING");
    expect(el.querySelector(".csw-badge").className).toContain("csw-state-STARTING");
    expect(el.querySelector(".csw-cv-idle").textContent).toContain("The code studio is starting.");
    expect(el.querySelector("button[data-action=start]").hidden).toBe(true);
    expect(el.querySelector("[role=progressbar]").closest(".csw-progress").hidden).toBe(true);
  });

  it("with no studio selected shows only the message", () => {
    const { el } = mount({ studio_view: { message: "No code studio selected.", running: false, can_start: false }, zones: [] });
    expect(el.querySelector(".csw-cv-title").textContent).toBe("File sync");
    expect(el.querySelector("button[data-action=check-all]").hidden).toBe(true);
    expect(el.querySelector(".csw-cv-idle-text").textContent).toBe("No code studio selected.");
    expect(el.querySelector("button[data-action=start]").hidden).toBe(true);
  });
});

describe("confirmation flow", () => {
  it("asks before a pull with conflicts, listing what is overwritten in DSS, then sends the fingerprint", async () => {
    const { el, model } = mount({ zones: [conflicted()] });
    btn(section(el), "Pull").click();
    expect(model.sent.filter((m) => m.kind === "pull")).toEqual([]);
    const box = section(el).querySelector(".csw-cv-confirm[role=group]");
    expect(box.querySelector("p").textContent).toBe(PULL_WARNING);
    const items = [...box.querySelectorAll("li")].map((li) => li.textContent);
    expect(items).toEqual([
      "lib/util.py — modified in the code studio: DSS's version will be replaced",
      "new.py — added in the code studio: DSS's version will be replaced",
    ]);
    await flush();
    expect(document.activeElement.textContent).toBe("Cancel"); // the safe button: Enter, Enter never syncs
    expect(btn(section(el), "Pull").disabled).toBe(true); // no second operation while confirming
    btn(section(el), "Confirm pull").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "pull", zone: conflicted().key, confirm: "fp1" });
    expect(section(el).querySelector(".csw-cv-confirm")).toBeNull();
  });

  it("push confirmation names the code studio as the side that is overwritten", () => {
    const { el } = mount({ zones: [conflicted()] });
    btn(section(el), "Push").click();
    const box = section(el).querySelector(".csw-cv-confirm");
    expect(box.querySelector("p").textContent).toBe(PUSH_WARNING);
    expect(box.textContent).toContain("lib/util.py — modified in the code studio: those edits will be replaced by DSS's version");
  });

  it("Cancel and Escape close the step without sending anything", async () => {
    const { el, model } = mount({ zones: [conflicted()] });
    btn(section(el), "Pull").click();
    btn(section(el), "Cancel").click();
    expect(section(el).querySelector(".csw-cv-confirm")).toBeNull();
    expect(document.activeElement.textContent).toBe("Pull");
    btn(section(el), "Push").click();
    section(el).querySelector(".csw-cv-confirm").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(section(el).querySelector(".csw-cv-confirm")).toBeNull();
    expect(model.sent.filter((m) => m.kind === "pull" || m.kind === "push")).toEqual([]);
  });

  it("asks before every push, even without conflicts (DSS cannot list unpulled code studio edits)", () => {
    const { el, model } = mount();
    btn(section(el), "Push").click();
    expect(model.sent).toEqual([]);
    const box = section(el).querySelector(".csw-cv-confirm");
    expect(box.querySelector("p").textContent).toBe(PUSH_WARNING);
    expect(box.querySelector("ul")).toBeNull();
    btn(section(el), "Confirm push").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "push", confirm: "fp0" });
  });

  it("closes a confirmation that a new check made moot", () => {
    const { el, model } = mount({ zones: [conflicted()] });
    btn(section(el), "Pull").click();
    expect(section(el).querySelector(".csw-cv-confirm")).toBeTruthy();
    model.set("zones", [zone()]);
    expect(section(el).querySelector(".csw-cv-confirm")).toBeNull();
    expect(btn(section(el), "Pull").disabled).toBe(false);
  });

  it("sends a clean zone's pull at once, and asks when Python finds the zone changed", async () => {
    const { el, model } = mount();
    btn(section(el), "Pull").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "pull", confirm: null });
    model.reply("pull", { result: { outcome: "confirm", zone: conflicted({ fingerprint: "fresh" }) } });
    await flush();
    await flush();
    const box = section(el).querySelector(".csw-cv-confirm");
    expect(box.textContent).toContain("The zone changed since it was last checked.");
    expect(box.textContent).toContain("lib/util.py");
    btn(section(el), "Confirm pull").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "pull", confirm: "fresh" });
  });
});

describe("in-flight operations", () => {
  it("disables the zone's buttons from the click until the answer (no double sends)", async () => {
    const { el, model } = mount();
    btn(section(el), "Pull").click();
    btn(section(el), "Pull").click();
    btn(section(el), "Push").click();
    expect(model.sent.filter((m) => m.kind === "push" || m.kind === "pull").length).toBe(1);
    const s = section(el);
    expect(btn(s, "Push").disabled).toBe(true);
    expect(btn(s, "Pull").disabled).toBe(true);
    expect(btn(s, "Check again").disabled).toBe(true);
    expect(s.getAttribute("aria-busy")).toBe("true");
    expect(s.querySelector(".csw-cv-result").textContent).toBe("Pulling (code studio → DSS)…");
    model.set("zones", [zone({ result: { op: "pull", ok: true, text: "Pulled code studio → DSS. Now: no conflicts." } })]);
    expect(btn(section(el), "Pull").disabled).toBe(true); // still no answer
    model.reply("pull", { result: { outcome: "done" } });
    await flush();
    expect(btn(section(el), "Pull").disabled).toBe(false);
    expect(section(el).querySelector(".csw-cv-result").textContent).toBe("Pulled code studio → DSS. Now: no conflicts.");
  });

  it("disables buttons while Python reports the zone busy (e.g. a pull started from code)", () => {
    const { el } = mount({ zones: [zone({ busy: "pull" })] });
    for (const name of ["Pull", "Push", "Check again"]) expect(btn(section(el), name).disabled).toBe(true);
    expect(section(el).querySelector(".csw-cv-result").textContent).toBe("Pulling (code studio → DSS)…");
  });

  it("Check all blocks every zone until answered, and a kernel timeout lands in the alert region", async () => {
    vi.useFakeTimers();
    const { el, model } = mount({ zones: [zone(), zone({ key: "k2", label: "Recipes" })] });
    btn(el, "Check all").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "refresh" });
    expect(btn(el, "Check all").disabled).toBe(true);
    expect(btn(section(el, 1), "Pull").disabled).toBe(true);
    expect(el.querySelector(".csw-cv-status").textContent).toBe("Checking every zone…");
    await vi.advanceTimersByTimeAsync(120_001);
    expect(el.querySelector("[role=alert]").textContent).toContain("No answer from the kernel");
    expect(btn(el, "Check all").disabled).toBe(false);
  });

  it("does not duplicate Python's error alerts", async () => {
    const { el, model } = mount();
    btn(section(el), "Check again").click();
    model.reply("check", { ok: false, error: "boom" });
    await flush();
    expect(model.get("alerts")).toEqual([]);
  });

  it("keeps keyboard focus on the same button when a zone re-renders", async () => {
    const { el, model } = mount({ zones: [conflicted()] });
    btn(section(el), "Check again").focus();
    model.set("zones", [conflicted({ fingerprint: "fp2", authors: ["bob"] })]);
    await flush();
    expect(document.activeElement.textContent).toBe("Check again");
    expect(section(el).textContent).toContain("bob");
  });
});

describe("hostile text", () => {
  it("shows file names, zone names, paths, authors and errors as text", () => {
    const bad = conflicted({ label: HOSTILE, path: HOSTILE, modified: [HOSTILE], authors: [HOSTILE], fingerprint: "x" });
    const { el, model } = mount({ studio_view: { ...RUNNING, name: HOSTILE }, zones: [bad, zone({ key: "e", status: "error", error: HOSTILE })] });
    btn(section(el), "Pull").click();
    model.set("alerts", [{ id: "a", level: "error", message: HOSTILE }]);
    expect(el.querySelector("img")).toBeNull();
    expect(window.__pwned).toBeUndefined();
    expect(section(el).querySelector(".csw-cv-zone-name").textContent).toBe(HOSTILE);
    expect(section(el).querySelector(".csw-cv-confirm").textContent).toContain(HOSTILE);
    expect(section(el, 1).textContent).toContain(HOSTILE);
    expect(el.querySelector(".csw-cv-title").textContent).toBe(`File sync · ${HOSTILE}`);
  });
});

describe("cleanup and helpers", () => {
  it("removes every listener on cleanup", () => {
    const { model, cleanup } = mount({ zones: [conflicted()] });
    expect(model.listenerCount()).toBeGreaterThan(0);
    cleanup();
    expect(model.listenerCount()).toBe(0);
  });

  it("formats summaries and effects", () => {
    expect(zoneSummary(zone({ status: "unchecked" }))).toBe("Not checked yet");
    expect(conflictCount(conflicted())).toBe(2);
    expect(fileEffect("pull", "deleted")).toBe("deleted in the code studio: DSS's version will be deleted");
    expect(fileEffect("push", "deleted")).toBe("deleted in the code studio: DSS's version will be restored there");
  });
});

const BOB_DIFF = ["--- a/features.py", "+++ b/features.py", "@@ -1,2 +1,2 @@", " import numpy", "-OLD = 1", "+BOB = 2"].join("\n");
const withDss = (over = {}) =>
  conflicted({
    versioned: true,
    dss_known: true,
    dss_why: null,
    commit_to_full: "5d6e7f8aaaa",
    dss_changes: [
      { change: "modified", path: "lib/util.py", conflict: true, authors: ["bob"], messages: ["bob: faster util"] },
      { change: "deleted", path: "legacy.py", conflict: false, authors: ["bob"], messages: [HOSTILE] },
    ],
    dss_count: 2,
    ...over,
  });

describe("DSS-side changes and their diffs", () => {
  it("lists every DSS-side change with authors and commit messages, as text, diffs collapsed", () => {
    const { el, model } = mount({ zones: [withDss()] });
    const rows = [...section(el).querySelectorAll(".csw-cv-dss-list > li")];
    expect(rows.map((li) => li.dataset.path)).toEqual(["lib/util.py", "legacy.py"]);
    expect(section(el).querySelector(".csw-cv-dss h5").textContent).toBe("Changed in DSS since the last sync (2)");
    expect(rows[0].textContent).toContain("modified in DSS by bob — also changed in the code studio");
    expect(rows[0].querySelector(".csw-cv-commits").textContent).toBe("bob: faster util");
    expect(rows[1].querySelector(".csw-cv-commits").textContent).toBe(HOSTILE);
    expect(section(el).querySelector("img")).toBeNull();
    expect(rows.map((li) => li.querySelector("button").getAttribute("aria-expanded"))).toEqual(["false", "false"]);
    expect(section(el).querySelector(".csw-cv-diff")).toBeNull();
    expect(model.sent.filter((m) => m.kind === "diff")).toEqual([]); // nothing asked before a click
  });

  it("asks for a file's diff on opening, colours +/- lines, and closes it again", async () => {
    const { el, model } = mount({ zones: [withDss()] });
    const toggle = () => section(el).querySelector('button[data-action=diff][data-path="lib/util.py"]');
    toggle().click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "diff", zone: withDss().key, path: "lib/util.py" });
    expect(section(el).textContent).toContain("Loading the diff…");
    model.reply("diff", { result: { outcome: "done", diff: BOB_DIFF } });
    await flush();
    const pre = section(el).querySelector(".csw-cv-diff");
    expect(pre.querySelector(".csw-cv-diff-add").textContent).toBe("+BOB = 2\n");
    expect(pre.querySelector(".csw-cv-diff-del").textContent).toBe("-OLD = 1\n");
    expect(toggle().getAttribute("aria-expanded")).toBe("true");
    model.set("zones", [withDss({ result: { op: "check", ok: true, text: "x" } })]); // a re-render keeps it open
    expect(section(el).querySelector(".csw-cv-diff")).toBeTruthy();
    toggle().click();
    expect(section(el).querySelector(".csw-cv-diff")).toBeNull();
    expect(model.sent.filter((m) => m.kind === "diff")).toHaveLength(1);
  });

  it("cuts a long diff with a Show all button", async () => {
    const { el, model } = mount({ zones: [withDss()] });
    section(el).querySelector('button[data-action=diff][data-path="lib/util.py"]').click();
    const long = Array.from({ length: 250 }, (_, i) => `+line ${i}`).join("\n");
    model.reply("diff", { result: { outcome: "done", diff: long } });
    await flush();
    expect(section(el).querySelectorAll(".csw-cv-diff span")).toHaveLength(200);
    btn(section(el), "Show all 250 lines").focus();
    btn(section(el), "Show all 250 lines").click();
    expect(section(el).querySelectorAll(".csw-cv-diff span")).toHaveLength(250);
    await flush();
    expect(document.activeElement.dataset).toMatchObject({ action: "diff", path: "lib/util.py" }); // focus not lost
    expect(btn(section(el), "Show all 250 lines")).toBeUndefined();
  });

  it("says why a zone's DSS-side changes cannot be listed, and when a file has no diff", async () => {
    const { el, model } = mount({ zones: [withDss({ dss_known: false, dss_why: "this zone is not versioned", dss_changes: [], dss_count: 0 })] });
    expect(section(el).querySelector(".csw-cv-dss").textContent).toBe(
      "Changes made in DSS since the last sync cannot be listed: this zone is not versioned.");
    model.set("zones", [withDss({ commit_to_full: "other" })]);
    section(el).querySelector('button[data-action=diff][data-path="legacy.py"]').click();
    model.reply("diff", { result: { outcome: "done", diff: null } });
    await flush();
    expect(section(el).textContent).toContain("DSS has no diff to show for this file.");
  });

  it("pull's confirmation names every DSS-side change, not only the conflicts", () => {
    const { el } = mount({ zones: [withDss()] });
    btn(section(el), "Pull").click();
    const items = [...section(el).querySelectorAll(".csw-cv-confirm li")].map((li) => li.dataset.path);
    expect(items).toEqual(["lib/util.py", "legacy.py", "new.py"]);
    expect(section(el).querySelector('.csw-cv-confirm li[data-path="legacy.py"]').textContent)
      .toBe("legacy.py — deleted in DSS by bob: may be overwritten");
  });
});

describe("safe confirmations", () => {
  it("Enter, Enter from Pull never syncs: focus starts on Cancel", async () => {
    const { el, model } = mount({ zones: [withDss()] });
    btn(section(el), "Pull").focus();
    btn(section(el), "Pull").click(); // Enter on a focused button clicks it
    await flush();
    expect(document.activeElement.dataset.action).toBe("cancel");
    document.activeElement.click(); // the second Enter
    await flush();
    expect(section(el).querySelector(".csw-cv-confirm")).toBeNull();
    expect(model.sent.filter((m) => m.kind === "pull")).toEqual([]);
    expect(document.activeElement.textContent).toBe("Pull");
  });

  it("a zone that is not versioned says it cannot be undone and wants its name typed first", async () => {
    const restore = { pull: null, push: "This cannot be undone: DSS keeps no history of the code studio's copy." };
    const { el, model } = mount({ zones: [withDss({ versioned: false, confirm_restore: restore })] });
    btn(section(el), "Push").click();
    const box = section(el).querySelector(".csw-cv-confirm");
    expect(box.textContent.split("cannot be undone").length - 1).toBe(1); // once (issue 24, 13)
    const confirm = btn(box, "Confirm push");
    expect(confirm.disabled).toBe(true);
    const input = box.querySelector("input[data-action=type-name]");
    input.value = "Project librarie";
    input.dispatchEvent(new Event("input"));
    confirm.click();
    expect(model.sent.filter((m) => m.kind === "push")).toEqual([]);
    input.value = "Project libraries";
    input.dispatchEvent(new Event("input"));
    expect(confirm.disabled).toBe(false);
    model.set("zones", [withDss({ versioned: false, confirm_restore: restore, result: { op: "check", ok: true, text: "later" } })]);
    const again = section(el).querySelector(".csw-cv-confirm");
    expect(again.querySelector("input").value).toBe("Project libraries"); // kept across a re-render
    btn(again, "Confirm push").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "push", confirm: "fp1" });
  });

  it("Enter in the typed name pushes once it matches, never before (#24 finding 5)", async () => {
    const { el, model } = mount({ zones: [withDss({ versioned: false })] });
    btn(section(el), "Push").click();
    const input = section(el).querySelector(".csw-cv-confirm input[data-action=type-name]");
    const enter = () => {
      const e = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true });
      input.dispatchEvent(e);
      return e;
    };
    input.value = "Project librarie";
    input.dispatchEvent(new Event("input"));
    expect(enter().defaultPrevented).toBe(true);
    expect(model.sent.filter((m) => m.kind === "push")).toEqual([]);
    input.value = "Project libraries";
    input.dispatchEvent(new Event("input"));
    enter();
    await flush();
    expect(model.sent.filter((m) => m.kind === "push")).toMatchObject([{ kind: "push", confirm: "fp1" }]);
  });

  it("a versioned zone has no name to type", () => {
    const { el } = mount({ zones: [withDss()] });
    btn(section(el), "Push").click();
    expect(section(el).querySelector(".csw-cv-confirm input")).toBeNull();
    expect(btn(section(el), "Confirm push").disabled).toBe(false);
  });
});

describe("issue 24 (13): both sides of a conflict, and confirmations", () => {
  const commands = {
    "lib/util.py": { show: "cat -- /home/dataiku/workspace/project-lib-versioned/lib/util.py",
      save: "cp -p -- /home/dataiku/workspace/project-lib-versioned/lib/util.py /home/dataiku/workspace/project-lib-versioned/lib/util.py.studio-copy" },
    "new.py": { show: "cat -- /home/dataiku/workspace/project-lib-versioned/new.py", save: "cp -p -- a b" },
  };

  it("opens both sides of a conflicting file: DSS's diff beside what is known of the code studio's copy", async () => {
    const { el, model } = mount({ zones: [withDss({ studio_commands: commands })] });
    const compare = section(el).querySelector('button[data-action=compare][data-path="lib/util.py"]');
    expect(compare.getAttribute("aria-expanded")).toBe("false");
    compare.click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "diff", zone: withDss().key, path: "lib/util.py" });
    model.reply("diff", { result: { outcome: "done", diff: "--- a/lib/util.py\n+++ b/lib/util.py\n-OLD = 1\n+BOB = 2\n" } });
    await flush();
    const sides = section(el).querySelector('.csw-cv-sides[data-path="lib/util.py"]');
    const dss = sides.querySelector("[data-side=dss]");
    const studio = sides.querySelector("[data-side=studio]");
    expect(dss.querySelector("h6").textContent).toBe("DSS's version — modified in DSS by bob");
    expect(dss.querySelector(".csw-cv-diff-add").textContent).toBe("+BOB = 2\n");
    expect(studio.querySelector("h6").textContent).toBe("The code studio's version");
    expect(studio.textContent).toContain(records.viewer_texts.example.studio_side);
    const cmds = [...studio.querySelectorAll(".csw-cv-cmd")].map((c) => c.textContent);
    expect(cmds).toEqual([commands["lib/util.py"].show, commands["lib/util.py"].save]);
    // the DSS-side list's own diff stays closed: one file, one diff shown
    expect(section(el).querySelectorAll(".csw-cv-diff")).toHaveLength(1);
  });

  it("says so when DSS's version of a conflicting file cannot be read", () => {
    const { el, model } = mount({ zones: [withDss({ dss_known: false, dss_why: "this zone is not versioned", dss_changes: [], dss_count: 0 })] });
    section(el).querySelector('button[data-action=compare][data-path="new.py"]').click();
    expect(model.sent.filter((m) => m.kind === "diff")).toEqual([]);
    const dss = section(el).querySelector(".csw-cv-sides [data-side=dss]");
    expect(dss.textContent).toContain("DSS's version cannot be read: this zone is not versioned.");
  });

  it("a pull confirmation: the sentence, each file once, then how to get it back", () => {
    const restore = { pull: "To get a DSS file back afterwards: DSS's git history keeps it.", push: null };
    const { el } = mount({ zones: [withDss({ confirm_restore: restore })] });
    btn(section(el), "Pull").click();
    const box = section(el).querySelector(".csw-cv-confirm");
    const paths = [...box.querySelectorAll("li[data-path]")].map((li) => li.dataset.path);
    expect(paths).toEqual([...new Set(paths)]); // each file once
    expect(paths).toEqual(expect.arrayContaining(["lib/util.py", "legacy.py", "new.py"]));
    expect(box.querySelector(".csw-cv-back").textContent).toBe(restore.pull);
  });
});

describe("issue 24 (7): a deleted studio, and the table's ⇄", () => {
  const DELETED = { project_key: "PROJ", id: "cs1", name: "My studio", state: null, running: false, deleted: true,
    message: "This code studio was deleted: DSS no longer knows it.", can_start: false };

  it("shows a deleted studio as deleted: no zone, no Pull/Push, Check all off", () => {
    const { el, model } = mount();
    expect(btn(section(el), "Pull")).toBeTruthy();
    model.set("zones", []);
    model.set("studio_view", DELETED);
    const badge = el.querySelector(".csw-cv-head .csw-badge");
    expect(badge.hidden).toBe(false);
    expect(badge.textContent).toBe("DELETED");
    expect(el.querySelector("section.csw-cv-zone")).toBeNull();
    expect(btn(el, "Pull")).toBeUndefined();
    expect(el.querySelector("[data-action=check-all]").disabled).toBe(true);
    expect(btn(el, "Start").hidden).toBe(true);
    expect(el.querySelector(".csw-cv-idle-text").textContent).toBe(DELETED.message);
  });

  it("scrolls into sight and takes the focus when Python asks (the table's ⇄)", async () => {
    const seen = [];
    const real = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (opts) { seen.push([this, opts]); };
    try {
      const { el, model } = mount();
      model.emit("msg:custom", { kind: "reveal" });
      await new Promise((r) => requestAnimationFrame(() => r()));
      const root = el.querySelector(".csw-cv");
      expect(seen.map(([node]) => node)).toEqual([root]);
      expect(document.activeElement).toBe(root);
    } finally {
      Element.prototype.scrollIntoView = real;
    }
  });
});

