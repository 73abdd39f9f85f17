// Named views in the toolbar: pick one to show it, save the view shown under a name, delete one.
// The views are the user's (a JSON file Python keeps: cswidgets/widgets/shared/views.py); this control asks
// Python for them ("views", "save_view", "delete_view" calls) and applies one in the browser, by setting the
// view's traits as the other controls do (the browser is their writer). Names are text only.
import { clear, h } from "../shared/dom.js";

/**
 * The traits a view sets, from a saved view `{sort, filter_text, filters, group_by, hidden}` (a filter the view
 * does not name shows every value -- a view saved before a filter existed too; column widths stay as they are).
 * @param {any} view
 * @param {string[]} filterTraits the declared filter traits
 * @param {{hidden?: string[], widths?: Record<string, number>}} columns the current `columns` trait
 * @param {Iterable<string>} [timeTraits] the filter traits that hold seconds (0 = all), not values
 * @returns {Record<string, any>}
 */
export function viewTraits(view, filterTraits, columns, timeTraits = []) {
  const seconds = new Set(timeTraits);
  /** @type {Record<string, any>} */
  const out = {};
  if (view.sort) out.sort = { column: view.sort.column, descending: Boolean(view.sort.descending) };
  if (typeof view.filter_text === "string") out.filter_text = view.filter_text;
  if (view.filters) {
    for (const trait of filterTraits) {
      out[trait] = seconds.has(trait) ? Number(view.filters[trait] ?? 0) : [...(view.filters[trait] ?? [])];
    }
  }
  if (typeof view.group_by === "string") out.group_by = view.group_by;
  if (Array.isArray(view.hidden)) out.columns = { ...(columns ?? {}), hidden: [...view.hidden] };
  return out;
}

/**
 * createViewsControl({model, rpc, filterTraits, timeTraits, onError}) -> {el, load(), dispose()}
 * @param {{model: any, rpc: any, filterTraits: string[], timeTraits?: string[], onError: (err: any) => void}} options
 */
export function createViewsControl({ model, rpc, filterTraits, timeTraits = [], onError }) {
  /** @type {Record<string, any>} */
  let views = {};
  let disposed = false;
  const select = h("select", { class: "csw-st-views", "aria-label": "Named views" });
  const name = h("input", { type: "text", class: "csw-st-view-name", placeholder: "Name of the view", "aria-label": "Name of the view", hidden: true });
  const save = h("button", { type: "button", title: "Save the sort, filters, grouping and hidden columns under a name" }, "Save view…");
  const del = h("button", { type: "button", "aria-label": "Delete the named view", disabled: true }, "Delete view");
  const el = h("span", { class: "csw-st-views-group", role: "group", "aria-label": "Views" }, select, name, save, del);

  const fill = () => {
    const chosen = select.value;
    clear(select);
    select.append(h("option", { value: "", text: Object.keys(views).length ? "Views…" : "No saved views" }));
    for (const key of Object.keys(views)) select.append(h("option", { value: key, text: key }));
    select.value = chosen in views ? chosen : "";
    del.disabled = !select.value;
  };
  const took = (result) => {
    if (disposed) return;
    views = result?.views ?? {};
    fill();
  };
  const load = () => rpc.call("views").then(took).catch(onError);

  select.addEventListener("change", () => {
    del.disabled = !select.value;
    const view = views[select.value];
    if (!view) return;
    for (const [trait, value] of Object.entries(viewTraits(view, filterTraits, model.get("columns"), timeTraits))) model.set(trait, value);
    model.save_changes();
  });
  const saveNamed = () => {
    const text = name.value.trim();
    if (!text) {
      name.focus();
      return;
    }
    save.disabled = true;
    rpc
      .call("save_view", { name: text })
      .then((result) => {
        took(result);
        name.value = "";
        name.hidden = true;
        save.textContent = "Save view…";
        select.value = text in views ? text : "";
        del.disabled = !select.value;
      })
      .catch(onError)
      .finally(() => {
        save.disabled = false;
      });
  };
  save.addEventListener("click", () => {
    if (name.hidden) {
      name.hidden = false;
      save.textContent = "Save";
      name.focus();
      return;
    }
    saveNamed();
  });
  name.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      e.stopPropagation();
      saveNamed();
    } else if (e.key === "Escape") {
      e.stopPropagation();
      name.hidden = true;
      save.textContent = "Save view…";
      save.focus();
    }
  });
  del.addEventListener("click", () => {
    const chosen = select.value;
    if (!chosen) return;
    del.disabled = true;
    rpc.call("delete_view", { name: chosen }).then(took).catch(onError);
  });
  fill();
  return {
    el,
    load,
    dispose() {
      disposed = true;
    },
  };
}
