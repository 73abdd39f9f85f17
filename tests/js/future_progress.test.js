import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../../js/future_progress/index.js";
import { announcement, createFutureCard } from "../../js/shared/future_card.js";
import { makeFakeModel } from "./fake-model.js";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;

function mount(state = {}) {
  const model = makeFakeModel({
    label: "build tpl_vscode",
    view: { status: "running", stage: null, fraction: null, elapsed_s: null, eta_s: null, message: null },
    final: "",
    result_summary: "",
    abortable: true,
    abort_requested: false,
    alerts: [],
    ...state,
  });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  const q = (sel) => el.querySelector(sel);
  const visible = () => [...el.querySelectorAll("button")].filter((b) => !b.closest("[hidden]"));
  const button = (name) => visible().find((b) => b.textContent === name);
  return { model, el, cleanup, q, button, visible };
}

const running = (extra) => ({ status: "running", stage: "Building image", fraction: 0.25, elapsed_s: 10, eta_s: 30, message: null, ...extra });

afterEach(() => {
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("FutureProgress view", () => {
  it("tells the kernel once that a view rendered (the page then needs no classic-notebook loader)", () => {
    const { model, cleanup } = mount();
    expect(model.reports).toEqual([{ kind: "rendered" }]);
    cleanup?.();
  });

  it("shows a determinate bar with stage, percentage, elapsed time and time left", () => {
    const { model, q } = mount();
    model.set("view", running());
    const bar = q("[role=progressbar]");
    expect(bar.getAttribute("aria-valuenow")).toBe("25");
    expect(bar.getAttribute("aria-label")).toBe("build tpl_vscode");
    expect(q(".csw-progress-label").textContent).toBe("Building image · 25% · 10s · ~30s left");
    expect(q(".csw-progress-fill").style.width).toBe("25%");
  });

  it("shows an indeterminate bar (no aria-valuenow) when the target is unknown", () => {
    const { model, q } = mount();
    model.set("view", running({ stage: "Waiting for a builder", fraction: null, eta_s: null }));
    expect(q(".csw-progress").hasAttribute("data-indeterminate")).toBe(true);
    expect(q("[role=progressbar]").hasAttribute("aria-valuenow")).toBe(false);
    expect(q(".csw-progress-label").textContent).toBe("Waiting for a builder · 10s");
    model.set("view", running({ fraction: 0.5 }));
    expect(q(".csw-progress").hasAttribute("data-indeterminate")).toBe(false);
    expect(q("[role=progressbar]").getAttribute("aria-valuenow")).toBe("50");
  });

  it("announces stage changes in a status region, not every percent", () => {
    const { model, q } = mount();
    const status = q(".csw-future-status[role=status]");
    expect(status.getAttribute("aria-live")).toBe("polite");
    model.set("view", running({ stage: "Pulling base image", fraction: 0.1 }));
    expect(status.textContent).toBe("Stage: Pulling base image");
    const node = status.firstChild;
    model.set("view", running({ stage: "Pulling base image", fraction: 0.2 }));
    expect(status.firstChild).toBe(node); // unchanged: screen readers are not spammed
    model.set("view", running({ stage: "Pushing image", fraction: 0.9 }));
    expect(status.textContent).toBe("Stage: Pushing image");
  });

  it("asks for confirmation before aborting; Keep running and Escape cancel", () => {
    const { model, button, q } = mount({ view: running() });
    button("Abort").click();
    expect(model.sent).toEqual([]);
    const group = q("[role=group][aria-label='Confirm abort']");
    expect(group.hidden).toBe(false);
    expect(group.textContent).toContain("Abort this task?");
    expect(document.activeElement.textContent).toBe("Abort now");
    button("Keep running").click();
    expect(group.hidden).toBe(true);
    expect(document.activeElement.textContent).toBe("Abort");
    button("Abort").click();
    group.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(group.hidden).toBe(true);
    expect(model.sent).toEqual([]);
  });

  it("sends abort once confirmed and shows Aborting… until the task ends", async () => {
    const { model, button, q, visible } = mount({ view: running() });
    expect(q("button[aria-label='Abort build tpl_vscode']")).not.toBeNull();
    button("Abort").click();
    button("Abort now").click();
    expect(model.sent).toHaveLength(1);
    expect(model.sent[0]).toMatchObject({ kind: "abort" });
    expect(button("Aborting…").disabled).toBe(true);
    model.reply("abort", { result: { aborting: true } });
    model.set("abort_requested", true);
    await Promise.resolve();
    await Promise.resolve();
    expect(button("Aborting…").disabled).toBe(true);
    model.set("final", "aborted");
    model.set("view", { status: "aborted", stage: "Building image", fraction: 0.3, message: null });
    expect(visible().filter((b) => b.closest(".csw-future"))).toEqual([]);
    expect(q(".csw-future-final").textContent).toBe("Aborted");
    expect(q(".csw-future-status[role=status]").textContent).toBe("Aborted");
  });

  it("shows the three final states: done with the result summary, failed with DSS's message, aborted", () => {
    const { model, q } = mount({ view: running() });
    model.set("result_summary", "Built for 2 container configurations");
    model.set("view", { status: "done", stage: null, fraction: 1, message: null });
    model.set("final", "done");
    expect(q(".csw-future").dataset.final).toBe("done");
    expect(q("[role=progressbar]").getAttribute("aria-valuenow")).toBe("100");
    expect(q(".csw-future-summary").textContent).toBe("Built for 2 container configurations");
    expect(q(".csw-future-status[role=status]").textContent).toBe("Done");

    const failed = mount({ view: running() });
    failed.model.set("view", { status: "failed", stage: "Building image", fraction: 0.4, message: HOSTILE });
    failed.model.set("final", "failed");
    expect(failed.q(".csw-future-final").textContent).toBe("Failed");
    expect(failed.q(".csw-progress").dataset.status).toBe("failed");
    expect(failed.q(".csw-future-status[role=status]").textContent).toBe(`Failed: ${HOSTILE}`);
    expect(failed.el.querySelector("img")).toBeNull();
    expect(failed.q(".csw-future-summary").textContent).toBe("");
  });

  it("hides Abort when the task cannot be aborted", () => {
    const { button } = mount({ view: running(), abortable: false });
    expect(button("Abort")).toBeUndefined();
  });

  it("shows an error when the kernel does not answer the abort, and re-enables the button", async () => {
    vi.useFakeTimers();
    const { model, button, q } = mount({ view: running() });
    button("Abort").click();
    button("Abort now").click();
    await vi.advanceTimersByTimeAsync(120_001);
    expect(q("[role=alert]").textContent).toMatch(/No answer from the kernel/);
    expect(button("Abort").disabled).toBe(false);
    expect(model.get("alerts")).toEqual([]); // shown in this view only, never saved in the notebook
  });

  it("does not duplicate errors the kernel already put in the alert region", async () => {
    const { model, button } = mount({ view: running() });
    button("Abort").click();
    button("Abort now").click();
    model.reply("abort", { ok: false, error: "DSSError: 404 future not found" });
    await new Promise((r) => setTimeout(r, 0));
    expect(model.get("alerts")).toEqual([]);
    expect(button("Abort").disabled).toBe(false);
  });

  it("removes every listener on cleanup", () => {
    const { model, cleanup } = mount();
    cleanup();
    expect(model.listenerCount()).toBe(0);
  });
});

describe("announcement()", () => {
  it("describes stages and final states", () => {
    expect(announcement({ stage: "X" }, "")).toBe("Stage: X");
    expect(announcement({}, "")).toBe("");
    expect(announcement({ message: "boom" }, "failed")).toBe("Failed: boom");
    expect(announcement(null, "done")).toBe("Done");
  });
});

describe("createFutureCard", () => {
  it("offers Dismiss only once the task has ended", () => {
    const onDismiss = vi.fn();
    const card = createFutureCard({ label: "b", onDismiss });
    document.body.append(card.el);
    card.update({ view: running(), final: "" });
    const dismiss = card.el.querySelector("button[aria-label='Dismiss b']");
    expect(dismiss.hidden).toBe(true);
    card.update({ view: { status: "done" }, final: "done" });
    expect(dismiss.hidden).toBe(false);
    dismiss.click();
    expect(onDismiss).toHaveBeenCalledOnce();
  });
});
