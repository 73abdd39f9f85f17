// What every panel entry (js/<panel>/index.js) promises anywidget: a default export
// { render } only, and styles that do not grow with the number of views on the page.
import { afterEach, describe, expect, it } from "vitest";
import { themeCss } from "../../js/shared/styles.js";
import { makeFakeModel } from "./fake-model.js";

const entries = import.meta.glob("../../js/*/index.js", { eager: true });
const panelOf = (path) => path.split("/").at(-2);

afterEach(() => {
  document.head.querySelector("#csw-theme")?.remove();
  document.body.innerHTML = "";
});

describe("panel entries", () => {
  it("finds one entry per panel", () => {
    expect(Object.keys(entries).map(panelOf).sort()).toEqual(
      ["activity", "conflicts", "doctor", "future_progress", "governance", "studio_table", "template_builds"],
    );
  });

  it.each(Object.keys(entries))("%s exports default { render } and nothing else", (path) => {
    const mod = entries[path];
    expect(Object.keys(mod)).toEqual(["default"]);
    expect(Object.keys(mod.default)).toEqual(["render"]);
    expect(typeof mod.default.render).toBe("function");
  });

  it("adds the theme once to the page, whatever the number of panels and views", () => {
    const cleanups = [];
    for (const mod of [...Object.values(entries), ...Object.values(entries)]) {
      const el = document.createElement("div");
      document.body.append(el);
      cleanups.push(mod.default.render({ model: makeFakeModel({ alerts: [] }), el }));
      expect(el.querySelector("style")).toBeNull(); // a panel's own styles come from its widget's _css
    }
    const themes = document.querySelectorAll("style#csw-theme");
    expect(themes.length).toBe(1);
    expect(themes[0].parentNode).toBe(document.head);
    expect(themes[0].textContent).toBe(themeCss);
    expect(document.body.querySelectorAll("style").length).toBe(0);
    for (const cleanup of cleanups) cleanup?.();
  });
});
