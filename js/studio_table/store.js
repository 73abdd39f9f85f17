// The rows of a StudioTable view, kept outside the model: Python sends them as messages
//   {kind: "rows", op: "reset", seq, upsert: [row...], remove: []}
//   {kind: "rows", op: "patch", seq, base, upsert: [row...], remove: [key...]}
// A patch applies only on top of the version it was computed from (`base` === our `seq`); a gap
// (a lost or reordered message, a view created after the data) makes the view ask for a snapshot.
//
// Row: a StudioRow (cswidgets/widgets/studio_table/rows.py): {key, project_key, id, name, ...}. What the
// table shows of it, sorts and filters by comes from the declared columns (columns.js, `ColumnSpec`).
import { fieldGetter, searchTexts } from "./columns.js";

/** @typedef {import("./columns.js").ColumnSpec} ColumnSpec */

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/**
 * `(row) => sort key` of a column, by its kind: text and state by their text, time, duration, count and flag
 * by the number (a flag: true before false), lists and links by their length. Strings compare with the collator, numbers numerically, nulls last.
 * @param {ColumnSpec} col
 */
export function sortGetter(col) {
  const value = fieldGetter(col);
  if (col.kind === "duration" && col.since) {
    // the duration shown runs from the row's `since` time (it ticks): sorted by it, the longest the earliest, so
    // the order agrees with the texts whenever each row was read; the number as read for a row without one
    const field = col.since;
    const at = Date.now();
    return (row) => {
      const since = row?.[field];
      if (typeof since === "number" && Number.isFinite(since) && since > 0) return (at - since) / 1000;
      const v = value(row);
      return Number.isFinite(v) ? v : null;
    };
  }
  if (col.kind === "flag") {
    return (row) => {
      const v = value(row);
      return typeof v === "boolean" ? Number(v) : null;
    };
  }
  if (["time", "duration", "count"].includes(col.kind)) {
    return (row) => {
      const v = value(row);
      return Number.isFinite(v) ? v : null;
    };
  }
  if (col.kind === "list" || col.kind === "links") {
    return (row) => {
      const v = value(row);
      return Array.isArray(v) ? v.length : 0;
    };
  }
  return (row) => {
    const v = value(row);
    return v === null ? "" : String(v);
  };
}

/** Whether `col`'s filter is a number of seconds since a time (the Running column's "> 4 h"), not values. */
export function isTimeFilter(col) {
  return Array.isArray(col?.older_than);
}

/** The value of `col`'s filter that keeps every row: no value chosen, or 0 seconds. */
export function filterOff(col) {
  return isTimeFilter(col) ? 0 : [];
}

/** Whether `value` of `col`'s filter hides rows. */
export function filterActive(col, value) {
  if (isTimeFilter(col)) return Number(value) > 0;
  return Array.isArray(value) && value.length > 0;
}

/**
 * `(row) => epoch ms | null`: the time a time filter over `col` measures from (`filter_by`, e.g. `running_since`:
 * null unless the studio runs, so a stopped studio never matches).
 */
function sinceGetter(col) {
  const field = col.filter_by ?? col.fields[0];
  return (row) => {
    const v = row?.[field];
    return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : null;
  };
}

/** `(row) => value` a multi-select filter over `col` compares (rows without one match ""). */
export function filterGetter(col) {
  const field = col.filter_by ?? col.fields[0];
  return (row) => {
    const v = row?.[field];
    return v === null || v === undefined ? "" : String(v);
  };
}

