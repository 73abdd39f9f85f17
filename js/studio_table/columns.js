// The columns of the studio table (as Python declares them, in the `config` trait) and their widths.
//
// Widths are in px, fitted to the content: each text column wants the width of its longest value
// (capped), never less than its header; when the sum does not fit the table's box (e.g. 846 px in
// JupyterLab at 1280 px with the file browser open), the text columns give back space in proportion
// to what they have above their minimum, so no horizontal scroll appears and every column stays
// visible. A width the user set by dragging a header's edge is kept as is. The columns give space
// back in the order of their `give` rank (declared in Python: zones first, the project key last), so
// the columns that identify a studio stay readable longest.
//
// The `columns` trait ({hidden: [id...], widths: {id: px}}) keeps the user's choices in the widget
// state. ONE writer: the browser (the column menu and the resize handles); Python never writes it.

/**
 * A column as Python declares it (cswidgets/widgets/studio_table/columns.py, `ColumnSpec`), received in
 * the `config` trait: the table renders, sizes, sorts and filters by these, and holds no column list.
 * `older_than`: its filter is a number of seconds (0: any) since the `filter_by` time, with these choices;
 * `since`: a duration column's epoch-ms field its duration runs from (it ticks).
 * @typedef {{value: number, label: string}} ThresholdChoice
 * @typedef {{fixed?: number, max?: number, give?: number, sample?: string, keep?: number, drop?: number, compact?: number}} ColumnWidth
 * @typedef {{id: string, label: string,
 *   kind: "select" | "text" | "state" | "time" | "list" | "links" | "duration" | "flag" | "count" | "actions",
 *   fields: string[], title: string | null, sort: string | null, hideable: boolean, search: boolean,
 *   filter: string | null, filter_by: string | null, width: ColumnWidth, badge?: string | null, at?: string | null,
 *   shown?: boolean, older_than?: ThresholdChoice[] | null, since?: string | null}} ColumnSpec
 */

const empty = (v) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/**
 * `(row) => value` of a column: its first non-empty field (`null` when none is). Made once per column:
 * the table calls it for every row (10,000 rows: widths, sorting, filters).
 * @param {ColumnSpec} col
 * @returns {(row: any) => any}
 */
export function fieldGetter(col) {
  const fields = col.fields ?? [];
  if (fields.length === 1) {
    const field = fields[0];
    return (row) => {
      const v = row?.[field];
      return empty(v) ? null : v;
    };
  }
  return (row) => {
    for (let i = 0; i < fields.length; i += 1) {
      const v = row?.[fields[i]];
      if (!empty(v)) return v;
    }
    return null;
  };
}

/** The value a column shows of `row` (see fieldGetter). */
export function fieldValue(col, row) {
  return fieldGetter(col)(row);
}

/** A list column's items (a list field; anything else: none). */
export function listValue(col, row) {
  const v = fieldValue(col, row);
  return Array.isArray(v) ? v : [];
}

/** `(row) => text` a cell shows, for measuring its width (`null`: nothing to measure). */
function textGetter(col) {
  const value = fieldGetter(col);
  if (col.kind === "list") return (row) => (Array.isArray(value(row)) ? value(row).join(", ") : null);
  if (col.kind === "links") return (row) => (Array.isArray(value(row)) ? value(row).map(() => "port 00000").join(" ") : null);
  if (["time", "duration", "flag", "count"].includes(col.kind)) return () => null; // measured by its width's sample
  return (row) => {
    const v = value(row);
    return v === null ? null : String(v);
  };
}

export const CELL_PAD = 10; // px: left + right padding of a cell (style.css)
const BADGE_PAD = 16; // px: padding and border of a state badge
const SORT_MARK = 14; // px: room for ▲/▼ next to the sorted column's header
const SORT_GAP = 2; // px: the gap between a sort button's label and its (empty) mark
const LONGEST = 8; // values measured per column (the longest by length)
export const MIN_WIDTH = 40;

