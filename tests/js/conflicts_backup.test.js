// Issue 24 (13): the pull confirmation of the project library zone offers "Download DSS's versions (zip)"
// (Python's `backup` offer), names what the zip cannot include, saves the zip the kernel sends, and says what it
// holds; other zones' confirmations have no such button.
import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../../js/conflicts/index.js";
import { makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const HOSTILE = `<img src=x onerror="window.__pwned=1">.py`;
const RUNNING = { project_key: "PROJ", id: "cs1", name: "My studio", state: "RUNNING", running: true, message: "", can_start: false };
const OFFER = {
  button: "Download DSS's versions (zip)",
  note: "Before pulling, save DSS's current version of each listed file DSS still has (read through DSS's project library API) as a zip.",
  missing: ["python/gone.py"],
  missing_note: "Not in the zip (deleted in DSS: there is no DSS version to save):",
};

function zone(over = {}) {
  return {
    key: "project-lib-versioned|/home/dataiku/workspace/project-lib-versioned", id: "z1", label: "Project libraries",
    type: "project-lib-versioned", path: "/home/dataiku/workspace/project-lib-versioned", one_way: false,
    status: "conflicts", error: null, added: [], modified: ["python/features.py"], deleted: [],
    counts: { added: 0, modified: 1, deleted: 0 }, authors: ["bob"], commit_from: "1a2b3c4", commit_to: "5d6e7f8",
    fingerprint: "fp1", confirm: { pull: "Pull writes the code studio's files into DSS's copy.", push: "Push replaces." },
    confirm_restore: { pull: "DSS's git history keeps it.", push: "This cannot be undone." },
    dss_known: true, dss_changes: [{ change: "modified", path: "python/features.py", conflict: true, authors: ["bob"] },
      { change: "deleted", path: "python/gone.py", conflict: false, authors: ["bob"] }],
    dss_count: 2, backup: OFFER, busy: null, result: null, ...over,
  };
}

function mount(zones) {
  const model = makeFakeModel({ alerts: [], studio_view: RUNNING, zones, checking: false, start_progress: null,
    texts: records.viewer_texts.example });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  return { model, el, cleanup };
}

const btn = (root, name) => [...root.querySelectorAll("button")].find((b) => b.textContent === name);
const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  document.body.innerHTML = "";
  vi.restoreAllMocks();
});

describe("Download DSS's versions (zip) in the pull confirmation", () => {
  it("is offered in the library zone's pull confirmation with what it cannot include, and not in a push's", () => {
    const { el } = mount([zone({ backup: { ...OFFER, missing: [HOSTILE] } })]);
    btn(el, "Push").click();
    expect(el.querySelector('[data-action="download-dss"]')).toBeNull();
    btn(el, "Cancel").click();
    btn(el, "Pull").click();
    const box = el.querySelector(".csw-cv-confirm .csw-cv-backup");
    expect(box.textContent).toContain(OFFER.note);
    expect(box.textContent).toContain(OFFER.missing_note);
    expect(box.querySelector(".csw-cv-backup-missing li").textContent).toBe(HOSTILE); // text, never HTML
    expect(box.querySelector("img")).toBeNull();
    expect(btn(box, OFFER.button)).toBeTruthy();
  });

  it("is not offered where Python makes no offer (another zone)", () => {
    const { el } = mount([zone({ key: "recipes|/w/recipes", type: "recipes", label: "Code recipes", backup: null })]);
    btn(el, "Pull").click();
    expect(el.querySelector(".csw-cv-confirm")).toBeTruthy();
    expect(el.querySelector('[data-action="download-dss"]')).toBeNull();
  });

  it("asks the kernel, saves the zip it sends, says what it holds and what it left out, and holds the pull meanwhile",
    async () => {
      vi.spyOn(URL, "createObjectURL").mockImplementation(() => "blob:test/1");
      vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
      const clicks = [];
      vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function () {
        clicks.push(this.download);
      });
      const { model, el, cleanup } = mount([zone()]);
      btn(el, "Pull").click();
      btn(el, OFFER.button).click();
      expect(model.sent.at(-1)).toMatchObject({ kind: "download_dss", zone: zone().key });
      expect(btn(el, "Reading DSS's versions…").disabled).toBe(true);
      expect(el.querySelector('[data-action="confirm-pull"]').disabled).toBe(true); // no pull while reading
      model.emit("msg:custom", { kind: "download", name: "PROJ-cs1-dss-versions.zip", mime: "application/zip" },
        [new Uint8Array([80, 75]).buffer]);
      model.reply("download_dss", { result: { outcome: "done", name: "PROJ-cs1-dss-versions.zip",
        read: ["python/features.py"], not_read: { "python/gone.py": "deleted in DSS: there is no DSS version to save" } } });
      await flush();
      expect(clicks).toEqual(["PROJ-cs1-dss-versions.zip"]);
      const result = el.querySelector(".csw-cv-backup-result");
      expect(result.textContent).toContain("Downloaded PROJ-cs1-dss-versions.zip: DSS's version of 1 file.");
      expect(result.textContent).toContain("python/gone.py — deleted in DSS");
      const confirm = el.querySelector('[data-action="confirm-pull"]');
      expect(confirm.disabled).toBe(false); // the pull is still the user's choice
      expect(model.sent.filter((m) => m.kind === "pull")).toEqual([]);
      confirm.click();
      expect(model.sent.at(-1)).toMatchObject({ kind: "pull", confirm: "fp1" });
      cleanup();
      expect(model.listenerCount()).toBe(0);
    });

  it("shows the kernel's error where the user looks", async () => {
    const { model, el } = mount([zone()]);
    btn(el, "Pull").click();
    btn(el, OFFER.button).click();
    model.reply("download_dss", { ok: false, error: "Could not read: DSS answered 500" });
    await flush();
    expect(el.querySelector(".csw-cv-backup-result").textContent).toBe(
      "Could not download DSS's versions: Could not read: DSS answered 500");
    expect(btn(el, OFFER.button).disabled).toBe(false);
  });
});
