import { afterEach, describe, expect, it, vi } from "vitest";
import { DELETE_TEMPLATE_LOSES } from "../../js/template_builds/manage.js";
import widget from "../../js/template_builds/index.js";
import { makeFakeModel } from "./fake-model.js";
import records from "./fixtures/records.json";

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;
const ROWS = [
  { id: "tpl_vscode", label: "VS Code", type: "block_based", build_for: [], last_built_ms: null, error: null },
  { id: "tpl_evil", label: HOSTILE, type: "manual", build_for: [], last_built_ms: null, error: null },
];
const flush = () => new Promise((r) => setTimeout(r, 0));

function mount(selected = []) {
  const model = makeFakeModel({ config: records.templates_config.example, rows: ROWS, builds: [], selected, no_cache: false, loading: false, is_simulator: false, alerts: [] });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el });
  const btn = (text) => [...el.querySelectorAll("button")].find((b) => b.textContent === text && !b.closest("[hidden]"));
  const dialog = () => el.querySelector(".csw-tb-manage.csw-dialog");
  const input = (label) => [...dialog().querySelectorAll("label")].find((l) => l.textContent.trim().startsWith(label)).querySelector("input");
  return { model, el, cleanup, btn, dialog, input };
}

afterEach(() => {
  document.body.innerHTML = "";
  vi.restoreAllMocks();
});

describe("TemplateBuilds import / export / delete", () => {
  it("imports the chosen archive as a buffer beside the message, with the label typed", async () => {
    const { model, btn, dialog, input } = mount();
    btn("Import…").click();
    expect(document.activeElement.textContent).toBe("Cancel");
    const go = btn("Import");
    expect(go.disabled).toBe(true); // no file yet
    const file = new File([new Uint8Array([80, 75, 3, 4])], "tpl.zip", { type: "application/zip" });
    const picker = input("Archive");
    Object.defineProperty(picker, "files", { value: [file] });
    picker.dispatchEvent(new Event("change", { bubbles: true }));
    input("Label").value = " Copy ";
    expect(go.disabled).toBe(false);
    go.click();
    await vi.waitFor(() => expect(model.sent.at(-1)?.kind).toBe("import"));
    const msg = model.sent.at(-1);
    expect(msg.label).toBe("Copy");
    expect([...new Uint8Array(msg.buffers[0])]).toEqual([80, 75, 3, 4]);
    model.reply("import", { result: { id: "tpl_copy" } });
    await flush();
    expect(dialog().hidden).toBe(true);
  });

  it("exports the one selected template and saves the archive the kernel sends as a download", async () => {
    const created = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      created.push(blob);
      return "blob:test/1";
    });
    const revoked = vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    const clicks = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function () {
      clicks.push({ download: this.download, href: this.getAttribute("href") });
    });
    const none = mount();
    expect(none.btn("Export").disabled).toBe(true);
    document.body.innerHTML = "";
    const { model, btn } = mount(["tpl_vscode"]);
    btn("Export").click();
    expect(model.sent.at(-1)).toMatchObject({ kind: "export", template_id: "tpl_vscode" });
    expect(btn("Exporting…").disabled).toBe(true);
    model.emit("msg:custom", { kind: "download", name: "VS Code.zip", mime: "application/zip" }, [new Uint8Array([1, 2, 3]).buffer]);
    model.reply("export", { result: { name: "VS Code.zip", size: 3 } });
    await flush();
    expect(clicks).toEqual([{ download: "VS Code.zip", href: "blob:test/1" }]);
    expect(created[0].size).toBe(3);
    expect(created[0].type).toBe("application/zip");
    expect(revoked).toHaveBeenCalledWith("blob:test/1");
    expect(document.querySelector("a[download]")).toBeNull(); // the temporary link is gone
    expect(btn("Export").disabled).toBe(false);
  });

  it("deletes a template only once its label is typed, saying what is lost", async () => {
    const { model, btn, dialog, input } = mount(["tpl_evil"]);
    btn("Delete…").click();
    expect(document.activeElement.textContent).toBe("Cancel");
    expect(dialog().textContent).toContain(`Delete template “${HOSTILE}” (tpl_evil)?`);
    expect(dialog().textContent).toContain(DELETE_TEMPLATE_LOSES);
    expect(dialog().querySelector("img")).toBeNull();
    const del = btn("Delete");
    const typed = input("Type");
    typed.value = "VS Code";
    typed.dispatchEvent(new Event("input", { bubbles: true }));
    expect(del.disabled).toBe(true);
    typed.value = HOSTILE;
    typed.dispatchEvent(new Event("input", { bubbles: true }));
    input("Also delete its runtime").checked = true;
    del.click();
    await flush();
    expect(model.sent.at(-1)).toMatchObject({ kind: "delete", template_id: "tpl_evil", confirm_label: HOSTILE, delete_runtime: true, delete_images: false });
  });

  it("Delete and Export need exactly one selected template", () => {
    const { btn } = mount(["tpl_vscode", "tpl_evil"]);
    expect(btn("Delete…").disabled).toBe(true);
    expect(btn("Export").disabled).toBe(true);
    expect(btn("Import…").disabled).toBe(false);
  });
});