/** A text measurer for the font of `el` (canvas), or an estimate where there is no canvas (tests). */
export function createMeasurer(el) {
  let ctx = null;
  try {
    ctx = document.createElement("canvas").getContext("2d");
  } catch {
    ctx = null;
  }
  /** @type {Record<string, string> | null} */
  let fonts = null; // read once per measuring pass (see `fresh`): getComputedStyle per text costs
  const font = (bold) => {
    if (!fonts) {
      const style = el && typeof getComputedStyle === "function" ? getComputedStyle(el) : null;
      const base = `${style?.fontSize || "13px"} ${style?.fontFamily || "sans-serif"}`;
      fonts = { normal: base, bold: `600 ${base}` };
    }
    return bold ? fonts.bold : fonts.normal;
  };
  const known = new Map(); // text widths measured (the same names come back at every refresh)
  /** @type {((text: any, options?: {bold?: boolean, small?: boolean}) => number) & {fresh?: () => void}} */
  const measure = (text, { bold = false, small = false } = {}) => {
    const s = String(text ?? "");
    if (!ctx?.measureText) return Math.ceil(s.length * (small ? 6.5 : 7.2));
    const f = font(bold);
    const key = `${f}\u0000${small ? 1 : 0}${s}`; // the font in force: the first measures may precede the styles
    let w = known.get(key);
    if (w === undefined) {
      ctx.font = f;
      w = Math.ceil(small ? ctx.measureText(s).width * 0.9 : ctx.measureText(s).width);
      if (known.size > 50_000) known.clear();
      known.set(key, w);
    }
    return w;
  };
  /** Start a measuring pass: the font in force is read again (the styles may have loaded since). */
  measure.fresh = () => {
    fonts = null;
  };
  return measure;
}

/**
 * The width (px, padding included) that shows the first `keep` characters of every value of a column, with
 * the ellipsis that follows a cut one (a shorter value: whole).
 */
function keptWidth(rows, text, keep, measure) {
  let widest = 0;
  const seen = new Set();
  for (const row of rows) {
    const v = text(row);
    if (v === null || v === undefined || v === "") continue;
    const s = String(v);
    const prefix = s.length > keep ? `${s.slice(0, keep)}…` : s;
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    widest = Math.max(widest, measure(prefix));
  }
  return widest ? widest + CELL_PAD : 0;
}

/** The longest few values of a column over `rows` (by length), to measure. */
function longest(rows, text) {
  const top = [];
  for (const row of rows) {
    const v = text(row);
    if (v === null || v === undefined || v === "") continue;
    const s = String(v);
    if (top.length < LONGEST) {
      top.push(s);
      top.sort((a, b) => b.length - a.length);
    } else if (s.length > top[LONGEST - 1].length) {
      top[LONGEST - 1] = s;
      top.sort((a, b) => b.length - a.length);
    }
  }
  return top;
}

/**
 * Natural widths {id: {want, min}} of the columns for `rows` (all the rows, not the filtered ones:
 * widths stay put while the user filters).
 */
export function naturalWidths(columns, rows, measure, sortedColumn) {
  /** @type {Record<string, {want: number, min: number, fixed?: boolean, give: number, drop?: number, compact?: number}>} */
  const out = {};
  measure.fresh?.();
  for (const col of columns) {
    const { fixed, max = 200, give = 9, sample, keep, drop, compact } = col.width ?? {};
    if (fixed) {
      out[col.id] = { want: fixed, min: fixed, fixed: true, give, drop, compact };
      continue;
    }
    const badge = col.kind === "state";
    // a sortable header is a button holding the label and the ▲/▼ mark, 2 px apart (style.css)
    const head = measure(col.label, { bold: true }) + CELL_PAD + (col.sort ? SORT_GAP : 0) + (col.sort && col.sort === sortedColumn ? SORT_MARK : 0);
    let content = sample ? measure(sample) : 0;
    const text = textGetter(col);
    for (const s of ["time", "duration", "flag", "count"].includes(col.kind) ? [] : longest(rows, text)) {
      content = Math.max(content, badge ? measure(s, { bold: true, small: true }) + BADGE_PAD : measure(s));
    }
    const kept = keep ? keptWidth(rows, text, keep, measure) : 0;
    const min = Math.max(MIN_WIDTH, head, badge ? content + CELL_PAD : 0, kept);
    out[col.id] = { want: Math.max(min, Math.min(max, content + CELL_PAD)), min, give, drop, compact };
  }
  return out;
}

