// A virtualized <tbody>: only the rows in (and just around) the visible window are in the DOM,
// between two spacer rows that keep the scroll height right. Rows are cached by key and reused
// while nothing they show has changed, so focus and hover survive refreshes and scrolling.
// Items are studio rows or, when grouped by project, group headers ({group: true, key, project,
// count, collapsed}). `onRendered(replaced)` runs after each render (the grid puts focus back
// when the row holding it was rebuilt). `onVisible(keys)` gets the keys of the studio rows on screen (not the
// overscan, not group headers) after each render: the view tells Python (viewport.js).
import { h } from "../shared/dom.js";
import { renderGroup, renderRow } from "./row.js";

export const ROW_HEIGHT = 34; // px; fixed by CSS (.csw-st-row) so the window maths hold
export const OVERSCAN = 8;
export const MIN_VIEWPORT = 600; // px; covers the container's max-height even before it is laid out

/**
 * The indexes [first, last) of the items on screen: under the sticky header (one row high), within the
 * scroller's height (MIN_VIEWPORT before it is laid out).
 * @param {number} scrollTop
 * @param {number} height
 * @param {number} count
 */
export function onScreen(scrollTop, height, count) {
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT));
  const last = Math.min(count, Math.ceil((scrollTop + (height || MIN_VIEWPORT) - ROW_HEIGHT) / ROW_HEIGHT));
  return [first, Math.max(first, last)];
}

/**
 * @param {{scroller: HTMLElement, tbody: HTMLElement, getRows: () => any[], getCtx: (row: any, i: number) => any,
 *   getColumns: () => string[], on: any, onRendered?: (lost: boolean) => void, onVisible?: (keys: string[]) => void}} options
 */
export function createBody({ scroller, tbody, getRows, getCtx, getColumns, on, onRendered = (_lost) => {}, onVisible = (_keys) => {} }) {
  const top = h("tr", { class: "csw-st-spacer", "aria-hidden": "true" }, h("td"));
  const bottom = h("tr", { class: "csw-st-spacer", "aria-hidden": "true" }, h("td"));
  let cache = new Map(); // key -> {tr, row, selected, flight, transition, pending, timeText}
  let frame = null;

  const windowRange = (count) => {
    // Before the rows arrive the container is short: never plan for less than MIN_VIEWPORT.
    const visible = Math.ceil(Math.max(scroller.clientHeight, MIN_VIEWPORT) / ROW_HEIGHT);
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(count, first + visible + 2 * OVERSCAN);
    return [first, last];
  };

  const render = () => {
    frame = null;
    const rows = getRows();
    const columns = getColumns();
    const [first, last] = windowRange(rows.length);
    const next = new Map();
    const wanted = [];
    const hadFocus = tbody.contains(document.activeElement);
    for (let i = first; i < last; i += 1) {
      const row = rows[i];
      const ctx = row.group ? { columns } : getCtx(row, i);
      const old = cache.get(row.key);
      let tr;
      if (
        old &&
        old.row === row &&
        old.columns === columns &&
        old.selected === ctx.selected &&
        old.flight === ctx.flight &&
        old.transition === ctx.transition &&
        old.pending === ctx.pending &&
        old.denied === ctx.denied &&
        old.stale === ctx.stale
      ) {
        tr = old.tr;
        tr.setAttribute("aria-rowindex", String(i + 2)); // header is row 1
      } else {
        tr = row.group ? renderGroup(row, { ...ctx, index: i }, on) : renderRow(row, { ...ctx, columns, index: i }, on);
      }
      next.set(row.key, {
        tr,
        row,
        columns,
        selected: ctx.selected,
        flight: ctx.flight,
        transition: ctx.transition,
        pending: ctx.pending,
        denied: ctx.denied,
        stale: ctx.stale,
      });
      wanted.push(tr);
    }
    for (const spacer of [top, bottom]) spacer.firstChild.setAttribute("colspan", String(columns.length));
    top.firstChild.style.height = `${first * ROW_HEIGHT}px`;
    bottom.firstChild.style.height = `${(rows.length - last) * ROW_HEIGHT}px`;
    top.hidden = first === 0;
    bottom.hidden = last >= rows.length;
    // Re-order the DOM only where needed: walk wanted rows against the current children.
    let cursor = top.nextSibling;
    if (top.parentNode !== tbody) {
      tbody.prepend(top);
      cursor = top.nextSibling;
    }
    for (const tr of wanted) {
      if (cursor === tr) {
        cursor = cursor.nextSibling;
      } else {
        tbody.insertBefore(tr, cursor);
      }
    }
    // Anything left between the last wanted row and the bottom spacer goes away.
    while (cursor && cursor !== bottom) {
      const gone = cursor;
      cursor = cursor.nextSibling;
      gone.remove();
    }
    if (bottom.parentNode !== tbody) tbody.append(bottom);
    cache = next;
    onRendered(hadFocus && !tbody.contains(document.activeElement)); // true: the focused row was rebuilt or left
    const [shownFirst, shownLast] = onScreen(scroller.scrollTop, scroller.clientHeight, rows.length);
    onVisible(rows.slice(shownFirst, shownLast).filter((r) => !r.group).map((r) => r.key));
  };

  /** Scroll so that item `index` is inside the window, and render now. */
  const reveal = (index) => {
    const y = index * ROW_HEIGHT;
    const header = ROW_HEIGHT; // the sticky header covers the first row's height
    if (y < scroller.scrollTop) scroller.scrollTop = y;
    else if (y + ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight - header) scroller.scrollTop = y + ROW_HEIGHT + header - scroller.clientHeight;
    render();
  };

  const schedule = () => {
    if (frame !== null) return;
    frame = requestAnimationFrame(render);
  };
  const onScroll = () => schedule();
  scroller.addEventListener("scroll", onScroll, { passive: true });

  return {
    render,
    schedule,
    reveal,
    /** The rendered <tr> of an item key, if it is in the window. */
    rowElement: (key) => cache.get(key)?.tr ?? null,
    dispose() {
      scroller.removeEventListener("scroll", onScroll);
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
      cache.clear();
    },
  };
}
