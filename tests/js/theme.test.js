// The theme a panel takes from its front end: JupyterLab's --jp-* variables, and VS Code's, which marks
// its theme with body classes (vscode-light, vscode-dark, vscode-high-contrast[-light]) and exposes
// --vscode-* variables, while it reports a light prefers-color-scheme whatever the theme.
import { afterEach, describe, expect, it } from "vitest";
import widget from "../../js/future_progress/index.js";
import { makeFakeModel } from "./fake-model.js";

afterEach(() => {
  document.head.querySelector("#csw-theme")?.remove();
  document.body.innerHTML = "";
  document.body.className = "";
  document.body.removeAttribute("style");
  document.body.removeAttribute("data-jp-theme-light");
});

/** Render a panel (a progress bar) in a page whose body has `classes` and `vars`; its colours. */
function colours(classes = "", vars = {}) {
  if (classes) document.body.className = classes;
  for (const [name, value] of Object.entries(vars)) document.body.style.setProperty(name, value);
  const model = makeFakeModel({
    label: "build", view: { status: "running" }, final: "", result_summary: "", abortable: true,
    abort_requested: false, alerts: [],
  });
  const el = document.createElement("div");
  document.body.append(el);
  widget.render({ model, el });
  const style = getComputedStyle(/** @type {HTMLElement} */ (el.querySelector(".csw-root")));
  return { bg: style.backgroundColor, fg: style.color, link: style.getPropertyValue("--csw-link").trim() };
}

describe("VS Code", () => {
  it("a dark theme gives the dark palette, even without its variables", () => {
    expect(colours("vscode-dark")).toMatchObject({ bg: "#1e1e1e", fg: "#e0e0e0", link: "#90caf9" });
  });

  it("a dark theme takes the editor's own colours", () => {
    const vars = { "--vscode-editor-background": "#1f1f2e", "--vscode-editor-foreground": "#cccccc",
      "--vscode-textLink-foreground": "#4daafc" };
    expect(colours("vscode-dark", vars)).toEqual({ bg: "#1f1f2e", fg: "#cccccc", link: "#4daafc" });
  });

  it("high contrast is dark; high contrast light is light", () => {
    expect(colours("vscode-high-contrast", { "--vscode-editor-background": "#000000" }).bg).toBe("#000000");
    document.body.innerHTML = "";
    document.body.removeAttribute("style");
    expect(colours("vscode-high-contrast vscode-high-contrast-light").bg).toBe("#fff");
  });

  it("a light theme takes the editor's colours too", () => {
    expect(colours("vscode-light", { "--vscode-editor-background": "#f8f8f8" }).bg).toBe("#f8f8f8");
  });
});

describe("JupyterLab and elsewhere", () => {
  it("JupyterLab's variables win where VS Code's classes are absent", () => {
    document.body.setAttribute("data-jp-theme-light", "false");
    expect(colours("", { "--jp-layout-color1": "#111111" }).bg).toBe("#111111");
  });

  it("no theme at all: the light palette", () => {
    expect(colours()).toMatchObject({ bg: "#fff", link: "#0b57a4" });
  });
});

describe("marimo (each anywidget in a shadow root)", () => {
  it("the theme goes into the view's shadow root, once, where the page's styles do not reach", () => {
    const host = document.createElement("div");
    document.body.append(host);
    const shadow = host.attachShadow({ mode: "open" });
    const views = [0, 1].map(() => {
      const el = document.createElement("div");
      shadow.append(el);
      const model = makeFakeModel({ label: "b", view: { status: "running" }, final: "", result_summary: "",
        abortable: false, abort_requested: false, alerts: [] });
      widget.render({ model, el });
      return el;
    });
    expect(shadow.querySelectorAll("style#csw-theme").length).toBe(1);
    const style = getComputedStyle(/** @type {HTMLElement} */ (views[1].querySelector(".csw-root")));
    expect(style.backgroundColor).toBe("#fff"); // themed: the page's head has no copy to lend
    expect(document.head.querySelector("#csw-theme")).toBeNull();
  });
});