/**
 * Fit the shown columns into `available` px: {widths: {id: px}, total, shown: [id...], dropped: [id...],
 * compact: [id...]}. `user`: widths set by the user (kept); the others shrink towards their minimum, by rank
 * of `give` (columns of one rank in proportion to their slack). When the minimums do not fit either, the
 * columns with a `drop` rank leave `shown` (lowest rank first, until the rest fits), then the columns with
 * a `compact` width take it (the row actions' "⋯" menu). Below that the table scrolls.
 */
export function fitWidths(natural, shown, available, user = {}) {
  let ids = shown;
  let fit = shrink(natural, ids, available, user, new Set());
  const dropped = [];
  const droppable = shown.filter((id) => natural[id].drop).sort((a, b) => (natural[a].drop ?? 0) - (natural[b].drop ?? 0));
  for (const id of droppable) {
    if (available <= 0 || fit.total <= available) break;
    ids = ids.filter((other) => other !== id);
    dropped.push(id);
    fit = shrink(natural, ids, available, user, new Set());
  }
  let compact = [];
  if (available > 0 && fit.total > available) {
    compact = ids.filter((id) => natural[id].compact);
    if (compact.length) fit = shrink(natural, ids, available, user, new Set(compact));
  }
  return { ...fit, shown: ids, dropped, compact };
}

/** fitWidths without dropping: `compact` columns at their compact width. */
function shrink(natural, shown, available, user, compact) {
  const widths = {};
  let total = 0;
  for (const id of shown) {
    const u = Number(user[id]);
    const own = compact.has(id) ? natural[id].compact : natural[id].want;
    widths[id] = Number.isFinite(u) && u > 0 ? Math.max(MIN_WIDTH, u) : own;
    total += widths[id];
  }
  const flexible = shown.filter((id) => !natural[id].fixed && !(Number(user[id]) > 0));
  for (const rank of [...new Set(flexible.map((id) => natural[id].give))].sort((a, b) => a - b)) {
    const excess = total - available;
    if (available <= 0 || excess <= 0) break;
    const group = flexible.filter((id) => natural[id].give === rank);
    const slack = group.reduce((n, id) => n + (widths[id] - natural[id].min), 0);
    if (slack <= 0) continue;
    const ratio = Math.min(1, excess / slack);
    for (const id of group) {
      const cut = Math.ceil((widths[id] - natural[id].min) * ratio);
      widths[id] -= cut;
      total -= cut;
    }
  }
  return { widths, total };
}

/**
 * The ids of the hidden columns: the `columns` trait's `hidden` once the user chose, else those Python declares
 * hidden by default (`shown: false`).
 * @param {ColumnSpec[]} columns @param {{hidden?: string[]} | undefined} state
 */
export function hiddenColumns(columns, state) {
  return state?.hidden ?? columns.filter((c) => c.shown === false).map((c) => c.id);
}

/** The ids of the `columns` shown, given the trait's `hidden` list (columns that cannot hide stay). */
export function shownColumns(columns, hidden = []) {
  const gone = new Set(hidden);
  return columns.filter((c) => !(c.hideable && gone.has(c.id))).map((c) => c.id);
}

/** The free-text filter's words of `row` in `col` (exposed links: "port 8080"). */
export function searchTexts(col, row, portOf) {
  if (!col.search) return [];
  if (col.kind === "links") return listValue(col, row).map((u) => portOf(u)).filter(Boolean).map((p) => `port ${p}`);
  if (col.kind === "list") return listValue(col, row).map(String);
  return (col.fields ?? []).map((f) => row?.[f]).filter((v) => v !== null && v !== undefined && v !== "").map(String);
}
