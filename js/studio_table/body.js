// A virtualized <tbody>: only the rows in (and just around) the visible window are in the DOM,
// between two spacer rows that keep the scroll height right. Rows are cached by key and reused
// while nothing they show has changed, so focus and hover survive refreshes and scrolling.
import { h } from "../shared/dom.js";
import { COLUMNS, renderRow } from "./row.js";

export const ROW_HEIGHT = 34; // px; fixed by CSS (.csw-st-row) so the window maths hold
export const OVERSCAN = 8;
export const MIN_VIEWPORT = 600; // px; covers the container's max-height even before it is laid out

export function createBody({ scroller, tbody, getRows, getCtx, on }) {
  const top = h("tr", { class: "csw-st-spacer", "aria-hidden": "true" }, h("td", { colspan: String(COLUMNS.length) }));
  const bottom = h("tr", { class: "csw-st-spacer", "aria-hidden": "true" }, h("td", { colspan: String(COLUMNS.length) }));
  let cache = new Map(); // key -> {tr, row, selected, flight, pending, timeText}
  let frame = null;
  let timeBucket = 0;

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
    const [first, last] = windowRange(rows.length);
    const next = new Map();
    const wanted = [];
    for (let i = first; i < last; i += 1) {
      const row = rows[i];
      const ctx = getCtx(row, i);
      const old = cache.get(row.key);
      let tr;
      if (
        old &&
        old.row === row &&
        old.selected === ctx.selected &&
        old.flight === ctx.flight &&
        old.pending === ctx.pending &&
        old.denied === ctx.denied &&
        old.bucket === timeBucket
      ) {
        tr = old.tr;
        tr.setAttribute("aria-rowindex", String(i + 2)); // header is row 1
      } else {
        tr = renderRow(row, { ...ctx, index: i + 1 }, on);
        const focused = /** @type {HTMLElement | null} */ (old?.tr.contains(document.activeElement) ? document.activeElement : null);
        if (focused) {
          // keep keyboard focus on the same control of the re-rendered row
          const action = focused.dataset?.action;
          const again = action ? tr.querySelector(`[data-action="${action}"]`) : tr.querySelector("input");
          queueMicrotask(() => again && !again.disabled && again.focus());
        }
      }
      next.set(row.key, { tr, row, selected: ctx.selected, flight: ctx.flight, pending: ctx.pending, denied: ctx.denied, bucket: timeBucket });
      wanted.push(tr);
    }
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
    /** Force relative times to be recomputed on the next render. */
    tick() {
      timeBucket += 1;
      schedule();
    },
    dispose() {
      scroller.removeEventListener("scroll", onScroll);
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
      cache.clear();
    },
  };
}
