// The rows of a StudioTable view, kept outside the model: Python sends them as messages
//   {kind: "rows", op: "reset", seq, upsert: [row...], remove: []}
//   {kind: "rows", op: "patch", seq, base, upsert: [row...], remove: [key...]}
// A patch applies only on top of the version it was computed from (`base` === our `seq`); a gap
// (a lost or reordered message, a view created after the data) makes the view ask for a snapshot.
//
// Row: {key, project_key, id, name, owner, template_id, template_label, state,
//       last_state_change (ms epoch | null), zones: [name...], exposed: [url...], error: str|null}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Sort keys per column id; strings compare with the collator, numbers numerically, nulls last. */
export const SORT_VALUES = {
  project: (r) => r.project_key ?? "",
  name: (r) => r.name ?? "",
  owner: (r) => r.owner ?? "",
  template: (r) => r.template_label || r.template_id || "",
  state: (r) => r.state ?? "",
  last_change: (r) => (Number.isFinite(r.last_state_change) ? r.last_state_change : null),
  zones: (r) => (r.zones ?? []).length,
  exposed: (r) => (r.exposed ?? []).length,
};

function compareValues(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // nulls last whatever the direction
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

/** Text a free-text filter searches: project, name, owner, template, state, zones. */
function haystack(row) {
  return [row.project_key, row.name, row.owner, row.template_label, row.template_id, row.state, ...(row.zones ?? [])]
    .filter((v) => v !== null && v !== undefined)
    .join("\u0000")
    .toLowerCase();
}

export class RowStore {
  constructor() {
    this.rows = new Map();
    this.seq = null; // version of the rows we hold; null = nothing received yet
    this.version = 0; // bumps on every change, for caches
    this._search = new WeakMap();
    this._viewKey = null;
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
      text = haystack(row);
      this._search.set(row, text);
    }
    return text;
  }

  /**
   * The rows to show, filtered and sorted. `filter`: {text, states: [...]}; `sort`: {column,
   * descending}. Cached until the rows or the parameters change.
   * @param {{text?: string, states?: string[], sort?: {column?: string, descending?: boolean}}} [params]
   */
  view({ text = "", states = [], sort = {} } = {}) {
    const needle = String(text ?? "").trim().toLowerCase();
    const stateSet = new Set(states ?? []);
    const column = SORT_VALUES[sort?.column] ? sort.column : "project";
    const descending = Boolean(sort?.descending);
    const cacheKey = JSON.stringify([this.version, needle, [...stateSet].sort(), column, descending]);
    if (cacheKey === this._viewKey) return this._view;
    const terms = needle.split(/\s+/).filter(Boolean);
    const rows = [];
    for (const row of this.rows.values()) {
      if (stateSet.size && !stateSet.has(row.state)) continue;
      if (terms.length) {
        const hay = this._text(row);
        if (!terms.every((t) => hay.includes(t))) continue;
      }
      rows.push(row);
    }
    const value = SORT_VALUES[column];
    const keyed = rows.map((row) => [value(row), row]);
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
