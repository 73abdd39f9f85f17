// Drop-down menus of the studio table's toolbar (the disclosure pattern: a button with
// aria-expanded that shows a panel): the multi-select filters (state, owner, project, template), the
// time filter (running > 4 h) and the column menu (show/hide, fit widths). Escape, a click outside or focus leaving closes a menu.
// Values from DSS are text only.
import { clear, h } from "../shared/dom.js";
import { durationText } from "../shared/time.js";

let menuCount = 0;

/**
 * createMenu({className, dataset, onOpen()}) -> {el, button, panel, open(bool), isOpen(), dispose()}
 * @param {{className?: string, dataset?: Record<string, string>, onOpen?: () => void}} options
 */
function createMenu({ className = "", dataset = {}, onOpen = () => {} }) {
  menuCount += 1;
  const panel = h("div", { class: "csw-st-menu-panel", id: `csw-st-menu-${menuCount}`, hidden: true });
  const button = h("button", { type: "button", class: "csw-st-menu-button", "aria-expanded": "false", "aria-controls": panel.id });
  const el = h("div", { class: `csw-st-menu ${className}`.trim(), dataset }, button, panel);
  const open = (value) => {
    if (value === !panel.hidden) return;
    panel.hidden = !value;
    button.setAttribute("aria-expanded", value ? "true" : "false");
    if (value) onOpen();
  };
  button.addEventListener("click", () => open(panel.hidden));
  el.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden) {
      e.stopPropagation();
      open(false);
      button.focus();
    }
  });
  // A press on the panel's text (an option's label, its count) would move focus to the nearest focusable
  // ancestor outside the menu (the notebook's cell in JupyterLab): the focus-out below would then close the
  // menu before the click lands, and the first click would filter nothing. The press keeps focus where it
  // is; the click then goes to the option, whose checkbox takes the focus (keyboard use goes on from there).
  panel.addEventListener("mousedown", (e) => {
    if (!(/** @type {Element} */ (e.target).closest?.("input, button, select"))) e.preventDefault();
  });
  panel.addEventListener("click", (e) => {
    const box = /** @type {Element} */ (e.target).closest?.("label")?.querySelector("input");
    if (box instanceof HTMLElement) box.focus({ preventScroll: true });
  });
  el.addEventListener("focusout", (e) => {
    const to = /** @type {Node | null} */ (e.relatedTarget);
    if (!panel.hidden && to && !el.contains(to)) open(false);
  });
  // the path as dispatched: a click on an option whose list was re-rendered meanwhile is still inside
  const onDocClick = (e) => {
    if (!panel.hidden && !e.composedPath().includes(el)) open(false);
  };
  document.addEventListener("click", onDocClick);
  return { el, button, panel, open, isOpen: () => !panel.hidden, dispose: () => document.removeEventListener("click", onDocClick) };
}

/** Characters of chosen values a filter's button shows before it says "+N" (the rest is in its tooltip). */
export const CHOSEN_CHARS = 24;

/**
 * What a filter's button says of the values chosen (their labels, in the order chosen): "all" when none,
 * else the labels that fit in CHOSEN_CHARS characters ("RUNNING, STOPPED") and "+N" for the others; a single
 * label is shown whole (the button's CSS ellipsis cuts it, its tooltip has it).
 * @param {string[]} labels
 */
export function chosenText(labels) {
  if (!labels.length) return "all";
  const shown = [labels[0]];
  let length = labels[0].length;
  for (const label of labels.slice(1)) {
    if (length + 2 + label.length > CHOSEN_CHARS) break;
    shown.push(label);
    length += 2 + label.length;
  }
  const rest = labels.length - shown.length;
  return rest ? `${shown.join(", ")} +${rest}` : shown.join(", ");
}

/**
 * A multi-select filter: createMultiFilter({title, choices() -> [{value, label, count}], get() ->
 * [value...], set([value...])}) -> {el, sync(), dispose()}. Nothing chosen = no filter.
 */
export function createMultiFilter({ title, choices, get, set }) {
  const list = h("div", { class: "csw-st-menu-list", role: "group", "aria-label": `Filter by ${title.toLowerCase()}` });
  const clearButton = h("button", { type: "button", onclick: () => set([]) }, "All");
  const menu = createMenu({ dataset: { filter: title.toLowerCase() }, onOpen: () => renderOptions() });
  menu.panel.append(clearButton, list);

  let shown = ""; // the options listed: ticking one only updates the boxes (the focused box stays)
  /** @type {Map<string, HTMLInputElement>} */
  const boxes = new Map();
  const renderOptions = () => {
    const chosen = new Set(get());
    const known = choices();
    const values = new Set(known.map((c) => c.value));
    // a chosen value no row has any more stays listed (with 0) so it can be unticked
    const all = [...known, ...[...chosen].filter((v) => !values.has(v)).map((v) => ({ value: v, label: v || "(none)", count: 0 }))];
    const key = all.map((c) => `${c.value}\u0001${c.label}\u0001${c.count}`).join("\u0000");
    if (key === shown) {
      for (const [value, box] of boxes) box.checked = chosen.has(value);
      return;
    }
    shown = key;
    boxes.clear();
    clear(list);
    for (const choice of all) {
      const box = h("input", {
        type: "checkbox",
        checked: chosen.has(choice.value),
        onchange: (e) => {
          const now = new Set(get());
          if (e.target.checked) now.add(choice.value);
          else now.delete(choice.value);
          set([...now]);
        },
      });
      boxes.set(choice.value, /** @type {HTMLInputElement} */ (box));
      list.append(h("label", { class: "csw-st-menu-item" }, box, h("span", { text: choice.label }), h("span", { class: "csw-st-menu-count", text: String(choice.count) })));
    }
  };
  const sync = () => {
    const chosen = get();
    const labels = new Map(choices().map((c) => [c.value, c.label]));
    const named = chosen.map((v) => labels.get(v) ?? (v || "(none)"));
    const all = named.join(", ");
    menu.button.textContent = `${title}: ${chosenText(named)}`;
    menu.button.title = chosen.length ? `${title}: ${all}` : `Filter by ${title.toLowerCase()}`;
    menu.button.setAttribute("aria-label", `Filter by ${title.toLowerCase()}: ${all || "all"}`);
    menu.el.dataset.active = chosen.length ? "true" : "false";
    clearButton.disabled = chosen.length === 0;
    if (menu.isOpen()) renderOptions();
  };
  return { el: menu.el, sync, dispose: menu.dispose };
}

