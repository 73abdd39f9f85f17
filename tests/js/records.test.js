// The records Python sends, rendered by each panel: tests/js/fixtures/records.json is generated from
// the Python record types (TypedDicts) by their real row functions (`make records`; a pytest test
// fails when it is stale). Each panel reads the fields it needs BY NAME from that fixture, so a field
// renamed on either side fails here. Text only: nothing from the fixture may become markup.
import { afterEach, describe, expect, it } from "vitest";
import * as conflictViewer from "../../js/conflicts/index.js";
import * as activity from "../../js/activity/index.js";
import { createProgress } from "../../js/shared/progress.js";
import { durationText, exactTime } from "../../js/shared/time.js";
import * as studioTable from "../../js/studio_table/index.js";
import * as templateBuilds from "../../js/template_builds/index.js";
import records from "./fixtures/records.json";
import { makeFakeModel } from "./fake-model.js";

const renderOf = (mod) => mod.default?.render ?? mod.render;
const flush = () => new Promise((r) => setTimeout(r, 0));

function mount(mod, traits) {
  const model = makeFakeModel({ alerts: [], ...traits });
  const el = document.createElement("div");
  document.body.append(el);
  renderOf(mod)({ model, el });
  return { model, el };
}

/** The fields of a record type the panel reads: each must exist in the Python type. */
function uses(type, fields) {
  const { fields: known, example } = records[type];
  for (const field of fields) {
    expect(known, `${type}.${field} is not a field of the Python record`).toContain(field);
    expect(example[field], `${type}.${field} has no example value`).not.toBeUndefined();
  }
  return example;
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("records.json", () => {
  it("StudioTable renders a studio row", async () => {
    const row = uses("studio_row", ["key", "project_key", "id", "name", "owner", "template_label", "state",
      "last_state_change", "zones", "exposed", "error"]);
    const { model, el } = mount(studioTable, {
      config: records.studio_table_config,
      filter_text: "", filter_states: [], sort: { column: "project", descending: false }, selection: [],
      in_flight: {}, loading: false, summary: { total: 1, running: 1, failed_projects: 0, text: "1 studio · 1 running" }, is_simulator: true,
      live: true,
    live_info: {},
    transitions: {},
    });
    model.reply("snapshot", { result: { seq: 1, rows: [row] } });
    await flush();
    const tr = el.querySelector(`tr[data-key="${row.key}"]`);
    expect(tr).not.toBeNull();
    for (const text of [row.project_key, row.name, row.owner, row.template_label, row.state, ...row.zones]) {
      expect(tr.textContent).toContain(text);
    }
    expect(tr.querySelector("time").getAttribute("title")).toBe(exactTime(row.last_state_change));
    expect([...tr.querySelectorAll("a")].map((a) => a.getAttribute("href"))).toEqual(row.exposed);
  });

  it("ConflictViewer renders a zone entry with its conflicting files", () => {
    const zone = uses("zone_entry", ["key", "label", "path", "one_way", "status", "added", "modified", "deleted",
      "counts", "authors", "commit_from", "commit_to", "confirm", "busy", "result"]);
    const { el } = mount(conflictViewer, {
      studio_view: { project_key: "P", id: "s", name: "Studio", state: "RUNNING", running: true, message: "", can_start: false },
      zones: [zone], checking: false, start_progress: null, texts: records.viewer_texts.example,
    });
    const section = el.querySelector("section.csw-cv-zone");
    expect(section.dataset.status).toBe(zone.status);
    expect(section.querySelector("h4").textContent).toBe(zone.label);
    for (const text of [zone.path, ...zone.added, ...zone.modified, ...zone.deleted, ...zone.authors,
      zone.commit_from, zone.commit_to]) {
      expect(section.textContent).toContain(text);
    }
  });

  it("TemplateBuilds renders a template row and a running build with its progress", () => {
    const row = uses("template_row", ["id", "label", "type", "build_for", "last_built_ms", "error"]);
    const build = uses("build_record", ["key", "template_id", "label", "view", "final", "result_summary",
      "abortable", "abort_requested"]);
    const { el } = mount(templateBuilds, { config: records.templates_config.example, rows: [row], builds: [build], selected: [], no_cache: false,
      loading: false, is_simulator: true });
    const tr = el.querySelector(`tr[data-template="${row.id}"]`);
    for (const text of [row.label, row.id, row.type, ...row.build_for]) expect(tr.textContent).toContain(text);
    expect(tr.querySelector("[title]")?.getAttribute("title") ?? "").toContain(exactTime(row.last_built_ms));
    expect(el.textContent).toContain(build.label);
    expect(el.textContent).toContain(build.view.stage);
    expect([...el.querySelectorAll("button")].some((b) => /abort/i.test(b.textContent))).toBe(build.abortable);
  });

  it("the shared progress bar renders a progress view", () => {
    const view = uses("progress_view", ["status", "stage", "fraction", "elapsed_s", "eta_s", "message"]);
    const bar = createProgress({ label: "build" });
    bar.update(view);
    const text = bar.el.textContent;
    expect(text).toContain(view.stage);
    expect(text).toContain(`${Math.round(view.fraction * 100)}%`);
    expect(text).toContain(durationText(view.elapsed_s));
    expect(text).toContain(`~${durationText(view.eta_s)} left`);
  });

  it("the activity panel renders an activity entry", () => {
    const entry = uses("activity_entry", ["id", "who", "what", "target", "project_key", "studio_id", "when",
      "outcome", "duration_s", "message"]);
    const { el } = mount(activity, { entries: [entry], counts: { total: 1, running: 0, failed: 0 } });
    const tr = el.querySelector(`tr[data-id="${entry.id}"]`);
    for (const text of [entry.who, entry.what, entry.target, entry.outcome, entry.message]) {
      expect(tr.textContent).toContain(text);
    }
    expect(tr.textContent).toContain(durationText(entry.duration_s));
    expect(tr.querySelector("[title]").getAttribute("title")).toBe(exactTime(Date.parse(entry.when)));
  });

  it("writes every duration exactly as Python's duration_text does", () => {
    expect(records.durations.length).toBeGreaterThan(10);
    for (const [seconds, text] of records.durations) expect(durationText(seconds), String(seconds)).toBe(text);
  });
});
