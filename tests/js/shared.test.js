import { afterEach, describe, expect, it, vi } from "vitest";
import { mountAlerts } from "../../js/shared/alerts.js";
import { h, safeHref } from "../../js/shared/dom.js";
import { createProgress } from "../../js/shared/progress.js";
import { createRpc } from "../../js/shared/rpc.js";
import { updatedText } from "../../js/shared/updated.js";
import { makeFakeModel } from "./fake-model.js";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;

afterEach(() => {
  document.body.innerHTML = "";
  vi.useRealTimers();
});

describe("dom helpers", () => {
  it("inserts text from DSS as text, never as markup", () => {
    const el = h("div", {}, HOSTILE, h("span", { text: HOSTILE, title: HOSTILE }));
    document.body.append(el);
    expect(el.querySelector("img")).toBeNull();
    expect(el.textContent).toBe(HOSTILE + HOSTILE);
    expect(el.querySelector("span").getAttribute("title")).toBe(HOSTILE);
  });

  it("only makes http(s) links", () => {
    expect(safeHref("https://dss.example/code-studios/P/x/8080/")).toBe("https://dss.example/code-studios/P/x/8080/");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref(" JaVaScRiPt:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,<script>alert(1)</script>")).toBeNull();
    expect(h("a", { href: "javascript:alert(1)" }).hasAttribute("href")).toBe(false);
  });
});

describe("alert region", () => {
  it("renders alerts as text, asks the kernel to dismiss one (never writes the trait), and cleans up", () => {
    const kept = { id: "a2", level: "warning", message: "kept" };
    const model = makeFakeModel({ alerts: [{ id: "a1", level: "error", message: HOSTILE }, kept] });
    const root = document.createElement("div");
    const alerts = mountAlerts(model, root);
    const region = root.querySelector("[role=alert]");
    expect(region.textContent).toContain(HOSTILE);
    expect(region.querySelector("img")).toBeNull();
    region.querySelector("button[aria-label='Dismiss message']").click();
    expect(model.sent).toEqual([{ kind: "dismiss_alert", alert: "a1" }]);
    expect(region.textContent).toBe("kept×"); // hidden at once
    model.set("alerts", [kept, { id: "a3", level: "error", message: "new" }]); // the kernel's answer, and a new one
    expect([...region.children].map((c) => c.textContent)).toEqual(["kept×", "new×"]);
    expect(model.saves).toBe(0);
    alerts.dispose();
    expect(model.listenerCount()).toBe(0);
  });

  it("shows an alert's raw detail collapsed under its message, as text", () => {
    const detail = `HTTP 403 POST /projects/P/code-studios/x/stop\ncom.dataiku.dip.exceptions.UnauthorizedException ${HOSTILE}`;
    const model = makeFakeModel({
      alerts: [
        { id: "a1", level: "error", message: "you don't have permission to stop x", key: "action:P/x", detail },
        { id: "a2", level: "warning", message: "no detail" },
      ],
    });
    const root = document.createElement("div");
    mountAlerts(model, root);
    const [first, second] = root.querySelectorAll(".csw-alert");
    expect(first.querySelector(".csw-alert-text").textContent).toBe("you don't have permission to stop x");
    const details = first.querySelector("details.csw-alert-detail");
    expect(details.open).toBe(false); // collapsed
    expect(details.querySelector("summary").textContent).toBe("Details");
    expect(details.querySelector("pre").textContent).toBe(detail);
    expect(root.querySelector("img")).toBeNull();
    expect(second.querySelector("details")).toBeNull();
    expect(second.dataset.level).toBe("warning");
  });

  it("keeps front-end-only alerts in the view: not in the model, not saved into the notebook", () => {
    const model = makeFakeModel({ alerts: [] });
    const root = document.createElement("div");
    const alerts = mountAlerts(model, root);
    alerts.local("No answer from the kernel after 120 s");
    const region = root.querySelector("[role=alert]");
    expect(region.textContent).toContain("No answer from the kernel");
    expect(model.get("alerts")).toEqual([]);
    expect(model.saved).toEqual([]);
    model.set("alerts", [{ id: "a1", level: "error", message: "from Python" }]); // kernel update keeps it
    expect(region.children.length).toBe(2);
    region.querySelectorAll("button")[1].click(); // dismissing a local alert sends nothing
    expect(region.textContent).toBe("from Python×");
    expect(model.sent).toEqual([]);
  });
});

