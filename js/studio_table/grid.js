// Keyboard operation of the studio table as an ARIA grid (role="grid"): ONE tab stop for the whole
// table (roving tabindex), arrow keys between cells and the controls inside them, Home/End,
// Ctrl+Home/End, PageUp/PageDown; Enter or Space act (a button clicks, a checkbox toggles, a plain
// cell toggles its row's selection). The position is kept by row key and column id, so it survives
// re-renders, filtering and virtual scrolling (the row is scrolled into the window when needed).
//
// A "stop" is an enabled control of a cell (button, checkbox, link), or the cell itself when it has
// none.

const CONTROLS = "button:not(:disabled), input:not(:disabled), a[href]";
const PAGE = 10;

function stopsOf(cellEl) {
  const controls = [...cellEl.querySelectorAll(CONTROLS)];
  return controls.length ? controls : [cellEl];
}

/**
 * createGrid({table, headRow, body, items() -> [{key, group?}], columns() -> [id], onToggle(key)})
 * -> {syncTabStop(), focusActive(), restore(lost), dispose()}
 */
export function createGrid({ table, headRow, body, items, columns, onToggle }) {
  let active = { key: null, col: null, sub: 0 }; // key null = header row
  let tabStop = null;

  const rowEl = (key) => (key === null ? headRow : body.rowElement(key));
  const cellOf = (tr, col) => {
    if (!tr) return null;
    if (tr.children.length === 1) return tr.children[0]; // a group's header row
    const i = columns().indexOf(col);
    return tr.children[Math.max(0, i)] ?? null;
  };
  const elementAt = (pos) => {
    const cellEl = cellOf(rowEl(pos.key), pos.col);
    if (!cellEl) return null;
    const stops = stopsOf(cellEl);
    return stops[Math.min(pos.sub, stops.length - 1)];
  };
  const setTabStop = (el) => {
    if (tabStop && tabStop !== el && tabStop.isConnected) tabStop.setAttribute("tabindex", "-1");
    tabStop = el;
    el?.setAttribute("tabindex", "0");
  };
  const positionOf = (el) => {
    const cellEl = el.closest("td, th");
    const tr = cellEl?.closest("tr");
    if (!tr || !table.contains(tr) || tr.classList.contains("csw-st-spacer")) return null;
    const key = tr === headRow ? null : (tr.dataset.key ?? null);
    if (tr !== headRow && key === null) return null;
    const index = [...tr.children].indexOf(cellEl);
    const col = tr.children.length === 1 && tr !== headRow ? active.col ?? columns()[0] : columns()[index];
    const sub = Math.max(0, stopsOf(cellEl).indexOf(el));
    return { key, col, sub };
  };

  /** Make sure exactly one element of the grid is in the tab order. */
  const syncTabStop = () => {
    let el = elementAt(active);
    if (!el) {
      // the active row is filtered out or scrolled away: the first rendered row, else the header
      const first = items()[0];
      const col = active.col ?? columns()[0];
      el = (first && elementAt({ key: first.key, col, sub: 0 })) || elementAt({ key: null, col: columns()[0], sub: 0 });
    }
    if (el) setTabStop(el);
  };

  const moveTo = (pos) => {
    if (pos.key !== null && !body.rowElement(pos.key)) {
      const index = items().findIndex((it) => it.key === pos.key);
      if (index >= 0) body.reveal(index);
    }
    const el = elementAt(pos);
    if (!el) return;
    active = pos;
    setTabStop(el);
    el.focus();
  };

  const onKey = (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    if (e.altKey || e.metaKey) return;
    if (target.matches("input[type=text], input[type=search]")) return;
    const pos = positionOf(target);
    if (!pos) return;
    active = pos;
    const cols = columns();
    const list = items();
    const rowIndex = pos.key === null ? -1 : list.findIndex((it) => it.key === pos.key);
    const colIndex = Math.max(0, cols.indexOf(pos.col));
    const keyAt = (i) => (i < 0 ? null : list[Math.min(i, list.length - 1)]?.key ?? null);
    const cellEl = target.closest("td, th");
    const stops = stopsOf(cellEl);
    let next = null;
    switch (e.key) {
      case "ArrowRight":
      case "ArrowLeft": {
        if (e.shiftKey) return; // Shift+arrows resize a column (index.js)
        const step = e.key === "ArrowRight" ? 1 : -1;
        const sub = pos.sub + step;
        if (sub >= 0 && sub < stops.length) next = { ...pos, sub };
        else {
          const c = colIndex + step;
          if (c < 0 || c >= cols.length) break;
          const cell = cellOf(rowEl(pos.key), cols[c]);
          next = { key: pos.key, col: cols[c], sub: step > 0 || !cell ? 0 : stopsOf(cell).length - 1 };
        }
        break;
      }
      case "ArrowDown":
        next = { ...pos, key: keyAt(rowIndex + 1) ?? pos.key };
        break;
      case "ArrowUp":
        next = { ...pos, key: rowIndex <= 0 ? null : keyAt(rowIndex - 1) };
        break;
      case "PageDown":
        next = { ...pos, key: keyAt(rowIndex + PAGE) ?? pos.key };
        break;
      case "PageUp":
        next = { ...pos, key: rowIndex - PAGE < 0 ? keyAt(0) : keyAt(rowIndex - PAGE) };
        break;
      case "Home":
        next = e.ctrlKey ? { ...pos, key: keyAt(0) } : { key: pos.key, col: cols[0], sub: 0 };
        break;
      case "End":
        next = e.ctrlKey ? { ...pos, key: keyAt(list.length - 1) } : { key: pos.key, col: cols.at(-1), sub: 0 };
        break;
      case "Enter":
        // Shift+Enter, Ctrl+Enter: the notebook's (run the cell), as everywhere in JupyterLab (index.js)
        if (e.shiftKey || e.ctrlKey) return;
        if (target.matches("input[type=checkbox]")) {
          e.preventDefault();
          target.click();
        } else if (target.matches("td, th") && pos.key !== null) {
          e.preventDefault();
          onToggle(pos.key);
        }
        return;
      case " ":
        if (target.matches("td, th") && pos.key !== null) {
          e.preventDefault();
          onToggle(pos.key);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next) moveTo(next);
  };

  const onFocusIn = (e) => {
    const pos = positionOf(/** @type {HTMLElement} */ (e.target));
    if (!pos) return;
    active = pos;
    setTabStop(/** @type {HTMLElement} */ (e.target));
  };

  table.addEventListener("keydown", onKey);
  table.addEventListener("focusin", onFocusIn);

  return {
    syncTabStop,
    /** Focus the active position (e.g. after a confirmation whose opener is gone). */
    focusActive() {
      moveTo(active);
    },
    /** After a render: put focus back where it was when its row was rebuilt (`lost`). */
    restore(lost) {
      if (lost) {
        const el = elementAt(active);
        if (el) {
          setTabStop(el);
          el.focus();
          return;
        }
      }
      syncTabStop();
    },
    dispose() {
      table.removeEventListener("keydown", onKey);
      table.removeEventListener("focusin", onFocusIn);
    },
  };
}