/** A time filter's value as a number of seconds (0: none, or not a number). */
const secondsOf = (value) => {
  const n = Number(value);
  return Number.isFinite(n) ? Math.max(0, n) : 0;
};

/**
 * What a time filter's button says of `seconds` chosen: the label of that choice ("> 4 h"), "any" for 0, else
 * "> " and the duration ("> 2h 30m", a value set from Python).
 * @param {number} seconds @param {{value: number, label: string}[]} choices
 */
export function thresholdText(seconds, choices) {
  const value = secondsOf(seconds);
  const choice = choices.find((c) => Number(c.value) === value);
  if (choice) return choice.label;
  return value ? `> ${durationText(value)}` : "any";
}

let timeFilterCount = 0;

/**
 * A time filter (one choice among `choices`, declared in Python: [{value: seconds, label}], 0 = any):
 * createTimeFilter({title, choices, get() -> seconds, set(seconds)}) -> {el, sync(), dispose()}. A value that
 * is not one of the choices (set from Python) is listed too, so the menu always shows what filters.
 * @param {{title: string, choices: {value: number, label: string}[], get: () => number, set: (seconds: number) => void}} options
 */
export function createTimeFilter({ title, choices, get, set }) {
  timeFilterCount += 1;
  const group = `csw-st-time-${timeFilterCount}`;
  const list = h("div", { class: "csw-st-menu-list", role: "radiogroup", "aria-label": `Filter by ${title.toLowerCase()}` });
  const menu = createMenu({ dataset: { filter: title.toLowerCase() }, onOpen: () => renderOptions() });
  menu.panel.append(list);
  let shown = "";
  /** @type {Map<number, HTMLInputElement>} */
  const radios = new Map();
  const renderOptions = () => {
    const now = secondsOf(get());
    const all = choices.some((c) => Number(c.value) === now) ? choices : [...choices, { value: now, label: thresholdText(now, []) }];
    const key = all.map((c) => `${c.value}\u0001${c.label}`).join("\u0000");
    if (key !== shown) {
      shown = key;
      radios.clear();
      clear(list);
      for (const choice of all) {
        const value = Number(choice.value);
        const radio = h("input", {
          type: "radio",
          name: group,
          value: String(value),
          onchange: (e) => {
            if (e.target.checked) set(value);
          },
        });
        radios.set(value, /** @type {HTMLInputElement} */ (radio));
        list.append(h("label", { class: "csw-st-menu-item" }, radio, h("span", { text: choice.label })));
      }
    }
    for (const [value, radio] of radios) radio.checked = value === now;
  };
  const sync = () => {
    const seconds = secondsOf(get());
    const text = thresholdText(seconds, choices);
    menu.button.textContent = `${title}: ${text}`;
    menu.button.title = seconds ? `${title}: ${text} (only the studios running for longer)` : `Filter by ${title.toLowerCase()} time`;
    menu.button.setAttribute("aria-label", `Filter by ${title.toLowerCase()}: ${text}`);
    menu.el.dataset.active = seconds ? "true" : "false";
    if (menu.isOpen()) renderOptions();
  };
  return { el: menu.el, sync, dispose: menu.dispose };
}

/**
 * The column menu: createColumnMenu({columns: [{id, label, hideable}], hidden() -> [id...],
 * setHidden([id...]), resetWidths(), hasWidths() -> bool}) -> {el, sync(), dispose()}.
 */
export function createColumnMenu({ columns, hidden, setHidden, resetWidths, hasWidths }) {
  const menu = createMenu({ className: "csw-st-colmenu" });
  menu.button.textContent = "Columns";
  const boxes = new Map();
  const list = h("div", { class: "csw-st-menu-list", role: "group", "aria-label": "Columns shown" });
  for (const col of columns.filter((c) => c.hideable)) {
    const box = h("input", {
      type: "checkbox",
      onchange: (e) => {
        const now = new Set(hidden());
        if (e.target.checked) now.delete(col.id);
        else now.add(col.id);
        setHidden([...now]);
      },
    });
    boxes.set(col.id, box);
    list.append(h("label", { class: "csw-st-menu-item" }, box, h("span", { text: col.label })));
  }
  const reset = h("button", { type: "button", onclick: () => resetWidths() }, "Fit widths to content");
  menu.panel.append(list, reset);
  const sync = () => {
    const gone = new Set(hidden());
    for (const [id, box] of boxes) box.checked = !gone.has(id);
    reset.disabled = !hasWidths();
  };
  return { el: menu.el, sync, dispose: menu.dispose };
}
