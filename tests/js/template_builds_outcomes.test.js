import { afterEach, describe, expect, it } from "vitest";
import widget from "../../js/template_builds/index.js";
import { makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;
const ROW = { id: "tpl_vscode", label: "VS Code", type: "block_based", build_for: [], last_built_ms: Date.now() - 2 * 86_400_000, error: null };
const build = (over = {}) => ({
  key: "tpl_vscode#1", template_id: "tpl_vscode", label: "Build VS Code", no_cache: false,
  view: { status: "failed", stage: "Building image", fraction: 0.4, elapsed_s: 12, eta_s: null, message: HOSTILE },
  final: "failed", result_summary: "", abortable: false, abort_requested: false, restart: [], ...over,
});
const flush = () => new Promise((r) => setTimeout(r, 0));

function mount(state) {
  const model = makeFakeModel({ config: records.templates_config.example, rows: [ROW], builds: [], selected: [], no_cache: false, loading: false, is_simulator: false, alerts: [], ...state });
  const el = document.createElement("div");
  document.body.append(el);
  widget.render({ model, el });
  return { model, el };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("TemplateBuilds outcomes", () => {
  it("shows a failed build's stage and DSS's message prominently, as text", () => {
    const { el } = mount({ builds: [build()] });
    const failure = el.querySelector(".csw-future-failure");
    expect(failure.hidden).toBe(false);
    expect(failure.textContent).toBe(`Failed at stage “Building image”: ${HOSTILE}`);
    expect(el.querySelector("img")).toBeNull();
  });

  it("keeps the last successful build time in the row and adds that the last build failed", () => {
    const { el } = mount({ rows: [{ ...ROW, last_failure: { at_ms: Date.now(), stage: "Building image", message: "no space" } }] });
    const cell = el.querySelector('tr[data-template="tpl_vscode"] .csw-tb-last');
    expect(cell.textContent).toBe("2 days ago · last build failed at Building image");
    const ok = mount({ rows: [{ ...ROW, id: "tpl_ok", last_failure: null }] });
    expect(ok.el.querySelector('tr[data-template="tpl_ok"] .csw-tb-lastfail').hidden).toBe(true);
  });

  it("after a rebuild, offers to restart the outdated running studios, naming them, as an explicit action", async () => {
    const done = build({ final: "done", view: { status: "done", stage: null, fraction: 1, message: null }, restart: ["P/a", "Q/b"],
      restart_names: ["<img src=x onerror=alert(1)> (alice)", "b (bob)"] });
    const { model, el } = mount({ builds: [done] });
    const offer = el.querySelector(".csw-tb-restart");
    expect(offer.hidden).toBe(false);
    expect(offer.textContent).toContain("2 running studios run an outdated image of this template: <img src=x onerror=alert(1)> (alice), b (bob) — restart them?");
    expect(offer.querySelector("img")).toBeNull(); // a name from DSS is text
    expect(offer.querySelector("button").textContent).toBe("Restart the 2 outdated running studios");
    expect(el.querySelector(".csw-future-failure").hidden).toBe(true);
    expect(model.sent.some((m) => m.kind === "restart_studios")).toBe(false); // nothing without a click
    offer.querySelector("button").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "restart_studios", key: "tpl_vscode#1" });
    model.reply("restart_studios", { result: { restarted: 2 } });
    model.set("builds", [{ ...done, restart: [] }]);
    await flush();
    expect(offer.hidden).toBe(true);
  });

  it("shows a failure's message once, in a wrapping box, and the bar keeps its stage and %", () => {
    const { el } = mount({ builds: [build()] });
    const card = el.querySelector(".csw-future");
    const seen = [...card.querySelectorAll("*")].filter((n) => !n.closest(".csw-visually-hidden") && !n.children.length);
    // issue 24 (10): it was repeated (the screen-reader live region announces it once, apart)
    expect(seen.filter((n) => n.textContent.includes(HOSTILE)).length).toBe(1);
    const bar = card.querySelector(".csw-progress");
    expect(bar.dataset.status).toBe("failed");
    expect(bar.querySelector(".csw-progress-label").textContent).toBe("Failed · Building image · 40%");
    expect(bar.querySelector("[role=progressbar]").getAttribute("aria-valuenow")).toBe("40");
  });

  it("keeps an aborted bar's last stage and % instead of emptying it", () => {
    const view = { status: "aborted", stage: "Building image", fraction: 0.37, elapsed_s: 20, eta_s: null, message: null };
    const { el } = mount({ builds: [build({ final: "aborted", view })] });
    const bar = el.querySelector(".csw-progress");
    expect(bar.dataset.status).toBe("aborted");
    expect(bar.querySelector("[role=progressbar]").getAttribute("aria-valuenow")).toBe("37");
    expect(/** @type {HTMLElement} */ (bar.querySelector(".csw-progress-fill")).style.width).toBe("37%");
    expect(bar.querySelector(".csw-progress-label").textContent).toBe("Aborted · Building image · 37%");
    expect(el.querySelector(".csw-future-failure").hidden).toBe(true);
  });

  it("names the studios it offers to restart, cut after five with \"and N more\"", () => {
    const keys = ["P/a1", "P/a2", "P/a3", "P/a4", "P/a5", "P/a6", "Q/b7"];
    const labels = ["Alpha (al)", "Beta (bo)", "Gamma (al)", "Delta (al)", "Epsilon (bo)", "Zeta (al)", "Eta (cy)"];
    const done = build({ final: "done", view: { status: "done", stage: null, fraction: 1, message: null }, restart: keys, restart_names: labels });
    const { el } = mount({ builds: [done] });
    const text = el.querySelector(".csw-tb-restart").textContent;
    expect(text).toContain("7 running studios run an outdated image of this template: Alpha (al), Beta (bo), Gamma (al), Delta (al), Epsilon (bo) and 2 more — restart them?");
    expect(text).not.toContain("P/a1");
  });
});