describe("rpc", () => {
  it("matches replies to requests and reports errors", async () => {
    const model = makeFakeModel();
    const rpc = createRpc(model);
    const ok = rpc.call("stop", { row: "P/x" });
    expect(model.sent[0]).toMatchObject({ kind: "stop", row: "P/x" });
    model.reply("stop", { result: { state: "STOPPING" } });
    await expect(ok).resolves.toEqual({ state: "STOPPING" });
    const bad = rpc.call("pull");
    model.reply("pull", { ok: false, error: "403: not the owner" });
    await expect(bad).rejects.toThrow("403: not the owner");
    rpc.dispose();
    expect(model.listenerCount()).toBe(0);
  });

  it("gives up after its timeout instead of waiting forever", async () => {
    vi.useFakeTimers();
    const rpc = createRpc(makeFakeModel(), { timeoutMs: 1000 });
    const p = rpc.call("refresh");
    vi.advanceTimersByTime(1001);
    await expect(p).rejects.toThrow(/No answer from the kernel/);
    expect(rpc.pendingCount).toBe(0);
  });
});

describe("updated stamp", () => {
  it("says when the panel last read DSS, under the alerts, hidden before the first read", () => {
    const model = makeFakeModel({ alerts: [], updated_ms: 0 });
    const root = document.createElement("div");
    const alerts = mountAlerts(model, root);
    const stamp = root.querySelector(".csw-updated");
    expect(stamp.hidden).toBe(true);
    const ms = new Date(2026, 11, 1, 13, 2, 9).getTime(); // local time, as shown
    model.set("updated_ms", ms);
    expect(stamp.hidden).toBe(false);
    expect(stamp.textContent).toBe("updated 13:02:09");
    expect(stamp.title).toMatch(/UTC$/);
    alerts.dispose();
    expect(model.listenerCount()).toBe(0);
    expect(updatedText(Number.NaN)).toBe("");
    expect(updatedText(null)).toBe("");
  });
});

describe("progress bar", () => {
  it("shows determinate, indeterminate and final states", () => {
    const bar = createProgress({ label: "Build tpl" });
    const track = bar.el.querySelector("[role=progressbar]");
    bar.update({ status: "running", stage: "Pulling base image", fraction: 0.42, elapsed_s: 12, eta_s: 17 });
    expect(track.getAttribute("aria-valuenow")).toBe("42");
    expect(bar.el.textContent).toContain("Pulling base image · 42% · 12s · ~17s left");
    bar.update({ status: "running", stage: "Starting", fraction: null });
    expect(bar.el.hasAttribute("data-indeterminate")).toBe(true);
    expect(track.hasAttribute("aria-valuenow")).toBe(false);
    bar.update({ status: "failed", message: "Docker build failed" });
    expect(bar.el.dataset.status).toBe("failed");
    expect(bar.el.textContent).toBe("Failed · Docker build failed");
    bar.update({ status: "done" });
    expect(track.getAttribute("aria-valuenow")).toBe("100");
  });

  it("keeps the last stage, fraction and elapsed time while reconnecting, and says so", () => {
    const bar = createProgress({ label: "Build tpl" });
    const track = bar.el.querySelector("[role=progressbar]");
    bar.update({ status: "running", stage: "Pushing image", fraction: 0.6, elapsed_s: 40 });
    bar.update({ status: "reconnecting", stage: "Pushing image", fraction: 0.6, elapsed_s: 47, message: "connection lost — retrying" });
    expect(bar.el.dataset.status).toBe("reconnecting");
    expect(bar.el.textContent).toBe("connection lost — retrying · Pushing image · 60% · 47s");
    expect(track.getAttribute("aria-valuenow")).toBe("60"); // the last known progress is kept
    expect(track.getAttribute("aria-valuetext")).toBe(bar.el.textContent);
  });

  it("is indeterminate while checking a lost answer, then says the outcome is unknown (not failed)", () => {
    const bar = createProgress({ label: "Stop s1" });
    const track = bar.el.querySelector("[role=progressbar]");
    bar.update({ status: "checking", fraction: null, message: "outcome unknown — checking" });
    expect(bar.el.hasAttribute("data-indeterminate")).toBe(true);
    expect(track.hasAttribute("aria-valuenow")).toBe(false);
    expect(bar.el.textContent).toBe("outcome unknown — checking");
    bar.update({ status: "unknown", message: "DSS now shows STOPPED" });
    expect(bar.el.dataset.status).toBe("unknown");
    expect(bar.el.hasAttribute("data-indeterminate")).toBe(false);
    expect(bar.el.textContent).toBe("Outcome unknown · DSS now shows STOPPED");
    expect(bar.el.textContent).not.toMatch(/fail/i);
  });
});
