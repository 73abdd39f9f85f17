import { describe, expect, it } from "vitest";
import probe from "../../js/doctor/index.js";
import { makeFakeModel } from "./fake-model.js";

describe("the doctor's probe", () => {
  it("tells the kernel it rendered, then shows what the kernel heard (as text)", () => {
    const model = makeFakeModel({ status: "" });
    const el = document.createElement("div");
    const cleanup = probe.render({ model, el });
    const box = el.querySelector(".csw-doctor-probe");
    expect(box.textContent).toContain("waiting for the kernel");
    expect(model.reports).toEqual([{ kind: "rendered", front_end: "a Jupyter front end" }]); // not an action
    model.set("status", "<b>heard</b> in JupyterLab");
    expect(box.textContent).toBe("<b>heard</b> in JupyterLab");
    expect(box.querySelector("b")).toBeNull();
    expect(model.saved).toEqual([]); // Python owns `status`
    cleanup();
    model.set("status", "later");
    expect(box.textContent).toBe("<b>heard</b> in JupyterLab");
  });
});