function compareValues(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // nulls last whatever the direction
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

/** The port of an exposed URL ending with /<port>/ ("8080"), else null. */
export function exposedPort(url) {
  const m = /\/(\d{2,5})\/?(?:[?#].*)?$/.exec(String(url));
  return m ? m[1] : null;
}

/** Text a free-text filter searches: what the searchable columns show (exposed links: "port 8080"). */
function haystack(columns, row) {
  return columns
    .flatMap((col) => searchTexts(col, row, exposedPort))
    .join("\u0000")
    .toLowerCase();
}

export class RowStore {
  /** @param {ColumnSpec[]} columns the declared columns (the `config` trait's) */
  constructor(columns = []) {
    this.columns = columns;
    this.rows = new Map();
    this.seq = null; // version of the rows we hold; null = nothing received yet
    this.version = 0; // bumps on every change, for caches
    this._search = new WeakMap();
    this._viewKey = null;
    /** @type {Map<string, {version: number, list: {value: string, count: number, label: string}[]}>} */
    this._choices = new Map();
    /** @type {Map<string, {version: number, sorted: Float64Array}>} */
    this._since = new Map();
    this._view = [];
  }

  get size() {
    return this.rows.size;
  }

  get ready() {
    return this.seq !== null;
  }

  /**
   * Apply a rows message. Returns "applied", "stale" (older than what we hold: ignored) or "gap"
   * (cannot apply on top of what we hold: the caller should request a snapshot).
   */
  apply(msg) {
    if (msg?.kind !== "rows") return "stale";
    if (msg.op === "reset") {
      if (this.seq !== null && Number.isFinite(msg.seq) && msg.seq < this.seq) return "stale";
      this.rows = new Map();
      for (const row of msg.upsert ?? []) this.rows.set(row.key, row);
      this.seq = msg.seq ?? 0;
      this.version += 1;
      return "applied";
    }
    if (msg.op === "patch") {
      if (this.seq !== null && msg.seq <= this.seq) return "stale";
      if (this.seq === null || msg.base !== this.seq) return "gap";
      for (const key of msg.remove ?? []) this.rows.delete(key);
      for (const row of msg.upsert ?? []) this.rows.set(row.key, row);
      this.seq = msg.seq;
      this.version += 1;
      return "applied";
    }
    return "stale";
  }

  /** Forget everything (e.g. while a snapshot is requested after a gap). */
  invalidate() {
    this.seq = null;
  }

  _text(row) {
    let text = this._search.get(row);
    if (text === undefined) {
      text = haystack(this.columns, row);
      this._search.set(row, text);
    }
    return text;
  }

  /**
   * The distinct values of the multi-select filter `trait` (a column's `filter`) with their counts and the
   * label its column shows for them: [{value, count, label}...] by label. Cached per version.
   * @param {string} trait
   * @returns {{value: string, count: number, label: string}[]}
   */
  choices(trait) {
    const cached = this._choices.get(trait);
    if (cached && cached.version === this.version) return cached.list;
    const col = this.columns.find((c) => c.filter === trait);
    const counts = new Map();
    const labels = new Map();
    if (col) {
      const value = filterGetter(col);
      const shown = fieldGetter(col);
      for (const row of this.rows.values()) {
        const v = value(row);
        const n = counts.get(v);
        counts.set(v, (n ?? 0) + 1);
        if (n === undefined) {
          const label = shown(row);
          if (label !== null) labels.set(v, String(label));
        }
      }
    }
    const list = [...counts].map(([v, n]) => ({ value: v, count: n, label: labels.get(v) || v || "(none)" }));
    list.sort((a, b) => collator.compare(a.label, b.label));
    this._choices.set(trait, { version: this.version, list });
    return list;
  }

  /** The `filter_by` times of `col`'s time filter, ascending (rows without one left out). Cached per version. */
  _sorted(col) {
    const cached = this._since.get(col.id);
    if (cached && cached.version === this.version) return cached.sorted;
    const since = sinceGetter(col);
    const values = [];
    for (const row of this.rows.values()) {
      const v = since(row);
      if (v !== null) values.push(v);
    }
    const sorted = Float64Array.from(values).sort();
    this._since.set(col.id, { version: this.version, sorted });
    return sorted;
  }

  /**
   * How many rows the time filter of `col` keeps at `now` for `seconds` (those whose time is more than `seconds`
   * before `now`). The kept rows are those older than a cutoff, so this count names them: the view changes only
   * when it changes (a studio crossing the threshold), which the ticking view checks every second.
   */
  keptBy(col, seconds, now) {
    const sorted = this._sorted(col);
    const cutoff = now - seconds * 1000;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < cutoff) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * What the time filters in `filters` keep at `now` (a key: equal keys, equal rows kept). "" when none is on.
   * @param {Record<string, any>} filters @param {number} now
   */
  timeKey(filters, now) {
    const parts = [];
    for (const col of this.columns) {
      if (!col.filter || !isTimeFilter(col)) continue;
      const seconds = Number(filters[col.filter] ?? 0);
      if (seconds > 0) parts.push(`${col.id}>${seconds}:${this.keptBy(col, seconds, now)}`);
    }
    return parts.join("|");
  }

  /**
   * The rows to show, filtered and sorted. `text` matches every word; `filters`: {trait: [value...]}, the
   * multi-select filters of the columns (empty = all) and their time filters (seconds; 0 = all), checked at
   * `now`; `keep`: keys of rows an action is on, shown whatever a state column's filter says until the action
   * ends; `sort`: {column (a column's `sort`), descending}. Cached until the rows or the parameters change (for a
   * time filter: until a row crosses its threshold).
   * @param {{text?: string, filters?: Record<string, string[] | number | undefined>, keep?: Iterable<string>,
   *   sort?: {column?: string, descending?: boolean}, now?: number}} [params]
   */
  view({ text = "", sort = {}, keep = [], filters = {}, now = Date.now() } = {}) {
    const needle = String(text ?? "").trim().toLowerCase();
    /** @type {[ColumnSpec, Set<string>, (row: any) => string][]} */
    const checks = this.columns
      .filter((col) => col.filter && !isTimeFilter(col))
      .map((col) => /** @type {[ColumnSpec, Set<string>, (row: any) => string]} */ ([col, new Set(/** @type {string[]} */ (filters[col.filter ?? ""] ?? [])), filterGetter(col)]))
      .filter(([, set]) => set.size);
    // a time filter keeps the rows whose time is before now - seconds (the same cutoff as keptBy)
    /** @type {[(row: any) => number | null, number][]} */
    const times = this.columns
      .filter((col) => col.filter && isTimeFilter(col) && Number(filters[col.filter] ?? 0) > 0)
      .map((col) => [sinceGetter(col), now - Number(filters[col.filter ?? ""]) * 1000]);
    const kept = new Set(keep);
    const sortable = this.columns.filter((c) => c.sort);
    const byColumn = sortable.find((c) => c.sort === sort?.column) ?? sortable[0];
    const column = byColumn?.sort ?? "";
    const descending = Boolean(sort?.descending);
    const cacheKey = JSON.stringify([this.version, needle, checks.map(([c, set]) => [c.id, [...set].sort()]), this.timeKey(filters, now), [...kept].sort(), column, descending]);
    if (cacheKey === this._viewKey) return this._view;
    const terms = needle.split(/\s+/).filter(Boolean);
    const rows = [];
    for (const row of this.rows.values()) {
      // a row an action is on stays whatever its (changing) state: the state filter spares it
      if (!checks.every(([col, set, value]) => set.has(value(row)) || (col.kind === "state" && kept.has(row.key)))) continue;
      // ... and the time filter too (a stop under way empties its running since; it goes when the stop ends)
      if (!kept.has(row.key) && !times.every(([since, cutoff]) => {
        const v = since(row);
        return v !== null && v < cutoff;
      })) continue;
      if (terms.length) {
        const hay = this._text(row);
        if (!terms.every((t) => hay.includes(t))) continue;
      }
      rows.push(row);
    }
    const sortKey = byColumn ? sortGetter(byColumn) : () => "";
    const keyed = rows.map((row) => [sortKey(row), row]);
    const dir = descending ? -1 : 1;
    keyed.sort((a, b) => {
      const va = a[0];
      const vb = b[0];
      if (va === null || vb === null) {
        if (va !== vb) return va === null ? 1 : -1; // nulls last in both directions
      } else {
        const c = compareValues(va, vb);
        if (c) return c * dir;
      }
      return compareValues(a[1].name, b[1].name) || compareValues(a[1].key, b[1].key);
    });
    this._view = keyed.map((k) => k[1]);
    this._viewKey = cacheKey;
    return this._view;
  }
}

/**
 * Rows grouped by project (in the order of `rows` inside each group, groups by project key), each
 * group led by {group: true, key: "group:<project>", project, count, collapsed}; the rows of a
 * project in `collapsed` are left out.
 */
export function withGroups(rows, collapsed = new Set()) {
  const groups = new Map();
  for (const row of rows) {
    const project = row.project_key ?? "";
    if (!groups.has(project)) groups.set(project, []);
    groups.get(project).push(row);
  }
  const items = [];
  for (const project of [...groups.keys()].sort((a, b) => collator.compare(a, b))) {
    const members = groups.get(project);
    const folded = collapsed.has(project);
    items.push({ group: true, key: `group:${project}`, project, count: members.length, collapsed: folded });
    if (!folded) items.push(...members);
  }
  return items;
}
