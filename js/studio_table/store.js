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

/** The port of an exposed URL ending with /<port>/ ("8080"), else null. */
export function exposedPort(url) {
  const m = /\/(\d{2,5})\/?(?:[?#].*)?$/.exec(String(url));
  return m ? m[1] : null;
}

/** Text a free-text filter searches: project, id, name, owner, template, state, zones, exposed ports. */
function haystack(row) {
  const ports = (row.exposed ?? []).map((u) => exposedPort(u)).filter(Boolean).map((p) => `port ${p}`);
  return [row.project_key, row.id, row.name, row.owner, row.template_label, row.template_id, row.state, ...(row.zones ?? []), ...ports]
    .filter((v) => v !== null && v !== undefined)
    .join("\u0000")
    .toLowerCase();
}

/** The value a multi-select filter compares, per filter name (rows without one match "" ). */
export const FILTER_VALUES = {
  states: (r) => r.state ?? "",
  owners: (r) => r.owner ?? "",
  projects: (r) => r.project_key ?? "",
  templates: (r) => r.template_id ?? "",
};

export class RowStore {
  constructor() {
    this.rows = new Map();
    this.seq = null; // version of the rows we hold; null = nothing received yet
    this.version = 0; // bumps on every change, for caches
    this._search = new WeakMap();
    this._viewKey = null;
    /** @type {Map<string, {version: number, list: {value: string, count: number, label: string}[]}>} */
    this._choices = new Map();
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
   * The distinct values of a multi-select filter with their counts, most frequent first:
   * [[value, count]...]; for "templates" also the label. Cached per version.
   * @param {keyof typeof FILTER_VALUES} name
   */
  choices(name) {
    const cached = this._choices.get(name);
    if (cached && cached.version === this.version) return cached.list;
    const counts = new Map();
    const labels = new Map();
    const value = FILTER_VALUES[name];
    for (const row of this.rows.values()) {
      const v = value(row);
      counts.set(v, (counts.get(v) ?? 0) + 1);
      if (name === "templates" && row.template_label) labels.set(v, row.template_label);
    }
    const list = [...counts].map(([v, n]) => ({ value: v, count: n, label: labels.get(v) || v || "(none)" }));
    list.sort((a, b) => collator.compare(a.label, b.label));
    this._choices.set(name, { version: this.version, list });
    return list;
  }

  /**
   * The rows to show, filtered and sorted. `text` matches every word; `states`, `owners`,
   * `projects`, `templates`: multi-select filters (empty = all); `keep`: keys of rows an action is
   * on, shown whatever the state filter says until the action ends; `sort`: {column, descending}.
   * Cached until the rows or the parameters change.
   * @param {{text?: string, states?: string[], owners?: string[], projects?: string[], templates?: string[],
   *   keep?: Iterable<string>, sort?: {column?: string, descending?: boolean}}} [params]
   */
  view({ text = "", sort = {}, keep = [], ...filters } = {}) {
    const needle = String(text ?? "").trim().toLowerCase();
    /** @type {[string, Set<string>][]} */
    const sets = Object.keys(FILTER_VALUES)
      .map((name) => /** @type {[string, Set<string>]} */ ([name, new Set(filters[name] ?? [])]))
      .filter(([, set]) => set.size);
    const kept = new Set(keep);
    const column = SORT_VALUES[sort?.column] ? sort.column : "project";
    const descending = Boolean(sort?.descending);
    const cacheKey = JSON.stringify([this.version, needle, sets.map(([n, set]) => [n, [...set].sort()]), [...kept].sort(), column, descending]);
    if (cacheKey === this._viewKey) return this._view;
    const terms = needle.split(/\s+/).filter(Boolean);
    const checks = sets.map(([name, set]) => [name, FILTER_VALUES[name], set]);
    const rows = [];
    for (const row of this.rows.values()) {
      // a row an action is on stays whatever its (changing) state: the state filter spares it
      if (!checks.every(([name, value, set]) => set.has(value(row)) || (name === "states" && kept.has(row.key)))) continue;
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
