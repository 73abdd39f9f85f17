// The columns of the studio table and their widths.
//
// Widths are in px, fitted to the content: each text column wants the width of its longest value
// (capped), never less than its header; when the sum does not fit the table's box (e.g. 846 px in
// JupyterLab at 1280 px with the file browser open), the text columns give back space in proportion
// to what they have above their minimum, so no horizontal scroll appears and every column stays
// visible. A width the user set by dragging a header's edge is kept as is. The columns give space
// back in the order of their `give` rank (zones first, the project key last): the columns that
// identify a studio stay readable longest.
//
// The `columns` trait ({hidden: [id...], widths: {id: px}}) keeps the user's choices in the widget
// state. ONE writer: the browser (the column menu and the resize handles); Python never writes it.

/** @type {{id: string, label: string, fixed?: number, sort?: string, text?: (r: any) => any, sample?: string,
 *   badge?: boolean, max?: number, hideable?: boolean, give?: number}[]} */
export const COLUMNS = [
  { id: "select", label: "Select", fixed: 30 },
  { id: "project", label: "Project", sort: "project", text: (r) => r.project_key, max: 220, give: 7, hideable: true },
  { id: "name", label: "Name", sort: "name", text: (r) => r.name || r.id || r.key, max: 280, give: 6 },
  { id: "owner", label: "Owner", sort: "owner", text: (r) => r.owner, max: 160, give: 4, hideable: true },
  { id: "template", label: "Template", sort: "template", text: (r) => r.template_label || r.template_id, max: 200, give: 3, hideable: true },
  { id: "state", label: "State", sort: "state", text: (r) => r.state, badge: true, max: 120, hideable: true },
  { id: "last_change", label: "Last change", sort: "last_change", sample: "59 minutes ago", max: 130, give: 2, hideable: true },
  { id: "zones", label: "Zones", sort: "zones", text: (r) => (r.zones ?? []).join(", "), max: 160, give: 1, hideable: true },
  { id: "exposed", label: "Exposed", sort: "exposed", text: (r) => (r.exposed ?? []).map(() => "port 00000").join(" "), max: 150, give: 2, hideable: true },
  { id: "actions", label: "Actions", fixed: 92 },
];

export const CELL_PAD = 10; // px: left + right padding of a cell (style.css)
const BADGE_PAD = 16; // px: padding and border of a state badge
const SORT_MARK = 14; // px: room for ▲/▼ next to the sorted column's header
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
  const font = (bold) => {
    const style = el && typeof getComputedStyle === "function" ? getComputedStyle(el) : null;
    const size = style?.fontSize || "13px";
    const family = style?.fontFamily || "sans-serif";
    return `${bold ? "600 " : ""}${size} ${family}`;
  };
  return (text, { bold = false, small = false } = {}) => {
    const s = String(text ?? "");
    if (!ctx?.measureText) return Math.ceil(s.length * (small ? 6.5 : 7.2));
    ctx.font = font(bold);
    const w = ctx.measureText(s).width;
    return Math.ceil(small ? w * 0.9 : w);
  };
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
export function naturalWidths(rows, measure, sortedColumn) {
  const out = {};
  for (const col of COLUMNS) {
    if (col.fixed) {
      out[col.id] = { want: col.fixed, min: col.fixed, fixed: true };
      continue;
    }
    const head = measure(col.label, { bold: true }) + CELL_PAD + (col.sort === sortedColumn ? SORT_MARK : 0);
    let content = col.sample ? measure(col.sample) : 0;
    if (col.text) {
      for (const s of longest(rows, col.text)) {
        content = Math.max(content, col.badge ? measure(s, { bold: true, small: true }) + BADGE_PAD : measure(s));
      }
    }
    const min = Math.max(MIN_WIDTH, head, col.badge ? content + CELL_PAD : 0);
    out[col.id] = { want: Math.max(min, Math.min(col.max ?? 200, content + CELL_PAD)), min };
  }
  return out;
}

const GIVE = new Map(COLUMNS.map((c) => [c.id, c.give ?? 9]));

/**
 * Fit the shown columns into `available` px: {widths: {id: px}, total}. `user`: widths set by the
 * user (kept); the others shrink towards their minimum, by rank of `give` (columns of one rank in
 * proportion to their slack).
 */
export function fitWidths(natural, shown, available, user = {}) {
  const widths = {};
  let total = 0;
  for (const id of shown) {
    const u = Number(user[id]);
    widths[id] = Number.isFinite(u) && u > 0 ? Math.max(MIN_WIDTH, u) : natural[id].want;
    total += widths[id];
  }
  const flexible = shown.filter((id) => !natural[id].fixed && !(Number(user[id]) > 0));
  for (const rank of [...new Set(flexible.map((id) => GIVE.get(id)))].sort((a, b) => a - b)) {
    const excess = total - available;
    if (available <= 0 || excess <= 0) break;
    const group = flexible.filter((id) => GIVE.get(id) === rank);
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

/** The ids of the columns shown, given the trait's `hidden` list (columns that cannot hide stay). */
export function shownColumns(hidden = []) {
  const gone = new Set(hidden);
  return COLUMNS.filter((c) => !(c.hideable && gone.has(c.id))).map((c) => c.id);
}
