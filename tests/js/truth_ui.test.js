// Issue #24 "what you see is true": words a user reads must be true.
import { afterEach, describe, expect, it } from "vitest";
import { createConfirm } from "../../js/studio_table/controls.js";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("confirmation bar", () => {
  it('shows no "null" beside Cancel when there is nothing to type (restart, stop, batch stop)', () => {
    const confirm = createConfirm();
    document.body.append(confirm.el);
    confirm.ask("Restart code studio “Beta”?", "Restart Beta");
    expect(confirm.el.textContent).not.toContain("null");
    expect(confirm.el.textContent).toBe("Restart code studio “Beta”?CancelRestart Beta");
    confirm.ask("Stop 3 running code studios?", "Stop 3", { details: ["In 1 project: PROJ (3)"] });
    expect(confirm.el.textContent).not.toContain("null");
    expect(confirm.el.querySelector("input")).toBeNull();
    confirm.cancel();
  });

  it("still offers the type-to-confirm field above the threshold", () => {
    const confirm = createConfirm();
    document.body.append(confirm.el);
    confirm.ask("Stop 25 running code studios?", "Stop 25", { typeToConfirm: "25" });
    expect(confirm.el.querySelector('input[aria-label="Type 25 to confirm"]')).not.toBeNull();
    expect(confirm.el.textContent).not.toContain("null");
    confirm.cancel();
  });
});

describe("the SIMULATOR mark", () => {
  it("is not displayed when the connection is not the simulator (the theme keeps [hidden] hidden)", async () => {
    const { ensureTheme } = await import("../../js/shared/styles.js");
    ensureTheme();
    const root = document.createElement("div");
    root.className = "csw-root";
    root.innerHTML = '<span class="csw-sim-mark" hidden>SIMULATOR</span><span class="csw-sim-mark">SIMULATOR</span>';
    document.body.append(root);
    const [hidden, shown] = root.querySelectorAll(".csw-sim-mark");
    expect(getComputedStyle(hidden).display).toBe("none");
    expect(getComputedStyle(shown).display).toBe("inline-block");
  });
});
